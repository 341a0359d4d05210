"""`lz import --include network`: private hosted zones as the `dns` section.

A private zone is written when at least one VPC of its owner's account that it
is associated with is written as a network (AWS creates a zone with one); it
lists every written network it is associated with. Associations with VPCs
that are not written stay as they are and are named in the report, and so is
a zone lz cannot key (two private zones of one name, a name not in
lowercase). The zone is adopted by its ID, like the networks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from landingzone.adopt.network_model import Vpc, labelled, owned_reason
from landingzone.adopt.network_read import AccountNetworks
from landingzone.adopt.owners import owner_of
from landingzone.adopt.report import NOT_EXPRESSIBLE, OWNED, Note
from landingzone.resources import network_addresses as at


def zones_section(
    accounts: Iterable[AccountNetworks], written: list[Vpc]
) -> tuple[dict[str, Any], dict[str, str], list[Note]]:
    """The `dns` section, the zones' IDs by address, and notes for what stays outside."""
    by_id = {v.id: v for v in written}
    entries: dict[str, Any] = {}
    known: dict[str, str] = {}
    notes: list[Note] = []
    for here in accounts:
        for zone in sorted(here.zones, key=lambda z: (z["Name"], z["Id"])):
            name = str(zone["Name"]).rstrip(".")
            what = f"private hosted zone {name} in account {here.account} ({here.account_id})"
            tags = dict(zone.get("Tags", {}))
            other = owner_of(tags.get("Name", ""), tags)
            networks = [by_id[v] for v in zone["VPCs"] if v in by_id]
            reason = ""
            if other:
                notes.append(Note(OWNED, what, owned_reason(other)))
                continue
            if name != name.lower():
                reason = "its name is not in lowercase, as the spec keys zones"
            elif name in entries:
                reason = "another private zone has the same name; the spec keys zones by name"
            elif not any(n.where.account == here.account for n in networks):
                reason = (
                    "none of its VPCs in its owner's account is written as a network (AWS "
                    "creates a zone with one)"
                )
            if reason:
                notes.append(Note(NOT_EXPRESSIBLE, what, f"{reason}; left as it is"))
                continue
            for vpc_id in sorted(set(zone["VPCs"]) - set(by_id)):
                notes.append(
                    Note(
                        NOT_EXPRESSIBLE,
                        f"association of private hosted zone {name} with VPC {vpc_id}",
                        "the VPC is not written as a network; the association stays as it is",
                    )
                )
            entry: dict[str, Any] = {
                "account": here.account,
                "networks": sorted(n.name for n in networks),
            }
            comment = zone.get("Config", {}).get("Comment") or ""
            if comment:
                entry["comment"] = comment
            if labelled(tags):
                entry["tags"] = labelled(tags)
            entries[name] = entry
            known[at.hosted_zone(here.account, name)] = str(zone["Id"]).rsplit("/", 1)[-1]
    return dict(sorted(entries.items())), known, notes
