"""Organizations refuses what AWS refuses (and, with refusals off, accepts it as moto does)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

DENY_S3 = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}
)


def _refused(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return dict(caught.value.response)


def _ou(org: Any, parent: str, name: str) -> str:
    return str(
        org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
    )


def _scp(org: Any, name: str) -> str:
    return str(
        org.create_policy(
            Content=DENY_S3, Description=name, Name=name, Type="SERVICE_CONTROL_POLICY"
        )["Policy"]["PolicySummary"]["Id"]
    )


def _enable_scps(org: Any, root: str) -> None:
    org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")


def test_duplicate_ou_name_under_one_parent(org: Any, root: str) -> None:
    core = _ou(org, root, "core")
    plat = _ou(org, root, "plat")
    answer = _refused(org.create_organizational_unit, ParentId=root, Name="core")
    assert answer["Error"]["Code"] == "DuplicateOrganizationalUnitException"
    _ou(org, plat, "core")  # same name under another parent is fine
    answer = _refused(org.update_organizational_unit, OrganizationalUnitId=plat, Name="core")
    assert answer["Error"]["Code"] == "DuplicateOrganizationalUnitException"
    org.update_organizational_unit(OrganizationalUnitId=core, Name="core")  # its own name
    org.update_organizational_unit(OrganizationalUnitId=core, Name="security")


def test_ou_nesting_stops_at_five_levels(org: Any, root: str) -> None:
    parent = root
    for level in range(1, 6):
        parent = _ou(org, parent, f"level{level}")
    answer = _refused(org.create_organizational_unit, ParentId=parent, Name="level6")
    assert answer["Error"]["Code"] == "ConstraintViolationException"
    assert answer["Reason"] == "OU_DEPTH_LIMIT_EXCEEDED"


def test_ou_under_a_missing_parent(org: Any) -> None:
    answer = _refused(org.create_organizational_unit, ParentId="ou-abcd-12345678", Name="x")
    assert answer["Error"]["Code"] == "ParentNotFoundException"


def test_non_empty_ou_cannot_be_deleted(aws: Aws, org: Any, root: str) -> None:
    parent = _ou(org, root, "plat")
    child = _ou(org, parent, "sandbox")
    answer = _refused(org.delete_organizational_unit, OrganizationalUnitId=parent)
    assert answer["Error"]["Code"] == "OrganizationalUnitNotEmptyException"
    account = aws.create_account("dev")
    org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=child)
    answer = _refused(org.delete_organizational_unit, OrganizationalUnitId=child)
    assert answer["Error"]["Code"] == "OrganizationalUnitNotEmptyException"
    org.move_account(AccountId=account, SourceParentId=child, DestinationParentId=root)
    org.delete_organizational_unit(OrganizationalUnitId=child)
    org.delete_organizational_unit(OrganizationalUnitId=parent)


def test_move_account_checks_source_destination_and_account(aws: Aws, org: Any, root: str) -> None:
    account = aws.create_account("dev")
    ou = _ou(org, root, "workloads")
    other = _ou(org, root, "sandbox")

    def move(source: str, destination: str, account_id: str = account) -> str:
        return str(
            _refused(
                org.move_account,
                AccountId=account_id,
                SourceParentId=source,
                DestinationParentId=destination,
            )["Error"]["Code"]
        )

    assert move(ou, other) == "AccountNotFoundException"  # the account is not in ou
    assert move("ou-abcd-12345678", ou) == "SourceParentNotFoundException"
    assert move(root, "ou-abcd-12345678") == "DestinationParentNotFoundException"
    assert move(root, root) == "DuplicateAccountException"
    assert move(root, ou, "111122223333") == "AccountNotFoundException"
    org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
    parents = org.list_parents(ChildId=account)["Parents"]
    assert parents == [{"Id": ou, "Type": "ORGANIZATIONAL_UNIT"}]


def test_attach_policy_needs_the_policy_type_enabled(org: Any, root: str) -> None:
    policy = _scp(org, "deny-s3")
    answer = _refused(org.attach_policy, PolicyId=policy, TargetId=root)
    assert answer["Error"]["Code"] == "PolicyTypeNotEnabledException"
    _enable_scps(org, root)
    org.attach_policy(PolicyId=policy, TargetId=root)


def test_a_policy_is_attached_once(org: Any, root: str) -> None:
    _enable_scps(org, root)
    policy = _scp(org, "deny-s3")
    org.attach_policy(PolicyId=policy, TargetId=root)
    answer = _refused(org.attach_policy, PolicyId=policy, TargetId=root)
    assert answer["Error"]["Code"] == "DuplicatePolicyAttachmentException"


def test_at_most_five_scps_on_a_target(org: Any, root: str) -> None:
    _enable_scps(org, root)
    ou = _ou(org, root, "workloads")  # FullAWSAccess is attached: one of the five
    for index in range(4):
        org.attach_policy(PolicyId=_scp(org, f"scp{index}"), TargetId=ou)
    answer = _refused(org.attach_policy, PolicyId=_scp(org, "sixth"), TargetId=ou)
    assert answer["Error"]["Code"] == "ConstraintViolationException"
    assert answer["Reason"] == "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"


def test_attach_to_a_missing_target(org: Any, root: str) -> None:
    _enable_scps(org, root)
    answer = _refused(org.attach_policy, PolicyId=_scp(org, "p"), TargetId="ou-abcd-12345678")
    assert answer["Error"]["Code"] == "TargetNotFoundException"


def test_detach_policy_refusals(org: Any, root: str) -> None:
    _enable_scps(org, root)
    ou = _ou(org, root, "workloads")
    policy = _scp(org, "deny-s3")
    answer = _refused(org.detach_policy, PolicyId=policy, TargetId=ou)
    assert answer["Error"]["Code"] == "PolicyNotAttachedException"
    answer = _refused(org.detach_policy, PolicyId="p-FullAWSAccess", TargetId=ou)
    assert answer["Error"]["Code"] == "ConstraintViolationException"
    assert answer["Reason"] == "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED"
    org.attach_policy(PolicyId=policy, TargetId=ou)
    org.detach_policy(PolicyId="p-FullAWSAccess", TargetId=ou)  # another SCP remains


def test_an_attached_policy_cannot_be_deleted(org: Any, root: str) -> None:
    _enable_scps(org, root)
    policy = _scp(org, "deny-s3")
    org.attach_policy(PolicyId=policy, TargetId=root)
    answer = _refused(org.delete_policy, PolicyId=policy)
    assert answer["Error"]["Code"] == "PolicyInUseException"
    org.detach_policy(PolicyId=policy, TargetId=root)
    org.delete_policy(PolicyId=policy)


def test_refusals_can_be_switched_off(aws: Aws, org: Any, root: str) -> None:
    aws.emulator.configure(refusals=False)
    parent = _ou(org, root, "plat")
    _ou(org, root, "plat")
    _ou(org, parent, "sandbox")
    org.delete_organizational_unit(OrganizationalUnitId=parent)
    org.attach_policy(PolicyId=_scp(org, "deny-s3"), TargetId=root)
    org.create_account(Email="master@example.com", AccountName="again")
    assert len(org.list_accounts()["Accounts"]) == 2
