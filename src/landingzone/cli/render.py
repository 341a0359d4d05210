"""How plans, progress and results look in a terminal (stderr, via rich)."""

from __future__ import annotations

from rich.markup import escape

from landingzone.aws.session import CallCounter
from landingzone.engine.apply import ApplyResult, Event
from landingzone.engine.plan import Operation, Plan
from landingzone.nodes import MANAGEMENT
from landingzone.ui import err
from landingzone.views.changes import SYMBOLS, change_lines, operation_order

COLOURS = {
    "create": "green",
    "update": "yellow",
    "adopt": "cyan",
    "replace": "magenta",
    "delete": "red",
    "forget": "dim",
    "leave": "yellow",
    "close": "red",
}
MAX_LISTED = 20  # not-started operations listed after an interrupted apply


def _where(op: Operation) -> str:
    """Where a resource lives, unless it is organization-wide (management, global)."""
    if op.account == MANAGEMENT and op.region is None:
        return ""
    return f"  [dim]in {op.account}{'/' + op.region if op.region else ''}[/]"


def show_plan(plan: Plan, header: str, *, counter: CallCounter, seconds: float) -> None:
    """Print a plan a person can review."""
    err.print(header)
    if not plan.operations:
        err.print("\n[green]No changes.[/] The organization matches the spec.")
    for op in sorted(plan.operations, key=operation_order):
        symbol, colour = SYMBOLS.get(op.action, "?"), COLOURS.get(op.action, "white")
        flag = " [bold red](protected)[/]" if op.protected else ""
        note = f"  [dim]({escape(op.note)})[/]" if op.note else ""
        err.print(
            f"  [{colour}]{symbol} {op.action:<7}[/] {escape(op.address)}{_where(op)}{flag}{note}"
        )
        for line in change_lines(op):
            err.print(f"        {escape(line)}", highlight=False)
    for warning in plan.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}")
    if plan.external:
        listed = ", ".join(plan.external[:MAX_LISTED])
        more = (
            f" and {len(plan.external) - MAX_LISTED} more"
            if len(plan.external) > MAX_LISTED
            else ""
        )
        err.print(
            f"[dim]External (exist, owned by another tool, not managed): {escape(listed)}{more}[/]"
        )
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
    """The summary line(s) at the end of an apply: what was done, and what was not."""
    counts: dict[str, int] = {}
    for op, _ in result.done:
        counts[op.action] = counts.get(op.action, 0) + 1
    done = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing"
    colour = "green" if result.ok else "red"
    verdict = "complete" if result.ok else "interrupted" if result.interrupted else "incomplete"
    err.print(
        f"\n[{colour}]Apply {verdict}:[/] {done}"
        + (f"; {len(result.failed)} failed" if result.failed else "")
        + (f"; {len(result.skipped)} skipped" if result.skipped else "")
        + (f"; {len(result.not_started)} not started" if result.not_started else "")
        + f".  [dim]({counter.total} API calls in {seconds:.1f}s)[/]"
    )
    for op, error in result.failed:
        err.print(f"  [red]✗[/] {escape(op.address)}: {escape(str(error))}")
    for op in result.not_started[:MAX_LISTED]:
        err.print(f"  [yellow]·[/] not started: {op.action} {escape(op.address)}")
    if len(result.not_started) > MAX_LISTED:
        err.print(f"  [yellow]·[/] ... and {len(result.not_started) - MAX_LISTED} more not started")
