"""Private hosted zones and their associations with VPCs of any account.

AWS creates a private zone with one VPC of its owner's account. Any other
VPC is associated from the VPC's account; for a VPC of another account the
zone's owner first authorizes the association, and removes the authorization
once the association exists, as AWS recommends.

Reads: one ListHostedZones and one ListTagsForResources per 10 zones per
owner account; associations cost one GetHostedZone per zone (Route 53 has no
batch read of a zone's VPCs).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import (
    Kind,
    ReadGroup,
    is_managed,
    register,
    tag_delta,
    tag_dict,
    tag_list,
)
from landingzone.resources.ec2_kind import where
from landingzone.resources.ec2_view import know, known_id, known_ids, lookup_id
from landingzone.resources.network_addresses import ADDRESS_TAG

TAG_BATCH = 10  # ListTagsForResources takes at most 10 zones


def zone_owner(address: str) -> str:
    """The account of a hosted zone's address (`hosted_zone:OWNER/ZONE`)."""
    return address.partition(":")[2].split("/", 1)[0]


def _zone_id(zone_id: str) -> str:
    return zone_id.rsplit("/", 1)[-1]


def private_zones(ctx: Context, account: str) -> list[dict[str, Any]]:
    """The private zones of an account, each with its tags (read once per run)."""

    def load() -> list[dict[str, Any]]:
        route53 = ctx.client("route53", account)
        zones = [
            dict(z)
            for z in pages(
                route53,
                "list_hosted_zones",
                "HostedZones",
                account=account,
                resource="hosted zones",
            )
            if z.get("Config", {}).get("PrivateZone")
        ]
        for start in range(0, len(zones), TAG_BATCH):
            batch = zones[start : start + TAG_BATCH]
            tag_sets = call(
                route53.list_tags_for_resources,
                ResourceType="hostedzone",
                ResourceIds=[_zone_id(z["Id"]) for z in batch],
                account=account,
                resource="hosted zone tags",
            )["ResourceTagSets"]
            tags = {s["ResourceId"]: tag_dict(s.get("Tags")) for s in tag_sets}
            for zone in batch:
                zone["Tags"] = tags.get(_zone_id(zone["Id"]), {})
        return zones

    return ctx.cached(f"route53/{account}/zones", load)


def find_zone(ctx: Context, address: str, zone_id: str | None = None) -> dict[str, Any] | None:
    """A private zone by ID if known, else by lz's address tag, else by the ID lz knows for
    the address (`ec2_view.know`: a zone lz adopted has no address tag)."""
    owner = zone_owner(address)
    if ctx.account_id(owner) is None:
        return None
    zones = private_zones(ctx, owner)
    by_id = next((z for z in zones if zone_id and _zone_id(z["Id"]) == zone_id), None)
    tagged = next((z for z in zones if z["Tags"].get(ADDRESS_TAG) == address), None)
    known = known_ids(ctx).get(address)
    return by_id or tagged or next((z for z in zones if known and _zone_id(z["Id"]) == known), None)


def _caller_reference(node: Node) -> str:
    """The start of the CallerReference of every zone lz creates for a node."""
    return f"landingzone {node.address} "


def zone_vpcs(ctx: Context, owner: str, zone_id: str) -> set[str]:
    """The VPC IDs a zone is associated with (read once per zone and run)."""

    def load() -> set[str]:
        zone = call(
            ctx.client("route53", owner).get_hosted_zone,
            Id=zone_id,
            account=owner,
            resource=zone_id,
        )
        return {v["VPCId"] for v in zone.get("VPCs", [])}

    return ctx.cached(f"route53/zone-vpcs/{zone_id}", load)


@register
class HostedZoneKind(Kind):
    """A private hosted zone. `vpc` is the VPC it is created with (its owner's): AWS needs
    one at creation; the associations themselves are `hosted_zone_association` nodes."""

    name = "hosted_zone"
    service = "route53"
    taggable = True
    label_tags = frozenset({"Name", ADDRESS_TAG})
    CREATION_ONLY = frozenset({"vpc", "vpc_region"})

    def prepare(self, ctx: Context, nodes: list[Node], records: list[ResourceRecord]) -> None:
        """Tell `find_zone` the IDs in state: an adopted zone has no address tag."""
        know(ctx, {r.address: r.id for r in records})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        result: dict[str, Found] = {}
        for node in group.nodes:
            record = group.record_for(node.address)
            zone = find_zone(ctx, node.address, record.id if record else None)
            if zone is not None:
                result[node.address] = self._found(zone, node.desired)
        for orphan in group.orphans:
            zone = find_zone(ctx, orphan.address, orphan.id)
            if zone is not None:
                result[orphan.address] = self._found(zone, {})
        return result

    def _found(self, zone: Mapping[str, Any], desired: Mapping[str, Any]) -> Found:
        tags = dict(zone["Tags"])
        attrs = {
            "name": zone["Name"],
            "comment": zone.get("Config", {}).get("Comment", ""),
            "tags": tags,
            **{k: desired.get(k) for k in self.CREATION_ONLY},
        }
        return Found(id=_zone_id(zone["Id"]), attrs=attrs, managed=is_managed(tags))

    def _left_behind(self, route53: Any, node: Node, name: str) -> dict[str, Any] | None:
        """A zone an interrupted run created but did not tag yet (Route 53 tags a zone after
        creating it), known by the CallerReference lz gave it."""
        zones = call(route53.list_hosted_zones_by_name, DNSName=name, **where(node))
        mine = _caller_reference(node)
        return next(
            (
                dict(z)
                for z in zones["HostedZones"]
                if z["Name"] == name and z["CallerReference"].startswith(mine)
            ),
            None,
        )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        route53 = ctx.client("route53", node.account)
        zone = self._left_behind(route53, node, desired["name"])
        if zone is None:
            zone = call(
                route53.create_hosted_zone,
                Name=desired["name"],
                CallerReference=f"{_caller_reference(node)}{time.time_ns()}",
                HostedZoneConfig={"Comment": desired["comment"], "PrivateZone": True},
                VPC={
                    "VPCRegion": desired["vpc_region"],
                    "VPCId": known_id(ctx, desired["vpc"], node.address),
                },
                **where(node),
            )["HostedZone"]
        zone_id = _zone_id(zone["Id"])
        tags = tag_list(ctx.creation_tags(dict(desired["tags"])))
        call(
            route53.change_tags_for_resource,
            ResourceType="hostedzone",
            ResourceId=zone_id,
            AddTags=tags,
            **where(node),
        )
        return Found(id=zone_id, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        route53 = ctx.client("route53", node.account)
        if any(c.attr == "comment" for c in changes):
            call(
                route53.update_hosted_zone_comment,
                Id=found.id,
                Comment=desired["comment"],
                **where(node),
            )
        to_set, to_remove = tag_delta(changes)
        if to_set or to_remove:
            changed: dict[str, Any] = {"AddTags": tag_list(to_set)} if to_set else {}
            if to_remove:
                changed["RemoveTagKeys"] = to_remove
            call(
                route53.change_tags_for_resource,
                ResourceType="hostedzone",
                ResourceId=found.id,
                **changed,
                **where(node),
            )
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def same(self, attr: str, want: Any, have: Any) -> bool:
        if attr in self.CREATION_ONLY:
            return True
        return super().same(attr, want, have)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(
            ctx.client("route53", record.account).delete_hosted_zone,
            Id=record.id,
            **where(record),
        )


def _association_id(zone_id: str, vpc_id: str) -> str:
    return f"{zone_id}|{vpc_id}"


@register
class ZoneAssociationKind(Kind):
    """A VPC (of this account) associated with a private zone (of any account)."""

    name = "hosted_zone_association"
    service = "route53"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        result: dict[str, Found] = {}
        wanted = [
            (
                n.address,
                find_zone(ctx, n.desired["zone"]),
                lookup_id(ctx, n.desired["vpc"]),
                n.desired,
            )
            for n in group.nodes
        ]
        for record in group.orphans:
            known_zone, _, known_vpc = record.id.partition("|")
            zone = find_zone(ctx, record.attrs["zone"], known_zone)
            wanted.append((record.address, zone, known_vpc, record.attrs))
        for address, zone, vpc_id, desired in wanted:
            if zone is None or vpc_id is None:
                continue
            zone_id = _zone_id(zone["Id"])
            if vpc_id in zone_vpcs(ctx, zone_owner(desired["zone"]), zone_id):
                result[address] = Found(
                    id=_association_id(zone_id, vpc_id),
                    attrs={"zone": desired["zone"], "vpc": desired["vpc"]},
                    refs=frozenset({zone_id, vpc_id}),
                )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        owner_account = zone_owner(desired["zone"])
        owner = ctx.client("route53", owner_account)
        here = ctx.client("route53", node.account)
        zone_id = known_id(ctx, desired["zone"], node.address)
        vpc_id = known_id(ctx, desired["vpc"], node.address)
        vpc = {"VPCRegion": node.region, "VPCId": vpc_id}
        place = where(node)
        owner_place = {**place, "account": owner_account}
        associated = call(owner.get_hosted_zone, Id=zone_id, **owner_place).get("VPCs", [])
        if vpc_id not in {v["VPCId"] for v in associated}:
            if owner_account == node.account:
                call(here.associate_vpc_with_hosted_zone, HostedZoneId=zone_id, VPC=vpc, **place)
            else:
                call(
                    owner.create_vpc_association_authorization,
                    HostedZoneId=zone_id,
                    VPC=vpc,
                    **owner_place,
                )
                try:
                    call(
                        here.associate_vpc_with_hosted_zone, HostedZoneId=zone_id, VPC=vpc, **place
                    )
                finally:
                    call(
                        owner.delete_vpc_association_authorization,
                        HostedZoneId=zone_id,
                        VPC=vpc,
                        **owner_place,
                    )
        return Found(id=_association_id(zone_id, vpc_id), attrs=dict(desired))

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        zone_id, _, vpc_id = record.id.partition("|")
        try:
            ctx.client("route53", record.account).disassociate_vpc_from_hosted_zone(
                HostedZoneId=zone_id, VPC={"VPCRegion": record.region, "VPCId": vpc_id}
            )
        except ClientError as exc:
            if error_code(exc) not in ("VPCAssociationNotFound", "NoSuchHostedZone"):
                raise aws_error(exc, **where(record)) from exc
