"""Recovery without a person: leased locks, signals, first applies racing, random kills."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from benchmarks.crash_harness import run_trials

import landingzone
from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.engine.lock import LEASE_ENV, lease_seconds, machine_id
from landingzone.errors import LockHeld, LzError
from landingzone.spec.loader import load_spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e

SRC = str(Path(landingzone.__file__).resolve().parents[1])
LOCK_KEY = {"LockID": {"S": "quick-landingzone-state/landingzone/state.json"}}

SPEC = """\
organization:
  name: quick
  home_region: us-east-1
  tags: {Repo: infra}
  policies: [deny-leave]
units:
  core: {}
  work: {policies: [deny-leave]}
accounts:
  shared: {email: aws+shared@quick.example, unit: core}
  dev: {email: aws+dev@quick.example, unit: work}
  stage: {email: aws+stage@quick.example, unit: work}
policies:
  deny-leave:
    description: no leaving
    document:
      Version: "2012-10-17"
      Statement:
        - {Effect: Deny, Action: "organizations:LeaveOrganization", Resource: "*"}
state:
  account: shared
"""


@pytest.fixture
def quick(tmp_path: Path):
    """A small organization's spec in a directory of its own (each call: a new copy)."""

    def make(name: str = "quick") -> Path:
        spec_dir = tmp_path / name
        spec_dir.mkdir()
        (spec_dir / "landingzone.yaml").write_text(SPEC)
        return spec_dir

    return make


@pytest.fixture
def env(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of an `lz` process pointed at the emulator."""
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return {**os.environ, "PYTHONPATH": SRC}


def lz_process(env: dict[str, str], *args: str | Path, **popen: Any) -> subprocess.Popen[str]:
    code = f"from landingzone.cli import main; main({[str(a) for a in args]!r})"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def open_ws(spec_dir: Path) -> workflow.Workspace:
    loaded = load_spec(spec_dir)
    return workflow.open_workspace(loaded.spec, loaded.root, loaded.fingerprint())


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
    emulator.configure(account_creation={"seconds": 1})
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


# -- signals -------------------------------------------------------------------------------


def _request_count(emulator: Emulator, operation: str) -> int:
    return sum(r["count"] for r in emulator.request_counts() if r["operation"] == operation)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_new_work_reports_and_releases_the_lock(
    env: dict[str, str], emulator: Emulator, quick, sig: signal.Signals
):
    emulator.configure(account_creation={"seconds": 2})
    spec_dir = quick()
    process = lz_process(env, "apply", spec_dir, "--auto-approve")
    deadline = time.monotonic() + 60
    while _request_count(emulator, "CreateAccount") == 0:
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.05)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    assert "not started" in stderr
    assert "Apply again to finish" in stderr
    ddb = Aws(emulator).client("dynamodb")
    assert "Item" not in ddb.get_item(TableName=workflow.BOOTSTRAP_LOCK_TABLE, Key=LOCK_KEY)

    again = lz_process(env, "apply", spec_dir, "--auto-approve")
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert "took over" not in stderr


def test_stopping_starts_nothing_more_not_even_what_waits_for_its_turn(
    env: dict[str, str], emulator: Emulator, tmp_path: Path
):
    units = "\n".join(f"  team{i}: {{}}" for i in range(24))
    spec_dir = tmp_path / "wide"
    spec_dir.mkdir()
    (spec_dir / "landingzone.yaml").write_text(
        SPEC.replace("units:\n", f"units:\n{units}\n").replace(
            "account: shared", "account: management"
        )
    )
    ws = open_ws(spec_dir)
    done: list[str] = []

    def on_event(event: Any) -> None:
        if event.kind == "done" and event.op.address.startswith("unit:team"):
            done.append(event.op.address)
            ws.stop.set()  # as the first signal does

    with workflow.locked(ws, "test"):
        result = workflow.run_apply(ws, workflow.make_plan(ws), on_event=on_event)
    assert result.interrupted and result.stopped_because == "interrupted"
    # Organizations takes 4 calls at a time: at most the 3 others already running finish.
    units_done = [op.address for op, _ in result.done if op.address.startswith("unit:team")]
    assert 1 <= len(units_done) <= 4, units_done
    not_started = {op.address.split(":", 1)[-1] for op in result.not_started}
    assert len({a for a in not_started if a.startswith("team")}) >= 20
    org = Aws(emulator).client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    made = {
        u["Name"]
        for u in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
    }
    assert not not_started & made


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("after", [0.3, 2.0])
def test_an_interrupt_during_start_up_is_one_line_and_exit_130(
    env: dict[str, str], quick, sig: signal.Signals, after: float
):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        process = lz_process(env, "plan", quick(), "--endpoint-url", endpoint)
        time.sleep(after)
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert stderr == "interrupted\n"


# -- random kills --------------------------------------------------------------------------


@pytest.mark.crash
def test_random_kills_recover_with_no_manual_step(env: dict[str, str], emulator: Emulator, quick):
    summary = run_trials(emulator, quick(), trials=2, seed=14)
    problems = [t for t in summary["results"] if not t["converged"]]
    assert not problems, problems
    assert summary["converged"] == summary["trials"] == 2
    assert summary["manual_unlocks"] == 0
