"""The state lock: a lease its holder renews, taken over once the holder is gone, and a
bootstrap lock so that of two first applies exactly one proceeds."""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from typing import Any

import pytest

from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.engine.lock import LEASE_ENV, lease_seconds, machine_id
from landingzone.errors import LockHeld, LzError
from tests.aws import Aws
from tests.e2e.quick import LOCK_KEY, lz_process, open_ws

pytestmark = pytest.mark.e2e


def bootstrap_table(emulator: Emulator) -> Any:
    """The bootstrap lock table in the management account, created as lz would."""
    ddb = Aws(emulator).client("dynamodb")
    ddb.create_table(
        TableName=workflow.BOOTSTRAP_LOCK_TABLE,
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return ddb


def foreign_lock(ddb: Any, *, expires: float, machine: str = "ci-runner-7/boot/pid:[1]") -> None:
    """A lock item written by a run on another machine."""
    ddb.put_item(
        TableName=workflow.BOOTSTRAP_LOCK_TABLE,
        Item={
            **LOCK_KEY,
            "ID": {"S": "0f0f0f0f-0000-4000-8000-000000000001"},
            "Who": {"S": "arn:aws:sts::111111111111:assumed-role/ci/run-42"},
            "Operation": {"S": "apply infra/landing-zone"},
            "Created": {"S": "2026-12-06T20:00:00+00:00"},
            "Host": {"S": "ci-runner-7"},
            "Pid": {"N": "4242"},
            "Machine": {"S": machine},
            "Expires": {"N": repr(expires)},
            "Lease": {"N": "60"},
        },
    )


# -- the lease lock ----------------------------------------------------------------------


def test_a_live_lock_of_another_machine_is_refused_naming_its_holder(
    env: dict[str, str], emulator: Emulator, quick
):
    foreign_lock(bootstrap_table(emulator), expires=time.time() + 45)
    with pytest.raises(LockHeld) as refused:
        workflow.take_lock(open_ws(quick()), "apply")
    message = str(refused.value)
    assert "arn:aws:sts::111111111111:assumed-role/ci/run-42" in message
    assert "ci-runner-7 (pid 4242)" in message
    assert "`apply infra/landing-zone`" in message
    assert "lease runs out" in message
    assert "lz unlock 0f0f0f0f-0000-4000-8000-000000000001" in message


def test_a_lock_whose_lease_ran_out_is_taken_over_and_said_so(
    env: dict[str, str], emulator: Emulator, quick
):
    ddb = bootstrap_table(emulator)
    foreign_lock(ddb, expires=time.time() - 30)
    held = workflow.take_lock(open_ws(quick()), "apply")
    try:
        assert held.taken_over is not None
        said = held.taken_over.describe()
        assert (
            "took over the state lock of arn:aws:sts::111111111111:assumed-role/ci/run-42" in said
        )
        assert "on ci-runner-7 (pid 4242)" in said
        assert "`apply infra/landing-zone`" in said
        assert "its lease ran out at" in said
        item = ddb.get_item(TableName=workflow.BOOTSTRAP_LOCK_TABLE, Key=LOCK_KEY)["Item"]
        assert item["ID"]["S"] == held.info.id
        assert int(item["Pid"]["N"]) == os.getpid()
    finally:
        held.release()
    assert "Item" not in ddb.get_item(TableName=workflow.BOOTSTRAP_LOCK_TABLE, Key=LOCK_KEY)


def test_a_lock_whose_process_on_this_machine_ended_is_taken_over_at_once(
    env: dict[str, str], emulator: Emulator, quick
):
    dead = subprocess.Popen(["true"])
    dead.wait()
    ddb = bootstrap_table(emulator)
    foreign_lock(ddb, expires=time.time() + 600, machine=machine_id())
    ddb.update_item(
        TableName=workflow.BOOTSTRAP_LOCK_TABLE,
        Key=LOCK_KEY,
        UpdateExpression="SET Pid = :pid",
        ExpressionAttributeValues={":pid": {"N": str(dead.pid)}},
    )
    held = workflow.take_lock(open_ws(quick()), "apply")
    try:
        assert held.taken_over is not None
        assert f"its process {dead.pid} on this machine has ended" in held.taken_over.describe()
    finally:
        held.release()


def test_the_holder_renews_its_lease_and_stops_when_the_lock_is_taken_from_it(
    env: dict[str, str], emulator: Emulator, quick, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv(LEASE_ENV, "2")
    ddb = bootstrap_table(emulator)
    ws = open_ws(quick())
    held = workflow.take_lock(ws, "apply")
    try:
        first = float(
            ddb.get_item(TableName=workflow.BOOTSTRAP_LOCK_TABLE, Key=LOCK_KEY)["Item"]["Expires"][
                "N"
            ]
        )
        time.sleep(2.5)  # longer than the lease: only renewals keep it
        item = ddb.get_item(TableName=workflow.BOOTSTRAP_LOCK_TABLE, Key=LOCK_KEY)["Item"]
        assert item["ID"]["S"] == held.info.id
        assert float(item["Expires"]["N"]) > max(first, time.time())
        with pytest.raises(LockHeld):
            workflow.take_lock(open_ws(quick("second")), "apply")

        foreign_lock(ddb, expires=time.time() + 60)  # someone breaks it and takes it
        assert ws.stop.wait(timeout=5), "the run was not told to stop"
        assert held.lost is not None and "taken over" in held.lost
    finally:
        held.release()
    # A lost lock is not released: it belongs to the other run now.
    item = ddb.get_item(TableName=workflow.BOOTSTRAP_LOCK_TABLE, Key=LOCK_KEY)["Item"]
    assert item["Host"]["S"] == "ci-runner-7"


@pytest.mark.parametrize("value", ["0.5", "soon", "inf", "nan"])
def test_a_lease_that_makes_no_sense_is_refused(value: str):
    with pytest.raises(LzError, match=LEASE_ENV):
        lease_seconds({LEASE_ENV: value})


# -- first applies racing ------------------------------------------------------------------


def test_two_first_applies_at_once_one_wins_the_other_names_the_holder(
    env: dict[str, str], emulator: Emulator, quick
):
    # Each account takes 5 s to create, so the winner holds the lock for 10 s at least:
    # longer than the two processes' start-ups differ, even on a busy machine.
    emulator.configure(account_creation={"seconds": 5})
    first = lz_process(env, "apply", quick("one"), "--auto-approve")
    second = lz_process(env, "apply", quick("two"), "--auto-approve")
    ended: dict[str, tuple[float, int, str]] = {}
    for name, process in (("one", first), ("two", second)):
        _, stderr = process.communicate(timeout=300)
        ended[name] = (time.monotonic(), process.returncode, stderr)
    codes = sorted(code for _, code, _ in ended.values())
    assert codes == [0, 1], {n: e[2][-2000:] for n, e in ended.items()}
    loser = next(e for e in ended.values() if e[1] == 1)
    winner = next(e for e in ended.values() if e[1] == 0)
    assert "the state is locked: held by" in loser[2]
    assert "for `apply " in loser[2]
    assert "Plan:" not in loser[2], "the loser must fail before planning"
    assert "Apply complete" in winner[2]
    aws = Aws(emulator)
    emails = Counter(a["Email"] for a in aws.accounts().values())
    assert all(n == 1 for n in emails.values()), emails
    assert {"shared", "dev", "stage"} <= set(aws.accounts())


@pytest.mark.parametrize("state_exists", [False, True], ids=["first-apply", "later-apply"])
def test_a_run_plans_from_what_runs_before_its_lock_left(
    env: dict[str, str], emulator: Emulator, quick, state_exists: bool
):
    spec_dir = quick()
    if state_exists:
        base = open_ws(spec_dir)
        with workflow.locked(base, "apply"):
            assert workflow.run_apply(base, workflow.make_plan(base)).ok
    spec_file = spec_dir / "landingzone.yaml"
    spec_file.write_text(spec_file.read_text().replace("  core: {}\n", "  core: {}\n  extra: {}\n"))
    waited = open_ws(spec_dir)  # reads AWS: no OU `extra` yet
    assert any(op.address == "unit:extra" for op in workflow.make_plan(waited).operations)
    first = open_ws(spec_dir)
    with workflow.locked(first, "apply"):  # another run applies it meanwhile
        assert workflow.run_apply(first, workflow.make_plan(first)).ok
    with workflow.locked(waited, "apply"):
        assert workflow.make_plan(waited).operations == []
    org = Aws(emulator).client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    names = [
        u["Name"]
        for u in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
    ]
    assert names.count("extra") == 1


def test_the_state_lock_waits_for_a_run_still_creating_the_backend(
    env: dict[str, str], emulator: Emulator, quick
):
    spec_dir = quick()
    first = open_ws(spec_dir)
    with workflow.locked(first, "apply"):
        assert workflow.run_apply(first, workflow.make_plan(first)).ok
    ddb = Aws(emulator).client("dynamodb")
    foreign_lock(ddb, expires=time.time() + 45)  # a run still bootstrapping
    with pytest.raises(LockHeld, match="ci-runner-7"):
        workflow.take_lock(open_ws(spec_dir), "apply")
    shared = Aws(emulator).accounts()["shared"]["Id"]
    state_lock = (
        Aws(emulator)
        .client("dynamodb", shared)
        .get_item(TableName="quick-landingzone-locks", Key=LOCK_KEY)
    )
    assert "Item" not in state_lock, "the state lock must be given back"

    foreign_lock(ddb, expires=time.time() - 5)  # one left by a run killed while bootstrapping
    workflow.take_lock(open_ws(spec_dir), "apply").release()
    assert "Item" not in ddb.get_item(TableName=workflow.BOOTSTRAP_LOCK_TABLE, Key=LOCK_KEY)
