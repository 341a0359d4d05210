"""The typed shape of the networking sections: address pools, networks, peerings,
transit gateways and private DNS (the contract in docs/spec.md).

Like `schema.py`, models are strict. Rules that need the whole spec (names
that must exist, CIDRs that must not overlap, segmentation that must be
possible) live in `spec/network_checks.py`, which has the provenance.
"""

from __future__ import annotations

from pydantic import Field

from landingzone.spec.strict import StrictModel

# Names of networks, tiers, peerings, transit gateways and their route tables:
# they end up in addresses and Name tags, so no "/" and no spaces.
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$"

# The spec sections this module defines (entries of each are independent).
NETWORK_SECTIONS = ("address_pools", "networks", "peerings", "transit_gateways", "dns")


class AddressPool(StrictModel):
    """A range networks take their CIDR from: one block of `prefix` bits each."""

    cidr: str
    prefix: int = Field(16, ge=16, le=28)


class Tier(StrictModel):
    """A tier of subnets (one per zone) sharing one route table."""

    public: bool = False  # route 0.0.0.0/0 to the network's internet gateway
    nat: bool = False  # route 0.0.0.0/0 to the network's NAT gateway
    # The VPC block it uses; default: its position among the tiers that set no slot.
    slot: int | None = Field(None, ge=0)


class Layout(StrictModel):
    """How a VPC is cut into subnets: `tiers` equal blocks, each cut into `zones` subnets."""

    tiers: int = Field(4, gt=0)
    zones: int = Field(4, gt=0)


class Endpoints(StrictModel):
    """VPC endpoints, with a switch that removes them (and brings them back) as a whole."""

    enabled: bool = True
    gateway: list[str] = Field(default_factory=list)  # s3, dynamodb
    interface: list[str] = Field(default_factory=list)  # ecr.api, logs, ...
    tiers: list[str] | None = None  # default: every tier that is not public


class Network(StrictModel):
    """One VPC in one account and region."""

    account: str
    region: str | None = None  # default: organization.home_region
    cidr: str | None = None  # explicit, or:
    pool: str | None = None  # allocated from this address pool
    slot: int | None = Field(None, ge=0)  # the pool block to use (default: from the name)
    zones: int | list[str] = 2  # a count (zones a, b, ...) or the zone letters
    layout: Layout = Field(default_factory=Layout)
    tiers: dict[str, Tier] = Field(min_length=1)
    endpoints: Endpoints = Field(default_factory=Endpoints)
    tags: dict[str, str] = Field(default_factory=dict)


class PeeringSide(StrictModel):
    """One end of a peering: a network and the tiers that route to the other end."""

    network: str
    tiers: list[str] = Field(min_length=1)


class Peering(StrictModel):
    """A VPC peering connection: created by the requester, accepted by the accepter."""

    requester: PeeringSide
    accepter: PeeringSide
    same_account: bool = False  # both networks in one account: say so on purpose
    tags: dict[str, str] = Field(default_factory=dict)


class Share(StrictModel):
    """Accounts a resource is shared with: by name, or every account of a unit."""

    accounts: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)


class Attachment(StrictModel):
    """How a network joins a transit gateway."""

    tier: str | None = None  # its subnets hold the attachment (default: first non-public)
    route_tiers: list[str] | None = None  # tiers routing to the gateway (default: all)


class TransitGateway(StrictModel):
    """A transit gateway owned by one account and shared through RAM."""

    account: str
    region: str | None = None  # default: organization.home_region
    asn: int = Field(64512, ge=64512, le=4294967294)
    description: str = ""
    share: Share = Field(default_factory=Share)
    attachments: dict[str, Attachment] = Field(default_factory=dict)
    # Route tables by name, each listing the networks associated with it.
    # An attached network in none of them gets a route table of its own.
    route_tables: dict[str, list[str]] = Field(default_factory=dict)
    # Which networks reach which (both ways: replies need a route back).
    reach: dict[str, list[str]] = Field(default_factory=dict)
    tags: dict[str, str] = Field(default_factory=dict)


class HostedZone(StrictModel):
    """A private hosted zone, keyed by its domain name."""

    account: str  # the owner
    networks: list[str] = Field(min_length=1)  # associated VPCs, in any account
    comment: str = ""
    tags: dict[str, str] = Field(default_factory=dict)
