"""The `lz` command line: commands only; the work happens in the library.

Each `cli/*_commands.py` module adds its commands to `app`; `main` maps
errors to the documented exit codes (see `landingzone.errors`). `main`
handles Ctrl-C and SIGTERM (`cli/signals.py`) before it imports anything
else, so an interrupt during start-up is one line, not a traceback.
"""

from __future__ import annotations

import os
import sys
import threading

from landingzone.cli.signals import INTERRUPTS
from landingzone.errors import EXIT_INTERRUPTED


def _register_commands() -> None:
    # Importing a module registers its commands on `app`.
    from landingzone.cli import (  # noqa: F401
        access_commands,
        access_model_commands,
        engine_commands,
        export_commands,
        graph_commands,
        import_command,
        network_commands,
        sim_commands,
        spec_commands,
        up_command,
        version_command,
    )


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point for `lz`."""
    INTERRUPTS.install()
    try:
        code = _run(argv)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = EXIT_INTERRUPTED
    finally:
        INTERRUPTS.restore()
    if INTERRUPTS.received and _threads_still_waiting():
        # Reads in flight on other threads may wait on AWS for a minute; an interrupted
        # lz must not. Locks were released on the way here, and apply's own stop waits
        # for its operations, so nothing is left unrecorded.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _threads_still_waiting() -> bool:
    """Whether threads other than this one would hold up the interpreter's exit."""
    return any(t is not threading.current_thread() and not t.daemon for t in threading.enumerate())


def _run(argv: list[str] | None) -> int:
    import typer

    # typer 0.29 vendors click; its exceptions are not re-exported publicly, so
    # typer is pinned to 0.29.x in pyproject.toml and this is the one private import.
    from typer._click import exceptions as click_exceptions

    from landingzone.cli.app import app
    from landingzone.errors import EXIT_USAGE, LzError
    from landingzone.ui import mode, report_error

    _register_commands()
    mode.json = False  # until a command's --json says otherwise (main may run many times)
    try:
        code = app(args=argv, prog_name="lz", standalone_mode=False)
    except click_exceptions.UsageError as exc:
        exc.show()
        return EXIT_USAGE
    except typer.Abort:
        sys.stderr.write("interrupted\n")
        return EXIT_INTERRUPTED
    except LzError as exc:
        report_error(exc)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code)
    if code == EXIT_INTERRUPTED and INTERRUPTS.received:
        # typer turns a KeyboardInterrupt into this exit code, silently
        sys.stderr.write("interrupted\n")
    return code if isinstance(code, int) else 0
