"""lz's state for what `lz import` adopted, written by the engine itself.

The written spec is planned like any other: every resource it declares
exists, so the plan holds only `adopt` operations without changes (plus the
state backend, created on the first import, and `forget` for what left the
organization since an earlier import). Applying exactly that plan records
every resource in state, through the journal, and changes nothing else in
AWS. A plan with anything more (an update, a delete) means the spec does not
say what exists, or the state place holds another spec's state: nothing is
applied, and the operations are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from landingzone.engine import workflow
from landingzone.engine.plan import Operation, Plan
from landingzone.errors import LzError
from landingzone.resources.ec2_view import know
from landingzone.validate import load_spec

MAX_NAMED = 10


@dataclass(frozen=True)
class StateWritten:
    """What the state step did: resources recorded, forgotten, backend resources created."""

    adopted: int
    forgotten: int
    created: list[str]
    location: str
    api_calls: int


def adopt_into_state(
    out: Path,
    *,
    profile: str | None,
    endpoint_url: str | None,
    known: Mapping[str, str] | None = None,
) -> StateWritten:
    """Plan the written spec, check that it only adopts, and apply that (see the docstring).
    `known`: the AWS IDs of networking resources by address (they have no address tag)."""
    loaded = load_spec(out)
    ws = workflow.open_workspace(
        loaded.spec,
        loaded.root,
        loaded.fingerprint(),
        profile=profile,
        endpoint_url=endpoint_url,
        where=loaded.provenance.where,
    )
    where = f"s3://{ws.store.location.bucket}/{ws.store.location.key}"
    know(ws.ctx, known or {})
    if ws.store.remote:  # an import again: most often there is nothing to record, and no lock
        plan = workflow.make_plan(ws)
        _only_adoptions(plan, ws.state_addresses, where)
        if not plan.operations:
            return StateWritten(0, 0, [], where, ws.counter.total)
    with workflow.locked(ws, f"import {out}"):
        know(ws.ctx, known or {})  # the lock read everything again, afresh
        plan = workflow.make_plan(ws)
        _only_adoptions(plan, ws.state_addresses, where)
        result = workflow.run_apply(ws, plan)
    if not result.ok:
        failures = "; ".join(f"{op.address}: {error}" for op, error in result.failed[:MAX_NAMED])
        raise LzError(
            f"the spec is written, but recording it in state failed ({failures}); "
            "run `lz apply` on it to finish"
        )
    done = [op for op, _ in result.done]
    return StateWritten(
        adopted=sum(op.action in ("adopt", "update") for op in done),
        forgotten=sum(op.action == "forget" for op in done),
        created=sorted(op.address for op in done if op.action == "create"),
        location=f"s3://{ws.store.location.bucket}/{ws.store.location.key}",
        api_calls=ws.counter.total,
    )


def _only_adoptions(plan: Plan, backend: set[str], where: str) -> None:
    """Refuse a plan that would do more than record what exists."""
    unexpected = [op for op in plan.operations if not _recording(op, backend)]
    if not unexpected:
        return
    named = "; ".join(_describe(op) for op in unexpected[:MAX_NAMED])
    more = f" and {len(unexpected) - MAX_NAMED} more" if len(unexpected) > MAX_NAMED else ""
    raise LzError(
        f"the spec is written, but its plan would do more than record what exists, so no state "
        f"was written: {named}{more}. If the state at {where} belongs to another spec, import "
        "with another --name (its own state bucket) or --state-key"
    )


def _recording(op: Operation, backend: set[str]) -> bool:
    if op.action == "create":
        return op.address in backend
    if op.action in ("adopt", "update"):
        return not op.changes
    return op.action == "forget"


def _describe(op: Operation) -> str:
    changed = ", ".join(c.attr for c in op.changes)
    return f"{op.action} {op.address}" + (f" ({changed})" if changed else "")
