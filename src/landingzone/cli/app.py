"""The Typer application that every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="lz",
    help=(
        "landingzone: build, verify and keep a multi-account AWS organization "
        "from one declarative spec.\n\n"
        "Start with `lz up` (the whole flow on the embedded AWS), then "
        "`lz validate DIR`, `lz plan DIR`, `lz apply DIR`."
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """landingzone: build, verify and keep a multi-account AWS organization from one spec."""
