"""`lz access ...`: evaluate AWS access with AWS's policy logic."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from landingzone.cli.app import app
from landingzone.errors import EXIT_ERROR
from landingzone.ui import emit_json

access_app = typer.Typer(
    help="Evaluate AWS access requests with AWS's policy evaluation logic.",
    no_args_is_help=True,
)
app.add_typer(access_app, name="access")


def _read(source: str) -> str:
    from landingzone.access.errors import RequestError

    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise RequestError(f"cannot read request file {source}: {exc.strerror}") from None


@access_app.command("simulate")
def simulate_command(
    request: Annotated[
        str,
        typer.Option(
            "--request",
            metavar="FILE",
            help="JSON file with one request object or a list of them ('-': stdin).",
        ),
    ],
) -> None:
    """Evaluate requests; print one decision (or a list, in order) as JSON.

    In a list, a malformed request answers {"error": ...} in its place and the
    others are still evaluated. Exit 0 whatever the decisions; 1 if a request
    or policy is malformed (after printing the list's answers).
    """
    from landingzone.access.simulate import failed_requests, load_json, simulate

    source = "stdin" if request == "-" else request
    results = simulate(load_json(_read(request), source))
    emit_json(results)
    if failed_requests(results):
        raise typer.Exit(EXIT_ERROR)
