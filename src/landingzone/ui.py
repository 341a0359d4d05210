"""Terminal and JSON output shared by every command.

Human output goes to stderr through rich (progress, tables, colours) so that
stdout stays clean for `--json` documents and for values a script captures.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.markup import escape

from landingzone.errors import LzError

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class _Mode:
    json = False


mode = _Mode()


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout (sorted keys, stable for diffs)."""
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=True, default=str) + "\n")
    sys.stdout.flush()


def report_error(error: LzError) -> None:
    """Show an error: as JSON on stdout in --json mode, else in red on stderr."""
    if mode.json:
        emit_json({"error": error.to_json()})
    else:
        err.print(f"[bold red]error:[/] {escape(str(error))}", markup=True, highlight=False)
