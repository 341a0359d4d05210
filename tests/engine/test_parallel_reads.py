"""Reads in parallel: the same answers and the same calls as one at a time, fewer round trips.

A no-change plan reads the organization level by level and member accounts
side by side. These tests pin what that must not change: the plan, the number
of calls of each operation (checked against the emulator's own count), one
AssumeRole per account however many reads of it run at once, and errors that
name what failed.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from landingzone.aws.context import SERVICE_CONCURRENCY, Context, Settings
from landingzone.aws.session import CredentialSource, Sessions
from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.errors import AwsError
from landingzone.spec.schema import Spec

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.filterwarnings("ignore:Exception\\(EmulatorError\\):UserWarning"),
]

DENY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "svc:Delete*", "Resource": "*"}],
}
UNITS = ["core", "plat", "plat/sandbox", "plat/sandbox/lab"]  # three levels below the root
MEMBERS = {"shared": "core", "dev": "plat", "test": "plat/sandbox", "lab": "plat/sandbox/lab"}


def spec() -> dict[str, Any]:
    return {
        "organization": {
            "name": "acme",
            "home_region": "us-east-1",
            "policies": ["deny-a"],
            "baseline": "strict",
        },
        "units": {"core": {}, "plat/sandbox/lab": {}, "plat/sandbox": {"policies": ["deny-b"]}},
        "accounts": {
            name: {"email": f"{name}@acme.example", "unit": unit, "tags": {"Team": name}}
            for name, unit in MEMBERS.items()
        },
        "policies": {
            "deny-a": {"description": "a", "document": DENY},
            "deny-b": {"description": "b", "document": DENY},
        },
        "baselines": {"profiles": {"strict": {"password_policy": {"minimum_length": 16}}}},
        "state": {"account": "shared"},
    }


@pytest.fixture
def applied(emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Spec:
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    model = Spec.model_validate(spec())
    ws = workflow.open_workspace(model, tmp_path, "test", poll_interval=0.01)
    plan = workflow.make_plan(ws)
    result = workflow.run_apply(ws, plan, lock_id=workflow.try_lock(ws, "t"), operation="t")
    assert result.ok, [str(e) for _, e in result.failed]
    emulator.clear_request_counts()
    return model


def server_counts(emulator: Emulator) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in emulator.request_counts():
        counts[f"{row['service']}:{row['operation']}"] += row["count"]
    return counts


def test_a_no_change_plan_at_latency_makes_the_same_calls(
    applied: Spec, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.configure(latency={"ms": 20})  # calls overlap in flight, as on AWS
    ws = workflow.open_workspace(applied, tmp_path, "test")
    plan = workflow.make_plan(ws)
    assert plan.operations == []

    calls = ws.counter.by_operation()
    parents = len(UNITS) + 1  # every OU and the root
    members = len(MEMBERS)
    # The organization: one call per parent and list, per managed policy, per tag set.
    assert calls["organizations:DescribeOrganization"] == 1
    assert calls["organizations:ListRoots"] == 1
    assert calls["organizations:ListPolicies"] == 1
    assert calls["organizations:ListOrganizationalUnitsForParent"] == parents
    assert calls["organizations:ListAccountsForParent"] == parents
    assert calls["organizations:DescribePolicy"] == 2
    assert calls["organizations:ListTargetsForPolicy"] == 2
    assert calls["organizations:ListTagsForResource"] == members + len(UNITS) + 2  # root: none
    # Members, read side by side: one AssumeRole and one read of the setting each,
    # however many of their reads were in flight together.
    assert calls["sts:AssumeRole"] == members
    assert calls["iam:GetAccountPasswordPolicy"] == members
    # What the client counted is what AWS (the emulator) received.
    assert server_counts(emulator) == Counter(calls)


def test_an_error_in_a_parallel_read_names_what_failed(
    applied: Spec, emulator: Emulator, tmp_path: Path
) -> None:
    emulator.configure(
        faults=[
            {
                "service": "organizations",
                "operation": "ListAccountsForParent",
                "error": "AccessDeniedException",
                "message": "not allowed",
                "count": 1,
            }
        ]
    )
    with pytest.raises(AwsError) as caught:
        workflow.open_workspace(applied, tmp_path, "test")
    assert caught.value.aws_code == "AccessDeniedException"
    assert "accounts under" in str(caught.value)


def test_concurrency_is_bounded_per_account_and_service() -> None:
    sessions = Sessions(
        credentials=CredentialSource(None, "test"), home_region="us-east-1", access_role="r"
    )
    ctx = Context(sessions=sessions, settings=Settings("acme", "us-east-1", "r"))
    bound = SERVICE_CONCURRENCY["organizations"]
    lock = threading.Lock()
    inside: Counter[str] = Counter()
    most: Counter[str] = Counter()
    release = threading.Event()

    def hold(account: str) -> None:
        with ctx.limit("organizations", account):
            with lock:
                inside[account] += 1
                most[account] = max(most[account], inside[account])
            release.wait(5)
            with lock:
                inside[account] -= 1

    threads = [
        threading.Thread(target=hold, args=(account,))
        for account in ("management", "dev")
        for _ in range(bound + 3)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while sum(inside.values()) < 2 * bound and time.monotonic() < deadline:
        time.sleep(0.01)
    with lock:
        # Each account has its own bound, reached by both at once.
        assert dict(inside) == {"management": bound, "dev": bound}
    release.set()
    for thread in threads:
        thread.join()
    assert dict(most) == {"management": bound, "dev": bound}
