"""`lz version`."""

from __future__ import annotations

from landingzone import __version__
from landingzone.cli.app import app
from landingzone.ui import out


@app.command()
def version() -> None:
    """Print lz's version."""
    out.print(__version__)
