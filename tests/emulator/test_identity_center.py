"""IAM Identity Center reaches member accounts as in AWS (sso_compat), checked with boto3."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

SSO = "sso.amazonaws.com"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"


@pytest.fixture
def instance(aws: Aws, org: Any) -> dict[str, str]:
    """The organization's Identity Center instance, as ListInstances answers it."""
    instances = aws.client("sso-admin").list_instances()["Instances"]
    assert len(instances) == 1
    return {"arn": instances[0]["InstanceArn"], "store": instances[0]["IdentityStoreId"]}


def _permission_set(aws: Aws, instance: dict[str, str], name: str = "ReadOnly") -> str:
    sso = aws.client("sso-admin")
    created = sso.create_permission_set(
        InstanceArn=instance["arn"],
        Name=name,
        SessionDuration="PT8H",
        Tags=[{"Key": "team", "Value": "platform"}],
    )
    arn = str(created["PermissionSet"]["PermissionSetArn"])
    sso.attach_managed_policy_to_permission_set(
        InstanceArn=instance["arn"], PermissionSetArn=arn, ManagedPolicyArn=READ_ONLY
    )
    return arn


def _group(aws: Aws, instance: dict[str, str], name: str = "auditors") -> str:
    store = aws.client("identitystore")
    return str(store.create_group(IdentityStoreId=instance["store"], DisplayName=name)["GroupId"])


def _assign(aws: Aws, instance: dict[str, str], arn: str, group: str, account: str) -> Any:
    return aws.client("sso-admin").create_account_assignment(
        InstanceArn=instance["arn"],
        TargetId=account,
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=arn,
        PrincipalType="GROUP",
        PrincipalId=group,
    )["AccountAssignmentCreationStatus"]


def _reserved_roles(aws: Aws, account: str) -> list[dict[str, Any]]:
    roles = aws.client("iam", account).list_roles(PathPrefix="/aws-reserved/")["Roles"]
    return list(roles)


def test_an_assignment_provisions_the_reserved_role_trusted_by_the_saml_provider(
    aws: Aws, instance: dict[str, str]
) -> None:
    dev = aws.create_account("dev")
    arn = _permission_set(aws, instance)
    status = _assign(aws, instance, arn, _group(aws, instance), dev)
    assert status["Status"] == "IN_PROGRESS"
    done = aws.client("sso-admin").describe_account_assignment_creation_status(
        InstanceArn=instance["arn"], AccountAssignmentCreationRequestId=status["RequestId"]
    )["AccountAssignmentCreationStatus"]
    assert done["Status"] == "SUCCEEDED"

    [role] = _reserved_roles(aws, dev)
    assert role["RoleName"].startswith("AWSReservedSSO_ReadOnly_")
    assert role["Path"] == "/aws-reserved/sso.amazonaws.com/"
    assert role["MaxSessionDuration"] == 8 * 3600
    [statement] = role["AssumeRolePolicyDocument"]["Statement"]
    provider = statement["Principal"]["Federated"]
    assert provider.startswith(f"arn:aws:iam::{dev}:saml-provider/AWSSSO_")
    assert provider.endswith("_DO_NOT_DELETE")
    assert statement["Action"] == ["sts:AssumeRoleWithSAML", "sts:TagSession"]
    providers = aws.client("iam", dev).list_saml_providers()["SAMLProviderList"]
    assert [p["Arn"] for p in providers] == [provider]
    attached = aws.client("iam", dev).list_attached_role_policies(RoleName=role["RoleName"])
    assert [p["PolicyArn"] for p in attached["AttachedPolicies"]] == [READ_ONLY]
    accounts = aws.client("sso-admin").list_accounts_for_provisioned_permission_set(
        InstanceArn=instance["arn"], PermissionSetArn=arn
    )["AccountIds"]
    assert accounts == [dev]


def test_a_changed_set_reaches_accounts_only_when_provisioned(
    aws: Aws, instance: dict[str, str]
) -> None:
    dev = aws.create_account("dev")
    sso = aws.client("sso-admin")
    arn = _permission_set(aws, instance)
    _assign(aws, instance, arn, _group(aws, instance), dev)
    inline = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
    }
    sso.put_inline_policy_to_permission_set(
        InstanceArn=instance["arn"], PermissionSetArn=arn, InlinePolicy=json.dumps(inline)
    )
    sso.put_permissions_boundary_to_permission_set(
        InstanceArn=instance["arn"],
        PermissionSetArn=arn,
        PermissionsBoundary={"ManagedPolicyArn": READ_ONLY},
    )
    outdated = sso.list_accounts_for_provisioned_permission_set(
        InstanceArn=instance["arn"],
        PermissionSetArn=arn,
        ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED",
    )["AccountIds"]
    assert outdated == [dev]
    [role] = _reserved_roles(aws, dev)
    iam = aws.client("iam", dev)
    assert iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"] == []

    started = sso.provision_permission_set(
        InstanceArn=instance["arn"], PermissionSetArn=arn, TargetType="ALL_PROVISIONED_ACCOUNTS"
    )["PermissionSetProvisioningStatus"]
    assert started["Status"] == "IN_PROGRESS"
    status = sso.describe_permission_set_provisioning_status(
        InstanceArn=instance["arn"], ProvisionPermissionSetRequestId=started["RequestId"]
    )["PermissionSetProvisioningStatus"]
    assert status["Status"] == "SUCCEEDED"
    assert iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"] == [
        "AwsSSOInlinePolicy"
    ]
    boundary = iam.get_role(RoleName=role["RoleName"])["Role"]["PermissionsBoundary"]
    assert boundary["PermissionsBoundaryArn"] == READ_ONLY
    latest = sso.list_permission_sets_provisioned_to_account(
        InstanceArn=instance["arn"],
        AccountId=dev,
        ProvisioningStatus="LATEST_PERMISSION_SET_PROVISIONED",
    )["PermissionSets"]
    assert latest == [arn]


def test_a_missing_customer_managed_policy_fails_the_request(
    aws: Aws, instance: dict[str, str]
) -> None:
    dev = aws.create_account("dev")
    sso = aws.client("sso-admin")
    arn = _permission_set(aws, instance)
    sso.attach_customer_managed_policy_reference_to_permission_set(
        InstanceArn=instance["arn"],
        PermissionSetArn=arn,
        CustomerManagedPolicyReference={"Name": "team-boundary", "Path": "/"},
    )
    status = _assign(aws, instance, arn, _group(aws, instance), dev)
    done = sso.describe_account_assignment_creation_status(
        InstanceArn=instance["arn"], AccountAssignmentCreationRequestId=status["RequestId"]
    )["AccountAssignmentCreationStatus"]
    assert done["Status"] == "FAILED"
    assert "team-boundary" in done["FailureReason"]
    assert _reserved_roles(aws, dev) == []


def test_deleting_the_last_assignment_removes_the_role(aws: Aws, instance: dict[str, str]) -> None:
    dev = aws.create_account("dev")
    sso = aws.client("sso-admin")
    arn = _permission_set(aws, instance)
    group = _group(aws, instance)
    _assign(aws, instance, arn, group, dev)
    _assign(aws, instance, arn, group, dev)  # again: no duplicate
    listed = sso.list_account_assignments(
        InstanceArn=instance["arn"], AccountId=dev, PermissionSetArn=arn
    )["AccountAssignments"]
    assert len(listed) == 1
    sso.delete_account_assignment(
        InstanceArn=instance["arn"],
        TargetId=dev,
        TargetType="AWS_ACCOUNT",
        PermissionSetArn=arn,
        PrincipalType="GROUP",
        PrincipalId=group,
    )
    assert _reserved_roles(aws, dev) == []


def test_a_delegated_administrator_manages_the_organizations_instance(
    aws: Aws, org: Any, instance: dict[str, str]
) -> None:
    identity = aws.create_account("identity")
    other = aws.create_account("other")
    assert aws.client("sso-admin", other).list_instances()["Instances"] == []
    org.enable_aws_service_access(ServicePrincipal=SSO)
    org.register_delegated_administrator(AccountId=identity, ServicePrincipal=SSO)
    [seen] = aws.client("sso-admin", identity).list_instances()["Instances"]
    assert seen["InstanceArn"] == instance["arn"]
    group = _group(aws, instance, "platform-admins")
    found = aws.client("identitystore", identity).get_group_id(
        IdentityStoreId=instance["store"],
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "platform-admins"}
        },
    )
    assert found["GroupId"] == group


def test_tags_and_update_group(aws: Aws, instance: dict[str, str]) -> None:
    sso = aws.client("sso-admin")
    arn = _permission_set(aws, instance)
    tags = sso.list_tags_for_resource(InstanceArn=instance["arn"], ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "team", "Value": "platform"}]
    sso.tag_resource(
        InstanceArn=instance["arn"], ResourceArn=arn, Tags=[{"Key": "a", "Value": "b"}]
    )
    sso.untag_resource(InstanceArn=instance["arn"], ResourceArn=arn, TagKeys=["team"])
    tags = sso.list_tags_for_resource(InstanceArn=instance["arn"], ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "a", "Value": "b"}]
    described = sso.describe_permission_set(InstanceArn=instance["arn"], PermissionSetArn=arn)
    assert described["PermissionSet"]["SessionDuration"] == "PT8H"
    instance_id = instance["arn"].rsplit("/", 1)[1]
    assert arn.startswith(f"arn:aws:sso:::permissionSet/{instance_id}/ps-")
    store = aws.client("identitystore")
    group = _group(aws, instance)
    store.update_group(
        IdentityStoreId=instance["store"],
        GroupId=group,
        Operations=[{"AttributePath": "description", "AttributeValue": "read-only auditors"}],
    )
    got = store.describe_group(IdentityStoreId=instance["store"], GroupId=group)
    assert got["Description"] == "read-only auditors"


def test_assigning_an_unknown_permission_set_is_refused(aws: Aws, instance: dict[str, str]) -> None:
    dev = aws.create_account("dev")
    with pytest.raises(ClientError) as caught:
        _assign(aws, instance, f"{instance['arn']}/ps-0000000000000000", "g", dev)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
