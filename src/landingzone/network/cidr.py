"""Address arithmetic: network CIDRs from address pools, subnet CIDRs from tiers and zones.

Both schemes give every network and subnet a fixed slot, so that the same
spec always gives the same addresses and adding a network, a tier or a zone
never renumbers what exists:

- A pool of prefix P holds 2^(prefix - P) blocks of `prefix` bits. A network
  takes block `slot`, by default sha256(network name) modulo the number of
  blocks: it depends on the network's name only, not on the other networks.
  Two names that land on the same block are a validation error that asks for
  an explicit `slot` on one of them.
- A VPC is cut into `layout.tiers` equal blocks, one per tier slot, and each
  block into `layout.zones` equal subnets, one per zone position. Tier `t` in
  zone position `z` gets subnet `t * layout.zones + z` of the VPC's
  subnets of prefix `vpc prefix + log2(tiers) + log2(zones)`. A tier's slot
  is the one it sets, else its position among the tiers that set none; a
  zone's position is its place in the network's zones.
"""

from __future__ import annotations

import hashlib
from ipaddress import IPv4Network

MIN_VPC_PREFIX = 16  # AWS: a VPC is /16 to /28
MAX_PREFIX = 28  # AWS: the smallest VPC or subnet is a /28


def parse(cidr: str) -> IPv4Network | None:
    """An IPv4 network written in CIDR notation with no host bits set, else None."""
    try:
        return IPv4Network(cidr, strict=True)
    except ValueError:
        return None


def is_power_of_two(count: int) -> bool:
    """True for 1, 2, 4, 8, ..."""
    return count > 0 and count & (count - 1) == 0


def block_count(pool: IPv4Network, prefix: int) -> int:
    """How many blocks of `prefix` bits a pool holds (0 when they are wider than the pool)."""
    return 2 ** (prefix - pool.prefixlen) if prefix >= pool.prefixlen else 0


def name_slot(name: str, blocks: int) -> int:
    """The block a name lands on when it does not choose one: stable across runs and
    machines (sha256, not Python's salted hash)."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % blocks


def block(pool: IPv4Network, prefix: int, index: int) -> IPv4Network:
    """Block `index` (from 0) of `prefix` bits inside `pool`."""
    size = 2 ** (32 - prefix)
    return IPv4Network((int(pool.network_address) + index * size, prefix))


def subnet_prefix(vpc: IPv4Network, tier_slots: int, zone_slots: int) -> int:
    """The prefix of every subnet of a VPC cut into `tier_slots` x `zone_slots` subnets
    (both powers of two)."""
    return vpc.prefixlen + (tier_slots - 1).bit_length() + (zone_slots - 1).bit_length()


def subnet(vpc: IPv4Network, tier_slots: int, zone_slots: int, tier: int, zone: int) -> IPv4Network:
    """The subnet of tier slot `tier` in zone position `zone`."""
    prefix = subnet_prefix(vpc, tier_slots, zone_slots)
    return block(vpc, prefix, tier * zone_slots + zone)
