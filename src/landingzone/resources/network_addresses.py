"""Addresses of the networking resources, shared by the graph and the kinds.

Resources in member accounts are `kind:ACCOUNT/REGION/...`: the account and
region always come first, so any address can be turned back into where the
resource lives (`parse`). lz tags every EC2 resource it creates with its
address (`ADDRESS_TAG`) and finds it again by that tag (after the ID in its
state record): lz never takes over a VPC it did not create unless someone
tags it so.
"""

from __future__ import annotations

from dataclasses import dataclass

ADDRESS_TAG = "lz:address"


@dataclass(frozen=True)
class Address:
    """An address taken apart: `subnet:dev/us-east-1/dev/private/a`."""

    kind: str  # subnet
    account: str  # dev
    region: str  # us-east-1
    rest: str  # dev/private/a


def parse(address: str) -> Address:
    """Where the resource at a networking address lives."""
    kind, _, path = address.partition(":")
    account, region, rest = path.split("/", 2)
    return Address(kind, account, region, rest)


def _at(kind: str, account: str, region: str, *names: str) -> str:
    return f"{kind}:{account}/{region}/" + "/".join(names)


def vpc(account: str, region: str, network: str) -> str:
    """`vpc:ACCOUNT/REGION/NETWORK`."""
    return _at("vpc", account, region, network)


def subnet(account: str, region: str, network: str, tier: str, zone: str) -> str:
    """`subnet:ACCOUNT/REGION/NETWORK/TIER/ZONE` (zone: the letter)."""
    return _at("subnet", account, region, network, tier, zone)


def route_table(account: str, region: str, network: str, tier: str) -> str:
    """`route_table:ACCOUNT/REGION/NETWORK/TIER`: one per tier."""
    return _at("route_table", account, region, network, tier)


def route(account: str, region: str, network: str, tier: str, destination: str) -> str:
    """`route:ACCOUNT/REGION/NETWORK/TIER/DESTINATION-CIDR`."""
    return _at("route", account, region, network, tier, destination)


def internet_gateway(account: str, region: str, network: str) -> str:
    """`internet_gateway:ACCOUNT/REGION/NETWORK`."""
    return _at("internet_gateway", account, region, network)


def nat_gateway(account: str, region: str, network: str) -> str:
    """`nat_gateway:ACCOUNT/REGION/NETWORK`."""
    return _at("nat_gateway", account, region, network)


def vpc_endpoint(account: str, region: str, network: str, service: str) -> str:
    """`vpc_endpoint:ACCOUNT/REGION/NETWORK/SERVICE` (service: `s3`, `ecr.api`)."""
    return _at("vpc_endpoint", account, region, network, service)


def security_group(account: str, region: str, network: str, name: str) -> str:
    """`security_group:ACCOUNT/REGION/NETWORK/NAME` (`endpoints`: the interface endpoints')."""
    return _at("security_group", account, region, network, name)


def vpc_peering(account: str, region: str, peering: str) -> str:
    """`vpc_peering:REQUESTER-ACCOUNT/REGION/PEERING`."""
    return _at("vpc_peering", account, region, peering)


def transit_gateway(account: str, region: str, gateway: str) -> str:
    """`transit_gateway:OWNER/REGION/GATEWAY`."""
    return _at("transit_gateway", account, region, gateway)


def resource_share(account: str, region: str, gateway: str) -> str:
    """`resource_share:OWNER/REGION/GATEWAY`: the RAM share of a transit gateway."""
    return _at("resource_share", account, region, gateway)


def gateway_attachment(account: str, region: str, gateway: str, network: str) -> str:
    """`transit_gateway_attachment:NETWORK-ACCOUNT/REGION/GATEWAY/NETWORK`."""
    return _at("transit_gateway_attachment", account, region, gateway, network)


def gateway_route_table(account: str, region: str, gateway: str, table: str) -> str:
    """`transit_gateway_route_table:OWNER/REGION/GATEWAY/TABLE`."""
    return _at("transit_gateway_route_table", account, region, gateway, table)


def hosted_zone(account: str, zone: str) -> str:
    """`hosted_zone:OWNER/ZONE` (Route 53 is global)."""
    return f"hosted_zone:{account}/{zone}"


def zone_association(account: str, region: str, network: str, zone: str) -> str:
    """`hosted_zone_association:VPC-ACCOUNT/REGION/NETWORK/ZONE`."""
    return _at("hosted_zone_association", account, region, network, zone)
