"""What exists in EC2, read once per run: one Describe call per collection, account and region.

Every networking kind reads through here, so a plan costs one
DescribeVpcs, one DescribeSubnets, one DescribeRouteTables, ... per account
and region, whatever the number of resources, and kinds that need to look at
each other's resources (a route looks up its peering connection, an
attachment its transit gateway in the owner account) share those reads.

The cache lives as long as the run's Context: it answers for the state of
AWS at plan time. Kinds use it in `read` only; during apply they work with
the IDs the run knows (`ctx.id_of`) and read afresh what they change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from landingzone.aws.calls import pages
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.resources.base import tag_dict
from landingzone.resources.network_addresses import ADDRESS_TAG, parse

Item = dict[str, Any]

_GONE = frozenset({"deleted", "deleting", "failed", "rejected", "expired"})


def _state(key: str) -> Callable[[Item], bool]:
    return lambda item: str(item.get(key, "")).lower() not in _GONE


def _peering_alive(item: Item) -> bool:
    return str(item.get("Status", {}).get("Code", "")) not in _GONE


@dataclass(frozen=True)
class Collection:
    """One Describe call and how to read its answer."""

    method: str
    key: str  # the list in the answer
    id_key: str
    alive: Callable[[Item], bool] = lambda _: True


# By the kind whose resources they hold (`owner_attachments` is the gateway
# owner's view of attachments, with their route table association).
COLLECTIONS: dict[str, Collection] = {
    "vpc": Collection("describe_vpcs", "Vpcs", "VpcId"),
    "subnet": Collection("describe_subnets", "Subnets", "SubnetId"),
    "route_table": Collection("describe_route_tables", "RouteTables", "RouteTableId"),
    "security_group": Collection("describe_security_groups", "SecurityGroups", "GroupId"),
    "internet_gateway": Collection(
        "describe_internet_gateways", "InternetGateways", "InternetGatewayId"
    ),
    "nat_gateway": Collection(
        "describe_nat_gateways", "NatGateways", "NatGatewayId", _state("State")
    ),
    "vpc_endpoint": Collection(
        "describe_vpc_endpoints", "VpcEndpoints", "VpcEndpointId", _state("State")
    ),
    "vpc_peering": Collection(
        "describe_vpc_peering_connections",
        "VpcPeeringConnections",
        "VpcPeeringConnectionId",
        _peering_alive,
    ),
    "transit_gateway": Collection(
        "describe_transit_gateways", "TransitGateways", "TransitGatewayId", _state("State")
    ),
    "transit_gateway_attachment": Collection(
        "describe_transit_gateway_vpc_attachments",
        "TransitGatewayVpcAttachments",
        "TransitGatewayAttachmentId",
        _state("State"),
    ),
    "owner_attachments": Collection(
        "describe_transit_gateway_attachments",
        "TransitGatewayAttachments",
        "TransitGatewayAttachmentId",
        _state("State"),
    ),
    "transit_gateway_route_table": Collection(
        "describe_transit_gateway_route_tables",
        "TransitGatewayRouteTables",
        "TransitGatewayRouteTableId",
        _state("State"),
    ),
}


KNOWN = "network/known"


@dataclass
class Known:
    """Networking resources lz knows by ID rather than by its address tag: those it
    adopted (state records; `lz import` before it records them), which keep their own
    tags."""

    ids: dict[str, str]  # address -> ID
    addresses: dict[str, str]  # ID -> address


def know(ctx: Context, ids: Mapping[str, str]) -> None:
    """Tell the run's views the IDs of resources by address (a kind's `prepare` from its
    state records, `lz import` from what it read)."""
    known = _known(ctx)
    known.ids.update(ids)
    known.addresses.update({resource_id: address for address, resource_id in ids.items()})


def _known(ctx: Context) -> Known:
    return ctx.cached(KNOWN, lambda: Known({}, {}))


def known_ids(ctx: Context) -> Mapping[str, str]:
    """The IDs lz knows by address (`know`)."""
    return _known(ctx).ids


def tags_of(item: Item) -> dict[str, str]:
    """An EC2 item's tags as a dict."""
    return tag_dict(item.get("Tags"))


class Ec2View:
    """EC2 resources of one account and region, each collection read once per run."""

    def __init__(self, ctx: Context, account: str, region: str):
        self.ctx = ctx
        self.account = account
        self.region = region

    def items(self, collection: str) -> list[Item]:
        """The live resources of a collection (deleted ones left out)."""
        spec = COLLECTIONS[collection]

        def load() -> list[Item]:
            ec2 = self.ctx.client("ec2", self.account, self.region)
            found = pages(
                ec2,
                spec.method,
                spec.key,
                account=self.account,
                region=self.region,
                resource=f"{collection} resources",
            )
            return [item for item in found if spec.alive(item)]

        return self.ctx.cached(f"ec2/{self.account}/{self.region}/{collection}", load)

    def by_id(self, collection: str, resource_id: str | None) -> Item | None:
        """The live resource with this ID."""
        if resource_id is None:
            return None
        id_key = COLLECTIONS[collection].id_key
        return next((i for i in self.items(collection) if i.get(id_key) == resource_id), None)

    def find(self, collection: str, address: str, resource_id: str | None = None) -> Item | None:
        """A resource by its ID if known and still there, else by lz's address tag, else
        by the ID lz knows for the address (`know`)."""
        found = self.by_id(collection, resource_id)
        if found is None:
            found = next(
                (i for i in self.items(collection) if tags_of(i).get(ADDRESS_TAG) == address),
                None,
            )
        if found is None:
            found = self.by_id(collection, _known(self.ctx).ids.get(address))
        return found

    def address_of(self, collection: str, resource_id: str | None) -> str | None:
        """The address lz tagged a resource with, or knows it by (None: not lz's, or not
        there)."""
        item = self.by_id(collection, resource_id)
        if item is None:
            return None
        return tags_of(item).get(ADDRESS_TAG) or _known(self.ctx).addresses.get(str(resource_id))


def view(ctx: Context, account: str, region: str) -> Ec2View:
    """The EC2 view of an account (by spec name) and region."""
    return Ec2View(ctx, account, region)


def lookup(ctx: Context, address: str) -> Item | None:
    """What exists at a networking address, read through the view of its account and
    region (None when the account does not exist yet)."""
    where = parse(address)
    if ctx.account_id(where.account) is None:
        return None
    return view(ctx, where.account, where.region).find(where.kind, address, ctx.id_of(address))


def lookup_id(ctx: Context, address: str) -> str | None:
    """The AWS ID of what exists at a networking address (see `lookup`)."""
    item = lookup(ctx, address)
    if item is None:
        return None
    return str(item[COLLECTIONS[parse(address).kind].id_key])


def named(ctx: Context, wanted: str | None, resource_id: str | None) -> str | None:
    """`wanted` (an address) when the resource found is the one at that address, else the
    ID found: how a read reports what a resource points at in another account."""
    if wanted is not None and resource_id is not None and resource_id == lookup_id(ctx, wanted):
        return wanted
    return resource_id


def known_id(ctx: Context, address: str, needed_by: str) -> str:
    """The AWS ID of a resource this run found or created (for apply: parents exist by now)."""
    found = ctx.id_of(address)
    if found is None:
        raise AwsError(f"{address} does not exist yet", resource=needed_by)
    return found
