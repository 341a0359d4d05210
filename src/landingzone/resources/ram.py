"""RAM: sharing within the organization, and the shares of transit gateways.

With sharing enabled for the organization (a one-time setting of the
management account, which lz turns on and never off), a share with accounts
of the organization reaches them at once, without invitations.

A share is read with one GetResourceShares and one GetResourceShareAssociations
per association type, for all of lz's shares in an account and region.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, is_managed, register
from landingzone.resources.ec2_kind import where
from landingzone.resources.ec2_view import know, known_id, known_ids, view
from landingzone.resources.network_addresses import ADDRESS_TAG
from landingzone.resources.tagging import TagCalls

RAM_PRINCIPAL = "ram.amazonaws.com"
_LIVE = ("ASSOCIATED", "ASSOCIATING")


@register
class RamSharingKind(Kind):
    """RAM sharing with the organization (trusted access for RAM), enabled once."""

    name = "ram_sharing"
    service = "ram"
    deletable = False

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        enabled = pages(
            ctx.client("organizations"),
            "list_aws_service_access_for_organization",
            "EnabledServicePrincipals",
            resource="organization service access",
        )
        if not any(p["ServicePrincipal"] == RAM_PRINCIPAL for p in enabled):
            return {}
        found = Found(id=RAM_PRINCIPAL, attrs={"enabled": True}, managed=True)
        return {node.address: found for node in group.nodes}

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        call(
            ctx.client("ram", node.account, node.region).enable_sharing_with_aws_organization,
            resource=node.address,
        )
        return Found(id=RAM_PRINCIPAL, attrs=dict(desired), managed=True)


def _tags(share: Mapping[str, Any]) -> dict[str, str]:
    return {t["key"]: t["value"] for t in share.get("tags", [])}


def _tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"key": k, "value": v} for k, v in sorted(tags.items())]


SHARE_TAGS = TagCalls(
    "tag_resource", "untag_resource", "resourceShareArn", "tags", "tagKeys", tags_form=_tag_list
)


def _gateway_arn(region: str, account_id: str, gateway_id: str) -> str:
    return f"arn:aws:ec2:{region}:{account_id}:transit-gateway/{gateway_id}"


def _match(
    ctx: Context, shares: Mapping[str, dict[str, Any]], group: ReadGroup
) -> dict[str, dict[str, Any]]:
    """The share of each node (by its state record's ARN, else by address tag, else by the
    ARN lz knows for the address: `ec2_view.know`) and orphan."""
    matched: dict[str, dict[str, Any]] = {}
    for node in group.nodes:
        record = group.record_for(node.address)
        share = shares.get(record.id) if record else None
        share = share or next(
            (s for s in shares.values() if _tags(s).get(ADDRESS_TAG) == node.address), None
        )
        share = share or shares.get(known_ids(ctx).get(node.address, ""))
        if share:
            matched[node.address] = share
    for orphan in group.orphans:
        if orphan.id in shares:
            matched[orphan.address] = shares[orphan.id]
    return matched


def own_shares(ram: Any, place: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The active RAM shares an account owns in a region, by ARN (one GetResourceShares)."""
    return {
        s["resourceShareArn"]: s
        for s in pages(
            ram,
            "get_resource_shares",
            "resourceShares",
            resourceOwner="SELF",
            resourceShareStatus="ACTIVE",
            resource="resource shares",
            **place,
        )
    }


def share_associations(
    ram: Any, arns: list[str], place: Mapping[str, Any]
) -> dict[str, tuple[list[str], list[str]]]:
    """Each share's live principals and resources: one call per association type."""
    found: dict[str, tuple[list[str], list[str]]] = {arn: ([], []) for arn in arns}
    for index, kind in enumerate(("PRINCIPAL", "RESOURCE")):
        for association in pages(
            ram,
            "get_resource_share_associations",
            "resourceShareAssociations",
            associationType=kind,
            resourceShareArns=arns,
            resource="resource share associations",
            **place,
        ):
            share = association["resourceShareArn"]
            if association["status"] in _LIVE and share in found:
                found[share][index].append(association["associatedEntity"])
    return found


@register
class ResourceShareKind(Kind):
    """A RAM share of transit gateways (`resources`: their addresses) with accounts
    (`principals`: account IDs)."""

    name = "resource_share"
    service = "ram"
    taggable = True
    label_tags = frozenset({ADDRESS_TAG})

    def prepare(self, ctx: Context, nodes: list[Node], records: list[ResourceRecord]) -> None:
        """Tell `_match` the ARNs in state: an adopted share has no address tag."""
        know(ctx, {r.address: r.id for r in records})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        ram = ctx.client("ram", group.account, group.region)
        place = {"account": group.account, "region": group.region}
        shares = own_shares(ram, place)
        matched = _match(ctx, shares, group)
        if not matched:
            return {}
        entities = share_associations(ram, [s["resourceShareArn"] for s in matched.values()], place)
        assert group.region is not None
        owner = view(ctx, group.account, group.region)
        result = {}
        for address, share in matched.items():
            principals, resources = entities[share["resourceShareArn"]]
            gateways = [arn.rsplit("/", 1)[-1] for arn in resources]
            tags = _tags(share)
            result[address] = Found(
                id=share["resourceShareArn"],
                attrs={
                    "name": share["name"],
                    "resources": sorted(
                        owner.address_of("transit_gateway", g) or g for g in gateways
                    ),
                    "principals": sorted(principals),
                    "allow_external_principals": share["allowExternalPrincipals"],
                    "tags": tags,
                },
                refs=frozenset(gateways),
                managed=is_managed(tags),
            )
        return result

    def _arns(self, ctx: Context, node: Node, gateways: list[str]) -> list[str]:
        """ARNs of transit gateways of this account, by ID."""
        assert node.region is not None
        account_id = ctx.require_account_id(node.account)
        return [_gateway_arn(node.region, account_id, gateway) for gateway in gateways]

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        gateways = [known_id(ctx, r, node.address) for r in desired["resources"]]
        share = call(
            ctx.client("ram", node.account, node.region).create_resource_share,
            name=desired["name"],
            resourceArns=self._arns(ctx, node, gateways),
            principals=desired["principals"],
            allowExternalPrincipals=desired["allow_external_principals"],
            tags=_tag_list(ctx.creation_tags(dict(desired["tags"]))),
            **where(node),
        )["resourceShare"]
        return Found(id=share["resourceShareArn"], attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        ram = ctx.client("ram", node.account, node.region)
        add: dict[str, Any] = {}
        remove: dict[str, Any] = {}
        for change in changes:
            before, after = set(change.before or []), set(change.after or [])
            if change.attr == "principals":
                add["principals"] = sorted(after - before)
                remove["principals"] = sorted(before - after)
            elif change.attr == "resources":  # addresses, or IDs of gateways lz does not know
                added = [known_id(ctx, r, node.address) for r in sorted(after - before)]
                add["resourceArns"] = self._arns(ctx, node, added)
                removed = [ctx.id_of(r) or r for r in sorted(before - after)]
                remove["resourceArns"] = self._arns(ctx, node, removed)
            elif change.attr in ("name", "allow_external_principals"):
                call(
                    ram.update_resource_share,
                    resourceShareArn=found.id,
                    name=desired["name"],
                    allowExternalPrincipals=desired["allow_external_principals"],
                    **where(node),
                )
        for method, entities in (
            (ram.associate_resource_share, add),
            (ram.disassociate_resource_share, remove),
        ):
            entities = {k: v for k, v in entities.items() if v}
            if entities:
                call(method, resourceShareArn=found.id, **entities, **where(node))
        SHARE_TAGS.retag(ram, found.id, changes, **where(node))
        return Found(id=found.id, attrs=dict(desired), refs=found.refs, managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(
            ctx.client("ram", record.account, record.region).delete_resource_share,
            resourceShareArn=record.id,
            **where(record),
        )
