"""The GuardDuty detector of an account and region (AWS allows one per region).

Read cost: ListDetectors plus GetDetector (which carries the tags) per
account and region. A detector that exists already is adopted, not
duplicated; lz deletes only a detector it created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, is_managed, located, register
from landingzone.resources.tagging import TagCalls, tag_map

DETECTOR_TAGS = TagCalls("tag_resource", "untag_resource", "ResourceArn", tags_form=tag_map)


@register
class DetectorKind(Kind):
    """A GuardDuty detector: enabled, with a finding publishing frequency."""

    name = "guardduty"
    service = "guardduty"
    taggable = True

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("guardduty", group.account, group.region)
        where = {"account": group.account, "region": group.region, "resource": "guardduty"}
        detector_ids = call(client.list_detectors, **where)["DetectorIds"]
        if not detector_ids:
            return {}
        detector_id = detector_ids[0]
        detector = call(client.get_detector, DetectorId=detector_id, **where)
        tags = dict(detector.get("Tags") or {})
        found = Found(
            id=detector_id,
            attrs={
                "enabled": detector["Status"] == "ENABLED",
                "finding_publishing_frequency": detector["FindingPublishingFrequency"],
                "tags": tags,
            },
            managed=is_managed(tags),
        )
        addresses = [n.address for n in group.nodes]
        addresses += [r.address for r in group.orphans if r.id == detector_id]
        return dict.fromkeys(addresses, found)

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client("guardduty", node.account, node.region)
        where = located(node)
        existing = call(client.list_detectors, **where)["DetectorIds"]
        if existing:  # an interrupted earlier run created it: take it over
            call(
                client.update_detector,
                DetectorId=existing[0],
                Enable=desired["enabled"],
                FindingPublishingFrequency=desired["finding_publishing_frequency"],
                **where,
            )
            return Found(id=existing[0], attrs=dict(desired), managed=True)
        detector_id = call(
            client.create_detector,
            Enable=desired["enabled"],
            FindingPublishingFrequency=desired["finding_publishing_frequency"],
            Tags=ctx.creation_tags(desired["tags"]),
            **where,
        )["DetectorId"]
        return Found(id=detector_id, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = ctx.client("guardduty", node.account, node.region)
        where = located(node)
        if any(c.attr != "tags" for c in changes):
            call(
                client.update_detector,
                DetectorId=found.id,
                Enable=desired["enabled"],
                FindingPublishingFrequency=desired["finding_publishing_frequency"],
                **where,
            )
        arn = self._arn(ctx, node.account, node.region, found.id)
        DETECTOR_TAGS.retag(client, arn, changes, **where)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("guardduty", record.account, record.region)
        call(
            client.delete_detector,
            DetectorId=record.id,
            account=record.account,
            region=record.region,
            resource=record.address,
        )

    @staticmethod
    def _arn(ctx: Context, account: str, region: str | None, detector_id: str) -> str:
        account_id = ctx.require_account_id(account)
        return f"arn:aws:guardduty:{region}:{account_id}:detector/{detector_id}"
