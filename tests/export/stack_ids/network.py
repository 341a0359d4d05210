"""What a network stack imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.aws import Aws
from tests.export.stack_ids import stack_account

# Networking types: (lz kind, Describe call, list key, ID key); lz tags each with its address.
NETWORK_TYPES = {
    "aws_vpc": ("vpc", "describe_vpcs", "Vpcs", "VpcId"),
    "aws_subnet": ("subnet", "describe_subnets", "Subnets", "SubnetId"),
    "aws_route_table": ("route_table", "describe_route_tables", "RouteTables", "RouteTableId"),
    "aws_internet_gateway": (
        "internet_gateway",
        "describe_internet_gateways",
        "InternetGateways",
        "InternetGatewayId",
    ),
    "aws_nat_gateway": ("nat_gateway", "describe_nat_gateways", "NatGateways", "NatGatewayId"),
    "aws_vpc_endpoint": ("vpc_endpoint", "describe_vpc_endpoints", "VpcEndpoints", "VpcEndpointId"),
    "aws_security_group": (
        "security_group",
        "describe_security_groups",
        "SecurityGroups",
        "GroupId",
    ),
}


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """Networks are per account and region: find the item tagged with its lz address there."""
    account, region = stack_account(stack, accounts)
    ec2 = aws.client("ec2", accounts[account], region)

    def item(kind: str, rest: str) -> dict[str, Any]:
        _, call, items, _ = next(v for v in NETWORK_TYPES.values() if v[0] == kind)
        address = f"{kind}:{account}/{region}/{rest}"
        found = [
            i
            for i in getattr(ec2, call)()[items]
            if {"Key": "lz:address", "Value": address} in i.get("Tags", [])
        ]
        assert len(found) == 1, (address, found)
        return dict(found[0])

    if type_ in NETWORK_TYPES:
        kind, _, _, id_key = NETWORK_TYPES[type_]
        return str(item(kind, key)[id_key])
    if type_ == "aws_eip":  # the NAT gateway's own address
        return str(item("nat_gateway", key)["NatGatewayAddresses"][0]["AllocationId"])
    if type_ == "aws_route":
        network, tier, destination = key.split("/", 2)
        table = item("route_table", f"{network}/{tier}")
        assert destination in [r.get("DestinationCidrBlock") for r in table["Routes"]]
        return f"{table['RouteTableId']}_{destination}"
    if type_ == "aws_route_table_association":
        subnet = item("subnet", key)["SubnetId"]
        tables = ec2.describe_route_tables(
            Filters=[{"Name": "association.subnet-id", "Values": [subnet]}]
        )["RouteTables"]
        assert len(tables) == 1, (key, tables)
        return f"{subnet}/{tables[0]['RouteTableId']}"
    raise AssertionError(f"no check for {type_}")
