"""The sequence behind `lz plan` and `lz apply`, independent of how it is shown.

open_workspace   credentials, identity check, state location, state
make_plan        refresh + diff (never writes)
locked           take the state lock (the bootstrap lock while the state
                 backend does not exist), re-read AWS and state under it,
                 release it on every exit path
run_apply        bootstrap the state backend if needed (then trade the
                 bootstrap lock for the state lock), execute, fold the journal
save_plan / load_saved_plan / check_fresh
                 plan files for `plan -o` and `apply plan.json`
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from landingzone import __version__
from landingzone.aws.context import Context, Settings
from landingzone.aws.session import CallCounter, Sessions, choose_credentials
from landingzone.engine import plan as planning
from landingzone.engine.apply import ApplyResult, Event, Executor
from landingzone.engine.lock import HeldLock, LockInfo, StateLock
from landingzone.engine.state import StateLocation, StateStore
from landingzone.errors import AwsError, LzError, StalePlan
from landingzone.graph import build_graph, run_options, state_names
from landingzone.graph.targets import base_tags
from landingzone.nodes import Node
from landingzone.resources.base import is_bootstrap, prepare_kinds
from landingzone.resources.preflight import check_management_caller, existing_account_id
from landingzone.resources.state_backend import ensure_lock_table
from landingzone.spec.schema import Spec

PLAN_FORMAT = 1
# While the state backend does not exist (the first apply creates it), the
# lock is held in this table in the management account, in the state's region.
BOOTSTRAP_LOCK_TABLE = "lz-bootstrap-locks"


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
    lock: HeldLock | None = None  # while `locked`
    # Reads of the same moment a caller hands over (`open_workspace(reads=...)`), kept
    # when AWS is read again under the lock.
    reads: dict[str, Any] = field(default_factory=dict)
    # Set to stop an apply: nothing more starts (Ctrl-C / SIGTERM, or the lock lost).
    stop: threading.Event = field(default_factory=threading.Event)

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
    reads: Mapping[str, Any] | None = None,
) -> Workspace:
    """Connect, check who we are, find and read state.

    `reads` are `Context.cached` values the caller read moments before (`lz import`'s
    reads of the organization): they are used instead of reading again, also under the
    lock. Only for a caller that records what it read and changes nothing in AWS."""
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
    for key, value in (reads or {}).items():
        ctx.share(key, value)
    graph = nodes if nodes is not None else build_graph(spec, where)
    check_management_caller(ctx, identity)
    location = _state_location(spec, root, _state_account_id(spec, ctx))
    ws = Workspace(
        spec=spec,
        root=root,
        fingerprint=fingerprint,
        sessions=sessions,
        ctx=ctx,
        nodes=graph,
        store=StateStore(location, sessions, actor=identity["Arn"]),
        credentials=source.description,
        reads=dict(reads or {}),
    )
    _read_state(ws)
    return ws


def _read_state(ws: Workspace) -> None:
    """Load state and what the kinds need from it."""
    state = ws.store.load()
    prepare_kinds(ws.ctx, ws.nodes, state.resources.values())
    state.organization = ws.spec.organization.name


def _reread(ws: Workspace) -> None:
    """Forget every read of this run and read the state's place and state again.

    Done once the lock is held: another run may have changed AWS and state
    between this run's first reads and its lock.
    """
    ws.ctx = Context(sessions=ws.sessions, settings=ws.ctx.settings)
    for key, value in ws.reads.items():
        ws.ctx.share(key, value)
    ws.store.location = _state_location(ws.spec, ws.root, _state_account_id(ws.spec, ws.ctx))
    _read_state(ws)


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


@contextmanager
def locked(ws: Workspace, operation: str) -> Iterator[HeldLock]:
    """Hold the lock for a block; AWS and state are read again under it.

    While the state backend does not exist yet, the lock is the bootstrap
    lock (`BOOTSTRAP_LOCK_TABLE`), which `run_apply` trades for the state
    lock once it has created the backend. Released on every exit path.
    """
    take_lock(ws, operation)
    try:
        assert ws.lock is not None
        yield ws.lock
    finally:
        if ws.lock is not None:
            ws.lock.release()
            ws.lock = None


def take_lock(ws: Workspace, operation: str) -> HeldLock:
    """Take the state lock (or the bootstrap lock), then read AWS and state again under it
    (unless state shows that no run wrote anything since they were read).

    Raises LockHeld naming the holder when another live run holds it; takes
    over (and says so in `HeldLock.taken_over`) a lock whose holder is gone.
    """
    held = _state_lock(ws, operation)
    if held is None:
        boot = _bootstrap_lock(ws, operation)
        try:
            _reread(ws)  # another run may have created the backend since this one looked
            held = _state_lock(ws, operation)
        except BaseException:
            boot.release()
            raise
        if held is None:
            held = boot
        else:
            boot.release()
    ws.lock = held
    try:
        if not held.bootstrap:
            # A run still creating the backend holds the bootstrap lock, though the
            # lock table exists already; one killed doing so left it (cleared here).
            StateLock(_bootstrap_location(ws), ws.sessions).ensure_free()
        if held.bootstrap or ws.store.changed_since_load():
            _reread(ws)
        if ws.store.unfolded:  # what a killed run journaled
            ws.store.compact()
    except BaseException:
        held.release()
        ws.lock = None
        raise
    return held


def _hold(ws: Workspace, lock: StateLock, operation: str, *, bootstrap: bool) -> HeldLock:
    info, taken_over = lock.acquire(operation, ws.store.actor)

    def lost(reason: str) -> None:
        ws.stop.set()

    return HeldLock(lock, info, taken_over=taken_over, bootstrap=bootstrap, on_lost=lost)


def _state_lock(ws: Workspace, operation: str) -> HeldLock | None:
    """The state lock; None while the lock table (or the state account) does not exist."""
    if ws.store.location.account_id is None:
        return None
    try:
        return _hold(ws, StateLock(ws.store.location, ws.sessions), operation, bootstrap=False)
    except AwsError as exc:
        if exc.aws_code == "ResourceNotFoundException":
            return None
        raise


def _bootstrap_location(ws: Workspace) -> StateLocation:
    return replace(
        ws.store.location,
        account_id=ws.sessions.management_account_id,
        lock_table=BOOTSTRAP_LOCK_TABLE,
    )


def _bootstrap_lock(ws: Workspace, operation: str) -> HeldLock:
    """The lock of a run that creates the state backend: a table in the management account.

    Creating the table is idempotent (a concurrent creation is waited for),
    and the lock item in it follows the same rules as the state lock.
    """
    location = _bootstrap_location(ws)
    ensure_lock_table(ws.ctx, BOOTSTRAP_LOCK_TABLE, location.region, base_tags(ws.spec))
    return _hold(ws, StateLock(location, ws.sessions), operation, bootstrap=True)


def lock_holders(ws: Workspace) -> list[tuple[StateLock, LockInfo]]:
    """Who holds the state lock and the bootstrap lock, for `lz unlock`."""
    locks = [StateLock(_bootstrap_location(ws), ws.sessions)]
    if ws.store.location.account_id is not None:
        locks.insert(0, StateLock(ws.store.location, ws.sessions))
    return [(lock, holder) for lock in locks if (holder := lock.current()) is not None]


def run_apply(
    ws: Workspace,
    plan: planning.Plan,
    *,
    on_event: Callable[[Event], None] | None = None,
) -> ApplyResult:
    """Execute a plan under the lock `locked` took; bootstraps the state backend first if needed.

    Stops early when `ws.stop` is set (a signal, or the lock lost):
    running operations finish and are journaled, the rest is reported as not
    started. The journal is folded into the state object at the end.
    """
    assert ws.lock is not None, "run_apply needs the lock: use workflow.locked"
    executor = Executor(ws.ctx, ws.store, plan.operations, on_event=on_event, stop=ws.stop)
    try:
        if not ws.store.remote:
            executor.run(_bootstrap_closure(plan, ws.state_addresses))
            if executor.result.interrupted or not _backend_ready(
                executor, plan, ws.state_addresses
            ):
                return _stopped(ws, executor.result)
            _go_remote(ws)
            if ws.lock.bootstrap:
                state = _state_lock(ws, ws.lock.info.operation)
                if state is None:
                    raise LzError(
                        f"the lock table {ws.store.location.lock_table} was created but cannot "
                        "be found; run apply again"
                    )
                ws.lock.release()
                ws.lock = state
        executor.run()
        return _stopped(ws, executor.result)
    finally:
        if ws.store.remote and not ws.lock.lost:  # a lost lock: the state is another run's now
            ws.store.compact()


def _stopped(ws: Workspace, result: ApplyResult) -> ApplyResult:
    if result.interrupted:
        lost = ws.lock.lost if ws.lock is not None else None
        result.stopped_because = f"this run lost the lock: {lost}" if lost else "interrupted"
    return result


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
        "external": plan.external,
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
