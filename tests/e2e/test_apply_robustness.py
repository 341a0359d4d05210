"""Apply survives what AWS does: slow creations, throttling, refusals, and being killed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import landingzone
from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.errors import AwsError
from landingzone.validate import load_spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e

SRC = str(Path(landingzone.__file__).resolve().parents[1])


def calls(emulator: Emulator, operation: str) -> tuple[int, int]:
    """(requests, faults) the emulator saw for an operation, all accounts together."""
    rows = [r for r in emulator.request_counts() if r["operation"] == operation]
    return sum(r["count"] for r in rows), sum(r["faults"] for r in rows)


def emails(aws: Aws) -> list[str]:
    return sorted(a["Email"] for a in aws.accounts().values())


def test_killed_apply_converges_without_duplicates(lz, example, emulator: Emulator):
    spec_dir = example("codewilling")
    emulator.configure(account_creation={"seconds": 3})
    env = {**os.environ, **emulator.env(), "PYTHONPATH": SRC}
    code = f"from landingzone.cli import main; main(['apply', {str(spec_dir)!r}, '--auto-approve'])"
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while calls(emulator, "CreateAccount")[0] == 0:  # kill it mid-creation
        assert time.monotonic() < deadline, "apply never started creating accounts"
        assert process.poll() is None, "apply ended before it could be interrupted"
        time.sleep(0.05)
    process.kill()
    process.wait()
    spill = spec_dir / ".lz" / "state.json"
    assert spill.exists(), "the bootstrap journal must survive a kill"

    result = lz("apply", spec_dir, "--auto-approve")
    assert result.code == 0, result.err
    aws = Aws(emulator)
    found = emails(aws)
    assert len(set(found)) == len(found), f"duplicate accounts: {found}"
    names = [a["Name"] for a in aws.accounts().values()]
    assert names.count("shared-services") == 1
    assert names.count("dev") == 1
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0
    assert not spill.exists()


def test_slow_account_creation_is_polled_and_the_in_progress_limit_waited_out(
    lz, example, emulator: Emulator
):
    emulator.configure(account_creation={"polls": 2, "max_in_progress": 1})
    spec_dir = example("codewilling")
    result = lz("apply", spec_dir, "--auto-approve")
    assert result.code == 0, result.err
    created, _ = calls(emulator, "DescribeCreateAccountStatus")
    assert created >= 4  # two accounts, each IN_PROGRESS for two polls
    aws = Aws(emulator)
    assert {"dev", "shared-services"} <= set(aws.accounts())


def test_throttling_and_concurrent_modification_are_retried(lz, example, emulator: Emulator):
    emulator.configure(
        faults=[
            {
                "service": "organizations",
                "operation": "CreateOrganizationalUnit",
                "error": "TooManyRequestsException",
                "count": 3,
            },
            {
                "service": "organizations",
                "operation": "AttachPolicy",
                "error": "ConcurrentModificationException",
                "count": 2,
            },
        ],
        seed=1,
    )
    result = lz("apply", example("codewilling"), "--auto-approve")
    assert result.code == 0, result.err
    assert calls(emulator, "CreateOrganizationalUnit")[1] == 3
    assert calls(emulator, "AttachPolicy")[1] == 2
    aws = Aws(emulator, region="us-west-2")
    assert "protect-security-services" in aws.policies_on(aws.unit_id("workloads"))


def test_failed_account_creation_reports_the_reason_and_unrelated_work_goes_on(
    emulator: Emulator, example, monkeypatch: pytest.MonkeyPatch
):
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    loaded = load_spec(example("codewilling"))
    ws = workflow.open_workspace(loaded.spec, loaded.root, loaded.fingerprint(), poll_interval=0.01)
    plan = workflow.make_plan(ws)
    # Between plan and apply, someone else creates an account with dev's e-mail.
    aws = Aws(emulator)
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    org.create_account(Email="aws+dev@codewilling.example", AccountName="someone-else")

    result = workflow.run_apply(ws, plan, lock_id=None, operation="test")
    failed = {op.address: error for op, error in result.failed}
    assert set(failed) == {"account:dev"}
    error = failed["account:dev"]
    assert isinstance(error, AwsError)
    assert error.aws_code == "EMAIL_ALREADY_EXISTS"
    assert "account:dev" in str(error)
    done = {op.address for op, _ in result.done}
    assert {
        "account:shared-services",
        "unit:workloads",
        "state_bucket:codewilling-landingzone-state",
    } <= done


def test_aws_errors_name_account_region_resource_and_code(lz, example, emulator: Emulator):
    emulator.configure(
        faults=[
            {
                "service": "s3",
                "operation": "PutBucketVersioning",
                "error": "AccessDenied",
                "status": 403,
            }
        ]
    )
    result = lz("apply", example("codewilling"), "--auto-approve")
    assert result.code == 1
    line = next(line for line in result.err.splitlines() if "✗" in line and "state_bucket" in line)
    assert "AccessDenied" in line
    assert "shared-services" in line
    assert "us-west-2" in line
    assert "state_bucket:codewilling-landingzone-state" in line
    # The lock table was not reachable through the failed bucket: nothing else was lost.
    assert "Apply incomplete" in result.err
