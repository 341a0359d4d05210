"""Nodes of what connects networks: peerings, transit gateways (with their RAM share,
attachments, and route tables holding associations and propagations) and private zones."""

from __future__ import annotations

from typing import Any

from landingzone.graph.network_nodes import Nodes
from landingzone.graph.targets import account_id_ref, base_tags, select_accounts
from landingzone.network.layout import attachment_tier
from landingzone.network.segments import gateway_tables
from landingzone.nodes import MANAGEMENT
from landingzone.resources import network_addresses as at
from landingzone.resources.network_addresses import ADDRESS_TAG
from landingzone.resources.transit_gateway import GATEWAY_OPTIONS
from landingzone.spec.network import TransitGateway
from landingzone.spec.tree import TreePath

RAM_SHARING = "ram_sharing:organization"


def _peerings(nodes: Nodes) -> None:
    for name, peering in nodes.spec.peerings.items():
        requester = nodes.plans[peering.requester.network]
        accepter = nodes.plans[peering.accepter.network]
        a, r = requester.account, requester.region
        address = at.vpc_peering(a, r, name)
        vpc = at.vpc(a, r, requester.name)
        peer = at.vpc(accepter.account, accepter.region, accepter.name)
        desired = {
            "vpc": vpc,
            "peer_vpc": peer,
            "peer_account_id": account_id_ref(accepter.account),
            "peer_region": accepter.region,
            "status": "active",
            "tags": nodes.tags(address, name, peering.tags),
        }
        source: TreePath = ("peerings", name)
        nodes.add(
            address, "vpc_peering", name, (a, r), desired, [vpc, peer], source, accepter.account
        )


def _share(nodes: Nodes, name: str, gateway: TransitGateway, address: str) -> str | None:
    """The RAM share of a gateway (and RAM sharing with the organization), if any."""
    owner, region = gateway.account, nodes.region(gateway.region)
    share = gateway.share
    principals = select_accounts(nodes.spec, accounts=share.accounts, units=share.units)
    principals = [p for p in principals if p != owner]
    if not principals:
        return None
    if not any(n.address == RAM_SHARING for n in nodes.nodes):
        home = nodes.spec.organization.home_region
        desired: dict[str, Any] = {"enabled": True}
        nodes.add(
            RAM_SHARING,
            "ram_sharing",
            "organization",
            (MANAGEMENT, home),
            desired,
            ["organization"],
            ("transit_gateways",),
        )
    share_address = at.resource_share(owner, region, name)
    desired = {
        "name": name,
        "resources": [address],
        "principals": sorted(account_id_ref(p) for p in principals),
        "allow_external_principals": False,
        "tags": {**base_tags(nodes.spec), **gateway.tags, ADDRESS_TAG: share_address},
    }
    source: TreePath = ("transit_gateways", name, "share")
    deps = [address, RAM_SHARING]
    nodes.add(share_address, "resource_share", name, (owner, region), desired, deps, source)
    return share_address


def _attachment(
    nodes: Nodes, name: str, gateway: TransitGateway, network: str, share: str | None
) -> str:
    """The node of a network's attachment to a gateway; returns its address."""
    plan = nodes.plans[network]
    a, r = plan.account, plan.region
    address = at.gateway_attachment(a, r, name, network)
    tier = attachment_tier(plan, gateway.attachments[network].tier)
    subnets = sorted(at.subnet(a, r, network, tier, s.zone) for s in plan.tier(tier).subnets)
    gateway_address = at.transit_gateway(gateway.account, r, name)
    vpc = at.vpc(a, r, network)
    label = f"{name}-{network}"
    desired = {
        "transit_gateway": gateway_address,
        "vpc": vpc,
        "subnets": subnets,
        "state": "available",
        "tags": nodes.tags(address, label, gateway.tags),
    }
    deps = [gateway_address, vpc, *subnets]
    if share is not None and a != gateway.account:
        deps.append(share)  # the gateway is visible to the account once shared
    source: TreePath = ("transit_gateways", name, "attachments", network)
    kind = "transit_gateway_attachment"
    nodes.add(address, kind, label, (a, r), desired, deps, source, gateway.account)
    return address


def _gateway(nodes: Nodes, name: str, gateway: TransitGateway) -> None:
    owner, region = gateway.account, nodes.region(gateway.region)
    place = (owner, region)
    source: TreePath = ("transit_gateways", name)
    address = at.transit_gateway(owner, region, name)
    desired: dict[str, Any] = {
        "description": gateway.description,
        "asn": gateway.asn,
        "options": dict(GATEWAY_OPTIONS),
        "tags": nodes.tags(address, name, gateway.tags),
    }
    nodes.add(address, "transit_gateway", name, place, desired, (), source)
    share = _share(nodes, name, gateway, address)
    attachments = {n: _attachment(nodes, name, gateway, n, share) for n in gateway.attachments}
    for table in gateway_tables(gateway):
        table_address = at.gateway_route_table(owner, region, name, table.name)
        label = f"{name}-{table.name}"
        members = sorted(attachments[n] for n in table.members)
        propagations = sorted(attachments[n] for n in table.propagations)
        desired = {
            "transit_gateway": address,
            "associations": members,
            "propagations": propagations,
            "tags": nodes.tags(table_address, label, gateway.tags),
        }
        deps = [address, *members, *propagations]
        accounts = [nodes.plans[n].account for n in table.members]
        kind = "transit_gateway_route_table"
        nodes.add(table_address, kind, label, place, desired, deps, source, *accounts)


def _zones(nodes: Nodes) -> None:
    for zone, hosted in nodes.spec.dns.items():
        owner = hosted.account
        address = at.hosted_zone(owner, zone)
        source: TreePath = ("dns", zone)
        first = next(nodes.plans[n] for n in hosted.networks if nodes.plans[n].account == owner)
        vpc = at.vpc(first.account, first.region, first.name)
        desired = {
            "name": zone + ".",
            "comment": hosted.comment,
            "vpc": vpc,
            "vpc_region": first.region,
            "tags": nodes.tags(address, zone, hosted.tags),
        }
        nodes.add(address, "hosted_zone", zone, (owner, None), desired, [vpc], source)
        for network in hosted.networks:
            plan = nodes.plans[network]
            association = at.zone_association(plan.account, plan.region, network, zone)
            network_vpc = at.vpc(plan.account, plan.region, network)
            desired = {"zone": address, "vpc": network_vpc}
            deps = [address, network_vpc]
            kind, label = "hosted_zone_association", f"{zone} {network}"
            place = (plan.account, plan.region)
            nodes.add(association, kind, label, place, desired, deps, source, owner)


def connection_nodes(nodes: Nodes) -> None:
    """Add the nodes of peerings, transit gateways and private zones."""
    _peerings(nodes)
    for name, gateway in nodes.spec.transit_gateways.items():
        _gateway(nodes, name, gateway)
    _zones(nodes)
