"""`lz import --include network`: VPCs as `networks` entries, in lz's network model.

A VPC is written when lz's model says it exactly (docs/network.md): one IPv4
CIDR of /16 to /28, subnets of one size cut from it as tier slots x zone
positions (`layout`), every zone position in every tier, each tier's subnets
explicitly associated with one route table of their own; a tier is `public`
when its table sends 0.0.0.0/0 to the VPC's internet gateway, `nat` when to
the one NAT gateway in the first public subnet. Each part's ID is kept
(`Vpc.known`, by address) so the state step finds what has no address tag.
Anything else is named in the report with the reason and left as it is: a
VPC that does not fit (not written), a default VPC, a VPC another tool owns, a
route lz does not derive, an endpoint lz would make otherwise.

Endpoints are in `adopt/network_endpoints.py`, peerings in `adopt/network_links.py`,
the reads in `adopt/network_read.py`, what is kept of a VPC in `adopt/network_model.py`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from ipaddress import IPv4Network
from typing import Any

from landingzone.adopt.layout import slug
from landingzone.adopt.network_endpoints import endpoints
from landingzone.adopt.network_model import (
    ANYWHERE,
    DEFAULT_SLOTS,
    DEFAULT_ZONES,
    Tier,
    Unfit,
    Vpc,
    common_tags,
    labelled,
    net,
    owned_reason,
    owner,
    unique,
)
from landingzone.adopt.network_read import AccountNetworks
from landingzone.adopt.report import NOT_EXPRESSIBLE, OWNED, Note
from landingzone.resources import network_addresses as at
from landingzone.resources.ec2_view import Item, tags_of
from landingzone.resources.route_tables import route_target


def vpcs(found: AccountNetworks, taken: set[str]) -> tuple[list[Vpc], list[Note]]:
    """The VPCs of one account and region that lz can write, and notes for the rest."""
    written: list[Vpc] = []
    notes: list[Note] = []
    for item in sorted(found.items["vpc"], key=lambda v: v["VpcId"]):
        what = f"VPC {item['VpcId']} ({item['CidrBlock']}) in {found.label}"
        if item.get("IsDefault"):
            notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    what,
                    "a default VPC: lz does not adopt default VPCs (it only removes them, "
                    "with `remove_default_vpcs: true` in a baseline profile)",
                )
            )
            continue
        other = owner(item)
        if other:
            notes.append(Note(OWNED, what, owned_reason(other)))
            continue
        try:
            vpc = _vpc(found, item, _name(found, item, taken))
        except Unfit as exc:
            notes.append(Note(NOT_EXPRESSIBLE, what, f"{exc}; not written, left as it is"))
            continue
        notes += _entry(vpc)
        written.append(vpc)
    return written, notes


def _name(found: AccountNetworks, item: Item, taken: set[str]) -> str:
    """The network's name: the one in lz's address tag, else its Name made a slug."""
    tags = tags_of(item)
    tagged = tags.get(at.ADDRESS_TAG, "")
    if tagged.startswith("vpc:"):
        where = at.parse(tagged)
        if (where.account, where.region) == (found.account, found.region):
            wanted = where.rest
        else:
            wanted = slug(tags.get("Name", "") or item["VpcId"])
    else:
        wanted = slug(tags.get("Name", "") or item["VpcId"])
    return unique(wanted, taken)


def _vpc(found: AccountNetworks, item: Item, name: str) -> Vpc:
    """The VPC as tiers of subnets (raises Unfit, naming what does not fit)."""
    vpc_cidr = IPv4Network(item["CidrBlock"])
    blocks = [
        a
        for a in item.get("CidrBlockAssociationSet", [])
        if a.get("CidrBlockState", {}).get("State") == "associated"
    ]
    if len(blocks) > 1:
        raise Unfit(f"{len(blocks)} IPv4 CIDRs: lz's networks have one")
    if item.get("Ipv6CidrBlockAssociationSet"):
        raise Unfit("an IPv6 CIDR: lz's networks are IPv4 only")
    if not 16 <= vpc_cidr.prefixlen <= 28:
        raise Unfit(f"a /{vpc_cidr.prefixlen} CIDR: lz's networks are /16 to /28")
    subnets = [s for s in found.items["subnet"] if s["VpcId"] == item["VpcId"]]
    if not subnets:
        raise Unfit("no subnets: a network has at least one tier")
    sizes = {net(s).prefixlen for s in subnets}
    if len(sizes) > 1:
        raise Unfit(f"subnets of {len(sizes)} sizes: lz cuts a VPC into equal subnets")
    bits = sizes.pop() - vpc_cidr.prefixlen
    letters = {
        s["SubnetId"]: str(s["AvailabilityZone"]).removeprefix(found.region) for s in subnets
    }
    if any(len(x) != 1 or x not in string.ascii_lowercase for x in letters.values()):
        raise Unfit("a subnet outside the region's lettered availability zones")
    grid = _grid(vpc_cidr, subnets, letters, bits)
    if grid is None:
        raise Unfit(
            "its subnets are not every zone of each tier laid out as lz does "
            "(docs/network.md, Addresses)"
        )
    zone_bits, by_slot, zones = grid
    tables = [t for t in found.items["route_table"] if t["VpcId"] == item["VpcId"]]
    tiers = [_tier(slot, row, tables) for slot, row in sorted(by_slot.items())]
    vpc = Vpc(name, found, item, tiers)
    vpc.entry = {"account": found.account, "cidr": str(vpc_cidr)}
    if zones != list(string.ascii_lowercase[: len(zones)]):
        vpc.entry["zones"] = zones
    elif len(zones) != DEFAULT_ZONES:
        vpc.entry["zones"] = len(zones)
    tier_slots, zone_slots = 2 ** (bits - zone_bits), 2**zone_bits
    if (tier_slots, zone_slots) != (DEFAULT_SLOTS, DEFAULT_SLOTS):
        vpc.entry["layout"] = {"tiers": tier_slots, "zones": zone_slots}
    return vpc


def _grid(
    vpc_cidr: IPv4Network, subnets: list[Item], letters: Mapping[str, str], bits: int
) -> tuple[int, dict[int, dict[str, Item]], list[str]] | None:
    """Zone bits, subnets by tier slot and zone letter, and the zone letters in position
    order: the first cut (default 4 x 4 first) where every tier has the same zones."""
    size = 2 ** (32 - vpc_cidr.prefixlen - bits)
    index = {
        s["SubnetId"]: (int(net(s).network_address) - int(vpc_cidr.network_address)) // size
        for s in subnets
    }
    for zone_bits in sorted(range(bits + 1), key=lambda b: (b != 2 or bits != 4, b)):
        width = 2**zone_bits
        by_slot: dict[int, dict[int, Item]] = {}
        for s in subnets:
            by_slot.setdefault(index[s["SubnetId"]] // width, {})[index[s["SubnetId"]] % width] = s
        positions = {tuple(sorted(row)) for row in by_slot.values()}
        if len(positions) != 1 or list(positions.pop()) != list(
            range(len(subnets) // len(by_slot))
        ):
            continue
        zones = [letters[s["SubnetId"]] for _, s in sorted(next(iter(by_slot.values())).items())]
        same = all(
            [letters[s["SubnetId"]] for _, s in sorted(row.items())] == zones
            for row in by_slot.values()
        )
        if same and len(set(zones)) == len(zones):
            named = {
                slot: {letters[s["SubnetId"]]: s for _, s in sorted(row.items())}
                for slot, row in by_slot.items()
            }
            return zone_bits, named, zones
    return None


def _tier(slot: int, subnets: dict[str, Item], tables: list[Item]) -> Tier:
    """A tier slot's subnets and the one route table they are explicitly associated with."""
    ids = {s["SubnetId"] for s in subnets.values()}
    holding = [
        t
        for t in tables
        if ids & {a.get("SubnetId") for a in t.get("Associations", []) if not a.get("Main")}
    ]
    if len(holding) != 1:
        cidrs = ", ".join(sorted(str(net(s)) for s in subnets.values()))
        reason = "use the VPC's main route table" if not holding else "use several route tables"
        raise Unfit(f"the subnets {cidrs} {reason}: lz gives each tier a route table of its own")
    table = holding[0]
    associated = {a.get("SubnetId") for a in table.get("Associations", []) if a.get("SubnetId")}
    if associated != ids:
        raise Unfit(
            f"route table {table['RouteTableId']} serves subnets of several tiers: lz gives "
            "each tier a route table of its own"
        )
    names = {at.parse(tags_of(s).get(at.ADDRESS_TAG, "x:a/b/c")).rest for s in subnets.values()}
    tagged = {n.split("/")[1] for n in names if n.count("/") == 2}
    name = tagged.pop() if len(tagged) == 1 else ""
    return Tier(name, slot, table, subnets)


def _entry(vpc: Vpc) -> list[Note]:
    """Fill the network's tiers, gateways, endpoints, tags and IDs; notes for what stays."""
    notes: list[Note] = []
    where = vpc.where
    gateways = [
        g
        for g in where.items["internet_gateway"]
        if any(a.get("VpcId") == vpc.id for a in g.get("Attachments", []))
    ]
    nats = {n["NatGatewayId"]: n for n in where.items["nat_gateway"] if n.get("VpcId") == vpc.id}
    for tier in vpc.tiers:
        vpc.routes[tier.name or str(tier.slot)] = {
            str(r["DestinationCidrBlock"]): route_target(r) or ""
            for r in tier.table.get("Routes", [])
            if r.get("DestinationCidrBlock") and r.get("GatewayId") != "local"
        }
    _name_tiers(vpc, gateways, nats)
    first_public = next((t for t in vpc.tiers if t.public), None)
    nat_ids = {vpc.routes[t.name][ANYWHERE] for t in vpc.tiers if t.nat}
    nat_subnet = next(iter(first_public.subnets.values())) if first_public else None
    nat = nats.get(next(iter(nat_ids))) if len(nat_ids) == 1 else None
    if nat_ids and (nat is None or nat_subnet is None or nat["SubnetId"] != nat_subnet["SubnetId"]):
        for tier in vpc.tiers:
            tier.nat = False  # its route to the NAT gateway stays as it is (reported below)
    tiers: dict[str, Any] = {}
    consecutive = [t.slot for t in vpc.tiers] == list(range(len(vpc.tiers)))
    for tier in vpc.tiers:
        entry: dict[str, Any] = {}
        if tier.public:
            entry["public"] = True
            vpc.routes[tier.name].pop(ANYWHERE)
        if tier.nat:
            entry["nat"] = True
            vpc.routes[tier.name].pop(ANYWHERE)
        if not consecutive:
            entry["slot"] = tier.slot
        tiers[tier.name] = entry
        vpc.known[vpc.address(at.route_table, tier.name)] = tier.table["RouteTableId"]
        for letter, subnet in tier.subnets.items():
            vpc.known[vpc.address(at.subnet, tier.name, letter)] = subnet["SubnetId"]
    vpc.entry["tiers"] = tiers
    vpc.known[vpc.address(at.vpc)] = vpc.id
    parts: list[Item] = [vpc.item, *(t.table for t in vpc.tiers)]
    parts += [s for t in vpc.tiers for s in t.subnets.values()]
    if first_public is not None:
        vpc.known[vpc.address(at.internet_gateway)] = gateways[0]["InternetGatewayId"]
        parts.append(gateways[0])
    if any(t.nat for t in vpc.tiers) and nat is not None:
        vpc.known[vpc.address(at.nat_gateway)] = nat["NatGatewayId"]
        parts.append(nat)
    notes += endpoints(vpc, parts)
    common = common_tags(parts)
    if common:
        vpc.entry["tags"] = common
    own = {k: v for k, v in labelled(tags_of(vpc.item)).items() if k not in common}
    if own:
        notes.append(
            Note(
                NOT_EXPRESSIBLE,
                f"tags {', '.join(f'{k}={v}' for k, v in sorted(own.items()))} of VPC {vpc.id} "
                f"(network {vpc.name})",
                "a network's tags go on all of its resources, and its other parts lack them; "
                "left on the VPC as they are",
            )
        )
    return notes


def _name_tiers(vpc: Vpc, gateways: list[Item], nats: Mapping[str, Item]) -> None:
    """Public and NAT tiers by their default route; names from lz's tags, else by role."""
    gateway_ids = {g["InternetGatewayId"] for g in gateways}
    taken = {t.name for t in vpc.tiers if t.name}
    for tier in vpc.tiers:
        routes = vpc.routes.pop(tier.name or str(tier.slot))
        target = routes.get(ANYWHERE, "")
        tier.public = target in gateway_ids
        tier.nat = target in nats
        if not tier.name:
            wanted = "public" if tier.public else "private" if tier.nat else "isolated"
            tier.name = unique(wanted, taken)
        vpc.routes[tier.name] = routes
