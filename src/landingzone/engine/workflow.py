"""The sequence behind `lz plan` and `lz apply`, independent of how it is shown.

open_workspace   credentials, identity check, state location, state
make_plan        refresh + diff (never writes)
run_apply        lock, bootstrap the state backend if needed, execute,
                 release the lock on every exit path
save_plan / load_saved_plan / check_fresh
                 plan files for `plan -o` and `apply plan.json`
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from landingzone import __version__
from landingzone.aws.context import Context, Settings
from landingzone.aws.session import CallCounter, Sessions, choose_credentials
from landingzone.engine import plan as planning
from landingzone.engine.apply import ApplyResult, Event, Executor
from landingzone.engine.state import StateLocation, StateLock, StateStore
from landingzone.errors import AwsError, LzError, StalePlan
from landingzone.graph import build_graph, run_options, state_names
from landingzone.nodes import Node
from landingzone.resources.base import is_bootstrap, prepare_kinds
from landingzone.resources.preflight import check_management_caller, existing_account_id
from landingzone.spec.schema import Spec

PLAN_FORMAT = 1


@dataclass
class Workspace:
    """One spec, connected to one AWS (real or emulated), with its state loaded."""

    spec: Spec
    root: Path
    fingerprint: str
    sessions: Sessions
    ctx: Context
    nodes: list[Node]
    store: StateStore
    credentials: str
    started: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def counter(self) -> CallCounter:
        """API calls made so far in this run."""
        return self.sessions.counter

    @property
    def state_addresses(self) -> set[str]:
        """Addresses of the state backend's nodes."""
        return {n.address for n in self.nodes if is_bootstrap(n.kind)}


def open_workspace(
    spec: Spec,
    root: Path,
    fingerprint: str,
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    nodes: list[Node] | None = None,
    poll_interval: float | None = None,
    where: Callable[..., Any] = lambda *_: None,
) -> Workspace:
    """Connect, check who we are, find and read state."""
    org = spec.organization
    source = choose_credentials(profile, org.profile)
    sessions = Sessions(
        credentials=source,
        home_region=org.home_region,
        access_role=org.access_role,
        endpoint_url=endpoint_url,
    )
    identity = sessions.identity()
    if org.management_account_id and identity["Account"] != org.management_account_id:
        raise LzError(
            f"these credentials ({source.description}) belong to account {identity['Account']} "
            f"({identity['Arn']}), but the spec's management account is "
            f"{org.management_account_id}; refusing to touch the wrong organization"
        )
    settings = Settings(
        org=org.name,
        home_region=org.home_region,
        access_role=org.access_role,
        options=run_options(spec),
    )
    if poll_interval is not None:
        settings.poll_interval = poll_interval
    ctx = Context(sessions=sessions, settings=settings)
    graph = nodes if nodes is not None else build_graph(spec, where)
    check_management_caller(ctx, identity)
    location = _state_location(spec, root, _state_account_id(spec, ctx))
    store = StateStore(location, sessions, actor=identity["Arn"])
    state = store.load()
    prepare_kinds(ctx, graph, state.resources.values())
    state.organization = org.name
    return Workspace(
        spec=spec,
        root=root,
        fingerprint=fingerprint,
        sessions=sessions,
        ctx=ctx,
        nodes=graph,
        store=store,
        credentials=source.description,
    )


def _state_location(spec: Spec, root: Path, account_id: str | None) -> StateLocation:
    bucket, table, region = state_names(spec)
    if account_id is not None:
        bucket = bucket.replace("{account_id}", account_id)
        table = table.replace("{account_id}", account_id)
    return StateLocation(
        account_id=account_id,
        region=region,
        bucket=bucket,
        key=spec.state.key,
        lock_table=table,
        spill_dir=root / ".lz",
    )


def _state_account_id(spec: Spec, ctx: Context) -> str | None:
    """The state account's ID, if it exists yet (by `id:`, else by e-mail)."""
    name = spec.state.account
    account = spec.accounts.get(name)
    return existing_account_id(
        ctx, name, account.id if account else None, account.email if account else ""
    )


def make_plan(ws: Workspace) -> planning.Plan:
    """Refresh and diff; never writes."""
    return planning.make_plan(ws.ctx, ws.nodes, ws.store.doc)


# -- apply ------------------------------------------------------------------------


def lock_for(ws: Workspace) -> StateLock:
    """The state lock of this workspace."""
    return StateLock(ws.store.location, ws.sessions)


def try_lock(ws: Workspace, operation: str) -> str | None:
    """Take the lock; None when the lock table does not exist yet (first apply)."""
    if ws.store.location.account_id is None:  # the state account is still to be created
        return None
    try:
        return lock_for(ws).acquire(operation, ws.store.actor).id
    except AwsError as exc:
        if exc.aws_code == "ResourceNotFoundException":
            return None
        raise


def run_apply(
    ws: Workspace,
    plan: planning.Plan,
    *,
    lock_id: str | None,
    operation: str,
    on_event: Callable[[Event], None] | None = None,
) -> ApplyResult:
    """Execute a plan; bootstraps the state backend first when it does not exist yet.

    The lock is held (or, on a first apply, taken as soon as the lock table
    exists) and released on every exit path.
    """
    executor = Executor(ws.ctx, ws.store, plan.operations, on_event=on_event)
    held = lock_id
    try:
        if held is None:
            boot = _bootstrap_closure(plan, ws.state_addresses)
            executor.run(boot)
            if not _backend_ready(executor, plan, ws.state_addresses):
                return executor.result
            _go_remote(ws)
            held = lock_for(ws).acquire(operation, ws.store.actor).id
        executor.run()
        return executor.result
    finally:
        if held is not None:
            lock_for(ws).release(held)


def _bootstrap_closure(plan: planning.Plan, state_addresses: set[str]) -> set[str]:
    """The state backend's operations and everything they depend on."""
    ops = plan.by_address()
    wanted: set[str] = set()
    stack = [a for a in state_addresses if a in ops]
    while stack:
        address = stack.pop()
        if address in wanted:
            continue
        wanted.add(address)
        stack.extend(d for d in ops[address].depends_on if d in ops)
    return wanted


def _backend_ready(executor: Executor, plan: planning.Plan, state_addresses: set[str]) -> bool:
    failed = {op.address for op, _ in executor.result.failed} | {
        op.address for op, _ in executor.result.skipped
    }
    return not (failed & (state_addresses | _bootstrap_closure(plan, state_addresses)))


def _go_remote(ws: Workspace) -> None:
    """The backend exists now: point the store at it and upload state."""
    account_id = ws.ctx.account_id(ws.spec.state.account)
    if account_id is not None and ws.store.location.account_id != account_id:
        ws.store.location = _state_location(ws.spec, ws.root, account_id)
    ws.store.go_remote()


# -- saved plans ------------------------------------------------------------------


def save_plan(ws: Workspace, plan: planning.Plan, path: Path) -> None:
    """Write a plan file that `lz apply PLAN` can execute (refused if stale)."""
    document = plan_document(ws, plan)
    path.write_text(json.dumps(document, indent=1, sort_keys=True, default=str) + "\n")


def plan_document(ws: Workspace, plan: planning.Plan) -> dict[str, Any]:
    """The plan as JSON: for `-o`, `--json` and `apply PLAN`."""
    return {
        "format": PLAN_FORMAT,
        "lz_version": __version__,
        "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "organization": ws.spec.organization.name,
        "management_account_id": ws.sessions.management_account_id,
        "spec": {
            "root": str(ws.root),
            "fingerprint": ws.fingerprint,
            "model": ws.spec.model_dump(mode="json"),
        },
        "state": {"lineage": plan.state_lineage, "serial": plan.state_serial},
        "summary": plan.summary(),
        "warnings": plan.warnings,
        "operations": [op.to_json() for op in plan.operations],
        "nodes": [n.to_json() for n in plan.nodes],
    }


@dataclass
class SavedPlan:
    """A plan file, parsed."""

    spec: Spec
    root: Path
    fingerprint: str
    management_account_id: str
    lineage: str
    serial: int
    nodes: list[Node]
    operations: list[dict[str, Any]]


def load_saved_plan(path: Path) -> SavedPlan:
    """Read a plan file written by `lz plan -o`."""
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise LzError(f"{path}: not a readable plan file ({exc})") from exc
    if data.get("format") != PLAN_FORMAT:
        raise LzError(f"{path}: plan format {data.get('format')} is not supported")
    return SavedPlan(
        spec=Spec.model_validate(data["spec"]["model"]),
        root=Path(data["spec"]["root"]),
        fingerprint=data["spec"]["fingerprint"],
        management_account_id=data["management_account_id"],
        lineage=data["state"]["lineage"],
        serial=int(data["state"]["serial"]),
        nodes=[Node.from_json(n) for n in data["nodes"]],
        operations=data["operations"],
    )


def check_fresh(saved: SavedPlan, ws: Workspace, fresh: planning.Plan) -> None:
    """Refuse a saved plan when state or AWS changed since it was made."""
    problems: list[str] = []
    if ws.sessions.management_account_id != saved.management_account_id:
        problems.append(
            f"the plan was made for management account {saved.management_account_id}, "
            f"these credentials are for {ws.sessions.management_account_id}"
        )
    if (fresh.state_lineage, fresh.state_serial) != (saved.lineage, saved.serial):
        problems.append(
            f"state changed since the plan was made (serial {saved.serial} -> {fresh.state_serial})"
        )
    before = {(o["action"], o["address"], _changes_key(o["changes"])) for o in saved.operations}
    after = {op.signature() for op in fresh.operations}
    for action, address, _ in sorted(before - after):
        problems.append(f"{action} {address}: no longer matches what exists")
    for action, address, _ in sorted(after - before):
        problems.append(f"{action} {address}: needed now but not in the plan")
    if problems:
        listed = "\n".join(f"  - {p}" for p in problems[:20])
        raise StalePlan(
            f"the saved plan is stale; run `lz plan` again and review the new plan:\n{listed}"
        )


def _changes_key(changes: list[dict[str, Any]]) -> str:
    return json.dumps(changes, sort_keys=True, default=str)
