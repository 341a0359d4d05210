"""`lz import` of an organization built by hand with plain boto3 (tests/adopt/handmade.py),
imported once for the module: the first plan shows no changes, apply makes no write
call, and an edit of the written YAML plans exactly that edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.adopt.conftest import ALL_LAYERS
from tests.adopt.handmade import DEPLOY, GUARDRAIL, STACK_SET, WIDE_OPEN

pytestmark = pytest.mark.e2e

READS = ("Get", "List", "Describe", "Head")
LOCK_CALLS = {"PutItem", "DeleteItem", "UpdateItem", "GetItem"}  # lz's own lock, not the org


def writes(emulator: Emulator) -> list[str]:
    """Write calls seen by the emulator, lz's lock aside."""
    return sorted(
        f"{c['service']}:{c['operation']}"
        for c in emulator.request_counts()
        if not c["operation"].startswith(READS)
        and not (c["service"] == "dynamodb" and c["operation"] in LOCK_CALLS)
        and c["operation"] not in ("AssumeRole", "GetCallerIdentity")
    )


@pytest.fixture
def copy(handmade_import: Path, tmp_path: Path) -> Path:
    """The imported spec, copied to be edited (state stays in AWS, shared)."""
    target = tmp_path / "edited"
    shutil.copytree(handmade_import, target)
    return target


def test_the_first_plan_shows_no_changes_and_apply_writes_nothing(
    lz_as_is, handmade_import: Path, emulator_server: Emulator
):
    imported = handmade_import
    assert lz_as_is("validate", imported).code == 0
    planned = lz_as_is("plan", imported, "--detailed-exitcode")
    assert planned.code == 0, planned.err
    assert f"policy:{GUARDRAIL}" in planned.err  # shown as external: exists, not managed

    emulator_server.clear_request_counts()
    applied = lz_as_is("apply", imported, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    assert writes(emulator_server) == []


def test_the_spec_holds_the_organization_as_it_is(handmade_import: Path):
    imported = handmade_import
    root = (imported / "landingzone.yaml").read_text()
    assert "Workloads/Prod: {}" in root
    assert "tags: {Owner: platform}" in root
    assert "policies: [deny-leave]" in root
    core = (imported / "catalog/accounts/core.yaml").read_text()
    assert "  log-archive:\n" in core and "name: Log Archive" in core  # key made a slug
    policies = (imported / "catalog/policies.yaml").read_text()
    assert "type: tag" in policies
    assert f"{GUARDRAIL}:\n    description: Control Tower guardrail\n" in policies
    assert "external: true" in policies
    assert (imported / "policies/region-allow-list.json").is_file()
    report = (imported / "import-report.md").read_text()
    assert f"**policy {GUARDRAIL}**: Control Tower owns it" in report
    assert "ManagedBy" not in root + core  # lz's own tags are not the spec's


def test_the_report_names_what_other_tools_own_and_what_is_not_imported_yet(handmade_import: Path):
    report = (handmade_import / "import-report.md").read_text()
    owned = report.split("## Owned by another tool")[1].split("##")[0]
    assert "role /AWSControlTowerExecution in account team-01" in owned
    assert f"stack set {STACK_SET}**: Control Tower owns it" in owned
    odd = report.split("## Not expressible in the spec")[1].split("##")[0]
    assert "(10.20.0.0/16) in account team-01" in odd and "no subnets" in odd
    assert "role /github-deploy in account team-01" in odd and "not the shape lz writes" in odd


def test_cross_account_roles_are_written_once_for_every_account_that_has_them(
    handmade_import: Path,
):
    roles = (handmade_import / "catalog/roles.yaml").read_text()
    assert "  auditor:\n    deploy_to:\n      accounts:\n        - team-01\n" in roles
    assert "Bool:\n            aws:MultiFactorAuthPresent: 'true'" in roles
    assert "max_session_duration: 7200" in roles
    assert WIDE_OPEN not in roles
    report = (handmade_import / "import-report.md").read_text()
    assert f"**role {WIDE_OPEN} (catalog/roles.yaml)**: lz refuses it:" in report


def test_an_edit_of_the_written_yaml_plans_exactly_that_change(lz_as_is, copy: Path):
    accounts = copy / "catalog/accounts/workloads.yaml"
    text = accounts.read_text()
    accounts.write_text(text.replace("tags: {Environment: dev}", "tags: {Environment: test}", 1))
    planned = lz_as_is("plan", copy, "--json")
    operations = planned.json()["operations"]
    assert [(op["action"], op["address"]) for op in operations] == [("update", "account:team-01")]
    assert [c["attr"] for c in operations[0]["changes"]] == ["tags"]


def test_detaching_an_external_policy_in_the_spec_changes_nothing(lz_as_is, copy: Path):
    root = copy / "landingzone.yaml"
    root.write_text(root.read_text().replace("policies: [aws-guardrails-AbCdEf]", "policies: []"))
    assert lz_as_is("plan", copy, "--detailed-exitcode").code == 0


def test_import_again_on_an_unchanged_organization_touches_no_file(lz_as_is, handmade_import: Path):
    imported = handmade_import
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in imported.rglob("*") if p.is_file()}
    again = lz_as_is("import", imported, "--name", "handmade", "--include", ALL_LAYERS)
    assert again.code == 0, again.err
    assert "unchanged (no file touched)" in again.err
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in imported.rglob("*") if p.is_file()}
    assert after == before


def test_a_ci_role_and_its_provider_are_written_as_lz_would_write_them(handmade_import: Path):
    ci = (handmade_import / "catalog/ci.yaml").read_text()
    assert "  providers:\n    github:\n      type: github\n" in ci
    assert "6938fd4d98bab03faadb97b34396831e3780aea1" in ci
    assert f"    {DEPLOY}:\n" in ci and "- repo:acme/app:ref:refs/heads/main" in ci
    assert "github-deploy" not in ci  # trusted by every repository: refused, reported


def test_shared_baseline_settings_become_profiles_assigned_where_they_are_shared(
    handmade_import: Path,
):
    profiles = (handmade_import / "catalog/baselines.yaml").read_text()
    assert (
        "    imported-1:\n      ebs_encryption: {}\n      password_policy:\n"
        "        minimum_length: 14\n        require_symbols: true\n"
    ) in profiles
    assert (
        "    imported-2:\n      s3_public_access_block:\n        ignore_public_acls: false\n"
        in (profiles)
    )
    root = (handmade_import / "landingzone.yaml").read_text()
    assert "  Workloads:\n    policies: [cost-center]\n    baseline: imported-1\n" in root
    core = (handmade_import / "catalog/accounts/core.yaml").read_text()
    assert "name: Log Archive" in core and "baseline: imported-2" in core
    assert core.count("baseline:") == 1  # the other Core accounts have no settings


def test_the_terraform_export_of_an_import_leaves_control_tower_alone(
    lz_as_is, handmade_import: Path, tmp_path: Path
):
    exported = lz_as_is("export", "terraform", tmp_path / "tf", handmade_import)
    assert exported.code == 0, exported.err
    written = "".join(f.read_text() for f in (tmp_path / "tf").rglob("*.tf"))
    assert "deny-leave" in written  # lz's policies are exported
    assert GUARDRAIL not in written  # Control Tower's guardrail is not
