"""A network's addresses as the spec implies them: its CIDR, its tiers and their subnets.

The graph builds VPCs and subnets from these plans, the reachability analysis
reasons about them before anything exists, and the checks use them to find
overlaps. Every function here expects a network the checks accepted.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from ipaddress import IPv4Network

from landingzone.network import cidr
from landingzone.spec.network import Network, Tier
from landingzone.spec.schema import Spec


@dataclass(frozen=True)
class SubnetPlan:
    """One subnet: a tier in one availability zone."""

    network: str
    tier: str
    zone: str  # the zone letter, "a"
    az: str  # the availability zone, "us-east-1a"
    cidr: IPv4Network


@dataclass(frozen=True)
class TierPlan:
    """A tier: its slot in the VPC, its routing to the internet, its subnets."""

    name: str
    slot: int
    public: bool
    nat: bool
    subnets: tuple[SubnetPlan, ...]


@dataclass(frozen=True)
class NetworkPlan:
    """A VPC: where it lives, its CIDR and its tiers (in slot order)."""

    name: str
    account: str
    region: str
    cidr: IPv4Network
    tiers: tuple[TierPlan, ...]

    def tier(self, name: str) -> TierPlan:
        """The tier called `name`."""
        return next(t for t in self.tiers if t.name == name)

    @property
    def public(self) -> bool:
        """True when some tier routes to the internet gateway."""
        return any(t.public for t in self.tiers)

    @property
    def nat_subnet(self) -> SubnetPlan | None:
        """Where the NAT gateway goes when some tier uses one: the first public subnet."""
        if not any(t.nat for t in self.tiers):
            return None
        return next((t.subnets[0] for t in self.tiers if t.public), None)

    def private_tiers(self) -> list[str]:
        """Tiers that are not public, in slot order."""
        return [t.name for t in self.tiers if not t.public]


def zone_letters(zones: int | list[str]) -> list[str]:
    """The zone letters of a network: `2` is a and b; a list is taken as written."""
    if isinstance(zones, int):
        return list(string.ascii_lowercase[:zones])
    return list(zones)


def tier_slots(tiers: dict[str, Tier]) -> dict[str, int]:
    """Each tier's slot: the one it sets, else its position among the tiers that set none
    (so a tier added with a slot, anywhere, moves no other tier)."""
    unset = [name for name, tier in tiers.items() if tier.slot is None]
    return {
        name: tier.slot if tier.slot is not None else unset.index(name)
        for name, tier in tiers.items()
    }


def network_region(spec: Spec, network: Network) -> str:
    """The network's region: its own, else the organization's home region."""
    return network.region or spec.organization.home_region


def network_cidr(spec: Spec, network: Network, name: str) -> IPv4Network:
    """The VPC CIDR: written in the spec, or block `slot` of its pool."""
    if network.cidr is not None:
        found = cidr.parse(network.cidr)
        assert found is not None, f"network {name}: unchecked CIDR"
        return found
    assert network.pool is not None, f"network {name}: no CIDR and no pool"
    pool = spec.address_pools[network.pool]
    pool_cidr = cidr.parse(pool.cidr)
    assert pool_cidr is not None, f"pool {network.pool}: unchecked CIDR"
    blocks = cidr.block_count(pool_cidr, pool.prefix)
    slot = network.slot if network.slot is not None else cidr.name_slot(name, blocks)
    return cidr.block(pool_cidr, pool.prefix, slot)


def plan_network(spec: Spec, name: str) -> NetworkPlan:
    """The plan of one network of the spec."""
    network = spec.networks[name]
    region = network_region(spec, network)
    vpc = network_cidr(spec, network, name)
    letters = zone_letters(network.zones)
    slots = tier_slots(network.tiers)
    tiers = []
    for tier_name, tier in sorted(network.tiers.items(), key=lambda item: slots[item[0]]):
        subnets = tuple(
            SubnetPlan(
                network=name,
                tier=tier_name,
                zone=letter,
                az=f"{region}{letter}",
                cidr=cidr.subnet(
                    vpc, network.layout.tiers, network.layout.zones, slots[tier_name], position
                ),
            )
            for position, letter in enumerate(letters)
        )
        tiers.append(TierPlan(tier_name, slots[tier_name], tier.public, tier.nat, subnets))
    return NetworkPlan(name, network.account, region, vpc, tuple(tiers))


def plan_networks(spec: Spec) -> dict[str, NetworkPlan]:
    """The plans of every network of a valid spec, by name."""
    return {name: plan_network(spec, name) for name in spec.networks}


def attachment_tier(plan: NetworkPlan, tier: str | None) -> str:
    """The tier whose subnets hold a transit gateway attachment: the one named, else the
    first tier that is not public, else the first tier."""
    if tier is not None:
        return tier
    return next(iter(plan.private_tiers()), plan.tiers[0].name)


def endpoint_tiers(plan: NetworkPlan, tiers: list[str] | None) -> list[str]:
    """The tiers a network's endpoints serve: those named, else every tier that is not public."""
    return list(tiers) if tiers is not None else plan.private_tiers()
