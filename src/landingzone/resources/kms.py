"""KMS keys lz keeps for itself: the log archive's key, which encrypts the trails' logs.

A key is found by its alias. Read cost: ListAliases per account and region
(shared, once per run, with the trails that name the key), then for the
key: DescribeKey, GetKeyPolicy, GetKeyRotationStatus, ListResourceTags.
lz never deletes a key (logs encrypted with it would become unreadable):
when it leaves the spec, lz forgets it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node
from landingzone.resources.base import Kind, ReadGroup, is_managed, located, register
from landingzone.resources.tagging import TagCalls


def trail_key_policy(
    account_root: str, trail_arns: list[str], readers: list[str] | None = None
) -> dict[str, Any]:
    """A key policy: the owning account administers the key (through IAM),
    CloudTrail encrypts for exactly these trails (`aws:SourceArn` and the
    encryption context CloudTrail sets, `kms:EncryptionContext:aws:cloudtrail:arn`),
    and `readers` (account root ARNs) decrypt log files: AWS's "Enable CloudTrail
    log file decrypt permissions" statement (a CloudTrail encryption context)."""
    trails = sorted(set(trail_arns))
    statements: list[dict[str, Any]] = [
        {
            "Sid": "AccountAdministers",
            "Effect": "Allow",
            "Principal": {"AWS": account_root},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "CloudTrailDescribesKey",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey",
            "Resource": "*",
        },
    ]
    if trails:
        statements.append(
            {
                "Sid": "CloudTrailEncrypts",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "aws:SourceArn": trails,
                        "kms:EncryptionContext:aws:cloudtrail:arn": trails,
                    }
                },
            }
        )
    principals = sorted(set(readers or []))
    if principals:
        statements.append(
            {
                "Sid": "SecurityAccountDecryptsLogs",
                "Effect": "Allow",
                "Principal": {"AWS": principals},
                "Action": ["kms:Decrypt", "kms:ReEncryptFrom"],
                "Resource": "*",
                "Condition": {"Null": {"kms:EncryptionContext:aws:cloudtrail:arn": "false"}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def _tags(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """KMS's tag shape: [{"TagKey": k, "TagValue": v}]."""
    return [{"TagKey": k, "TagValue": v} for k, v in sorted(tags.items())]


KEY_TAGS = TagCalls("tag_resource", "untag_resource", "KeyId", tags_form=_tags)


def aliases(ctx: Context, account_id: str, region: str) -> dict[str, str]:
    """Alias name (`alias/x`) -> key ARN in one account and region; listed once per run."""

    def list_aliases() -> dict[str, str]:
        kms = ctx.sessions.client("kms", account_id, region)
        found = {}
        for alias in pages(kms, "list_aliases", "Aliases", region=region, resource="kms aliases"):
            if alias.get("TargetKeyId"):
                prefix = alias["AliasArn"].rsplit(":", 1)[0]
                found[alias["AliasName"]] = f"{prefix}:key/{alias['TargetKeyId']}"
        return found

    return ctx.cached(f"kms-aliases:{account_id}:{region}", list_aliases)


def alias_target(ctx: Context, alias_arn: str) -> str | None:
    """The ARN of the key an alias ARN (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`) names."""
    _, _, _, region, account_id, name = alias_arn.split(":", 5)
    return aliases(ctx, account_id, region).get(name)


@register
class KmsKeyKind(Kind):
    """A symmetric KMS key with an alias, a key policy and yearly rotation."""

    name = "kms_key"
    service = "kms"
    taggable = True
    deletable = False
    policy_attrs = frozenset({"policy"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        if not group.nodes:
            return {}
        region = group.region or ctx.settings.home_region
        by_alias = aliases(ctx, ctx.require_account_id(group.account), region)
        kms = ctx.client("kms", group.account, region)
        result: dict[str, Found] = {}
        for node in group.nodes:
            key_arn = by_alias.get(node.desired["alias"])
            if key_arn is None:
                continue
            where = {"account": group.account, "region": region, "resource": node.address}
            metadata = call(kms.describe_key, KeyId=key_arn, **where)["KeyMetadata"]
            if metadata["KeyState"] == "PendingDeletion":
                continue
            policy = call(kms.get_key_policy, KeyId=key_arn, PolicyName="default", **where)
            rotation = call(kms.get_key_rotation_status, KeyId=key_arn, **where)
            tags = {
                t["TagKey"]: t["TagValue"]
                for t in call(kms.list_resource_tags, KeyId=key_arn, **where)["Tags"]
            }
            result[node.address] = Found(
                id=key_arn,
                attrs={
                    "alias": node.desired["alias"],
                    "description": metadata.get("Description", ""),
                    "policy": json.loads(policy["Policy"]),
                    "rotation": bool(rotation["KeyRotationEnabled"]),
                    "tags": tags,
                },
                managed=is_managed(tags),
            )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        kms = ctx.client("kms", node.account, node.region)
        where = located(node)
        key_arn = call(
            kms.create_key,
            Description=desired["description"],
            Policy=json.dumps(desired["policy"]),
            Tags=_tags(ctx.creation_tags(desired["tags"])),
            **where,
        )["KeyMetadata"]["Arn"]
        try:
            kms.create_alias(AliasName=desired["alias"], TargetKeyId=key_arn)
        except ClientError as exc:
            if error_code(exc) != "AlreadyExistsException":
                raise aws_error(exc, **where) from exc
            # An interrupted earlier run created the alias: point it at this key.
            call(kms.update_alias, AliasName=desired["alias"], TargetKeyId=key_arn, **where)
        if desired["rotation"]:
            call(kms.enable_key_rotation, KeyId=key_arn, **where)
        return Found(id=key_arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        kms = ctx.client("kms", node.account, node.region)
        where = located(node)
        changed = {c.attr for c in changes}
        if "policy" in changed:
            call(
                kms.put_key_policy,
                KeyId=found.id,
                PolicyName="default",
                Policy=json.dumps(desired["policy"]),
                **where,
            )
        if "description" in changed:
            call(
                kms.update_key_description,
                KeyId=found.id,
                Description=desired["description"],
                **where,
            )
        if "rotation" in changed:
            toggle = kms.enable_key_rotation if desired["rotation"] else kms.disable_key_rotation
            call(toggle, KeyId=found.id, **where)
        KEY_TAGS.retag(kms, found.id, changes, **where)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)
