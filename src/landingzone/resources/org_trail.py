"""The organization trail: one multi-region trail of every account, in the management account.

A `cloudtrail.TrailKind` with `IsOrganizationTrail` on: CloudTrail records
the management account and every member account (each sees it as a shadow
trail it cannot change) and delivers to the log archive bucket under
`AWSLogs/<organization ID>/<account ID>/`, encrypted with the log archive's
key. AWS creates it only from the management account (or CloudTrail's
delegated administrator) with trusted access for `cloudtrail.amazonaws.com`
on. Read cost: as a trail's, in the management account's home region.

The trail's node is placed in the log archive's account (`Node.account`),
where its bucket and key are: the planner reads a member account's nodes
once every account's ID is known, which the key's alias ARN needs. Every
call goes to the management account, which owns the trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from landingzone.aws.context import Context
from landingzone.nodes import MANAGEMENT, Change, Found, Node, ResourceRecord
from landingzone.resources.base import ReadGroup, register
from landingzone.resources.cloudtrail import TrailKind


@register
class OrganizationTrailKind(TrailKind):
    """A multi-region organization trail, owned by the management account."""

    name = "org_trail"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        return super().read(ctx, replace(group, account=MANAGEMENT))

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        return super().create(ctx, replace(node, account=MANAGEMENT), desired)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        return super().update(ctx, replace(node, account=MANAGEMENT), desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        super().delete(ctx, replace(record, account=MANAGEMENT))
