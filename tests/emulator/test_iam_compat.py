"""IAM behaves as AWS does for lz's roles and OIDC providers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from landingzone.emulator import Emulator
from tests.aws import Aws

READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
GITHUB = "https://token.actions.githubusercontent.com"


def trust(principal: dict[str, str], action: str = "sts:AssumeRole") -> str:
    statement = {"Effect": "Allow", "Principal": principal, "Action": action}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def iam(aws: Aws) -> Any:
    return aws.client("iam")


def test_aws_managed_policies_exist_in_every_account(aws: Aws, iam: Any):
    aws.create_organization()
    member = aws.create_account("dev")
    for client in (iam, aws.client("iam", member)):
        client.create_role(
            RoleName="r", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"})
        )
        client.attach_role_policy(RoleName="r", PolicyArn=READ_ONLY)
        attached = client.list_attached_role_policies(RoleName="r")["AttachedPolicies"]
        assert attached == [{"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY}]
        assert client.get_policy(PolicyArn=READ_ONLY)["Policy"]["PolicyName"] == "ReadOnlyAccess"
        client.detach_role_policy(RoleName="r", PolicyArn=READ_ONLY)
        assert client.list_attached_role_policies(RoleName="r")["AttachedPolicies"] == []


def test_an_unknown_aws_managed_policy_is_not_found(iam: Any):
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    with pytest.raises(ClientError) as caught:
        iam.attach_role_policy(RoleName="r", PolicyArn="arn:aws:iam::aws:policy/NoSuchPolicy")
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"


def test_client_ids_are_added_and_removed(iam: Any):
    arn = iam.create_open_id_connect_provider(Url=GITHUB, ClientIDList=["sts.amazonaws.com"])[
        "OpenIDConnectProviderArn"
    ]
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="a")
    iam.add_client_id_to_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="a")
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["ClientIDList"] == ["sts.amazonaws.com", "a"]
    iam.remove_client_id_from_open_id_connect_provider(
        OpenIDConnectProviderArn=arn, ClientID="sts.amazonaws.com"
    )
    iam.remove_client_id_from_open_id_connect_provider(OpenIDConnectProviderArn=arn, ClientID="b")
    assert iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)["ClientIDList"] == ["a"]


def test_client_ids_of_a_missing_provider_are_not_found(iam: Any):
    missing = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"
    with pytest.raises(ClientError) as caught:
        iam.add_client_id_to_open_id_connect_provider(
            OpenIDConnectProviderArn=missing, ClientID="a"
        )
    assert caught.value.response["Error"]["Code"] == "NoSuchEntity"


def test_update_role_changes_only_what_it_is_given(iam: Any):
    iam.create_role(
        RoleName="r",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
        Description="runners",
        MaxSessionDuration=7200,
    )
    iam.update_role(RoleName="r", MaxSessionDuration=10800)
    role = iam.get_role(RoleName="r")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("runners", 10800)
    iam.update_role(RoleName="r", Description="ci runners")
    role = iam.get_role(RoleName="r")["Role"]
    assert (role["Description"], role["MaxSessionDuration"]) == ("ci runners", 10800)


@pytest.mark.parametrize(
    "principal",
    [
        {"AWS": "arn:aws:iam::123456789012:role/automation"},
        {"Federated": "arn:aws:iam::123456789012:oidc-provider/gitlab.com"},
    ],
)
def test_a_trust_naming_a_missing_role_or_provider_is_refused(iam: Any, principal):
    action = "sts:AssumeRoleWithWebIdentity" if "Federated" in principal else "sts:AssumeRole"
    with pytest.raises(ClientError) as caught:
        iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust(principal, action))
    error = caught.value.response["Error"]
    assert error["Code"] == "MalformedPolicyDocument"
    assert error["Message"].startswith("Invalid principal in policy: ")
    iam.create_role(RoleName="r", AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}))
    with pytest.raises(ClientError):
        iam.update_assume_role_policy(RoleName="r", PolicyDocument=trust(principal, action))


def test_a_trust_naming_existing_principals_in_other_accounts_is_accepted(aws: Aws, iam: Any):
    aws.create_organization()
    member = aws.create_account("shared")
    other = aws.client("iam", member)
    other.create_role(
        RoleName="automation",
        Path="/ci/",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
    )
    iam.create_role(
        RoleName="admin",
        AssumeRolePolicyDocument=trust({"AWS": f"arn:aws:iam::{member}:role/ci/automation"}),
    )
    provider = iam.create_open_id_connect_provider(Url=GITHUB, ClientIDList=["sts.amazonaws.com"])
    federated = {"Federated": provider["OpenIDConnectProviderArn"]}
    iam.update_assume_role_policy(
        RoleName="admin", PolicyDocument=trust(federated, "sts:AssumeRoleWithWebIdentity")
    )
    # Account roots are not checked: AWS does not tell whether an account exists.
    iam.update_assume_role_policy(
        RoleName="admin", PolicyDocument=trust({"AWS": "arn:aws:iam::210987654321:root"})
    )


def test_without_refusals_any_principal_is_accepted(emulator: Emulator, iam: Any):
    emulator.configure(refusals=False)
    iam.create_role(
        RoleName="r",
        AssumeRolePolicyDocument=trust({"AWS": "arn:aws:iam::123456789012:role/nope"}),
    )


def test_authorization_details_describe_roles_as_lz_reads_them(iam: Any):
    iam.create_role(
        RoleName="r",
        Path="/ci/",
        AssumeRolePolicyDocument=trust({"Service": "ec2.amazonaws.com"}),
        PermissionsBoundary=READ_ONLY,
        Tags=[{"Key": "ManagedBy", "Value": "landingzone"}],
    )
    iam.attach_role_policy(RoleName="r", PolicyArn=READ_ONLY)
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }
    iam.put_role_policy(RoleName="r", PolicyName="p", PolicyDocument=json.dumps(document))
    [role] = [
        r
        for r in iam.get_account_authorization_details(Filter=["Role"])["RoleDetailList"]
        if r["RoleName"] == "r"
    ]
    assert role["Path"] == "/ci/"
    assert role["AssumeRolePolicyDocument"] == json.loads(trust({"Service": "ec2.amazonaws.com"}))
    assert role["RolePolicyList"] == [{"PolicyName": "p", "PolicyDocument": document}]
    assert role["AttachedManagedPolicies"] == [
        {"PolicyName": "ReadOnlyAccess", "PolicyArn": READ_ONLY}
    ]
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == READ_ONLY
    assert role["Tags"] == [{"Key": "ManagedBy", "Value": "landingzone"}]
