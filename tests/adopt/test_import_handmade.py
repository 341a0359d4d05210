"""`lz import` of an organization built by hand with plain boto3 (tests/adopt/handmade.py),
imported once for the module: the first plan shows no changes, apply makes no write
call, and an edit of the written YAML plans exactly that edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.adopt.conftest import ALL_LAYERS
from tests.adopt.handmade import (
    CT_AUDIT,
    CT_LOG_ARCHIVE,
    CT_RECORDER,
    CT_TRAIL,
    DEPLOY,
    GUARDRAIL,
    INSTANCE_ROLE,
    LEGACY_ALIAS,
    LZ_SHAPED_TRAIL,
    OWN_TRAIL,
    STACK_SET,
    STACKSETS_ROLE,
    WIDE_OPEN,
)

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
    assert "role:team-01/AWSControlTowerExecution" in planned.err

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
    later = report.split("## Not imported yet")[1]
    assert "**regions other than us-east-1**: the baselines and network layers read" in later


def test_cross_account_roles_are_written_once_for_every_account_that_has_them(
    handmade_import: Path,
):
    roles = (handmade_import / "catalog/roles.yaml").read_text()
    assert "  auditor:\n    deploy_to:\n      accounts:\n        - team-01\n" in roles
    assert "Bool:\n            aws:MultiFactorAuthPresent: 'true'" in roles
    assert "max_session_duration: 7200" in roles
    assert WIDE_OPEN not in roles
    # Control Tower's and a stack set's roles are written as read-only references.
    assert (
        "  AWSControlTowerExecution:\n    deploy_to:\n      accounts:\n        - team-01\n"
        "    trust:\n      - accounts:\n          - management\n    external: true\n"
    ) in roles
    assert roles.split(f"  {STACKSETS_ROLE}:\n")[1].endswith("    external: true\n")


def test_every_role_not_written_has_a_report_line_with_the_reason(handmade_import: Path):
    report = (handmade_import / "import-report.md").read_text()
    owned = report.split("## Owned by another tool")[1].split("##")[0]
    assert "**role /AWSControlTowerExecution in account team-01" in owned
    assert "written to catalog/roles.yaml with external: true" in owned
    linked = "/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    assert f"**role {linked} in account team-01" in owned
    odd = report.split("## Not expressible in the spec")[1].split("##")[0]
    assert "**role /OrganizationAccountAccessRole in 20 accounts**: the access role" in odd
    later = report.split("## Not imported yet")[1]
    assert f"**role /{INSTANCE_ROLE} in account team-01 (" in later
    assert "its trust names no other account" in later
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
    shared = profiles.split("    imported-1:\n")[1].split("    imported-2:")[0]
    assert "      ebs_encryption: {}\n" in shared
    policy = "      password_policy:\n        minimum_length: 14\n        require_symbols: true\n"
    assert policy in shared
    assert (
        "      s3_public_access_block:\n        ignore_public_acls: false\n"
        in (profiles.split("    imported-2:\n")[1])
    )
    root = (handmade_import / "landingzone.yaml").read_text()
    assert "  Workloads:\n    policies: [cost-center]\n    baseline: imported-1\n" in root
    core = (handmade_import / "catalog/accounts/core.yaml").read_text()
    assert "name: Log Archive" in core and "baseline: imported-2" in core
    assert core.count("baseline:") == 1  # the other Core accounts have no settings


def test_alias_guardduty_and_budgets_are_imported_as_patterns_where_names_say_so(
    handmade_import: Path,
):
    profiles = (handmade_import / "catalog/baselines.yaml").read_text()
    shared = profiles.split("    imported-1:\n")[1].split("    imported-2:")[0]
    assert "      alias: handmade-{account}\n" in shared  # one profile for every Workloads account
    assert "      guardduty:\n        finding_publishing_frequency: FIFTEEN_MINUTES\n" in shared
    archive = profiles.split("    imported-2:\n")[1]
    assert (
        "      budgets:\n        '{account}-monthly':\n          alerts:\n"
        "            - emails:\n                - ops@handmade.example\n"
        "              percent: 80\n          limit_usd: 250\n"
    ) in archive
    core = (handmade_import / "catalog/accounts/core.yaml").read_text()
    assert f"alias: {LEGACY_ALIAS}\n" in core  # no pattern: the account's own alias
    # The management account's budget (the organization's bill) is its own opt-in baseline.
    assert "  management:\n    profile: imported-3\n" in profiles
    assert "    imported-3:\n      budgets:\n        organization:\n" in profiles


def test_control_tower_trails_and_recorders_are_theirs_and_other_trails_are_listed(
    handmade_import: Path,
):
    report = (handmade_import / "import-report.md").read_text()
    owned = report.split("## Owned by another tool")[1].split("##")[0]
    assert f"**trail {CT_TRAIL} in account log-archive" in owned
    assert f"**Config recorder {CT_RECORDER} in account log-archive" in owned
    odd = report.split("## Not expressible in the spec")[1].split("##")[0]
    assert f"**trail {OWN_TRAIL} in account log-archive" in odd  # no KMS key, no validation
    assert "multi-region trail with global service events and log file validation" in odd
    # lz's shape, but the bucket and key are not lz's log archive: the plan would change them.
    later = report.split("## Not imported yet")[1]
    assert f"**trail {LZ_SHAPED_TRAIL} in account log-archive" in later
    assert "the first plan would change AWS (" in later
    assert "adopt log_bucket:log-archive/handmade-trails (versioning, policy)" in later
    assert f"**trail {OWN_TRAIL} in account" not in later
    profiles = (handmade_import / "catalog/baselines.yaml").read_text()
    assert "cloudtrail" not in profiles and "log_archive" not in profiles


def test_the_terraform_export_of_an_import_leaves_control_tower_alone(
    lz_as_is, handmade_import: Path, tmp_path: Path
):
    exported = lz_as_is("export", "terraform", tmp_path / "tf", handmade_import)
    assert exported.code == 0, exported.err
    written = "".join(f.read_text() for f in (tmp_path / "tf").rglob("*.tf"))
    assert "deny-leave" in written  # lz's policies are exported
    assert GUARDRAIL not in written  # Control Tower's guardrail is not
    # What the import adopted keeps exactly its tags: Terraform adds no ManagedBy to it.
    providers = list((tmp_path / "tf").rglob("organization/provider.tf"))
    assert len(providers) == 1
    provider = providers[0].read_text()
    default_tags = provider.split("default_tags {")[1].split("}")[0]
    assert "ManagedBy" not in default_tags
    assert 'keys = ["CreatedBy", "ManagedBy"]' in provider.split("ignore_tags {")[1]


def test_an_external_role_is_never_changed_whatever_the_spec_says(lz_as_is, copy: Path):
    roles = copy / "catalog/roles.yaml"
    text = roles.read_text()
    trust = "    trust:\n      - accounts:\n          - "
    edited = text.replace(
        f"        - team-01\n{trust}management\n    external: true",
        f"        - team-01\n        - team-02\n{trust}'999999999999'\n    external: true",
        1,
    )
    assert edited != text
    roles.write_text(edited)
    planned = lz_as_is("plan", copy, "--json")
    assert planned.code == 0, planned.err
    document = planned.json()
    assert document["operations"] == []  # not updated in team-01, not created in team-02
    assert "role:team-01/AWSControlTowerExecution" in document["external"]


def test_what_control_tower_set_up_is_written_external_and_named_in_the_report(
    handmade_import: Path,
):
    root = (handmade_import / "landingzone.yaml").read_text()
    assert "  Sandbox:\n    policies: [Region allow-list]\n    external: true\n" in root
    assert "  Security:\n    external: true\n" in root
    accounts = (handmade_import / "catalog/accounts/root.yaml").read_text()
    for key in (CT_LOG_ARCHIVE, CT_AUDIT):
        assert accounts.split(f"  {key}:\n")[1].split("\n  t")[0].endswith("    external: true")
    sandbox = (handmade_import / "catalog/accounts/sandbox.yaml").read_text()
    assert sandbox.count("external: true") == sandbox.count("    id: ") == 4
    report = (handmade_import / "import-report.md").read_text()
    assert "- Control Tower: landing zone arn:aws:controltower:us-east-1:" in report
    owned = report.split("## Owned by another tool")[1].split("##")[0]
    assert "**unit Sandbox**: Control Tower set it up as its Sandbox OU" in owned
    assert f"**account {CT_AUDIT} (" in owned and "as its audit account" in owned


def test_an_edit_of_what_control_tower_owns_changes_nothing(lz_as_is, copy: Path):
    sandbox = copy / "catalog/accounts/sandbox.yaml"
    sandbox.write_text(sandbox.read_text().replace("unit: Sandbox", "unit: Core", 1))
    root = copy / "landingzone.yaml"
    root.write_text(root.read_text().replace("  Security:\n", "  Security:\n    tags: {A: b}\n"))
    assert lz_as_is("plan", copy, "--detailed-exitcode").code == 0
