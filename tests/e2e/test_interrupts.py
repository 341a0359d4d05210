"""Ctrl-C and SIGTERM stop an apply cleanly, and an apply killed at any moment recovers."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from benchmarks.crash_harness import run_trials

from landingzone.emulator import Emulator
from landingzone.engine import workflow
from tests.aws import Aws
from tests.e2e.quick import LOCK_KEY, SPEC, lz_process, open_ws

pytestmark = pytest.mark.e2e


# -- signals -------------------------------------------------------------------------------


def apply_until_creating_accounts(
    env: dict[str, str], emulator: Emulator, spec_dir: Path
) -> subprocess.Popen[str]:
    """`lz apply` as a process, returned once it has asked AWS to create an account."""
    process = lz_process(env, "apply", spec_dir, "--auto-approve")
    deadline = time.monotonic() + 60
    while not any(r["operation"] == "CreateAccount" for r in emulator.request_counts()):
        assert time.monotonic() < deadline and process.poll() is None, process.communicate()
        time.sleep(0.05)
    return process


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_new_work_reports_and_releases_the_lock(
    env: dict[str, str], emulator: Emulator, quick, sig: signal.Signals
):
    emulator.configure(account_creation={"seconds": 2})
    spec_dir = quick()
    process = apply_until_creating_accounts(env, emulator, spec_dir)
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


def test_a_second_signal_exits_at_once_and_the_next_run_takes_the_lock_over(
    env: dict[str, str], emulator: Emulator, quick
):
    emulator.configure(account_creation={"seconds": 3})
    spec_dir = quick()
    process = apply_until_creating_accounts(env, emulator, spec_dir)
    process.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "interrupted again: exiting now" in stderr
    assert "Traceback" not in stderr

    again = lz_process(env, "apply", spec_dir, "--auto-approve")
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    assert "took over the state lock of" in stderr
    assert f"its process {process.pid} on this machine has ended" in stderr


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
    # Organizations takes 4 calls at a time: the 3 others running finish, and a few more may
    # take a freed slot before the scheduler has seen the first one finish; not all 24.
    units_done = [op.address for op, _ in result.done if op.address.startswith("unit:team")]
    assert 1 <= len(units_done) <= 8, units_done
    not_started = {op.address.split(":", 1)[-1] for op in result.not_started}
    assert len({a for a in not_started if a.startswith("team")}) >= 16
    org = Aws(emulator).client("organizations")
    root = org.list_roots()["Roots"][0]["Id"]
    made = {
        u["Name"]
        for u in org.list_organizational_units_for_parent(ParentId=root)["OrganizationalUnits"]
    }
    assert not not_started & made


def handling_signals(pid: int) -> bool:
    """Whether `lz` has installed its handlers (it catches SIGTERM only from then on)."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(
        next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16
    )
    return bool(caught & (1 << (signal.SIGTERM - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("when", ["importing", "waiting-for-aws"])
def test_an_interrupt_during_start_up_is_one_line_and_exit_130(
    env: dict[str, str], quick, sig: signal.Signals, when: str
):
    with socket.create_server(("127.0.0.1", 0)) as silent:  # never answers
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        process = lz_process(env, "plan", quick(), "--endpoint-url", endpoint)
        deadline = time.monotonic() + 30
        while not handling_signals(process.pid):  # the first thing `main` does
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.005)
        if when == "waiting-for-aws":
            silent.settimeout(60)
            connection, _ = silent.accept()  # lz's first call to AWS: no answer comes
            assert connection.fileno() >= 0
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
