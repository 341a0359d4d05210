"""The `lz` command line: commands only; the work happens in the library.

Each `cli/*_commands.py` module adds its commands to `app`; `main` maps
errors to the documented exit codes (see `landingzone.errors`).
"""

from __future__ import annotations

import sys

import typer

# typer 0.29 vendors click; its exceptions are not re-exported publicly, so
# typer is pinned to 0.29.x in pyproject.toml and this is the one private import.
from typer._click import exceptions as click_exceptions

from landingzone.cli.app import app
from landingzone.errors import EXIT_INTERRUPTED, EXIT_USAGE, LzError
from landingzone.ui import err, mode, report_error


def _register_commands() -> None:
    # Importing a module registers its commands on `app`.
    from landingzone.cli import (  # noqa: F401
        access_commands,
        access_model_commands,
        engine_commands,
        export_commands,
        graph_commands,
        network_commands,
        sim_commands,
        spec_commands,
        up_command,
        version_command,
    )


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point for `lz`."""
    _register_commands()
    mode.json = False  # until a command's --json says otherwise (main may run many times)
    try:
        code = app(args=argv, prog_name="lz", standalone_mode=False)
    except click_exceptions.UsageError as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except LzError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)
