"""What a transit_gateway_routes stack imports: a member's VPC routes to the gateways."""

from __future__ import annotations

from pathlib import Path

from tests.aws import Aws
from tests.export.stack_ids.transit_gateway import place


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """A route of the VPC's account, in its region: `<table id>_<destination>`."""
    account, region, account_id = place(stack, accounts)
    if type_ != "aws_route":
        raise AssertionError(f"no check for {type_}")
    network, tier, destination = key.split("/", 2)
    address = f"route_table:{account}/{region}/{network}/{tier}"
    tables = aws.client("ec2", account_id, region).describe_route_tables()["RouteTables"]
    [table] = [t for t in tables if {"Key": "lz:address", "Value": address} in t["Tags"]]
    [route] = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == destination]
    assert route["TransitGatewayId"].startswith("tgw-"), route  # to the gateway
    return f"{table['RouteTableId']}_{destination}"
