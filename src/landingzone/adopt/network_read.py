"""What `lz import --include network` reads: each account's networking in the home region.

The reads are the plan's own (`resources/ec2_view.py`): one Describe call per
collection, account and region, so the import sees exactly what a plan of the
written spec will see. Accounts are read side by side; an account lz cannot
enter, or a read AWS refuses, is named with the AWS error code, and the other
accounts are still read.

Calls per account: DescribeVpcs, DescribeSubnets, DescribeRouteTables,
DescribeInternetGateways, DescribeNatGateways, DescribeVpcEndpoints,
DescribeSecurityGroups, DescribeVpcPeeringConnections,
DescribeTransitGateways, ListHostedZones; per 10 private zones one
ListTagsForResources, per private zone one GetHostedZone (its VPCs): the reads
of `resources/dns.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from landingzone.adopt.report import UNREADABLE, Note
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import MANAGEMENT, account_address
from landingzone.resources.dns import private_zones, zone_vpcs
from landingzone.resources.ec2_view import Item, view
from landingzone.resources.parallel import caught, in_parallel

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
)


@dataclass
class AccountNetworks:
    """The networking of one account and region, as described."""

    account: str  # spec key
    account_id: str
    region: str
    items: dict[str, list[Item]] = field(default_factory=dict)  # by collection
    zones: list[dict[str, Any]] = field(default_factory=list)  # private zones, Tags, VPCs

    @property
    def label(self) -> str:
        """`account dev (111111111111), us-east-1`."""
        return f"account {self.account} ({self.account_id}), {self.region}"


def read_networks(
    ctx: Context, accounts: Iterable[tuple[str, str]], region: str
) -> tuple[list[AccountNetworks], list[Note]]:
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
    return found, notes


def _read_one(ctx: Context, key: str, account_id: str, region: str) -> AccountNetworks:
    here = view(ctx, key, region)
    found = AccountNetworks(key, account_id, region)
    found.items = {collection: here.items(collection) for collection in COLLECTIONS}
    for zone in private_zones(ctx, key):
        vpcs = zone_vpcs(ctx, key, str(zone["Id"]).rsplit("/", 1)[-1])
        found.zones.append({**zone, "VPCs": sorted(vpcs)})
    return found
