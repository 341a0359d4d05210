"""Apply bounds its work per account and service, as AWS throttles it.

At AWS's latency a change is mostly waiting for answers, so an apply across
many accounts is as fast as the operations it keeps in flight. AWS's rate
limits are per account and service: IAM changes in `dev` must not wait for
IAM changes in `prod`, while neither account gets more than its bound."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any, ClassVar

import pytest

from landingzone.aws.context import SERVICE_CONCURRENCY, Context, Settings
from landingzone.aws.session import CredentialSource, Sessions
from landingzone.engine.apply import Executor
from landingzone.engine.plan import Operation
from landingzone.nodes import Found, Node, ResourceRecord
from landingzone.resources import base

ACCOUNTS = ("dev", "prod", "test")
PER_ACCOUNT = SERVICE_CONCURRENCY["iam"] + 2


class _Journal:
    """Where the executor writes its records (the state store's interface)."""

    def __init__(self) -> None:
        self.records: list[str] = []

    def journal(self, *, upsert: ResourceRecord | None = None, remove: str | None = None) -> None:
        if upsert is not None:
            self.records.append(upsert.address)


class _Gate:
    """Counts operations inside `create`, per account, until released."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside: Counter[str] = Counter()
        self.most: Counter[str] = Counter()
        self.release = threading.Event()

    def hold(self, account: str) -> None:
        with self.lock:
            self.inside[account] += 1
            self.most[account] = max(self.most[account], self.inside[account])
        self.release.wait(10)
        with self.lock:
            self.inside[account] -= 1


class _HeldRole(base.Kind):
    name: ClassVar[str] = "held_role"
    service: ClassVar[str] = "iam"
    gate: ClassVar[_Gate]

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        self.gate.hold(node.account)
        return Found(id=node.name, attrs=dict(desired))


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> _Gate:
    _HeldRole.gate = _Gate()
    monkeypatch.setitem(base._KINDS, _HeldRole.name, _HeldRole())
    return _HeldRole.gate


def operation(account: str, i: int) -> Operation:
    address = f"account:{account}/held_role:r{i}"
    node = Node(address=address, kind="held_role", name=f"r{i}", account=account, desired={})
    return Operation("create", address, "held_role", node.name, account, None, node=node)


def test_accounts_apply_side_by_side_each_within_its_own_bound(gate: _Gate) -> None:
    sessions = Sessions(
        credentials=CredentialSource(None, "test"), home_region="us-east-1", access_role="r"
    )
    ctx = Context(sessions=sessions, settings=Settings("acme", "us-east-1", "r"))
    journal = _Journal()
    ops = [operation(account, i) for account in ACCOUNTS for i in range(PER_ACCOUNT)]
    executor = Executor(ctx, journal, ops)  # type: ignore[arg-type]
    runner = threading.Thread(target=executor.run)
    runner.start()
    bound = SERVICE_CONCURRENCY["iam"]
    deadline = time.monotonic() + 10
    while sum(gate.inside.values()) < bound * len(ACCOUNTS) and time.monotonic() < deadline:
        time.sleep(0.01)
    with gate.lock:
        in_flight = dict(gate.inside)
    gate.release.set()
    runner.join(10)

    assert in_flight == {account: bound for account in ACCOUNTS}
    assert dict(gate.most) == {account: bound for account in ACCOUNTS}
    assert sorted(journal.records) == sorted(op.address for op in ops)
    assert executor.result.ok
