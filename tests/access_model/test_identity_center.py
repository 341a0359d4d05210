"""People through IAM Identity Center in the access model: who-can and checks, offline and live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.access.assume import AssumeGraph
from landingzone.access.decide import decide
from landingzone.access.queries import who_can
from landingzone.access.targets import actors_for, resources_for
from landingzone.errors import SpecInvalid
from landingzone.proofs.checks import run_checks
from landingzone.proofs.sources import offline_model
from landingzone.validate import load_spec
from tests.aws import Aws
from tests.e2e.quick import SPEC
from tests.e2e.test_identity_center import IDENTITY

PROD_USER = "arn:aws:iam::prod:user/x"
CHECK = """\
checks:
  - name: no group but platform-admins can administer prod
    principal: "sso:group/*"
    except: [sso:group/platform-admins]
    action: iam:CreateUser
    resource: arn:aws:iam::prod:user/x
    expect: deny
"""


def _write(tmp_path: Path, *, auditors_admin: bool = False) -> Path:
    directory = tmp_path / "lz"
    directory.mkdir(exist_ok=True)
    accounts = (
        "  identity: {email: aws+identity@quick.example, unit: core}\n"
        "  prod: {email: aws+prod@quick.example, unit: work, tags: {Environment: prod}}\n"
    )
    identity = IDENTITY.replace("to: {accounts: [dev]}", "to: {accounts: [dev, prod]}")
    if auditors_admin:
        identity += "    - {group: auditors, permission_set: Admin, to: {accounts: [prod]}}\n"
    text = SPEC.replace("accounts:\n", "accounts:\n" + accounts) + identity + CHECK
    (directory / "landingzone.yaml").write_text(text)
    return directory


def test_who_can_names_the_group_and_its_permission_set(tmp_path: Path) -> None:
    model = offline_model(load_spec(_write(tmp_path)).spec)
    graph = AssumeGraph(model)
    (resource,) = resources_for(model, PROD_USER)
    answers = {a.actor.key: a for a in who_can(model, graph, "iam:CreateUser", resource, {})}
    admins = answers["sso:group/platform-admins"]
    [hop] = admins.path
    assert hop.action == "sts:AssumeRoleWithSAML"
    assert hop.role.startswith("role:prod/AWSReservedSSO_Admin_")
    assert hop.decision.explanation.startswith(
        "group platform-admins via permission set Admin in prod"
    )
    assert "sso:group/auditors" not in answers  # ReadOnly: no iam:CreateUser
    (auditors,) = actors_for(model, "sso:group/auditors")
    role = model.roles[hop.role]
    assert role.arn not in auditors.sso_roles


def test_a_group_acts_only_through_its_assigned_roles(tmp_path: Path) -> None:
    model = offline_model(load_spec(_write(tmp_path)).spec)
    (auditors,) = actors_for(model, "sso:group/auditors")
    admin_role = next(r for k, r in model.roles.items() if "AWSReservedSSO_Admin" in k)
    refused = decide(model, auditors, "sts:AssumeRoleWithSAML", admin_role.arn, {})
    assert not refused.allowed
    assert "assigned no permission set whose role is" in refused.explanation


def test_the_check_holds_until_auditors_get_admin_in_prod(tmp_path: Path) -> None:
    model = offline_model(load_spec(_write(tmp_path)).spec)
    [result] = run_checks(model, load_spec(_write(tmp_path)).spec.checks)
    assert result.passed and result.tested == 1  # auditors, not the excepted admins

    spec = load_spec(_write(tmp_path, auditors_admin=True)).spec
    [result] = run_checks(offline_model(spec), spec.checks)
    assert not result.passed
    assert result.counterexample is not None
    assert result.counterexample.actor.key == "sso:group/auditors"


def test_an_unknown_group_in_a_check_is_a_spec_error(tmp_path: Path) -> None:
    directory = _write(tmp_path)
    text = (directory / "landingzone.yaml").read_text()
    (directory / "landingzone.yaml").write_text(
        text.replace("[sso:group/platform-admins]", "[sso:group/platform-admin]")
    )
    with pytest.raises(SpecInvalid) as caught:
        load_spec(directory)
    [problem] = [str(p) for p in caught.value.problems]
    assert problem.startswith("landingzone.yaml:")
    assert 'no group or user of identity_center matches "sso:group/platform-admin"' in problem


@pytest.mark.e2e
def test_live_who_can_sees_an_assignment_made_by_hand(
    lz: Any, tmp_path: Path, emulator: Any
) -> None:
    directory = _write(tmp_path)
    assert lz("apply", directory, "--auto-approve", "--approve-protected").code == 0
    aws = Aws(emulator)
    accounts = {name: a["Id"] for name, a in aws.accounts().items()}
    identity = accounts["identity"]
    sso = aws.client("sso-admin", identity)
    [instance] = sso.list_instances()["Instances"]
    arn = instance["InstanceArn"]
    sets = {
        sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=p)["PermissionSet"]["Name"]: p
        for p in sso.list_permission_sets(InstanceArn=arn)["PermissionSets"]
    }
    group = aws.client("identitystore", identity).create_group(
        IdentityStoreId=instance["IdentityStoreId"], DisplayName="contractors"
    )["GroupId"]
    sso.create_account_assignment(
        InstanceArn=arn,
        TargetId=accounts["prod"],
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=sets["Admin"],
        PrincipalType="GROUP",
        PrincipalId=group,
    )
    result = lz("who-can", "iam:CreateUser", PROD_USER, directory, "--live", "--json")
    assert result.code == 0, result.err
    principals = {p["principal"] for p in result.json()["principals"]}
    assert {"sso:group/platform-admins", "sso:group/contractors"} <= principals
    checked = lz("check", directory, "--live")
    assert checked.code == 3
    assert "sso:group/contractors" in checked.err
