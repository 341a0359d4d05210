"""A plan as Markdown, fit for a pull-request comment.

A summary line and a table of counts per account first (what a reviewer
scans), protected changes flagged at the top and on each line, then one
section per account with its operations and their attribute changes
collapsed in a `<details>` block. GitHub refuses comments over 65,536
characters, so past `LIMIT` the details are left out, never the operations.
"""

from __future__ import annotations

from collections.abc import Sequence

from landingzone.engine.plan import Operation, Plan
from landingzone.nodes import MANAGEMENT
from landingzone.views.changes import SYMBOLS, change_lines, operation_order

LIMIT = 60_000
PROTECTED = "⚠️ protected"


def _account(op: Operation) -> str:
    return "management (organization-wide)" if op.account == MANAGEMENT else op.account


def _summary(plan: Plan) -> str:
    return ", ".join(f"{n} to {action}" for action, n in plan.summary().items())


def _counts(groups: dict[str, list[Operation]], actions: Sequence[str]) -> list[str]:
    rows = [
        "| account | " + " | ".join(actions) + " | protected |",
        "|---|" + "---:|" * (len(actions) + 1),
    ]
    for account, ops in groups.items():
        counts = [str(sum(op.action == a for op in ops) or "") for a in actions]
        protected = sum(op.protected for op in ops)
        rows.append(f"| {account} | " + " | ".join(counts) + f" | {protected or ''} |")
    return rows


def _operation(op: Operation) -> str:
    where = f" in {op.region}" if op.region else ""
    flag = f" **{PROTECTED}**" if op.protected else ""
    note = f" ({op.note})" if op.note else ""
    return f"- `{SYMBOLS.get(op.action, '?')} {op.action}` `{op.address}`{where}{flag}{note}"


def _details(ops: list[Operation]) -> list[str]:
    lines = []
    for op in ops:
        changed = change_lines(op)
        if changed:
            lines.append(f"{SYMBOLS.get(op.action, '?')} {op.action} {op.address}")
            lines += [f"    {line}" for line in changed]
    if not lines:
        return []
    body = "\n".join(lines).replace("```", "`\u200b``")
    return [
        "",  # a blank line first, or the block joins the list's last item
        f"<details><summary>What changes ({len(ops)} operations)</summary>",
        "",
        "```diff",
        body,
        "```",
        "</details>",
    ]


def plan_markdown(plan: Plan, organization: str, *, source: str = "") -> str:
    """The plan as a Markdown document (`source`: where it was planned, for the heading)."""
    title = f"### lz plan: organization `{organization}`" + (f" ({source})" if source else "")
    if not plan.operations:
        return f"{title}\n\n**No changes.** The organization matches the spec.\n"
    groups: dict[str, list[Operation]] = {}
    for op in sorted(plan.operations, key=lambda o: (o.account != MANAGEMENT, o.account)):
        groups.setdefault(_account(op), []).append(op)
    for ops in groups.values():
        ops.sort(key=operation_order)
    actions = [a for a in SYMBOLS if any(op.action == a for op in plan.operations)]
    protected = [op for op in plan.operations if op.protected]
    head = [title, "", f"**Plan: {_summary(plan)}.**"]
    if protected:
        head += [
            "",
            f"> {PROTECTED}: {len(protected)} change(s) touch protected (prod-like) resources; "
            "applying them needs an explicit approval (`--approve-protected`).",
        ]
    head += ["", *_counts(groups, actions)]
    head += [f"\n> warning: {w}" for w in plan.warnings]
    sections = []
    for account, ops in groups.items():
        lines = ["", f"#### {account}", "", *map(_operation, ops)]
        sections.append((lines, _details(ops)))
    text = "\n".join(head + [line for lines, details in sections for line in lines + details])
    if len(text) > LIMIT:  # keep every operation; drop the collapsed details
        text = "\n".join(head + [line for lines, _ in sections for line in lines])
        text += "\n\n_Attribute changes left out (the comment would be too long); see the job log._"
    return text + "\n"
