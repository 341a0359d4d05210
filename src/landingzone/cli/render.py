"""How plans, progress and results look in a terminal (stderr, via rich)."""

from __future__ import annotations

import json
from typing import Any

from rich.markup import escape

from landingzone.aws.session import CallCounter
from landingzone.engine.apply import ApplyResult, Event
from landingzone.engine.plan import Operation, Plan
from landingzone.nodes import MANAGEMENT
from landingzone.resources.base import canonical_policy
from landingzone.ui import err

SYMBOLS = {
    "create": ("+", "green"),
    "update": ("~", "yellow"),
    "adopt": ("=", "cyan"),
    "replace": ("±", "magenta"),
    "delete": ("-", "red"),
    "forget": ("x", "dim"),
    "leave": ("←", "yellow"),
    "close": ("!", "red"),
}
MAX_VALUE = 100


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


def _where(op: Operation) -> str:
    """Where a resource lives, unless it is organization-wide (management, global)."""
    if op.account == MANAGEMENT and op.region is None:
        return ""
    return f"  [dim]in {op.account}{'/' + op.region if op.region else ''}[/]"


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


def show_plan(plan: Plan, header: str, *, counter: CallCounter, seconds: float) -> None:
    """Print a plan a person can review."""
    err.print(header)
    if not plan.operations:
        err.print("\n[green]No changes.[/] The organization matches the spec.")
    order = list(SYMBOLS)
    for op in sorted(plan.operations, key=lambda o: (order.index(o.action), o.address)):
        symbol, colour = SYMBOLS.get(op.action, ("?", "white"))
        flag = " [bold red](protected)[/]" if op.protected else ""
        note = f"  [dim]({escape(op.note)})[/]" if op.note else ""
        err.print(
            f"  [{colour}]{symbol} {op.action:<7}[/] {escape(op.address)}{_where(op)}{flag}{note}"
        )
        for line in change_lines(op):
            err.print(f"        {escape(line)}", highlight=False)
    for warning in plan.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}")
    summary = ", ".join(f"{n} to {action}" for action, n in plan.summary().items())
    err.print(
        f"\nPlan: {summary or 'nothing to do'}.  "
        f"[dim]({counter.total} API calls in {seconds:.1f}s)[/]"
    )


def show_event(event: Event) -> None:
    """One progress line per finished operation."""
    op = event.op
    if event.kind == "start":
        if op.kind == "account" and op.action == "create":
            err.print(f"  [dim]… creating {escape(op.address)} (AWS takes minutes)[/]")
        return
    if event.kind == "done":
        err.print(f"  [green]✓[/] {op.action} {escape(op.address)} [dim]({event.seconds:.1f}s)[/]")
    elif event.kind == "failed":
        err.print(f"  [red]✗ {op.action} {escape(op.address)}:[/] {escape(str(event.error))}")
    elif event.kind == "skipped":
        err.print(f"  [yellow]↷ skipped {op.action} {escape(op.address)}:[/] {event.reason}")


def show_result(result: ApplyResult, *, counter: CallCounter, seconds: float) -> None:
    """The summary line(s) at the end of an apply."""
    counts: dict[str, int] = {}
    for op, _ in result.done:
        counts[op.action] = counts.get(op.action, 0) + 1
    done = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing"
    colour = "green" if result.ok else "red"
    err.print(
        f"\n[{colour}]Apply {'complete' if result.ok else 'incomplete'}:[/] {done}"
        + (f"; {len(result.failed)} failed" if result.failed else "")
        + (f"; {len(result.skipped)} skipped" if result.skipped else "")
        + f".  [dim]({counter.total} API calls in {seconds:.1f}s)[/]"
    )
    for op, error in result.failed:
        err.print(f"  [red]✗[/] {escape(op.address)}: {escape(str(error))}")
