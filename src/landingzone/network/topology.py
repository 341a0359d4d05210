"""What routing looks like, as data: subnets, the route table each one uses, peerings,
transit gateways. Built from the spec (`from_spec`) before anything exists, or from
AWS (`network/live.py`) after; `network/reach.py` answers questions about either.

IDs are AWS IDs in a live topology and spec names in a planned one; nothing
here cares which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from ipaddress import IPv4Network

from landingzone.network import routes as planned
from landingzone.network.layout import plan_networks
from landingzone.network.segments import gateway_tables, table_of
from landingzone.spec.schema import Spec

# Kinds of route targets the analysis follows; anything else leaves the network.
LOCAL = "local"
PEERING = "peering"
TRANSIT_GATEWAY = "transit_gateway"


@dataclass(frozen=True)
class Subnet:
    """A subnet and the route table that routes its traffic."""

    network: str
    tier: str
    zone: str
    cidr: IPv4Network
    route_table: str  # an ID in `Topology.route_tables`

    @property
    def label(self) -> str:
        """`network/tier/zone`."""
        return f"{self.network}/{self.tier}/{self.zone}"


@dataclass(frozen=True)
class Route:
    """A route: traffic for `destination` goes to `target` (a kind and an ID)."""

    destination: IPv4Network
    kind: str  # LOCAL, PEERING, TRANSIT_GATEWAY, or what else AWS routes to
    target: str


@dataclass(frozen=True)
class Peering:
    """A peering connection between two networks."""

    name: str
    networks: frozenset[str]
    active: bool


@dataclass(frozen=True)
class Attachment:
    """A network attached to a transit gateway, and the route table it uses there."""

    network: str
    route_table: str | None
    available: bool


@dataclass
class GatewayTable:
    """A transit gateway route table: destination -> attachment ID."""

    name: str
    routes: list[tuple[IPv4Network, str]] = field(default_factory=list)


@dataclass
class Gateway:
    """A transit gateway: its attachments and route tables, by ID."""

    name: str
    attachments: dict[str, Attachment] = field(default_factory=dict)
    tables: dict[str, GatewayTable] = field(default_factory=dict)


@dataclass
class Topology:
    """Everything routing depends on, for the networks of one spec."""

    subnets: list[Subnet] = field(default_factory=list)
    route_tables: dict[str, list[Route]] = field(default_factory=dict)
    table_names: dict[str, str] = field(default_factory=dict)  # route table ID -> for people
    peerings: dict[str, Peering] = field(default_factory=dict)
    gateways: dict[str, Gateway] = field(default_factory=dict)

    def select(self, selector: str) -> list[Subnet]:
        """The subnets of `network`, `network/tier` or `network/tier/zone`."""
        network, tier, zone = [*selector.split("/", 2), "", ""][:3]
        return [
            s
            for s in self.subnets
            if s.network == network and tier in ("", s.tier) and zone in ("", s.zone)
        ]


def from_spec(spec: Spec) -> Topology:
    """The topology the spec asks for, as it will be once applied."""
    plans = plan_networks(spec)
    topology = Topology()
    for plan in plans.values():
        for tier in plan.tiers:
            table_id = f"{plan.name}/{tier.name}"
            topology.table_names[table_id] = f"{plan.name}-{tier.name}"
            topology.route_tables[table_id] = [Route(plan.cidr, LOCAL, plan.name)]
            topology.subnets += [
                Subnet(plan.name, tier.name, s.zone, s.cidr, table_id) for s in tier.subnets
            ]
    kinds = {planned.PEERING: PEERING, planned.TRANSIT_GATEWAY: TRANSIT_GATEWAY}
    for route in planned.planned_routes(spec, plans):
        kind = kinds.get(route.target.kind, route.target.kind)
        topology.route_tables[f"{route.network}/{route.tier}"].append(
            Route(route.destination, kind, route.target.name)
        )
    for name, peering in spec.peerings.items():
        networks = frozenset({peering.requester.network, peering.accepter.network})
        topology.peerings[name] = Peering(name, networks, active=True)
    for name, spec_gateway in spec.transit_gateways.items():
        gateway = Gateway(name)
        for network, table_name in table_of(spec_gateway).items():
            gateway.attachments[network] = Attachment(network, table_name, available=True)
        for table in gateway_tables(spec_gateway):
            routes = [(plans[n].cidr, n) for n in table.propagations]
            gateway.tables[table.name] = GatewayTable(table.name, routes)
        topology.gateways[name] = gateway
    return topology
