"""RAM resource shares reach other accounts as in AWS: at once in the organization, else by
invitation. The shared resource is a transit gateway of a network account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

OUTSIDER = "999988887777"


@dataclass
class Org:
    """An organization: network (owns the gateway), dev and prod under workloads/apps."""

    aws: Aws
    root: str
    network: str
    dev: str
    prod: str
    workloads_arn: str
    apps_arn: str
    gateway_arn: str

    def ram(self, account: str) -> Any:
        return self.aws.client("ram", account=account)

    def share(self, principals: list[str], **kwargs: Any) -> dict[str, Any]:
        return dict(
            self.ram(self.network).create_resource_share(
                name="tgw", resourceArns=[self.gateway_arn], principals=principals, **kwargs
            )["resourceShare"]
        )

    def principal_status(self, share_arn: str, principal: str) -> str:
        associations = self.ram(self.network).get_resource_share_associations(
            associationType="PRINCIPAL", resourceShareArns=[share_arn], principal=principal
        )["resourceShareAssociations"]
        return str(associations[0]["status"])

    def sees_gateway(self, account: str) -> bool:
        gateways = self.aws.client("ec2", account=account).describe_transit_gateways()
        return self.gateway_arn in {g["TransitGatewayArn"] for g in gateways["TransitGateways"]}

    def invitations(self, account: str) -> list[dict[str, Any]]:
        return list(self.ram(account).get_resource_share_invitations()["resourceShareInvitations"])


@pytest.fixture
def org(aws: Aws) -> Org:
    root = aws.create_organization()
    organizations = aws.client("organizations")
    network, dev, prod = (aws.create_account(name) for name in ("network", "dev", "prod"))
    workloads = organizations.create_organizational_unit(ParentId=root, Name="workloads")
    apps = organizations.create_organizational_unit(
        ParentId=workloads["OrganizationalUnit"]["Id"], Name="apps"
    )
    for account in (dev, prod):
        organizations.move_account(
            AccountId=account,
            SourceParentId=root,
            DestinationParentId=apps["OrganizationalUnit"]["Id"],
        )
    gateway = aws.client("ec2", account=network).create_transit_gateway(Description="core")
    return Org(
        aws,
        root,
        network,
        dev,
        prod,
        workloads["OrganizationalUnit"]["Arn"],
        apps["OrganizationalUnit"]["Arn"],
        gateway["TransitGateway"]["TransitGatewayArn"],
    )


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def _enable_sharing(org: Org) -> None:
    org.ram(org.aws.emulator.management_account_id).enable_sharing_with_aws_organization()


def test_enabling_sharing_turns_on_trusted_access_from_the_management_account(org: Org) -> None:
    assert _code(org.ram(org.dev).enable_sharing_with_aws_organization) == (
        "OperationNotPermittedException"
    )
    _enable_sharing(org)
    access = org.aws.client("organizations").list_aws_service_access_for_organization()
    principals = [s["ServicePrincipal"] for s in access["EnabledServicePrincipals"]]
    assert "ram.amazonaws.com" in principals
    # ...and RAM's service-linked role in the management account (Terraform reads both).
    role = org.aws.client("iam").get_role(RoleName="AWSServiceRoleForResourceAccessManager")
    assert role["Role"]["Path"] == "/aws-service-role/ram.amazonaws.com/"
    _enable_sharing(org)  # again: the role is there already


def test_in_the_organization_with_sharing_enabled_no_invitation_is_needed(org: Org) -> None:
    _enable_sharing(org)
    share = org.share([org.dev])
    assert org.principal_status(share["resourceShareArn"], org.dev) == "ASSOCIATED"
    assert org.invitations(org.dev) == []
    assert org.sees_gateway(org.dev)
    assert not org.sees_gateway(org.prod)

    received = org.ram(org.dev).get_resource_shares(resourceOwner="OTHER-ACCOUNTS")
    assert [s["owningAccountId"] for s in received["resourceShares"]] == [org.network]
    resources = org.ram(org.dev).list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"]
    assert [(r["arn"], r["type"]) for r in resources] == [(org.gateway_arn, "ec2:TransitGateway")]
    principals = org.ram(org.network).list_principals(resourceOwner="SELF")["principals"]
    assert [(p["id"], p["external"]) for p in principals] == [(org.dev, False)]
    owners = org.ram(org.dev).list_principals(resourceOwner="OTHER-ACCOUNTS")["principals"]
    assert [p["id"] for p in owners] == [org.network]
    associations = org.ram(org.network).get_resource_share_associations(associationType="RESOURCE")[
        "resourceShareAssociations"
    ]
    assert [(a["associatedEntity"], a["status"]) for a in associations] == [
        (org.gateway_arn, "ASSOCIATED")
    ]
    # The share's permission: RAM's default for transit gateways (Terraform reads it).
    permissions = org.ram(org.network).list_resource_share_permissions(
        resourceShareArn=share["resourceShareArn"]
    )["permissions"]
    assert [(p["arn"], p["resourceType"]) for p in permissions] == [
        (
            "arn:aws:ram::aws:permission/AWSRAMDefaultPermissionTransitGateway",
            "ec2:TransitGateway",
        )
    ]


def test_sharing_with_an_ou_reaches_accounts_below_it(org: Org) -> None:
    _enable_sharing(org)
    org.share([org.workloads_arn])
    assert org.sees_gateway(org.dev) and org.sees_gateway(org.prod)
    assert not org.sees_gateway(org.aws.emulator.management_account_id)
    listed = org.ram(org.network).list_resources(resourceOwner="SELF", principal=org.workloads_arn)
    assert [r["arn"] for r in listed["resources"]] == [org.gateway_arn]


def test_sharing_with_the_organization_reaches_every_account(org: Org) -> None:
    _enable_sharing(org)
    organization_arn = org.aws.client("organizations").describe_organization()["Organization"][
        "Arn"
    ]
    org.share([organization_arn])
    assert org.sees_gateway(org.dev) and org.sees_gateway(org.aws.emulator.management_account_id)


def test_organization_and_ou_principals_need_sharing_enabled(org: Org) -> None:
    ram = org.ram(org.network)
    code = _code(
        ram.create_resource_share,
        name="tgw",
        resourceArns=[org.gateway_arn],
        principals=[org.apps_arn],
    )
    assert code == "OperationNotPermittedException"
    unknown_ou = org.apps_arn.rsplit("/", 1)[0] + "/ou-zzzz-zzzzzzzz"
    _enable_sharing(org)
    assert _code(ram.create_resource_share, name="x", principals=[unknown_ou]) == (
        "UnknownResourceException"
    )


def test_without_sharing_enabled_a_member_accepts_an_invitation(org: Org) -> None:
    share = org.share([org.dev])
    arn = share["resourceShareArn"]
    assert org.principal_status(arn, org.dev) == "ASSOCIATING"
    assert not org.sees_gateway(org.dev)
    assert (
        org.ram(org.dev).get_resource_shares(resourceOwner="OTHER-ACCOUNTS")["resourceShares"] == []
    )
    (invitation,) = org.invitations(org.dev)
    assert invitation["status"] == "PENDING"
    assert invitation["senderAccountId"] == org.network
    assert invitation["receiverAccountId"] == org.dev
    assert org.invitations(org.prod) == []

    invitation_arn = invitation["resourceShareInvitationArn"]
    accepted = org.ram(org.dev).accept_resource_share_invitation(
        resourceShareInvitationArn=invitation_arn
    )
    assert accepted["resourceShareInvitation"]["status"] == "ACCEPTED"
    assert org.principal_status(arn, org.dev) == "ASSOCIATED"
    assert org.sees_gateway(org.dev)
    code = _code(
        org.ram(org.dev).accept_resource_share_invitation,
        resourceShareInvitationArn=invitation_arn,
    )
    assert code == "ResourceShareInvitationAlreadyAcceptedException"


def test_an_outside_account_needs_external_principals_and_can_reject(org: Org) -> None:
    outsider = org.aws.outsider(OUTSIDER)
    _enable_sharing(org)
    code = _code(
        org.ram(org.network).create_resource_share,
        name="tgw",
        resourceArns=[org.gateway_arn],
        principals=[outsider],
        allowExternalPrincipals=False,
    )
    assert code == "OperationNotPermittedException"

    share = org.share([outsider])  # allowExternalPrincipals defaults to true
    associations = org.ram(org.network).get_resource_share_associations(
        associationType="PRINCIPAL", principal=outsider
    )["resourceShareAssociations"]
    assert [(a["status"], a["external"]) for a in associations] == [("ASSOCIATING", True)]
    (invitation,) = org.invitations(outsider)
    invitation_arn = invitation["resourceShareInvitationArn"]
    assert (
        _code(
            org.ram(org.dev).accept_resource_share_invitation,
            resourceShareInvitationArn=invitation_arn,
        )
        == "ResourceShareInvitationArnNotFoundException"
    )
    rejected = org.ram(outsider).reject_resource_share_invitation(
        resourceShareInvitationArn=invitation_arn
    )
    assert rejected["resourceShareInvitation"]["status"] == "REJECTED"
    assert org.principal_status(share["resourceShareArn"], outsider) == "FAILED"
    assert not org.sees_gateway(outsider)


def test_associate_and_disassociate_principals_and_resources(org: Org) -> None:
    _enable_sharing(org)
    ram = org.ram(org.network)
    arn = ram.create_resource_share(name="tgw")["resourceShare"]["resourceShareArn"]
    ram.associate_resource_share(
        resourceShareArn=arn, resourceArns=[org.gateway_arn], principals=[org.dev, org.prod]
    )
    assert org.sees_gateway(org.dev) and org.sees_gateway(org.prod)
    changed = ram.disassociate_resource_share(resourceShareArn=arn, principals=[org.prod])
    assert [a["status"] for a in changed["resourceShareAssociations"]] == ["DISASSOCIATED"]
    assert not org.sees_gateway(org.prod)
    ram.disassociate_resource_share(resourceShareArn=arn, resourceArns=[org.gateway_arn])
    assert not org.sees_gateway(org.dev)
    assert org.ram(org.dev).list_resources(resourceOwner="OTHER-ACCOUNTS")["resources"] == []


def test_only_existing_resources_of_the_owner_can_be_shared(org: Org) -> None:
    ram = org.ram(org.network)
    missing = org.gateway_arn.rsplit("/", 1)[0] + "/tgw-0123456789abcdef0"
    assert _code(ram.create_resource_share, name="x", resourceArns=[missing]) == (
        "UnknownResourceException"
    )
    assert _code(ram.create_resource_share, name="x", resourceArns=["arn:nope"]) == (
        "MalformedArnException"
    )
    assert _code(
        org.ram(org.dev).create_resource_share, name="x", resourceArns=[org.gateway_arn]
    ) == ("UnknownResourceException")


def test_update_tag_and_delete_a_share(org: Org) -> None:
    _enable_sharing(org)
    ram = org.ram(org.network)
    share = org.share([org.dev], tags=[{"key": "ManagedBy", "value": "landingzone"}])
    arn = share["resourceShareArn"]
    assert share["tags"] == [{"key": "ManagedBy", "value": "landingzone"}]
    ram.update_resource_share(resourceShareArn=arn, name="core-tgw", allowExternalPrincipals=False)
    ram.tag_resource(resourceShareArn=arn, tags=[{"key": "Env", "value": "prod"}])
    ram.untag_resource(resourceShareArn=arn, tagKeys=["ManagedBy"])
    (listed,) = ram.get_resource_shares(
        resourceOwner="SELF", tagFilters=[{"tagKey": "Env", "tagValues": ["prod"]}]
    )["resourceShares"]
    assert (listed["name"], listed["allowExternalPrincipals"]) == ("core-tgw", False)
    assert listed["tags"] == [{"key": "Env", "value": "prod"}]
    assert ram.delete_resource_share(resourceShareArn=arn)["returnValue"] is True
    assert ram.get_resource_shares(resourceOwner="SELF")["resourceShares"][0]["status"] == "DELETED"
    assert not org.sees_gateway(org.dev)
