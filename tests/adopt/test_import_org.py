"""`lz import` of an organization built by hand with plain boto3 (tests/adopt/handmade.py).

The first plan of what it writes shows no changes, apply makes no write call,
and an edit of the written YAML plans exactly that edit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.adopt.handmade import GUARDRAIL, STACK_SET, WIDE_OPEN, build
from tests.aws import Aws

pytestmark = pytest.mark.e2e

ALL = "roles,ci,network,baselines"
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
def imported(lz, emulator: Emulator, tmp_path: Path) -> Path:
    build(Aws(emulator))
    out = tmp_path / "imported"
    result = lz("import", out, "--name", "handmade", "--include", ALL)
    assert result.code == 0, result.err
    return out


def test_the_first_plan_shows_no_changes_and_apply_writes_nothing(
    lz, imported: Path, emulator: Emulator
):
    assert lz("validate", imported).code == 0
    planned = lz("plan", imported, "--detailed-exitcode")
    assert planned.code == 0, planned.err
    assert f"policy:{GUARDRAIL}" in planned.err  # shown as external: exists, not managed

    emulator.clear_request_counts()
    applied = lz("apply", imported, "--auto-approve")
    assert applied.code == 0, applied.err
    assert writes(emulator) == []


def test_the_spec_holds_the_organization_as_it_is(imported: Path):
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


def test_the_report_names_what_other_tools_own_and_what_is_not_imported_yet(imported: Path):
    report = (imported / "import-report.md").read_text()
    owned = report.split("## Owned by another tool")[1].split("##")[0]
    assert "role /AWSControlTowerExecution in account team-01" in owned
    assert f"stack set {STACK_SET}**: Control Tower owns it" in owned
    later = report.split("## Not imported yet")[1]
    assert "role /github-deploy in account team-01" in later and "a CI role trusting" in later
    assert "OIDC provider token.actions.githubusercontent.com" in later
    assert "(10.20.0.0/16) in account team-01" in later


def test_cross_account_roles_are_written_once_for_every_account_that_has_them(
    imported: Path,
):
    roles = (imported / "catalog/roles.yaml").read_text()
    assert "  auditor:\n    deploy_to:\n      accounts:\n        - team-01\n" in roles
    assert "Bool:\n            aws:MultiFactorAuthPresent: 'true'" in roles
    assert "max_session_duration: 7200" in roles
    assert WIDE_OPEN not in roles
    report = (imported / "import-report.md").read_text()
    assert f"**role {WIDE_OPEN} (catalog/roles.yaml)**: lz refuses it:" in report


def test_an_edit_of_the_written_yaml_plans_exactly_that_change(lz, imported: Path):
    accounts = imported / "catalog/accounts/workloads.yaml"
    text = accounts.read_text()
    accounts.write_text(text.replace("tags: {Environment: dev}", "tags: {Environment: test}", 1))
    planned = lz("plan", imported, "--json")
    operations = planned.json()["operations"]
    assert [(op["action"], op["address"]) for op in operations] == [("update", "account:team-01")]
    assert [c["attr"] for c in operations[0]["changes"]] == ["tags"]


def test_detaching_an_external_policy_in_the_spec_changes_nothing(lz, imported: Path):
    root = imported / "landingzone.yaml"
    root.write_text(root.read_text().replace("policies: [aws-guardrails-AbCdEf]", "policies: []"))
    assert lz("plan", imported, "--detailed-exitcode").code == 0


def test_import_again_on_an_unchanged_organization_touches_no_file(lz, imported: Path):
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in imported.rglob("*") if p.is_file()}
    again = lz("import", imported, "--name", "handmade", "--include", ALL)
    assert again.code == 0, again.err
    assert "unchanged (no file touched)" in again.err
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in imported.rglob("*") if p.is_file()}
    assert after == before


def test_import_again_on_a_changed_organization_says_what_it_would_change(
    lz, imported: Path, emulator: Emulator
):
    org = Aws(emulator).client("organizations")
    root_id = org.list_roots()["Roots"][0]["Id"]
    org.create_organizational_unit(ParentId=root_id, Name="Suspended")
    before = (imported / "landingzone.yaml").read_text()

    again = lz("import", imported, "--name", "handmade", "--include", ALL)
    assert again.code == 2
    assert "+  Suspended: {}" in again.err
    assert (imported / "landingzone.yaml").read_text() == before

    forced = lz("import", imported, "--name", "handmade", "--include", ALL, "--force")
    assert forced.code == 0, forced.err
    assert "state " in forced.err and "1 recorded" in forced.err
    assert lz("plan", imported, "--detailed-exitcode").code == 0


def test_a_directory_holding_another_spec_is_refused_unless_forced(
    lz, emulator: Emulator, tmp_path: Path
):
    build(Aws(emulator), accounts=2)
    out = tmp_path / "theirs"
    out.mkdir()
    (out / "landingzone.yaml").write_text("organization: {name: mine}\n")
    refused = lz("import", out, "--name", "handmade")
    assert refused.code == 1
    assert "holds files lz import did not write (landingzone.yaml)" in refused.err
    assert (out / "landingzone.yaml").read_text() == "organization: {name: mine}\n"
    forced = lz("import", out, "--name", "handmade", "--force")
    assert forced.code == 0, forced.err


def test_a_policy_aws_refuses_to_show_is_reported_and_the_rest_written(
    lz, emulator: Emulator, tmp_path: Path
):
    build(Aws(emulator), accounts=2)
    emulator.configure(
        faults=[
            {
                "service": "organizations",
                "operation": "DescribePolicy",
                "error": "AccessDeniedException",
                "count": 1,
            }
        ]
    )
    out = tmp_path / "partial"
    result = lz("import", out, "--name", "handmade", "--json")
    assert result.code == 0, result.err
    unreadable = [n for n in result.json()["outside"] if n["section"].startswith("Could not")]
    assert len(unreadable) == 1
    assert unreadable[0]["what"].startswith("policy ")
    assert "AccessDeniedException" in unreadable[0]["why"]
    assert result.json()["counts"]["policies"] == 3
    assert "AccessDeniedException" in (out / "import-report.md").read_text()
    assert lz("plan", out, "--detailed-exitcode").code == 0


def test_an_account_lz_cannot_enter_is_reported_and_the_rest_imported(
    lz, emulator: Emulator, tmp_path: Path
):
    aws = Aws(emulator)
    made = build(aws, accounts=3)
    locked_out = made.accounts["team-01"]
    someone_else = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::999999999999:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    aws.client("iam", locked_out).update_assume_role_policy(
        RoleName="OrganizationAccountAccessRole", PolicyDocument=json.dumps(someone_else)
    )
    out = tmp_path / "partial"
    result = lz("import", out, "--name", "handmade", "--include", ALL)
    assert result.code == 0, result.err
    report = (out / "import-report.md").read_text()
    unreadable = report.split("## Could not be read")[1].split("##")[0]
    assert (
        f"account team-01 ({locked_out}): entering it as OrganizationAccountAccessRole"
        in unreadable
    )
    assert "AccessDenied" in unreadable and "Skipped: its IAM roles" in unreadable
    assert "team-01:" in (out / "catalog/accounts/workloads.yaml").read_text()  # still adopted
    assert lz("plan", out, "--detailed-exitcode").code == 0
