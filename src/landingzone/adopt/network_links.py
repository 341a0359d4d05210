"""`lz import --include network`: the networking sections as a whole.

Networks come from `adopt/network.py`. A peering is written when both of its
VPCs are and its routes are exactly those lz derives (docs/spec.md,
peerings): each requester tier routes to every subnet of the accepter tiers,
and the other way round. Routes left over (to a transit gateway, a peering
lz does not write, anything else) stay as they are and are named in the
report. Transit gateways are in `adopt/network_gateways.py`, private zones in
`adopt/network_zones.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any

from landingzone.adopt.layout import NETWORK_FILE
from landingzone.adopt.network import vpcs
from landingzone.adopt.network_gateways import gateways_section
from landingzone.adopt.network_model import Vpc, labelled, owned_reason, owner, unique
from landingzone.adopt.network_read import AccountNetworks, NetworkReads
from landingzone.adopt.network_zones import zones_section
from landingzone.adopt.output import spec_problems
from landingzone.adopt.report import NOT_EXPRESSIBLE, OWNED, Note
from landingzone.resources import network_addresses as at
from landingzone.resources.ec2_view import Item, tags_of

MAX_NAMED = 3


@dataclass
class NetworkImport:
    """The networking sections to write, the IDs of what they declare, and the notes."""

    sections: dict[str, Any] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)  # address -> ID
    notes: list[Note] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        """How many networks, peerings and private zones are written."""
        return {
            "networks": len(self.sections.get("networks", {})),
            "peerings": len(self.sections.get("peerings", {})),
            "transit gateways": len(self.sections.get("transit_gateways", {})),
            "private zones": len(self.sections.get("dns", {})),
        }


def network_import(reads: NetworkReads) -> NetworkImport:
    """The networking sections for what was read (see the module docstring)."""
    result = NetworkImport(notes=list(reads.notes))
    written: list[Vpc] = []
    taken: set[str] = set()
    accounts = sorted(reads.accounts, key=lambda f: (f.account, f.region))
    for here in accounts:
        made, notes = vpcs(here, taken)
        written += made
        result.notes += notes
    peerings = _peerings(accounts, written, result)
    gateways = gateways_section(accounts, written, reads.organization_sharing)
    result.known.update(gateways.known)
    result.notes += gateways.notes
    for vpc in written:
        result.known.update(vpc.known)
        for tier, routes in sorted(vpc.routes.items()):
            for destination, target in sorted(routes.items()):
                result.notes.append(
                    Note(
                        NOT_EXPRESSIBLE,
                        f"route {destination} -> {target or '?'} in network {vpc.name}, "
                        f"tier {tier} ({vpc.where.label})",
                        "lz does not derive it from the spec; left as it is (lz never touches "
                        "routes it does not declare)",
                    )
                )
    if written:
        result.sections["networks"] = {v.name: v.entry for v in sorted(written, key=_key)}
    if peerings:
        result.sections["peerings"] = dict(sorted(peerings.items()))
    if gateways.entries:
        result.sections["transit_gateways"] = gateways.entries
    zones, known, notes = zones_section(accounts, written)
    if zones:
        result.sections["dns"] = zones
    result.known.update(known)
    result.notes += notes
    return result


def refused(files: Mapping[str, str]) -> str | None:
    """What `lz validate` says against the written networking sections, if anything (a
    safety net: what the readers write is meant to pass)."""
    found = [str(p) for p in spec_problems(files) if p.location and p.location.file == NETWORK_FILE]
    return "; ".join(found[:MAX_NAMED]) or None


def _key(vpc: Vpc) -> str:
    return vpc.name


def _peerings(
    accounts: list[AccountNetworks], written: list[Vpc], result: NetworkImport
) -> dict[str, Any]:
    """Active peerings between written networks whose routes lz derives the same."""
    by_id = {v.id: v for v in written}
    seen: dict[str, tuple[AccountNetworks, Item]] = {}
    for here in accounts:
        for item in here.items["vpc_peering"]:
            requester = item["RequesterVpcInfo"]
            if item.get("Status", {}).get("Code") == "active" and (
                requester.get("OwnerId") == here.account_id
                or item["VpcPeeringConnectionId"] not in seen
            ):
                seen[item["VpcPeeringConnectionId"]] = (here, item)
    taken: set[str] = set()
    entries: dict[str, Any] = {}
    for pcx, (here, item) in sorted(seen.items()):
        what = f"VPC peering {pcx} in {here.label}"
        requester = by_id.get(item["RequesterVpcInfo"]["VpcId"])
        accepter = by_id.get(item["AccepterVpcInfo"]["VpcId"])
        other = owner(item)
        if other:
            result.notes.append(Note(OWNED, what, owned_reason(other)))
            continue
        if requester is None or accepter is None:
            result.notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    what,
                    "one of its VPCs is not written as a network (see above, or outside the "
                    "organization or the home region); left as it is",
                )
            )
            continue
        sides = _sides(pcx, requester, accepter)
        if sides is None:
            result.notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    what,
                    f"its routes are not the ones lz derives (each tier of {requester.name} "
                    f"that routes to it reaches every subnet of whole tiers of {accepter.name}, "
                    "and back); left as it is",
                )
            )
            continue
        name = _name(item, f"{requester.name}-{accepter.name}", taken)
        entry: dict[str, Any] = {
            "requester": {"network": requester.name, "tiers": sides[0]},
            "accepter": {"network": accepter.name, "tiers": sides[1]},
        }
        if requester.where.account == accepter.where.account:
            entry["same_account"] = True
        tags = labelled(tags_of(item))
        if tags:
            entry["tags"] = tags
        entries[name] = entry
        where = requester.where
        result.known[at.vpc_peering(where.account, where.region, name)] = pcx
    return entries


def _sides(pcx: str, requester: Vpc, accepter: Vpc) -> tuple[list[str], list[str]] | None:
    """The tiers of each side that route to subnets of the other through the peering, if lz
    would derive exactly those routes (other routes through it stay as they are)."""
    routing: list[dict[str, set[IPv4Network]]] = []
    reached: list[set[str]] = []
    for here, there in ((requester, accepter), (accepter, requester)):
        tiers: dict[str, set[IPv4Network]] = {}
        for tier, routes in here.routes.items():
            to_subnets = {
                IPv4Network(d)
                for d, target in routes.items()
                if target == pcx and there.tier_of_subnet(IPv4Network(d))
            }
            if to_subnets:
                tiers[tier] = to_subnets
        names = {
            t.name for dests in tiers.values() for d in dests if (t := there.tier_of_subnet(d))
        }
        subnets = {
            IPv4Network(s["CidrBlock"])
            for t in there.tiers
            if t.name in names
            for s in t.subnets.values()
        }
        if not tiers or any(dests != subnets for dests in tiers.values()):
            return None
        routing.append(tiers)
        reached.append(names)
    if set(routing[0]) != reached[1] or set(routing[1]) != reached[0]:
        return None
    for vpc, tiers in zip((requester, accepter), routing, strict=True):
        for tier, dests in tiers.items():
            for destination in dests:
                vpc.routes[tier].pop(str(destination))
    return (
        [t.name for t in requester.tiers if t.name in routing[0]],
        [t.name for t in accepter.tiers if t.name in routing[1]],
    )


def _name(item: Item, wanted: str, taken: set[str]) -> str:
    """The peering's name: the one in lz's address tag, else `wanted`."""
    tagged = tags_of(item).get(at.ADDRESS_TAG, "")
    if tagged.startswith("vpc_peering:"):
        wanted = at.parse(tagged).rest
    return unique(wanted, taken)
