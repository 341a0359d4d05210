"""`lz import --include network`: a network's VPC endpoints, as lz makes them.

Gateway endpoints (S3, DynamoDB) are written when they sit in the route tables
of the same tiers; interface endpoints when they are what lz makes: one in
every subnet of the first endpoint tier, private DNS on, with lz's security
group `NETWORK-endpoints` (HTTPS in from the VPC) as their only group. Anything
else is named in the report and left as it is.
"""

from __future__ import annotations

from typing import Any

from landingzone.adopt.network_model import Vpc
from landingzone.adopt.report import NOT_EXPRESSIBLE, Note
from landingzone.resources import network_addresses as at
from landingzone.resources.ec2_view import Item
from landingzone.resources.endpoints import GATEWAY

GATEWAY_SERVICES = ("s3", "dynamodb")


def endpoints(vpc: Vpc, parts: list[Item]) -> list[Note]:
    """Gateway endpoints in the route tables of the endpoint tiers; interface endpoints are
    written only as lz makes them (its security group, the first endpoint tier's subnets)."""
    where = vpc.where
    found = [e for e in where.items["vpc_endpoint"] if e.get("VpcId") == vpc.id]
    table_tier = {t.table["RouteTableId"]: t.name for t in vpc.tiers}
    subnet_tier = {s["SubnetId"]: t.name for t in vpc.tiers for s in t.subnets.values()}
    private = [t.name for t in vpc.tiers if not t.public]
    gateway: dict[str, Item] = {}
    interface: dict[str, Item] = {}
    notes: list[Note] = []
    served: set[tuple[str, ...]] = set()
    for endpoint in sorted(found, key=lambda e: e["ServiceName"]):
        service = str(endpoint["ServiceName"]).removeprefix(f"com.amazonaws.{where.region}.")
        what = f"VPC endpoint {endpoint['VpcEndpointId']} ({service}) of network {vpc.name}"
        if endpoint["VpcEndpointType"] == GATEWAY and service in GATEWAY_SERVICES:
            tiers = tuple(
                sorted({table_tier.get(t, "?") for t in endpoint.get("RouteTableIds", [])})
            )
            served.add(tiers)
            gateway[service] = endpoint
        elif endpoint["VpcEndpointType"] == "Interface":
            interface[service] = endpoint
        else:
            notes.append(
                Note(NOT_EXPRESSIBLE, what, "lz makes gateway and interface endpoints only")
            )
    order = [t.name for t in vpc.tiers]
    only = next(iter(served)) if len(served) == 1 else ("?",)
    gateway_tiers = None if "?" in only else sorted(only, key=order.index)
    if gateway and gateway_tiers is None:
        notes += [
            Note(
                NOT_EXPRESSIBLE,
                f"VPC endpoint {e['VpcEndpointId']} of network {vpc.name}",
                "its route tables are not those of the same tiers as the others; left as it is",
            )
            for e in gateway.values()
        ]
        gateway = {}
    first = (gateway_tiers or private or [""])[0]
    group = _endpoint_group(vpc) if interface else None
    for service, endpoint in sorted(interface.items()):
        tiers_of = {subnet_tier.get(s) for s in endpoint.get("SubnetIds", [])}
        groups = [g["GroupId"] for g in endpoint.get("Groups", [])]
        fits = (
            tiers_of == {first}
            and len(endpoint.get("SubnetIds", [])) == len(vpc.tiers[0].subnets)
            and endpoint.get("PrivateDnsEnabled")
            and group is not None
            and groups == [group["GroupId"]]
        )
        if not fits:
            notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    f"VPC endpoint {endpoint['VpcEndpointId']} ({service}) of network {vpc.name}",
                    f"lz makes an interface endpoint in every subnet of the first endpoint tier, "
                    f"private DNS on, with its own security group {vpc.name}-endpoints "
                    "(HTTPS from the VPC); left as it is",
                )
            )
            interface.pop(service)
    if not gateway and not interface:
        return notes
    entry: dict[str, Any] = {}
    if gateway:
        entry["gateway"] = sorted(gateway)
    if interface:
        entry["interface"] = sorted(interface)
        assert group is not None
        vpc.known[vpc.address(at.security_group, "endpoints")] = group["GroupId"]
        parts.append(group)
    wanted = gateway_tiers or [first]
    if wanted != private[: len(wanted)] or len(wanted) != len(private):
        entry["tiers"] = wanted
    for service, endpoint in {**gateway, **interface}.items():
        vpc.known[vpc.address(at.vpc_endpoint, service)] = endpoint["VpcEndpointId"]
        parts.append(endpoint)
    vpc.entry["endpoints"] = entry
    return notes


def _endpoint_group(vpc: Vpc) -> Item | None:
    """The security group lz would give the interface endpoints, if it exists as lz makes it."""
    name = f"{vpc.name}-endpoints"
    for group in vpc.where.items["security_group"]:
        if group.get("VpcId") != vpc.id or group.get("GroupName") != name:
            continue
        rules = group.get("IpPermissions", [])
        ranges = [r.get("CidrIp") for p in rules for r in p.get("IpRanges", [])]
        if (
            group.get("Description") == f"HTTPS from {vpc.name} to its interface endpoints"
            and len(rules) == 1
            and (rules[0].get("IpProtocol"), rules[0].get("FromPort"), rules[0].get("ToPort"))
            == ("tcp", 443, 443)
            and ranges == [vpc.item["CidrBlock"]]
            and not rules[0].get("UserIdGroupPairs")
        ):
            return group
    return None
