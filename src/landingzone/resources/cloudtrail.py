"""The account's CloudTrail trail: multi-region, validated, KMS-encrypted, to the log archive.

A trail lives in the home region and records every region. Read cost per
account: DescribeTrails (the trails whose home is the region), then for the
trail lz manages GetTrailStatus and ListTags; the log archive key's alias is
listed once per run. AWS reports the trail's key by its key ARN, the spec
names it by its alias ARN: a key ARN that is the alias's target reads as
the alias.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import (
    Kind,
    ReadGroup,
    is_managed,
    located,
    register,
    tag_dict,
    tag_list,
)
from landingzone.resources.kms import alias_target
from landingzone.resources.tagging import TagCalls, keys_as_tags

_SETTINGS = (
    "bucket",
    "kms_key",
    "multi_region",
    "global_events",
    "log_file_validation",
    "organization",
)
TRAIL_TAGS = TagCalls(
    "add_tags", "remove_tags", "ResourceId", "TagsList", "TagsList", keys_form=keys_as_tags
)


@register
class TrailKind(Kind):
    """A multi-region CloudTrail trail that is logging."""

    name = "trail"
    service = "cloudtrail"
    taggable = True

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("cloudtrail", group.account, group.region)
        where = {"account": group.account, "region": group.region, "resource": "cloudtrail"}
        wanted = {n.desired["name"]: n for n in group.nodes}
        orphans = {r.id: r.address for r in group.orphans}
        trails = call(client.describe_trails, includeShadowTrails=False, **where)["trailList"]
        ours = [t for t in trails if t["Name"] in wanted or t["TrailARN"] in orphans]
        if not ours:
            return {}
        tag_lists = call(client.list_tags, ResourceIdList=[t["TrailARN"] for t in ours], **where)[
            "ResourceTagList"
        ]
        tags = {item["ResourceId"]: tag_dict(item.get("TagsList")) for item in tag_lists}
        result: dict[str, Found] = {}
        for trail in ours:
            arn = trail["TrailARN"]
            status = call(client.get_trail_status, Name=arn, **where)
            node = wanted.get(trail["Name"])
            key = trail.get("KmsKeyId")
            if node is not None and key and self._names_key(ctx, node.desired["kms_key"], key):
                key = node.desired["kms_key"]
            found = Found(
                id=arn,
                attrs={
                    "name": trail["Name"],
                    "bucket": trail.get("S3BucketName"),
                    "kms_key": key,
                    "multi_region": bool(trail.get("IsMultiRegionTrail")),
                    "global_events": bool(trail.get("IncludeGlobalServiceEvents")),
                    "log_file_validation": bool(trail.get("LogFileValidationEnabled")),
                    "logging": bool(status.get("IsLogging")),
                    "organization": bool(trail.get("IsOrganizationTrail")),
                    "tags": tags.get(arn, {}),
                },
                managed=is_managed(tags.get(arn, {})),
            )
            result[node.address if node else orphans[arn]] = found
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client("cloudtrail", node.account, node.region)
        try:
            arn = client.create_trail(
                **self._settings(desired),
                TagsList=tag_list(ctx.creation_tags(desired["tags"])),
            )["TrailARN"]
        except ClientError as exc:
            if error_code(exc) != "TrailAlreadyExistsException":
                raise aws_error(exc, **located(node)) from exc
            # An interrupted earlier run created it: make it match.
            arn = call(client.update_trail, **self._settings(desired), **located(node))["TrailARN"]
        if desired["logging"]:
            call(client.start_logging, Name=arn, **located(node))
        return Found(id=arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = ctx.client("cloudtrail", node.account, node.region)
        where = located(node)
        changed = {c.attr for c in changes}
        if changed & set(_SETTINGS):
            call(client.update_trail, **self._settings(desired), **where)
        if "logging" in changed:
            toggle = client.start_logging if desired["logging"] else client.stop_logging
            call(toggle, Name=found.id, **where)
        TRAIL_TAGS.retag(client, found.id, changes, **where)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("cloudtrail", record.account, record.region)
        call(client.delete_trail, Name=record.id, **located(record))

    @staticmethod
    def _names_key(ctx: Context, alias_arn: str, key_arn: str) -> bool:
        """Whether the alias ARN (its account known by now) names the key `key_arn`."""
        return "{account_id" not in alias_arn and alias_target(ctx, alias_arn) == key_arn

    @staticmethod
    def _settings(desired: Mapping[str, Any]) -> dict[str, Any]:
        """CreateTrail's and UpdateTrail's parameters for the desired trail."""
        return {
            "Name": desired["name"],
            "S3BucketName": desired["bucket"],
            "KmsKeyId": desired["kms_key"],
            "IsMultiRegionTrail": desired["multi_region"],
            "IncludeGlobalServiceEvents": desired["global_events"],
            "EnableLogFileValidation": desired["log_file_validation"],
            "IsOrganizationTrail": desired.get("organization", False),
        }
