"""`lz import` when things change or go wrong: an organization changed since the last
import, a directory holding another spec, parts AWS refuses to show."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.adopt.conftest import ALL_LAYERS as ALL
from tests.adopt.handmade import build
from tests.aws import Aws

pytestmark = pytest.mark.e2e


@pytest.fixture
def imported(lz, emulator: Emulator, tmp_path: Path) -> Path:
    build(Aws(emulator), accounts=4)
    out = tmp_path / "imported"
    result = lz("import", out, "--name", "handmade", "--include", ALL)
    assert result.code == 0, result.err
    return out


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


def test_with_no_state_only_the_files_are_written_and_the_first_apply_adopts(
    lz, emulator: Emulator, tmp_path: Path
):
    build(Aws(emulator), accounts=2)
    emulator.clear_request_counts()
    out = tmp_path / "files-only"
    result = lz("import", out, "--name", "handmade", "--no-state")
    assert result.code == 0, result.err
    written = [c for c in emulator.request_counts() if c["operation"].startswith(("Create", "Put"))]
    assert written == []  # nothing in AWS: no state bucket, no lock table
    planned = lz("plan", out, "--json").json()
    actions = {op["action"] for op in planned["operations"]}
    assert actions == {"adopt", "create"}
    assert {op["kind"] for op in planned["operations"] if op["action"] == "create"} == {
        "state_bucket",
        "lock_table",
    }
    assert all(not op["changes"] for op in planned["operations"] if op["action"] == "adopt")


def test_the_first_import_reads_the_organization_once(lz, emulator: Emulator, tmp_path: Path):
    made = build(Aws(emulator), accounts=4)
    emulator.clear_request_counts()
    result = lz("import", tmp_path / "out", "--name", "handmade")
    assert result.code == 0, result.err
    calls: Counter[str] = Counter()
    for entry in emulator.request_counts():
        if entry["service"] == "organizations":
            calls[entry["operation"]] += entry["count"]
    assert calls["ListRoots"] == calls["DescribeOrganization"] == 1  # one read of the tree
    assert calls["DescribePolicy"] == calls["ListTargetsForPolicy"] == len(made.policies)
    tagged = len(made.units) + len(made.accounts) + 1 + len(made.policies)  # + management
    assert calls["ListTagsForResource"] == tagged  # each read once, by the import; the plan reuses
