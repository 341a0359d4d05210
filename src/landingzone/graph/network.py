"""The networking sections' nodes: each network's VPC and parts, and every route.

Peerings, transit gateways and private zones are in `graph/connections.py`.
Addresses are in `resources/network_addresses.py`. Every EC2 resource is
tagged with the organization's tags, the entry's own tags, a Name for people
and lz's address tag. A node is protected when it touches a protected account
(for a peering, an attachment or a zone association: either side's).
"""

from __future__ import annotations

from typing import Any

from landingzone.graph.connections import connection_nodes
from landingzone.graph.network_nodes import Nodes
from landingzone.graph.targets import Where
from landingzone.network.layout import NetworkPlan, endpoint_tiers, plan_networks
from landingzone.network.routes import (
    INTERNET_GATEWAY,
    PEERING,
    TRANSIT_GATEWAY,
    RoutePlan,
    planned_routes,
)
from landingzone.nodes import Node
from landingzone.resources import network_addresses as at
from landingzone.resources.endpoints import GATEWAY, INTERFACE
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath


def _vpc_parts(nodes: Nodes, plan: NetworkPlan) -> None:
    """The VPC, a subnet per tier and zone, a route table per tier, the gateways."""
    a, r, n = plan.account, plan.region, plan.name
    place = (a, r)
    own = nodes.spec.networks[n].tags
    source: TreePath = ("networks", n)
    vpc = at.vpc(a, r, n)
    nodes.add(
        vpc, "vpc", n, place, {"cidr": str(plan.cidr), "tags": nodes.tags(vpc, n, own)}, (), source
    )
    for tier in plan.tiers:
        tier_source: TreePath = (*source, "tiers", tier.name)
        subnets = []
        for planned in tier.subnets:
            subnet = at.subnet(a, r, n, tier.name, planned.zone)
            label = f"{n}-{tier.name}-{planned.zone}"
            desired: dict[str, Any] = {
                "vpc": vpc,
                "cidr": str(planned.cidr),
                "zone": planned.az,
                "tags": nodes.tags(subnet, label, own),
            }
            nodes.add(subnet, "subnet", label, place, desired, [vpc], tier_source)
            subnets.append(subnet)
        table = at.route_table(a, r, n, tier.name)
        label = f"{n}-{tier.name}"
        desired = {"vpc": vpc, "subnets": sorted(subnets), "tags": nodes.tags(table, label, own)}
        nodes.add(table, "route_table", label, place, desired, [vpc, *subnets], tier_source)
    if plan.public:
        gateway = at.internet_gateway(a, r, n)
        desired = {"vpc": vpc, "tags": nodes.tags(gateway, n, own)}
        nodes.add(gateway, "internet_gateway", n, place, desired, [vpc], source)
    nat = plan.nat_subnet
    if nat is not None:
        gateway = at.nat_gateway(a, r, n)
        subnet = at.subnet(a, r, n, nat.tier, nat.zone)
        desired = {"subnet": subnet, "tags": nodes.tags(gateway, f"{n}-nat", own)}
        deps = [subnet, at.internet_gateway(a, r, n)]
        nodes.add(gateway, "nat_gateway", f"{n}-nat", place, desired, deps, source)


def _endpoint_group(nodes: Nodes, plan: NetworkPlan) -> str:
    """The security group of a network's interface endpoints: HTTPS from the VPC."""
    a, r, n = plan.account, plan.region, plan.name
    address = at.security_group(a, r, n, "endpoints")
    label = f"{n}-endpoints"
    vpc = at.vpc(a, r, n)
    desired: dict[str, Any] = {
        "vpc": vpc,
        "name": label,
        "description": f"HTTPS from {n} to its interface endpoints",
        "ingress": [{"protocol": "tcp", "from": 443, "to": 443, "source": str(plan.cidr)}],
        "tags": nodes.tags(address, label, nodes.spec.networks[n].tags),
    }
    nodes.add(
        address, "security_group", label, (a, r), desired, [vpc], ("networks", n, "endpoints")
    )
    return address


def _endpoints(nodes: Nodes, plan: NetworkPlan) -> None:
    """Gateway endpoints in the endpoint tiers' route tables, interface endpoints in the
    first endpoint tier's subnets (with a security group that lets the VPC in); none
    while the network's switch is off."""
    endpoints = nodes.spec.networks[plan.name].endpoints
    tiers = endpoint_tiers(plan, endpoints.tiers)
    if not endpoints.enabled or not tiers:
        return
    a, r, n = plan.account, plan.region, plan.name
    own = nodes.spec.networks[n].tags
    source: TreePath = ("networks", n, "endpoints")
    vpc = at.vpc(a, r, n)
    tables = sorted(at.route_table(a, r, n, t) for t in tiers)
    subnets = sorted(at.subnet(a, r, n, tiers[0], s.zone) for s in plan.tier(tiers[0]).subnets)
    group = _endpoint_group(nodes, plan) if endpoints.interface else ""
    kinds = [(s, GATEWAY) for s in endpoints.gateway] + [
        (s, INTERFACE) for s in endpoints.interface
    ]
    for service, kind in kinds:
        address = at.vpc_endpoint(a, r, n, service)
        label = f"{n}-{service}"
        desired: dict[str, Any] = {
            "vpc": vpc,
            "service": f"com.amazonaws.{r}.{service}",
            "type": kind,
            "tags": nodes.tags(address, label, own),
        }
        if kind == GATEWAY:
            desired["route_tables"] = tables
            deps = tables
        else:
            desired["subnets"] = subnets
            desired["security_groups"] = [group]
            desired["private_dns"] = True
            deps = [*subnets, group]
        nodes.add(address, "vpc_endpoint", label, (a, r), desired, [vpc, *deps], source)


def route_target(nodes: Nodes, route: RoutePlan) -> str:
    """The address of the resource a route sends traffic to."""
    name = route.target.name
    if route.target.kind == PEERING:
        requester = nodes.plans[nodes.spec.peerings[name].requester.network]
        return at.vpc_peering(requester.account, requester.region, name)
    if route.target.kind == TRANSIT_GATEWAY:
        gateway = nodes.spec.transit_gateways[name]
        return at.transit_gateway(gateway.account, nodes.region(gateway.region), name)
    plan = nodes.plans[name]
    maker = at.internet_gateway if route.target.kind == INTERNET_GATEWAY else at.nat_gateway
    return maker(plan.account, plan.region, name)


def _routes(nodes: Nodes, routes: list[RoutePlan]) -> None:
    for route in routes:
        plan = nodes.plans[route.network]
        a, r = plan.account, plan.region
        table = at.route_table(a, r, route.network, route.tier)
        target = route_target(nodes, route)
        destination = str(route.destination)
        address = at.route(a, r, route.network, route.tier, destination)
        desired = {"route_table": table, "destination": destination, "target": target}
        deps = [table, target]
        if route.target.kind == TRANSIT_GATEWAY:  # the VPC must be attached first
            deps.append(at.gateway_attachment(a, r, route.target.name, route.network))
        name = f"{route.network}-{route.tier} {destination}"
        nodes.add(address, "route", name, (a, r), desired, deps, route.origin)


def network_nodes(spec: Spec, where: Where) -> list[Node]:
    """Nodes of the networking sections of a valid spec."""
    nodes = Nodes(spec, where, plan_networks(spec))
    for plan in nodes.plans.values():
        _vpc_parts(nodes, plan)
        _endpoints(nodes, plan)
    _routes(nodes, planned_routes(spec, nodes.plans))
    connection_nodes(nodes)
    return nodes.nodes
