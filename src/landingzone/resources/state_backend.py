"""lz's own backend: the state bucket (S3) and the lock table (DynamoDB).

The bucket is a `s3_bucket.BucketKind`: versioned (every state write is
kept), encrypted by default, fully blocked from public access, and its
policy denies any request not made over TLS. The table has the hash key
`LockID` and on-demand billing. Neither is ever deleted by lz: losing state
is worse than keeping a bucket.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node
from landingzone.resources.base import (
    Kind,
    ReadGroup,
    is_managed,
    register,
    tag_dict,
    tag_list,
)
from landingzone.resources.s3_bucket import BucketKind
from landingzone.resources.tagging import TagCalls


def lock_table_desired(table: str, tags: Mapping[str, str]) -> dict[str, Any]:
    """The desired attributes of a lock table."""
    return {
        "name": table,
        "hash_key": "LockID",
        "billing_mode": "PAY_PER_REQUEST",
        "tags": dict(tags),
    }


TABLE_TAGS = TagCalls("tag_resource", "untag_resource", "ResourceArn")


@register
class StateBucketKind(BucketKind):
    """The S3 bucket that holds lz's state."""

    name = "state_bucket"
    bootstrap = True


@register
class LockTableKind(Kind):
    """The DynamoDB table that holds lz's lock."""

    name = "lock_table"
    bootstrap = True
    service = "dynamodb"
    taggable = True
    deletable = False
    immutable_attrs = frozenset({"hash_key"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        ddb = ctx.client("dynamodb", group.account, group.region)
        result: dict[str, Found] = {}
        for node in group.nodes:
            table = node.desired["name"]
            try:
                described = ddb.describe_table(TableName=table)["Table"]
            except ClientError as exc:
                if error_code(exc) == "ResourceNotFoundException":
                    continue
                raise aws_error(
                    exc, account=group.account, region=group.region, resource=node.address
                ) from exc
            tags = tag_dict(
                call(
                    ddb.list_tags_of_resource,
                    resource=node.address,
                    ResourceArn=described["TableArn"],
                ).get("Tags")
            )
            hash_key = next(
                (k["AttributeName"] for k in described["KeySchema"] if k["KeyType"] == "HASH"),
                None,
            )
            billing = described.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
            result[node.address] = Found(
                id=described["TableArn"],
                attrs={
                    "name": table,
                    "hash_key": hash_key,
                    "billing_mode": billing,
                    "tags": tags,
                },
                managed=is_managed(tags),
            )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        ddb = ctx.client("dynamodb", node.account, node.region)
        where = {"account": node.account, "region": node.region, "resource": node.address}
        try:
            arn = ddb.create_table(
                TableName=desired["name"],
                AttributeDefinitions=[{"AttributeName": desired["hash_key"], "AttributeType": "S"}],
                KeySchema=[{"AttributeName": desired["hash_key"], "KeyType": "HASH"}],
                BillingMode=desired["billing_mode"],
                SSESpecification={"Enabled": True},
                Tags=tag_list(ctx.creation_tags(desired["tags"])),
            )["TableDescription"]["TableArn"]
        except ClientError as exc:
            if error_code(exc) != "ResourceInUseException":  # an interrupted earlier run
                raise aws_error(exc, **where) from exc
            arn = ddb.describe_table(TableName=desired["name"])["Table"]["TableArn"]
        ddb.get_waiter("table_exists").wait(
            TableName=desired["name"], WaiterConfig={"Delay": 2, "MaxAttempts": 60}
        )
        return Found(id=arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        ddb = ctx.client("dynamodb", node.account, node.region)
        where = {"account": node.account, "region": node.region, "resource": node.address}
        changed = {c.attr for c in changes}
        if "billing_mode" in changed:
            call(
                ddb.update_table,
                TableName=desired["name"],
                BillingMode=desired["billing_mode"],
                **where,
            )
        if "tags" in changed:
            TABLE_TAGS.retag(ddb, found.id, changes, **where)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)
