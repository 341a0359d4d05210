"""IAM Identity Center: groups, permission sets and assignments applied, drifted, repaired."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e.quick import SPEC

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")

IDENTITY = """\
identity_center:
  account: identity
  groups:
    platform-admins: {description: Platform engineers}
    auditors: {}
  permission_sets:
    Admin:
      description: Full access
      managed_policies: [AdministratorAccess]
      session_duration: PT4H
    ReadOnly:
      managed_policies: [ReadOnlyAccess]
      inline_policy:
        Version: "2012-10-17"
        Statement:
          - {Effect: Deny, Action: "s3:GetObject", Resource: "*"}
      tags: {team: security}
  assignments:
    - {group: platform-admins, permission_set: Admin, to: {accounts: [dev]}}
    - {group: auditors, permission_set: ReadOnly, to: {units: [work]}}
"""


def _spec(tmp_path: Path, extra: str = IDENTITY) -> Path:
    directory = tmp_path / "lz"
    directory.mkdir(exist_ok=True)
    accounts = "  identity: {email: aws+identity@quick.example, unit: core}\n"
    text = SPEC.replace("accounts:\n", "accounts:\n" + accounts) + extra
    (directory / "landingzone.yaml").write_text(text)
    return directory


def _apply(lz: Any, directory: Path) -> None:
    result = lz("apply", directory, *APPLY)
    assert result.code == 0, result.err


def _plan(lz: Any, directory: Path) -> dict[str, dict[str, Any]]:
    plan = lz("plan", directory, "--json")
    assert plan.code == 0, plan.err
    return {op["address"]: op for op in plan.json()["operations"]}


def _instance(aws: Aws, account: str) -> dict[str, str]:
    [found] = aws.client("sso-admin", account).list_instances()["Instances"]
    return {"arn": found["InstanceArn"], "store": found["IdentityStoreId"]}


def _sets(aws: Aws, account: str, instance: str) -> dict[str, str]:
    sso = aws.client("sso-admin", account)
    arns = sso.list_permission_sets(InstanceArn=instance)["PermissionSets"]
    described = [
        sso.describe_permission_set(InstanceArn=instance, PermissionSetArn=a)["PermissionSet"]
        for a in arns
    ]
    return {d["Name"]: d["PermissionSetArn"] for d in described}


def _reserved(aws: Aws, account: str) -> list[str]:
    roles = aws.client("iam", account).list_roles(PathPrefix="/aws-reserved/")["Roles"]
    return sorted(r["RoleName"] for r in roles)


def test_apply_assigns_groups_and_provisions_reserved_roles(
    lz: Any, tmp_path: Path, emulator: Emulator
) -> None:
    directory = _spec(tmp_path)
    _apply(lz, directory)
    aws = Aws(emulator)
    accounts = {name: a["Id"] for name, a in aws.accounts().items()}
    identity = accounts["identity"]
    instance = _instance(aws, identity)  # the delegated administrator sees the instance
    sets = _sets(aws, identity, instance["arn"])
    assert set(sets) == {"Admin", "ReadOnly"}
    sso = aws.client("sso-admin", identity)
    described = sso.describe_permission_set(
        InstanceArn=instance["arn"], PermissionSetArn=sets["Admin"]
    )["PermissionSet"]
    assert described["SessionDuration"] == "PT4H"
    groups = aws.client("identitystore", identity).list_groups(IdentityStoreId=instance["store"])[
        "Groups"
    ]
    assert {g["DisplayName"] for g in groups} == {"platform-admins", "auditors"}

    assert [r.split("_")[1] for r in _reserved(aws, accounts["dev"])] == ["Admin", "ReadOnly"]
    assert [r.split("_")[1] for r in _reserved(aws, accounts["stage"])] == ["ReadOnly"]
    assert _reserved(aws, accounts["shared"]) == []
    [read_only] = [r for r in _reserved(aws, accounts["stage"]) if "ReadOnly" in r]
    inline = aws.client("iam", accounts["stage"]).get_role_policy(
        RoleName=read_only, PolicyName="AwsSSOInlinePolicy"
    )["PolicyDocument"]
    assert inline["Statement"][0]["Action"] == "s3:GetObject"

    replan = lz("plan", directory, "--detailed-exitcode")
    assert replan.code == 0, replan.out


def test_hand_edits_show_in_the_plan_and_apply_repairs_them(
    lz: Any, tmp_path: Path, emulator: Emulator
) -> None:
    directory = _spec(tmp_path)
    _apply(lz, directory)
    aws = Aws(emulator)
    accounts = {name: a["Id"] for name, a in aws.accounts().items()}
    identity, dev = accounts["identity"], accounts["dev"]
    instance = _instance(aws, identity)
    sets = _sets(aws, identity, instance["arn"])
    sso = aws.client("sso-admin", identity)
    # By hand: the ReadOnly set gets a wider inline policy, and a new group gets Admin in dev.
    wide = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    sso.put_inline_policy_to_permission_set(
        InstanceArn=instance["arn"],
        PermissionSetArn=sets["ReadOnly"],
        InlinePolicy=json.dumps(wide),
    )
    sso.provision_permission_set(
        InstanceArn=instance["arn"],
        PermissionSetArn=sets["ReadOnly"],
        TargetType="ALL_PROVISIONED_ACCOUNTS",
    )
    intruders = aws.client("identitystore", identity).create_group(
        IdentityStoreId=instance["store"], DisplayName="contractors"
    )["GroupId"]
    sso.create_account_assignment(
        InstanceArn=instance["arn"],
        TargetId=dev,
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=sets["Admin"],
        PrincipalType="GROUP",
        PrincipalId=intruders,
    )

    drift = lz("drift", directory)
    assert drift.code == 2
    operations = _plan(lz, directory)
    changed = {c["attr"] for c in operations["permission_set:ReadOnly"]["changes"]}
    assert "inline_policy" in changed
    admin = {c["attr"]: c for c in operations["permission_set:Admin"]["changes"]}
    assert "dev/group:contractors" in admin["assignments"]["before"]

    _apply(lz, directory)
    held = sso.list_account_assignments(
        InstanceArn=instance["arn"], AccountId=dev, PermissionSetArn=sets["Admin"]
    )["AccountAssignments"]
    assert intruders not in {a["PrincipalId"] for a in held}
    [read_only] = [r for r in _reserved(aws, dev) if "ReadOnly" in r]
    inline = aws.client("iam", dev).get_role_policy(
        RoleName=read_only, PolicyName="AwsSSOInlinePolicy"
    )["PolicyDocument"]
    assert inline["Statement"][0]["Effect"] == "Deny"  # provisioned again after the repair
    assert lz("plan", directory, "--detailed-exitcode").code == 0


def test_removing_an_assignment_removes_only_what_lz_created(
    lz: Any, tmp_path: Path, emulator: Emulator
) -> None:
    directory = _spec(tmp_path)
    _apply(lz, directory)
    smaller = IDENTITY.replace(
        "    - {group: auditors, permission_set: ReadOnly, to: {units: [work]}}\n", ""
    )
    _spec(tmp_path, smaller)
    operations = _plan(lz, directory)
    removed = {a for a, op in operations.items() if op["action"] == "delete"}
    assert removed == {
        "sso_assignment:dev/ReadOnly/group:auditors",
        "sso_assignment:stage/ReadOnly/group:auditors",
    }
    _apply(lz, directory)
    aws = Aws(emulator)
    accounts = {name: a["Id"] for name, a in aws.accounts().items()}
    assert _reserved(aws, accounts["stage"]) == []
    assert [r.split("_")[1] for r in _reserved(aws, accounts["dev"])] == ["Admin"]


def test_a_failed_provisioning_is_an_error_naming_its_reason(
    lz: Any, tmp_path: Path, emulator: Emulator
) -> None:
    missing = IDENTITY.replace(
        "      managed_policies: [AdministratorAccess]\n",
        "      managed_policies: [AdministratorAccess]\n"
        "      customer_managed_policies: [{name: team-extras}]\n",
    )
    directory = _spec(tmp_path, missing)
    result = lz("apply", directory, *APPLY)
    assert result.code == 1
    assert "sso_assignment:dev/Admin/group:platform-admins: RequestFailed: assigning Admin" in (
        result.err
    )
    assert "Policy team-extras does not exist in account" in result.err
    assert "(account identity, region us-east-1" in result.err
    assert "Traceback" not in result.err
