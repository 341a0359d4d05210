"""Identity-store groups lz declares (`identity_center.groups` without `external`).

Read: ListGroups of the instance's identity store (one paginated call). A
group has no tags, so lz knows it created one only from its state record:
removed from the spec, a group lz created is deleted, any other is
forgotten. A description edited by hand is repaired with UpdateGroup. The
ID is `IDENTITY_STORE_ID/GROUP_ID`, Terraform's import ID of
`aws_identitystore_group`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, located, register
from landingzone.resources.sso_instance import identity_store, instance


def group_id(found_id: str) -> str:
    """The group's ID in the identity store, from lz's ID `STORE_ID/GROUP_ID` (Terraform's)."""
    return found_id.rsplit("/", 1)[-1]


def _found(store: str, group: Mapping[str, Any]) -> Found:
    return Found(
        id=f"{store}/{group['GroupId']}",
        attrs={"name": group["DisplayName"], "description": group.get("Description") or ""},
    )


@register
class SsoGroupKind(Kind):
    """A group in the organization's Identity Center identity store."""

    name = "sso_group"
    service = "identitystore"
    immutable_attrs = frozenset({"name"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        item = group.nodes[0] if group.nodes else group.orphans[0]
        store = instance(ctx, item).store
        client = identity_store(ctx, item)
        existing = {
            f"{store}/{g['GroupId']}": g
            for g in pages(client, "list_groups", "Groups", IdentityStoreId=store, **located(item))
        }
        by_name = {g["DisplayName"]: g for g in existing.values()}
        matches = group.match(existing, lambda node: by_name.get(node.desired["name"]))
        return {address: _found(store, g) for address, g in matches.items()}

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        args: dict[str, Any] = {"DisplayName": desired["name"]}
        if desired["description"]:
            args["Description"] = desired["description"]
        store = instance(ctx, node).store
        answer = call(
            identity_store(ctx, node).create_group, IdentityStoreId=store, **args, **located(node)
        )
        return Found(id=f"{store}/{answer['GroupId']}", attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        call(
            identity_store(ctx, node).update_group,
            IdentityStoreId=instance(ctx, node).store,
            GroupId=group_id(found.id),
            Operations=[{"AttributePath": "description", "AttributeValue": desired["description"]}],
            **located(node),
        )
        return Found(id=found.id, attrs=dict(desired))

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(
            identity_store(ctx, record).delete_group,
            IdentityStoreId=instance(ctx, record).store,
            GroupId=group_id(record.id),
            **located(record),
        )
