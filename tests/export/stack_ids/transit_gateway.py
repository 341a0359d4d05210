"""What a transit_gateway stack imports (and helpers the other transit gateway stacks share)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.aws import Aws
from tests.export.stack_ids import stack_account

MANAGEMENT = "management"
ADDRESS_TAG = "lz:address"

# EC2 types found by their lz address tag: (lz kind, Describe call, list key, ID key).
TAGGED = {
    "aws_ec2_transit_gateway": (
        "transit_gateway",
        "describe_transit_gateways",
        "TransitGateways",
        "TransitGatewayId",
    ),
    "aws_ec2_transit_gateway_route_table": (
        "transit_gateway_route_table",
        "describe_transit_gateway_route_tables",
        "TransitGatewayRouteTables",
        "TransitGatewayRouteTableId",
    ),
    "aws_ec2_transit_gateway_vpc_attachment": (
        "transit_gateway_attachment",
        "describe_transit_gateway_vpc_attachments",
        "TransitGatewayVpcAttachments",
        "TransitGatewayAttachmentId",
    ),
}


def place(stack: Path, accounts: dict[str, str]) -> tuple[str, str, str | None]:
    """(account name, region, account ID; None for management) of a stack's directory."""
    directory = stack.parent.name
    if directory.startswith(f"{MANAGEMENT}-"):
        return MANAGEMENT, directory.removeprefix(f"{MANAGEMENT}-"), None
    account, region = stack_account(stack, accounts)
    return account, region, accounts[account]


def tagged(aws: Aws, account_id: str | None, region: str, type_: str, address: str) -> list[str]:
    """IDs of the items of a type tagged with an lz address, in one account and region."""
    _, call, items, id_key = TAGGED[type_]
    found = getattr(aws.client("ec2", account_id, region), call)()[items]
    wanted = {"Key": ADDRESS_TAG, "Value": address}
    return [str(i[id_key]) for i in found if wanted in i.get("Tags", [])]


def tagged_id(
    aws: Aws, account: str, account_id: str | None, region: str, type_: str, key: str
) -> str:
    """The one item of a type tagged with its lz address `<kind>:<account>/<region>/<key>`."""
    address = f"{TAGGED[type_][0]}:{account}/{region}/{key}"
    found = tagged(aws, account_id, region, type_, address)
    assert len(found) == 1, (address, found)
    return found[0]


def attachment_id(aws: Aws, accounts: dict[str, str], region: str, key: str) -> str:
    """A network's attachment (key `<gateway>/<network>`), in whichever account made it."""
    type_ = "aws_ec2_transit_gateway_vpc_attachment"
    found = [
        id_
        for name, account_id in accounts.items()
        for id_ in tagged(
            aws, account_id, region, type_, f"{TAGGED[type_][0]}:{name}/{region}/{key}"
        )
    ]
    assert len(found) == 1, (key, found)
    return found[0]


def _share(ram: Any, account: str, region: str, key: str) -> dict[str, Any]:
    address = f"resource_share:{account}/{region}/{key}"
    shares = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    found = [s for s in shares if {"key": ADDRESS_TAG, "value": address} in s.get("tags", [])]
    assert len(found) == 1, (address, shares)
    return dict(found[0])


def _associated(ram: Any, share_arn: str, kind: str) -> list[str]:
    found = ram.get_resource_share_associations(
        associationType=kind, resourceShareArns=[share_arn]
    )["resourceShareAssociations"]
    return [str(a["associatedEntity"]) for a in found if a["status"] == "ASSOCIATED"]


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """Gateways, shares and route tables of the owner's account and region; RAM sharing."""
    account, region, account_id = place(stack, accounts)
    if type_ == "aws_ram_sharing_with_organization":
        assert account == MANAGEMENT and key == "organization"
        enabled = aws.client("organizations").list_aws_service_access_for_organization()
        principals = [p["ServicePrincipal"] for p in enabled["EnabledServicePrincipals"]]
        assert "ram.amazonaws.com" in principals
        return str(aws.client("sts").get_caller_identity()["Account"])  # the management account
    if type_ in TAGGED:
        return tagged_id(aws, account, account_id, region, type_, key)
    ram = aws.client("ram", account_id, region)
    gateway, _, principal = key.partition("/")
    share = _share(ram, account, region, gateway)
    arn = str(share["resourceShareArn"])
    if type_ == "aws_ram_resource_share":
        assert share["name"] == key
        return arn
    if type_ == "aws_ram_resource_association":
        gateway_id = tagged_id(aws, account, account_id, region, "aws_ec2_transit_gateway", key)
        [resource] = _associated(ram, arn, "RESOURCE")
        assert resource.endswith(f":transit-gateway/{gateway_id}"), resource
        return f"{arn},{resource}"
    if type_ == "aws_ram_principal_association":
        assert accounts[principal] in _associated(ram, arn, "PRINCIPAL"), key
        return f"{arn},{accounts[principal]}"
    raise AssertionError(f"no check for {type_}")
