"""What `lz import --include network` reads: each account's networking in the home region.

The reads are the plan's own (`resources/ec2_view.py`): one Describe call per
collection, account and region, so the import sees exactly what a plan of the
written spec will see. Accounts are read side by side; an account lz cannot
enter, or a read AWS refuses, is named with the AWS error code, and the other
accounts are still read.

Calls per account: DescribeVpcs, DescribeSubnets, DescribeRouteTables,
DescribeInternetGateways, DescribeNatGateways, DescribeVpcEndpoints,
DescribeSecurityGroups, DescribeVpcPeeringConnections,
DescribeTransitGateways, DescribeTransitGatewayVpcAttachments,
DescribeTransitGatewayAttachments, DescribeTransitGatewayRouteTables,
ListHostedZones; in an account that owns a transit gateway, one
GetTransitGatewayRouteTablePropagations per gateway route table, one
GetResourceShares and two GetResourceShareAssociations (and once, when a
gateway is shared, ListAWSServiceAccessForOrganization); per 10 private zones one
ListTagsForResources, per private zone one GetHostedZone (its VPCs): the reads
of `resources/dns.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from landingzone.adopt.report import UNREADABLE, Note
from landingzone.aws.calls import pages
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import MANAGEMENT, account_address
from landingzone.resources.dns import private_zones, zone_vpcs
from landingzone.resources.ec2_view import Item, view
from landingzone.resources.gateway_route_tables import propagating_to
from landingzone.resources.parallel import caught, in_parallel
from landingzone.resources.ram import RAM_PRINCIPAL, own_shares, share_associations

ACCOUNTS_IN_FLIGHT = 16
COLLECTIONS = (
    "vpc",
    "subnet",
    "route_table",
    "internet_gateway",
    "nat_gateway",
    "vpc_endpoint",
    "security_group",
    "vpc_peering",
    "transit_gateway",
    "transit_gateway_attachment",
    "owner_attachments",
    "transit_gateway_route_table",
)


@dataclass
class AccountNetworks:
    """The networking of one account and region, as described."""

    account: str  # spec key
    account_id: str
    region: str
    items: dict[str, list[Item]] = field(default_factory=dict)  # by collection
    zones: list[dict[str, Any]] = field(default_factory=list)  # private zones, Tags, VPCs
    # Of the transit gateways it owns: each route table's propagating attachments, and
    # the account's RAM shares (ARN, name, tags, principals, resources).
    propagations: dict[str, list[str]] = field(default_factory=dict)
    shares: list[dict[str, Any]] = field(default_factory=list)

    def owns_gateways(self) -> bool:
        """Whether the account owns a transit gateway here."""
        return any(g.get("OwnerId") == self.account_id for g in self.items["transit_gateway"])

    @property
    def label(self) -> str:
        """`account dev (111111111111), us-east-1`."""
        return f"account {self.account} ({self.account_id}), {self.region}"


@dataclass
class NetworkReads:
    """What the network layer read: the accounts, notes on those it could not read, and
    whether RAM shares with the organization (read when some gateway is shared)."""

    accounts: list[AccountNetworks]
    notes: list[Note]
    organization_sharing: bool = False


def read_networks(ctx: Context, accounts: Iterable[tuple[str, str]], region: str) -> NetworkReads:
    """Every account's networking in `region` (`accounts`: key and ID of each), and a
    note for each account that could not be read."""
    listed = list(accounts)
    for key, account_id in listed:
        if key != MANAGEMENT:
            ctx.set_id(account_address(key), account_id)
    tasks = [
        caught(functools.partial(_read_one, ctx, key, account_id, region))
        for key, account_id in listed
    ]
    found: list[AccountNetworks] = []
    notes: list[Note] = []
    for (key, account_id), answer in zip(
        listed, in_parallel(tasks, limit=ACCOUNTS_IN_FLIGHT), strict=True
    ):
        if isinstance(answer, AwsError):
            notes.append(
                Note(
                    UNREADABLE,
                    f"account {key} ({account_id}): reading its networks in {region}",
                    f"{answer.aws_code or 'error'}: {answer}. Skipped: its VPCs, peerings, "
                    "transit gateways and private hosted zones",
                )
            )
        else:
            found.append(answer)
    reads = NetworkReads(found, notes)
    if any(a.shares for a in found):
        enabled = pages(
            ctx.client("organizations"),
            "list_aws_service_access_for_organization",
            "EnabledServicePrincipals",
            resource="organization service access",
        )
        reads.organization_sharing = any(p["ServicePrincipal"] == RAM_PRINCIPAL for p in enabled)
    return reads


def _read_one(ctx: Context, key: str, account_id: str, region: str) -> AccountNetworks:
    here = view(ctx, key, region)
    found = AccountNetworks(key, account_id, region)
    found.items = {collection: here.items(collection) for collection in COLLECTIONS}
    for zone in private_zones(ctx, key):
        vpcs = zone_vpcs(ctx, key, str(zone["Id"]).rsplit("/", 1)[-1])
        found.zones.append({**zone, "VPCs": sorted(vpcs)})
    if found.owns_gateways():
        tables = found.items["transit_gateway_route_table"]
        found.propagations = {
            t["TransitGatewayRouteTableId"]: propagating_to(
                ctx, here, t["TransitGatewayRouteTableId"]
            )
            for t in tables
        }
        found.shares = _shares(ctx, key, account_id, region)
    return found


def _shares(ctx: Context, key: str, account_id: str, region: str) -> list[dict[str, Any]]:
    """The account's active RAM shares, with their principals and resources."""
    ram = ctx.client("ram", key, region)
    place = {"account": account_id, "region": region}
    shares = list(own_shares(ram, place).values())
    entities = share_associations(ram, [s["resourceShareArn"] for s in shares], place)
    return [
        {
            **share,
            "principals": sorted(entities[share["resourceShareArn"]][0]),
            "resources": sorted(entities[share["resourceShareArn"]][1]),
        }
        for share in shares
    ]
