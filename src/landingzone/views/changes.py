"""What an operation of a plan changes, as lines a person reads: attribute: before → after.

Shared by the terminal plan (`cli/render.py`) and the markdown plan
(`views/plan_markdown.py`). Policy documents show as a statement count on
create and as a unified diff on update, never as one long line.
"""

from __future__ import annotations

import json
from typing import Any

from landingzone.engine.plan import Operation
from landingzone.resources.base import canonical_policy

MAX_VALUE = 100
# Each action's symbol, in the order plans list them.
SYMBOLS = {
    "create": "+",
    "update": "~",
    "adopt": "=",
    "replace": "±",
    "delete": "-",
    "forget": "x",
    "leave": "←",
    "close": "!",
}


def operation_order(op: Operation) -> tuple[int, str]:
    """Sort key of operations in a plan: by action (as `SYMBOLS` lists them), then address."""
    order = list(SYMBOLS)
    return (order.index(op.action) if op.action in order else len(order), op.address)


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


def _is_document(value: Any) -> bool:
    """A policy document: shown as a statement count or a diff, never as one long line."""
    return isinstance(value, dict) and "Statement" in value


def _statements(document: dict[str, Any]) -> str:
    statements = document["Statement"]
    count = len(statements) if isinstance(statements, list) else 1
    return f"{count} statement{'s' if count != 1 else ''}"


def change_lines(op: Operation) -> list[str]:
    """The attribute lines under an operation: before -> after."""
    lines: list[str] = []
    for change in op.changes:
        before, after = change.before, change.after
        if _is_document(before) or _is_document(after):
            lines.extend(_document_diff(change.attr, before, after))
        elif isinstance(before, dict) and isinstance(after, dict):
            for key in sorted(set(before) | set(after)):
                old, new = before.get(key), after.get(key)
                if old == new:
                    continue
                if _is_document(old) or _is_document(new):  # a map of documents
                    lines.extend(_document_diff(f"{change.attr}.{key}", old, new))
                else:
                    lines.append(f"{change.attr}.{key}: {_short(old)} → {_short(new)}")
        else:
            lines.append(f"{change.attr}: {_short(before)} → {_short(after)}")
    if op.action == "create" and op.node is not None:
        for attr, value in op.node.desired.items():
            if _is_document(value):
                lines.append(f"{attr}: {_statements(value)}")
            elif isinstance(value, dict) and value and all(map(_is_document, value.values())):
                shown = ", ".join(f"{k} ({_statements(v)})" for k, v in value.items())
                lines.append(f"{attr}: {shown}")
            elif attr != "tags":
                lines.append(f"{attr}: {_short(value)}")
    return lines


def _document_diff(attr: str, before: Any, after: Any) -> list[str]:
    import difflib

    old = json.dumps(canonical_policy(before), indent=2, sort_keys=True).splitlines()
    new = json.dumps(canonical_policy(after), indent=2, sort_keys=True).splitlines()
    diff = [
        line
        for line in difflib.unified_diff(old, new, lineterm="", n=1)
        if not line.startswith(("---", "+++"))
    ]
    return [f"{attr}:"] + [f"  {line}" for line in diff]
