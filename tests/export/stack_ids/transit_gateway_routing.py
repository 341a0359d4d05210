"""What a transit_gateway_routing stack imports: acceptances, associations, propagations."""

from __future__ import annotations

from pathlib import Path

from tests.aws import Aws
from tests.export.stack_ids.transit_gateway import attachment_id, place, tagged_id

TABLE = "aws_ec2_transit_gateway_route_table"


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """The owner's view of attachments made in members' accounts (found there by tag)."""
    account, region, account_id = place(stack, accounts)
    ec2 = aws.client("ec2", account_id, region)
    if type_ == "aws_ec2_transit_gateway_vpc_attachment_accepter":
        attachment = attachment_id(aws, accounts, region, key)
        [seen] = ec2.describe_transit_gateway_attachments(TransitGatewayAttachmentIds=[attachment])[
            "TransitGatewayAttachments"
        ]
        assert seen["State"] == "available" and seen["ResourceOwnerId"] != account_id, seen
        return attachment
    gateway, table, network = key.split("/")
    table_id = tagged_id(aws, account, account_id, region, TABLE, f"{gateway}/{table}")
    attachment = attachment_id(aws, accounts, region, f"{gateway}/{network}")
    if type_ == "aws_ec2_transit_gateway_route_table_association":
        found = ec2.get_transit_gateway_route_table_associations(
            TransitGatewayRouteTableId=table_id
        )["Associations"]
    elif type_ == "aws_ec2_transit_gateway_route_table_propagation":
        found = ec2.get_transit_gateway_route_table_propagations(
            TransitGatewayRouteTableId=table_id
        )["TransitGatewayRouteTablePropagations"]
    else:
        raise AssertionError(f"no check for {type_}")
    assert attachment in [f["TransitGatewayAttachmentId"] for f in found], (key, found)
    return f"{table_id}_{attachment}"
