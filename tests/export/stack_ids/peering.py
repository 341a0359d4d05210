"""What a requester's peering stack imports: its connections and its routes to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.aws import Aws
from tests.export.stack_ids import stack_account

ADDRESS_TAG = "lz:address"


def connections(aws: Aws, account_id: str, region: str) -> list[dict[str, Any]]:
    """The peering connections one account sees in a region (as requester or accepter)."""
    ec2 = aws.client("ec2", account_id, region)
    return list(ec2.describe_vpc_peering_connections()["VpcPeeringConnections"])


def tag(item: dict[str, Any], key: str) -> str | None:
    """A tag's value on a described EC2 item."""
    return next((t["Value"] for t in item.get("Tags", []) if t["Key"] == key), None)


def route_id(aws: Aws, accounts: dict[str, str], stack: Path, key: str, pcx: set[str]) -> str:
    """`<table id>_<cidr>` of the stack's route `<network>/<tier>/<cidr>`, which must go to
    one of the connections `pcx` (the table: the one tagged with its lz address)."""
    account, region = stack_account(stack, accounts)
    network, tier, destination = key.split("/", 2)
    table_address = f"route_table:{account}/{region}/{network}/{tier}"
    ec2 = aws.client("ec2", accounts[account], region)
    tables = [
        t
        for t in ec2.describe_route_tables()["RouteTables"]
        if tag(t, ADDRESS_TAG) == table_address
    ]
    assert len(tables) == 1, (table_address, tables)
    routes = [r for r in tables[0]["Routes"] if r.get("DestinationCidrBlock") == destination]
    assert len(routes) == 1 and routes[0].get("VpcPeeringConnectionId") in pcx, (key, routes)
    return f"{tables[0]['RouteTableId']}_{destination}"


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """The connection this account requested (tagged with its lz address), or a route to it."""
    account, region = stack_account(stack, accounts)
    requested = [
        c
        for c in connections(aws, accounts[account], region)
        if c["RequesterVpcInfo"]["OwnerId"] == accounts[account]
    ]
    if type_ == "aws_vpc_peering_connection":
        address = f"vpc_peering:{account}/{region}/{key}"
        found = [c for c in requested if tag(c, ADDRESS_TAG) == address]
        assert len(found) == 1, (address, requested)
        assert found[0]["Status"]["Code"] == "active", found
        return str(found[0]["VpcPeeringConnectionId"])
    if type_ == "aws_route":
        ids = {c["VpcPeeringConnectionId"] for c in requested}
        return route_id(aws, accounts, stack, key, ids)
    raise AssertionError(f"no check for {type_}")
