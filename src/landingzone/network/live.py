"""The topology as it exists in AWS: what `lz reach --live` reasons about.

Reads through the run's EC2 views (`resources/ec2_view.py`: one Describe per
collection, account and region, shared with the refresh that precedes it)
plus one SearchTransitGatewayRoutes per transit gateway route table. Every
route counts, not only lz's: a route added by hand shows.
"""

from __future__ import annotations

from ipaddress import IPv4Network

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.network.layout import NetworkPlan, plan_networks
from landingzone.network.topology import (
    LOCAL,
    PEERING,
    TRANSIT_GATEWAY,
    Attachment,
    Gateway,
    GatewayTable,
    Peering,
    Route,
    Subnet,
    Topology,
)
from landingzone.resources import network_addresses as at
from landingzone.resources.ec2_view import Ec2View, Item, tags_of, view
from landingzone.resources.network_addresses import parse
from landingzone.spec.schema import Spec

# Where a described route goes: (key, kind); the first key present wins.
_TARGETS = (
    ("VpcPeeringConnectionId", PEERING),
    ("TransitGatewayId", TRANSIT_GATEWAY),
    ("NatGatewayId", "nat_gateway"),
    ("GatewayId", "gateway"),
    ("NetworkInterfaceId", "network_interface"),
    ("InstanceId", "instance"),
)


def _route(described: Item) -> Route | None:
    cidr = described.get("DestinationCidrBlock")
    if not cidr:
        return None  # prefix lists and IPv6 are not followed
    destination = IPv4Network(cidr)
    if described.get("State") == "blackhole":
        return Route(destination, "blackhole", "")
    if described.get("GatewayId") == "local":
        return Route(destination, LOCAL, "")
    for key, kind in _TARGETS:
        if described.get(key):
            return Route(destination, kind, str(described[key]))
    return Route(destination, "unknown target", "")


def _name(item: Item, fallback: str) -> str:
    return tags_of(item).get("Name") or fallback


def _tier_and_zone(here: Ec2View, subnet: Item) -> tuple[str, str]:
    """From lz's address (`subnet:A/R/NETWORK/TIER/ZONE`: its tag, or the address lz adopted
    it at); else the ID and the AZ."""
    address = here.address_of("subnet", subnet["SubnetId"])
    if address and address.startswith("subnet:"):
        _, tier, zone = parse(address).rest.split("/")
        return tier, zone
    return subnet["SubnetId"], subnet["AvailabilityZone"]


def _network(topology: Topology, here: Ec2View, plan: NetworkPlan, vpc_id: str) -> None:
    tables = [t for t in here.items("route_table") if t["VpcId"] == vpc_id]
    main = next(
        (
            t["RouteTableId"]
            for t in tables
            if any(a.get("Main") for a in t.get("Associations", []))
        ),
        "",
    )
    explicit: dict[str, str] = {}
    for table in tables:
        table_id = table["RouteTableId"]
        topology.table_names[table_id] = _name(table, table_id)
        topology.route_tables[table_id] = [
            r for r in map(_route, table.get("Routes", [])) if r is not None
        ]
        for association in table.get("Associations", []):
            if association.get("SubnetId"):
                explicit[association["SubnetId"]] = table_id
    for subnet in here.items("subnet"):
        if subnet["VpcId"] == vpc_id:
            tier, zone = _tier_and_zone(here, subnet)
            table_id = explicit.get(subnet["SubnetId"], main)
            cidr = IPv4Network(subnet["CidrBlock"])
            topology.subnets.append(Subnet(plan.name, tier, zone, cidr, table_id))


def _attachments(here: Ec2View, gateway_id: str, networks: dict[str, str]) -> dict[str, Attachment]:
    """The gateway's VPC attachments as its owner sees them, with their route table."""
    found = {}
    for item in here.items("owner_attachments"):
        if item["TransitGatewayId"] != gateway_id or item.get("ResourceType") != "vpc":
            continue
        association = item.get("Association") or {}
        table = association.get("TransitGatewayRouteTableId")
        if association.get("State") == "disassociated":
            table = None
        network = networks.get(item["ResourceId"]) or str(item["ResourceId"])
        available = item["State"] == "available"
        found[item["TransitGatewayAttachmentId"]] = Attachment(network, table, available)
    return found


def _gateway_tables(ctx: Context, here: Ec2View, gateway_id: str) -> dict[str, GatewayTable]:
    """The gateway's route tables and their active routes (one search per table)."""
    ec2 = ctx.client("ec2", here.account, here.region)
    found = {}
    for table in here.items("transit_gateway_route_table"):
        if table["TransitGatewayId"] != gateway_id:
            continue
        table_id = table["TransitGatewayRouteTableId"]
        routes = call(
            ec2.search_transit_gateway_routes,
            TransitGatewayRouteTableId=table_id,
            Filters=[{"Name": "type", "Values": ["static", "propagated"]}],
            account=here.account,
            region=here.region,
            resource=table_id,
        )["Routes"]
        active = [
            r for r in routes if r.get("State") == "active" and r.get("TransitGatewayAttachments")
        ]
        found[table_id] = GatewayTable(
            _table_name(here, table, table_id),
            [
                (
                    IPv4Network(r["DestinationCidrBlock"]),
                    r["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"],
                )
                for r in active
            ],
        )
    return found


def _gateway(
    ctx: Context, spec: Spec, name: str, networks: dict[str, str]
) -> tuple[str, Gateway] | None:
    spec_gateway = spec.transit_gateways[name]
    owner = spec_gateway.account
    region = spec_gateway.region or spec.organization.home_region
    if ctx.account_id(owner) is None:
        return None
    here = view(ctx, owner, region)
    found = here.find("transit_gateway", at.transit_gateway(owner, region, name))
    if found is None:
        return None
    gateway_id = found["TransitGatewayId"]
    attachments = _attachments(here, gateway_id, networks)
    return gateway_id, Gateway(name, attachments, _gateway_tables(ctx, here, gateway_id))


def _table_name(here: Ec2View, table: Item, fallback: str) -> str:
    address = here.address_of("transit_gateway_route_table", table["TransitGatewayRouteTableId"])
    return address.rsplit("/", 1)[-1] if address else fallback


def from_aws(ctx: Context, spec: Spec) -> Topology:
    """The topology of the spec's networks as it exists now."""
    topology = Topology()
    networks: dict[str, str] = {}  # VPC ID -> network name
    peerings: dict[str, tuple[Item, str]] = {}  # ID -> item, name
    for plan in plan_networks(spec).values():
        if ctx.account_id(plan.account) is None:
            continue
        here = view(ctx, plan.account, plan.region)
        vpc = here.find("vpc", at.vpc(plan.account, plan.region, plan.name))
        if vpc is None:
            continue
        networks[vpc["VpcId"]] = plan.name
        _network(topology, here, plan, vpc["VpcId"])
        for item in here.items("vpc_peering"):
            pcx = item["VpcPeeringConnectionId"]
            address = here.address_of("vpc_peering", pcx)
            name = address.rsplit("/", 1)[-1] if address else _name(item, pcx)
            peerings.setdefault(pcx, (item, name))
    for pcx_id, (item, name) in peerings.items():
        sides = (item["RequesterVpcInfo"]["VpcId"], item["AccepterVpcInfo"]["VpcId"])
        if all(vpc in networks for vpc in sides):
            ends = frozenset(networks[vpc] for vpc in sides)
            active = item["Status"]["Code"] == "active"
            topology.peerings[pcx_id] = Peering(name, ends, active)
    for name in spec.transit_gateways:
        found = _gateway(ctx, spec, name, networks)
        if found is not None:
            topology.gateways[found[0]] = found[1]
    return topology
