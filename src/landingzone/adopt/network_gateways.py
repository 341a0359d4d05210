"""`lz import --include network`: transit gateways as the `transit_gateways` section.

A gateway is written, whole, when lz's model says it exactly (docs/network.md,
"How segmentation becomes route tables"): its options are lz's (default
association and propagation off, auto-accept off, DNS support on); each of its
attachments holds every subnet of one tier of a written network; each
attachment is associated with one route table, and the propagations are those
lz derives from a two-way `reach`; the VPC routes to it are each routing
tier's routes to the VPC CIDR of every network its network reaches; a RAM
share of it (at most one, of it alone, named like it, with accounts of the
organization) needs RAM sharing with the organization. Otherwise it is named
in the report with the first reason, and left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from ipaddress import IPv4Network
from typing import Any

from landingzone.adopt.layout import slug
from landingzone.adopt.network_model import (
    Unfit,
    Vpc,
    common_tags,
    owned_reason,
    owner,
    unique,
)
from landingzone.adopt.network_read import AccountNetworks
from landingzone.adopt.report import NOT_EXPRESSIBLE, OWNED, Note
from landingzone.network.segments import gateway_tables, reach_sets
from landingzone.resources import network_addresses as at
from landingzone.resources.ec2_view import Item, tags_of
from landingzone.resources.gateway_route_tables import associated_here
from landingzone.resources.transit_gateway import GATEWAY_OPTIONS, OPTIONS
from landingzone.spec.network import NAME_PATTERN, Attachment, TransitGateway

DEFAULT_ASN = 64512


@dataclass
class Gateways:
    """The section, the IDs of what it declares by address, and the notes."""

    entries: dict[str, Any] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def gateways_section(
    accounts: list[AccountNetworks], written: list[Vpc], sharing: bool
) -> Gateways:
    """Every transit gateway an account owns, written or named in the notes."""
    result = Gateways()
    keys = {a.account_id: a.account for a in accounts}
    attachments = {
        a["TransitGatewayAttachmentId"]: a
        for here in accounts
        for a in here.items["transit_gateway_attachment"]
    }
    for here in accounts:
        for gateway in here.items["transit_gateway"]:
            if gateway.get("OwnerId") != here.account_id:
                continue
            what = f"transit gateway {gateway['TransitGatewayId']} in {here.label}"
            other = owner(gateway)
            if other:
                result.notes.append(Note(OWNED, what, owned_reason(other)))
                continue
            mine = [
                a
                for a in attachments.values()
                if a["TransitGatewayId"] == gateway["TransitGatewayId"]
            ]
            try:
                name, entry, known = _gateway(
                    here, gateway, mine, written, keys, sharing, set(result.entries)
                )
            except Unfit as exc:
                result.notes.append(
                    Note(NOT_EXPRESSIBLE, what, f"{exc}; not written, left as it is")
                )
                continue
            result.entries[name] = entry
            result.known.update(known)
    result.entries = dict(sorted(result.entries.items()))
    return result


def _gateway(
    here: AccountNetworks,
    gateway: Item,
    attached: Iterable[Item],
    written: list[Vpc],
    keys: dict[str, str],
    sharing: bool,
    taken: set[str],
) -> tuple[str, dict[str, Any], dict[str, str]]:
    gid = gateway["TransitGatewayId"]
    options = gateway.get("Options", {})
    for ours, theirs in OPTIONS.items():
        if options.get(theirs) != GATEWAY_OPTIONS[ours]:
            raise Unfit(
                f"its {theirs} is {options.get(theirs)}; lz keeps it {GATEWAY_OPTIONS[ours]}"
            )
    share = _share(here, gateway)
    name = _name(gateway, share, taken)
    by_vpc = {v.id: v for v in written}
    networks: dict[str, tuple[Vpc, str]] = {}  # attachment ID -> network, tier
    for attachment in attached:
        vpc = by_vpc.get(attachment["VpcId"])
        if vpc is None:
            raise Unfit(
                f"its attachment {attachment['TransitGatewayAttachmentId']} is of VPC "
                f"{attachment['VpcId']}, not written as a network"
            )
        subnets = set(attachment.get("SubnetIds", []))
        tier = next(
            (t.name for t in vpc.tiers if {s["SubnetId"] for s in t.subnets.values()} == subnets),
            None,
        )
        if tier is None or attachment.get("State") != "available":
            raise Unfit(
                f"its attachment {attachment['TransitGatewayAttachmentId']} is not available "
                f"in every subnet of one tier of {vpc.name}"
            )
        networks[attachment["TransitGatewayAttachmentId"]] = (vpc, tier)
    members, propagated, table_ids = _tables(here, gid, networks)
    reach: dict[str, set[str]] = {}
    for table, names in members.items():
        for member in names:
            reach.setdefault(member, set()).update(propagated[table] - {member})
    spec_reach = {
        source: sorted(t for t in targets if t > source)
        for source, targets in sorted(reach.items())
    }
    spec_reach = {s: t for s, t in spec_reach.items() if t}
    route_tables = {
        table: sorted(names) for table, names in sorted(members.items()) if sorted(names) != [table]
    }
    attachment_entries: dict[str, dict[str, Any]] = {v.name: {} for v, _ in networks.values()}
    model = TransitGateway(
        account=here.account,
        attachments={n: Attachment() for n in attachment_entries},
        route_tables=route_tables,
        reach=spec_reach,
    )
    derived = {t.name: (set(t.members), set(t.propagations)) for t in gateway_tables(model)}
    live = {t: (members[t], propagated[t]) for t in members}
    if derived != live:
        raise Unfit(
            "its route tables' associations and propagations are not those lz derives "
            "from a two-way `reach`"
        )
    entry: dict[str, Any] = {"account": here.account}
    asn = options.get("AmazonSideAsn", DEFAULT_ASN)
    if asn != DEFAULT_ASN:
        entry["asn"] = asn
    if gateway.get("Description"):
        entry["description"] = gateway["Description"]
    known = {at.transit_gateway(here.account, here.region, name): gid}
    parts: list[Item] = [gateway]
    if share is not None:
        if not sharing:
            raise Unfit(
                "it is shared, and RAM sharing with the organization is off (lz shares "
                "within the organization)"
            )
        principals = [keys.get(p) for p in share["principals"] if p != here.account_id]
        if None in principals or share.get("allowExternalPrincipals"):
            raise Unfit(
                f"its RAM share {share['name']} is with principals other than accounts of "
                "the organization"
            )
        entry["share"] = {"accounts": sorted(str(p) for p in principals)}
        known[at.resource_share(here.account, here.region, name)] = share["resourceShareArn"]
        parts.append(
            {"Tags": [{"Key": t["key"], "Value": t["value"]} for t in share.get("tags", [])]}
        )
    reach_of = reach_sets(model)
    cidrs = {v.name: str(IPv4Network(v.item["CidrBlock"])) for v in written}
    consumed: list[tuple[Vpc, str, str]] = []
    for attachment_id, (vpc, tier) in sorted(networks.items(), key=lambda i: i[1][0].name):
        written_as: dict[str, Any] = {}
        if tier != _default_tier(vpc):
            written_as["tier"] = tier
        wanted = {cidrs[n] for n in reach_of[vpc.name]}
        routing = _route_tiers(vpc, gid, wanted, consumed)
        if routing is not None:
            written_as["route_tiers"] = routing
        attachment_entries[vpc.name] = written_as
        address = at.gateway_attachment(vpc.where.account, vpc.where.region, name, vpc.name)
        known[address] = attachment_id
        if vpc.where.account not in (here.account, *entry.get("share", {}).get("accounts", [])):
            raise Unfit(f"{vpc.name} is attached from an account the gateway is not shared with")
    for table, table_id in table_ids.items():
        known[at.gateway_route_table(here.account, here.region, name, table)] = table_id
    for vpc, tier, destination in consumed:
        vpc.routes[tier].pop(destination)
    entry["attachments"] = dict(sorted(attachment_entries.items()))
    if route_tables:
        entry["route_tables"] = route_tables
    if spec_reach:
        entry["reach"] = spec_reach
    parts += [a for a in attached]
    parts += [
        t
        for t in here.items["transit_gateway_route_table"]
        if t["TransitGatewayRouteTableId"] in table_ids.values()
    ]
    tags = common_tags(parts)
    if tags:
        entry["tags"] = tags
    return name, entry, known


def _default_tier(vpc: Vpc) -> str:
    """The tier an attachment holds when the spec names none: the first not public."""
    return next((t.name for t in vpc.tiers if not t.public), vpc.tiers[0].name)


def _route_tiers(
    vpc: Vpc, gid: str, wanted: set[str], consumed: list[tuple[Vpc, str, str]]
) -> list[str] | None:
    """The tiers that route to every network this one reaches (None: every tier, or it
    reaches none); their routes go to `consumed`."""
    if not wanted:
        return None
    routing = []
    for tier in vpc.tiers:
        to_gateway = {d for d, t in vpc.routes[tier.name].items() if t == gid and d in wanted}
        if not to_gateway:
            continue
        if to_gateway != wanted:
            missing = ", ".join(sorted(wanted - to_gateway))
            raise Unfit(f"tier {tier.name} of {vpc.name} has no route to {missing} through it")
        routing.append(tier.name)
        consumed += [(vpc, tier.name, d) for d in sorted(to_gateway)]
    if not routing:
        raise Unfit(f"no tier of {vpc.name} routes to the networks it reaches through it")
    return None if len(routing) == len(vpc.tiers) else routing


def _share(here: AccountNetworks, gateway: Item) -> dict[str, Any] | None:
    """The RAM share of the gateway, if it is shared (only one, of it alone)."""
    gid = gateway["TransitGatewayId"]
    holding = [s for s in here.shares if any(r.endswith(f"/{gid}") for r in s["resources"])]
    if len(holding) > 1:
        raise Unfit(f"{len(holding)} RAM shares hold it; lz makes one")
    if holding and len(holding[0]["resources"]) > 1:
        raise Unfit(f"its RAM share {holding[0]['name']} holds other resources too")
    return holding[0] if holding else None


def _name(gateway: Item, share: dict[str, Any] | None, taken: set[str]) -> str:
    """The gateway's name: its share's (lz names the share after it), else the one in lz's
    address tag, else its Name made a slug, else its ID."""
    if share is not None:
        if not re.match(NAME_PATTERN, share["name"]) or share["name"] in taken:
            raise Unfit(f"its RAM share's name {share['name']!r} cannot be the gateway's name")
        return str(share["name"])
    tags = tags_of(gateway)
    tagged = tags.get(at.ADDRESS_TAG, "")
    wanted = tagged.rsplit("/", 1)[-1] if tagged.startswith("transit_gateway:") else ""
    if not wanted:
        wanted = slug(tags["Name"]) if tags.get("Name") else str(gateway["TransitGatewayId"])
    return unique(wanted, taken)


def _tables(
    here: AccountNetworks, gid: str, networks: dict[str, tuple[Vpc, str]]
) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    """Each route table's associated and propagated networks, and its ID, by name."""
    members: dict[str, set[str]] = {}
    propagated: dict[str, set[str]] = {}
    ids: dict[str, str] = {}
    seen: list[str] = []
    for table in here.items["transit_gateway_route_table"]:
        if table["TransitGatewayId"] != gid:
            continue
        tid = table["TransitGatewayRouteTableId"]
        associated = [
            a["TransitGatewayAttachmentId"]
            for a in here.items["owner_attachments"]
            if associated_here(a, tid)
        ]
        if not associated:
            continue  # lz derives none such; it stays as it is
        unknown = [a for a in [*associated, *here.propagations.get(tid, [])] if a not in networks]
        if unknown:
            raise Unfit(f"its route table {tid} routes for attachment {unknown[0]}, not written")
        tags = tags_of(table)
        tagged = tags.get(at.ADDRESS_TAG, "")
        if tagged.startswith("transit_gateway_route_table:"):
            name = tagged.rsplit("/", 1)[-1]
        else:
            name = slug(tags.get("Name", "")) if tags.get("Name") else tid
        if name in ids:
            raise Unfit(f"two of its route tables would be named {name}")
        ids[name] = tid
        members[name] = {networks[a][0].name for a in associated}
        propagated[name] = {networks[a][0].name for a in here.propagations.get(tid, [])}
        seen += associated
    if sorted(seen) != sorted(networks):
        raise Unfit("each attachment is associated with exactly one route table in lz's model")
    return members, propagated, ids
