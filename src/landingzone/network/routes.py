"""The routes the spec implies in each tier's route table.

- a public tier: 0.0.0.0/0 to the network's internet gateway;
- a NAT tier: 0.0.0.0/0 to the network's NAT gateway;
- a peering: in each requester tier it names, a route to each subnet of the
  accepter tiers it names, and the other way round (subnets, not VPCs: nothing
  wider than the tiers named);
- a transit gateway: in each routing tier of an attached network, a route to
  the VPC CIDR of every network it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

from landingzone.network.layout import NetworkPlan
from landingzone.network.segments import reach_sets
from landingzone.spec.network import PeeringSide
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath

INTERNET = IPv4Network("0.0.0.0/0")

INTERNET_GATEWAY = "internet_gateway"
NAT_GATEWAY = "nat_gateway"
PEERING = "peering"
TRANSIT_GATEWAY = "transit_gateway"


@dataclass(frozen=True)
class Target:
    """Where a route sends traffic: a kind of target and its name in the spec (the network
    for gateways of the VPC, else the peering's or transit gateway's name)."""

    kind: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind.replace('_', ' ')} {self.name}"


@dataclass(frozen=True)
class RoutePlan:
    """One route in the route table of a network's tier."""

    network: str
    tier: str
    destination: IPv4Network
    target: Target
    origin: TreePath  # the spec entry that asks for it


def _peering_routes(
    name: str, side: PeeringSide, other: PeeringSide, plans: dict[str, NetworkPlan], path: TreePath
) -> list[RoutePlan]:
    remote = plans[other.network]
    return [
        RoutePlan(side.network, tier, subnet.cidr, Target(PEERING, name), path)
        for tier in side.tiers
        for remote_tier in other.tiers
        for subnet in remote.tier(remote_tier).subnets
    ]


def planned_routes(spec: Spec, plans: dict[str, NetworkPlan]) -> list[RoutePlan]:
    """Every route of every tier route table, for a spec the checks accepted."""
    routes: list[RoutePlan] = []
    for plan in plans.values():
        for tier in plan.tiers:
            path: TreePath = ("networks", plan.name, "tiers", tier.name)
            if tier.public:
                target = Target(INTERNET_GATEWAY, plan.name)
                routes.append(RoutePlan(plan.name, tier.name, INTERNET, target, path))
            if tier.nat:
                target = Target(NAT_GATEWAY, plan.name)
                routes.append(RoutePlan(plan.name, tier.name, INTERNET, target, path))
    for name, peering in spec.peerings.items():
        path = ("peerings", name)
        routes += _peering_routes(name, peering.requester, peering.accepter, plans, path)
        routes += _peering_routes(name, peering.accepter, peering.requester, plans, path)
    for name, gateway in spec.transit_gateways.items():
        reach = reach_sets(gateway)
        for network, attachment in gateway.attachments.items():
            tiers = attachment.route_tiers or [t.name for t in plans[network].tiers]
            path = ("transit_gateways", name, "attachments", network)
            routes += [
                RoutePlan(network, tier, plans[other].cidr, Target(TRANSIT_GATEWAY, name), path)
                for tier in tiers
                for other in sorted(reach[network])
            ]
    return routes
