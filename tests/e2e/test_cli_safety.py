"""What keeps people safe: approvals, stale plans, invalid specs, credentials, JSON for CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.validate import load_spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e


def organization_exists(emulator: Emulator) -> bool:
    org = Aws(emulator).client("organizations")
    try:
        org.describe_organization()
    except org.exceptions.AWSOrganizationsNotInUseException:
        return False
    return True


def test_apply_without_a_terminal_or_auto_approve_refuses_and_changes_nothing(
    lz, example, emulator: Emulator
):
    result = lz("apply", example("codewilling"))
    assert result.code == 1
    assert "--auto-approve" in result.err
    assert not organization_exists(emulator)


def test_protected_accounts_need_an_explicit_approval(lz, example, emulator: Emulator):
    spec_dir = example("coalition")  # prod is protected (Environment: prod)
    refused = lz("apply", spec_dir, "--auto-approve")
    assert refused.code == 1
    assert "protected" in refused.err
    assert "account:prod" in refused.err
    assert not organization_exists(emulator)
    assert lz("apply", spec_dir, "--auto-approve", "--approve-protected").code == 0


def test_saved_plan_applies_exactly_and_is_refused_when_stale(
    lz, example, tmp_path: Path, emulator: Emulator
):
    spec_dir = example("codewilling")
    plan_file = tmp_path / "plan.json"
    assert lz("plan", spec_dir, "-o", plan_file).code == 0
    saved = json.loads(plan_file.read_text())
    assert saved["summary"] == {"create": len(saved["nodes"])}  # empty AWS: every node

    # Someone changes the spec after the plan was reviewed: the saved plan still wins.
    (spec_dir / "landingzone.yaml").write_text(
        (spec_dir / "landingzone.yaml").read_text().replace("workloads:", "workloadz:", 1)
    )
    assert lz("apply", plan_file, "--auto-approve").code == 0
    aws = Aws(emulator, region="us-west-2")
    assert aws.unit_id("workloads")

    # A plan made before a change in AWS no longer matches: refused as stale.
    spec_dir2 = example("coalition")
    stale_file = tmp_path / "stale.json"
    assert lz("plan", spec_dir2, "-o", stale_file).code == 0
    assert lz("apply", spec_dir2, "--auto-approve", "--approve-protected").code == 0
    stale = lz("apply", stale_file, "--auto-approve", "--approve-protected")
    assert stale.code == 1
    assert "stale" in stale.err


def test_invalid_spec_fails_with_file_and_line_and_creates_nothing(
    lz, tmp_path: Path, emulator: Emulator
):
    spec_dir = tmp_path / "broken"
    spec_dir.mkdir()
    (spec_dir / "landingzone.yaml").write_text(
        "organization:\n"
        "  name: acme\n"
        "  home_region: us-west-2\n"
        "accounts:\n"
        "  dev:\n"
        "    email: dev@acme.example\n"
        "    unit: plat/workloads\n"
        "state:\n"
        "  account: dev\n"
    )
    for command in (["plan"], ["apply", "--auto-approve"]):
        result = lz(*command, spec_dir)
        assert result.code == 1
        assert 'landingzone.yaml:7: account "dev": unit "plat/workloads" does not exist' in (
            result.err
        )
    assert not organization_exists(emulator)


def test_plan_json_is_machine_readable_and_counts_calls(lz, example):
    result = lz("plan", example("codewilling"), "--json")
    assert result.code == 0
    document = result.json()
    assert document["summary"] == {"create": len(document["nodes"])}
    addresses = {op["address"] for op in document["operations"]}
    assert {"organization", "account:dev", "unit:shared", "policy:deny-leave-organization"} <= (
        addresses
    )
    assert document["api_calls"] >= 1


def test_errors_in_json_mode_are_json(lz, tmp_path: Path):
    result = lz("plan", tmp_path / "missing", "--json")
    assert result.code == 1
    assert "error" in result.json()


def test_the_default_profile_is_never_used_implicitly(
    lz, example, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    spec_dir = example("codewilling")
    spec_file = spec_dir / "landingzone.yaml"
    spec_file.write_text(spec_file.read_text().replace("  profile: management", ""))
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = x\n"
    )
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    result = lz("plan", spec_dir)
    assert result.code == 1
    assert "never uses the `default` profile" in result.err


def test_wrong_management_account_is_refused(lz, example):
    spec_dir = example("codewilling")
    spec_file = spec_dir / "landingzone.yaml"
    spec_file.write_text(
        spec_file.read_text().replace(
            "  profile: management",
            '  profile: management\n  management_account_id: "921838417607"',
        )
    )
    result = lz("plan", spec_dir)
    assert result.code == 1
    assert "921838417607" in result.err
    assert "refusing" in result.err


def test_usage_errors_are_not_confused_with_changes(lz):
    assert lz("plan", "--detailed-exitcode", "--no-such-flag").code == 64


def test_a_held_lock_blocks_apply_until_unlocked_with_its_exact_id(lz, example):
    spec_dir = example("codewilling")
    assert lz("apply", spec_dir, "--auto-approve").code == 0
    loaded = load_spec(spec_dir)
    ws = workflow.open_workspace(loaded.spec, loaded.root, loaded.fingerprint())
    lock_id = workflow.try_lock(ws, "apply from a laptop that died")
    assert lock_id is not None

    blocked = lz("apply", spec_dir, "--auto-approve")
    assert blocked.code == 1
    assert "apply from a laptop that died" in blocked.err
    assert lock_id in blocked.err

    wrong = lz("unlock", "not-the-lock-id", spec_dir)
    assert wrong.code == 1
    assert "does not hold the lock" in wrong.err
    assert lz("unlock", lock_id, spec_dir).code == 0
    assert lz("apply", spec_dir, "--auto-approve").code == 0


def test_a_named_profile_that_does_not_exist_is_a_clear_error(lz, example, monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    result = lz("plan", example("codewilling"), "--profile", "management")
    assert result.code == 1
    assert "profile management" in result.err
    assert "no such profile" in result.err
