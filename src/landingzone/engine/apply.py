"""Execute a Plan: dependency order, bounded concurrency, a journal entry per change.

- An operation starts when everything it depends on has succeeded; one that
  fails makes its dependents skip, and unrelated work goes on.
- Concurrency is bounded twice: a fixed pool of workers, and a limit per
  account and AWS service (`Context.limit`: AWS throttles per account and
  service), so 100 accounts never mean 100 threads, and work in one account
  never waits for another account's turn with the same service.
- Work is handed to the pool only as workers free up, so nothing is queued
  that a stop could not take back.
- Every change is journaled to state as soon as AWS accepts it. A replaced
  resource is kept in state under `<address>#replaced` until it is deleted,
  so an interruption at any point leaves state the next run converges from.
- Stopping (the `stop` event: Ctrl-C / SIGTERM, or the lock lost) starts
  nothing more, not even an operation waiting for its service's limit; the
  running ones finish and are journaled; the rest is reported as not started.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from landingzone.aws.context import Context
from landingzone.engine.plan import REPLACED_SUFFIX, Operation, resolve
from landingzone.engine.state import StateStore
from landingzone.errors import AwsError, LzError
from landingzone.nodes import Found, Node, ResourceRecord
from landingzone.resources.base import kind

DEFAULT_CONCURRENCY = 32  # operations in flight; at AWS latency a change is mostly waiting
STOP_POLL_SECONDS = 0.1  # how soon the scheduler notices a stop while operations run


class _NotStarted(Exception):
    """An operation that was still waiting for its turn when the run stopped."""


@dataclass
class Event:
    """Progress of one operation, for whoever shows it."""

    kind: str  # "start" | "done" | "failed" | "skipped"
    op: Operation
    seconds: float = 0.0
    error: LzError | None = None
    reason: str = ""


@dataclass
class ApplyResult:
    """What happened to every operation."""

    done: list[tuple[Operation, float]] = field(default_factory=list)
    failed: list[tuple[Operation, LzError]] = field(default_factory=list)
    skipped: list[tuple[Operation, str]] = field(default_factory=list)
    not_started: list[Operation] = field(default_factory=list)
    interrupted: bool = False  # stopped before everything ran
    stopped_because: str = ""  # why, for people (set by whoever stopped it)

    @property
    def ok(self) -> bool:
        """True when everything was applied."""
        return not self.failed and not self.skipped and not self.interrupted

    def to_json(self) -> dict[str, Any]:
        """Serializable summary."""
        return {
            "ok": self.ok,
            "applied": [{"address": op.address, "action": op.action} for op, _ in self.done],
            "failed": [
                {"address": op.address, "action": op.action, "error": err.to_json()}
                for op, err in self.failed
            ],
            "skipped": [
                {"address": op.address, "action": op.action, "reason": why}
                for op, why in self.skipped
            ],
            "not_started": [
                {"address": op.address, "action": op.action} for op in self.not_started
            ],
            "interrupted": self.interrupted,
            "stopped_because": self.stopped_because,
        }


class Executor:
    """Runs operations in dependency order and journals each change."""

    def __init__(
        self,
        ctx: Context,
        store: StateStore,
        operations: Iterable[Operation],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_event: Callable[[Event], None] | None = None,
        stop: threading.Event | None = None,
    ):
        """`stop`, once set, stops the run: nothing more starts; running operations finish."""
        self.ctx = ctx
        self.store = store
        self.operations = {op.address: op for op in operations}
        self.concurrency = concurrency
        self.on_event = on_event or (lambda _event: None)
        self.result = ApplyResult()
        self._succeeded: set[str] = set()
        self._blocked: set[str] = set()
        self._stop = stop or threading.Event()

    def run(self, addresses: Iterable[str] | None = None) -> ApplyResult:
        """Execute the plan's operations (or the given subset, e.g. the bootstrap).

        Call it again with the rest: what succeeded or failed in an earlier
        batch counts for the dependencies of a later one.
        """
        wanted = set(self.operations) if addresses is None else set(addresses)
        done = self._succeeded | self._blocked
        pending = {a: self.operations[a] for a in sorted(wanted - done)}
        running: dict[Future[float], Operation] = {}
        blocked = self._blocked
        pool = ThreadPoolExecutor(max_workers=self.concurrency)
        try:
            while pending or running:
                if not self._stop.is_set():
                    for op in self._ready(pending)[: self.concurrency - len(running)]:
                        del pending[op.address]
                        self.on_event(Event("start", op))
                        running[pool.submit(self._execute, op)] = op
                self._skip_blocked(pending, blocked)
                if not running:
                    break
                finished, _ = wait(running, STOP_POLL_SECONDS, return_when=FIRST_COMPLETED)
                for future in finished:
                    self._finish(running.pop(future), future, blocked)
        except KeyboardInterrupt:
            self._stop.set()  # what waits for a service's limit now stops there
            raise
        finally:
            pool.shutdown(wait=True)  # only running operations: nothing is queued
        if self._stop.is_set() and pending:
            self.result.interrupted = True
            self.result.not_started.extend(pending.values())
        return self.result

    def _ready(self, pending: dict[str, Operation]) -> list[Operation]:
        """Pending operations whose dependencies (within the plan) all succeeded."""
        return [
            op
            for op in pending.values()
            if (op.depends_on & set(self.operations)) <= self._succeeded
        ]

    def _skip_blocked(self, pending: dict[str, Operation], blocked: set[str]) -> None:
        changed = True
        while changed:
            changed = False
            for address, op in list(pending.items()):
                failed_deps = op.depends_on & blocked
                if failed_deps:
                    reason = "depends on " + ", ".join(sorted(failed_deps)) + ", which failed"
                    del pending[address]
                    blocked.add(address)
                    self.result.skipped.append((op, reason))
                    self.on_event(Event("skipped", op, reason=reason))
                    changed = True

    def _finish(self, op: Operation, future: Future[float], blocked: set[str]) -> None:
        try:
            seconds = future.result()
        except _NotStarted:
            self.result.interrupted = True
            self.result.not_started.append(op)
            return
        except LzError as exc:
            blocked.add(op.address)
            self.result.failed.append((op, exc))
            self.on_event(Event("failed", op, error=exc))
            return
        except Exception as exc:  # a bug in a kind: report it against the resource
            error = AwsError(f"{type(exc).__name__}: {exc}", resource=op.address)
            blocked.add(op.address)
            self.result.failed.append((op, error))
            self.on_event(Event("failed", op, error=error))
            return
        self._succeeded.add(op.address)
        self.result.done.append((op, seconds))
        self.on_event(Event("done", op, seconds=seconds))

    # -- one operation ---------------------------------------------------------

    def _execute(self, op: Operation) -> float:
        k = kind(op.kind)
        with self.ctx.limit(k.service, op.account):
            if self._stop.is_set():
                raise _NotStarted(op.address)
            started = time.monotonic()
            if op.action == "create":
                self._create(op)
            elif op.action in ("update", "adopt"):
                self._update(op)
            elif op.action == "replace":
                self._replace(op)
            elif op.action == "delete":
                assert op.record is not None
                k.delete(self.ctx, op.record)
                self.store.journal(remove=op.address)
            elif op.action == "forget":
                self.store.journal(remove=op.address)
            else:
                assert op.record is not None
                k.remove(self.ctx, op.record, op.action)
                self.store.journal(remove=op.address)
        return time.monotonic() - started

    def _desired(self, node: Node) -> dict[str, Any]:
        return dict(resolve(dict(node.desired), self.ctx, node.account))

    def _create(self, op: Operation) -> None:
        node = _node(op)
        desired = self._desired(node)
        found = kind(op.kind).create(self.ctx, node, desired)
        self.ctx.set_id(node.address, found.id)
        self.store.journal(upsert=_record(node, found, desired, created=True))

    def _update(self, op: Operation) -> None:
        node = _node(op)
        assert op.found is not None
        desired = self._desired(node)
        found = op.found
        if op.changes:
            found = kind(op.kind).update(self.ctx, node, desired, op.found, op.changes)
        created = op.record.created if op.record else op.found.managed
        stale_address = op.found.record_address
        self.store.journal(
            upsert=_record(node, found, desired, created=created),
            remove=stale_address if stale_address != node.address else None,
        )

    def _replace(self, op: Operation) -> None:
        node = _node(op)
        assert op.found is not None
        old = op.record or ResourceRecord(
            address=node.address,
            kind=node.kind,
            id=op.found.id,
            account=node.account,
            region=node.region,
            created=op.found.managed,
            attrs=dict(op.found.attrs),
        )
        # Keep the old resource in state until it is deleted: nothing is ever lost.
        self.store.journal(
            upsert=ResourceRecord(
                address=node.address + REPLACED_SUFFIX,
                kind=old.kind,
                id=old.id,
                account=old.account,
                region=old.region,
                created=old.created,
                attrs=old.attrs,
            ),
            remove=old.address if old.address != node.address else None,
        )
        self._create(op)


def _node(op: Operation) -> Node:
    assert op.node is not None, f"{op.action} {op.address} needs a node"
    return op.node


def _record(node: Node, found: Found, desired: dict[str, Any], *, created: bool) -> ResourceRecord:
    attrs = {**desired, "name": node.name}
    if node.protected:
        attrs["protected"] = True
    return ResourceRecord(
        address=node.address,
        kind=node.kind,
        id=found.id,
        account=node.account,
        region=node.region,
        created=created,
        attrs=attrs,
    )
