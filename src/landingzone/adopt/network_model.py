"""What `lz import --include network` knows of one VPC it writes as a network.

`adopt/network.py` finds the VPCs that fit lz's network model and fills these;
`adopt/network_endpoints.py` adds their endpoints, `adopt/network_links.py`
the peerings between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any

from landingzone.adopt.layout import spec_tags
from landingzone.adopt.network_read import AccountNetworks
from landingzone.adopt.owners import owner_of, why
from landingzone.resources import network_addresses as at
from landingzone.resources.ec2_view import Item, tags_of

ANYWHERE = "0.0.0.0/0"
NAME_ROOM = 59  # a name's length before a `-N` suffix (names have at most 63 characters)
DEFAULT_SLOTS = 4  # layout.tiers and layout.zones when not written
DEFAULT_ZONES = 2
_LABELS = {"Name", at.ADDRESS_TAG}


class Unfit(Exception):
    """A VPC lz's network model cannot say; the message is the report's reason."""


@dataclass
class Tier:
    """A tier as found: its slot, route table and subnets (by zone letter)."""

    name: str
    slot: int
    table: Item
    subnets: dict[str, Item]
    public: bool = False
    nat: bool = False


@dataclass
class Vpc:
    """One VPC written as a network: its entry, the IDs of its parts, its live routes."""

    name: str
    where: AccountNetworks
    item: Item
    tiers: list[Tier]
    entry: dict[str, Any] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)  # address -> ID
    # Routes not yet explained (tier -> destination -> target ID): peerings take theirs.
    routes: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The VPC's ID."""
        return str(self.item["VpcId"])

    def address(self, maker: Any, *names: str) -> str:
        """The address of a part of this network (`maker`: a `network_addresses` function)."""
        return str(maker(self.where.account, self.where.region, self.name, *names))

    def tier_of_subnet(self, subnet: IPv4Network) -> Tier | None:
        """The tier holding the subnet with this CIDR."""
        return next((t for t in self.tiers for s in t.subnets.values() if net(s) == subnet), None)


def net(item: Item) -> IPv4Network:
    return IPv4Network(item["CidrBlock"])


def labelled(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags a spec entry holds: not lz's, not AWS's, not a Name or address tag."""
    return {k: v for k, v in spec_tags(tags).items() if k not in _LABELS}


def owner(item: Item) -> str | None:
    """Another tool that owns an EC2 resource (by its Name and tags), or None."""
    tags = tags_of(item)
    found = owner_of(tags.get("Name", ""), tags)
    if found is None and any(k.startswith("aws:cloudformation:stack") for k in tags):
        return "CloudFormation"
    return found


def owned_reason(who: str) -> str:
    """The report's reason for a resource another tool owns."""
    if who == "CloudFormation":
        return (
            "a CloudFormation stack made it (its aws:cloudformation tags say so); change it there"
        )
    return why(who)


def common_tags(parts: list[Item]) -> dict[str, str]:
    """The tags every part has alike: lz puts an entry's tags on all it makes for it."""
    tagged = [labelled(tags_of(p)) for p in parts]
    first = tagged[0] if tagged else {}
    return {k: v for k, v in first.items() if all(t.get(k) == v for t in tagged[1:])}


def unique(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`... if taken (a name of at most 63 characters);
    the result is taken from then on."""
    base = wanted[:NAME_ROOM]
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate
