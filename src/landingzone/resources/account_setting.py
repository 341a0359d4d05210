"""Account settings: one per account (or per account and region), never created or deleted.

The IAM password policy, the account alias, EBS encryption by default, the
account's S3 Block Public Access and the absence of a default VPC are
settings, not resources: there is nothing for lz to create that could later
be deleted. "Create" and "update" both write the setting. When a setting
leaves the spec, lz forgets it and leaves it as it is (a password policy
is not weakened because a profile stopped mentioning it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup


class AccountSettingKind(Kind):
    """Base class of account settings: subclasses read and write the one setting."""

    deletable = False

    def read_setting(self, ctx: Context, node: Node) -> dict[str, Any] | None:
        """The setting as it is in the node's account and region (None: never set)."""
        raise NotImplementedError

    def write_setting(
        self, ctx: Context, node: Node, desired: Mapping[str, Any], current: Mapping[str, Any]
    ) -> None:
        """Make the setting `desired`; `current` is what the plan's read found ({}: not
        set, or not read because the account did not exist yet)."""
        raise NotImplementedError

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        result: dict[str, Found] = {}
        for node in group.nodes:  # one per account (and region)
            attrs = self.read_setting(ctx, node)
            if attrs is not None:
                result[node.address] = Found(id=self.setting_id(ctx, node), attrs=attrs)
        return result

    def setting_id(self, ctx: Context, node: Node) -> str:
        """What identifies the setting: its account ID (and region)."""
        account_id = ctx.require_account_id(node.account)
        return f"{account_id}/{node.region}" if node.region else account_id

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        self.write_setting(ctx, node, desired, {})
        return Found(id=self.setting_id(ctx, node), attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        self.write_setting(ctx, node, desired, found.attrs)
        return Found(id=found.id, attrs=dict(desired))

    def removal(self, ctx: Context, record: ResourceRecord, found: Found | None) -> tuple[str, str]:
        return "forget", "a setting: left as it is, lz stops managing it"
