"""Buckets lz creates for itself: versioned, encrypted, private, TLS only.

`BucketKind` reads, creates and updates such a bucket; lz's state bucket
(`state_backend.py`) and the central log bucket (`log_bucket.py`) are its
kinds. They differ in their policy (the log bucket also lets CloudTrail and
AWS Config deliver) and share everything else. lz never deletes either:
losing state or logs is worse than keeping a bucket.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node
from landingzone.resources.base import Kind, ReadGroup, is_managed, tag_delta, tag_dict, tag_list
from landingzone.resources.parallel import in_parallel

PUBLIC_ACCESS_BLOCK = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def bucket_arn(bucket: str) -> str:
    """The ARN of a bucket."""
    return f"arn:aws:s3:::{bucket}"


def tls_only_statement(bucket: str) -> dict[str, Any]:
    """The statement that denies every request to the bucket not made over TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn(bucket), f"{bucket_arn(bucket)}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def bucket_desired(
    bucket: str, tags: Mapping[str, str], statements: Iterable[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """The desired attributes of a bucket lz keeps for itself; `statements` are
    allowed on top of the TLS-only policy."""
    return {
        "name": bucket,
        "versioning": "Enabled",
        "encryption": "AES256",
        "public_access_block": dict(PUBLIC_ACCESS_BLOCK),
        "policy": {
            "Version": "2012-10-17",
            "Statement": [tls_only_statement(bucket), *map(dict, statements)],
        },
        "tags": dict(tags),
    }


class BucketKind(Kind):
    """A bucket lz keeps for itself (a base class: subclasses name the kind)."""

    service = "s3"
    taggable = True
    deletable = False
    policy_attrs = frozenset({"policy"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        s3 = ctx.client("s3", group.account, group.region)
        result: dict[str, Found] = {}
        for node in group.nodes:
            found = self._read_bucket(s3, node.desired["name"], group.account, group.region)
            if found is not None:
                result[node.address] = found
        return result

    def _read_bucket(self, s3: Any, bucket: str, account: str, region: str | None) -> Found | None:
        where = {"account": account, "region": region, "resource": f"s3 bucket {bucket}"}
        try:
            s3.head_bucket(Bucket=bucket)
        except ClientError as exc:
            if error_code(exc) in ("404", "NoSuchBucket", "NotFound"):
                return None
            raise aws_error(exc, **where) from exc

        def get(method: str, missing: str, **kwargs: Any) -> Any:
            try:
                return getattr(s3, method)(Bucket=bucket, **kwargs)
            except ClientError as exc:
                if error_code(exc) == missing:
                    return None
                raise aws_error(exc, **where) from exc

        versioning_doc, encryption_doc, pab, policy, tagging = in_parallel(
            [
                lambda: get("get_bucket_versioning", ""),
                lambda: get(
                    "get_bucket_encryption", "ServerSideEncryptionConfigurationNotFoundError"
                ),
                lambda: get("get_public_access_block", "NoSuchPublicAccessBlockConfiguration"),
                lambda: get("get_bucket_policy", "NoSuchBucketPolicy"),
                lambda: get("get_bucket_tagging", "NoSuchTagSet"),
            ]
        )
        versioning = (versioning_doc or {}).get("Status", "Disabled")
        rules = (encryption_doc or {}).get("ServerSideEncryptionConfiguration", {}).get("Rules", [])
        encryption = (
            rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] if rules else None
        )
        tags = tag_dict((tagging or {}).get("TagSet"))
        attrs = {
            "name": bucket,
            "versioning": versioning,
            "encryption": encryption,
            "public_access_block": (pab or {}).get("PublicAccessBlockConfiguration"),
            "policy": (policy or {}).get("Policy"),
            "tags": tags,
        }
        return Found(id=bucket, attrs=attrs, managed=is_managed(tags))

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        s3 = ctx.client("s3", node.account, node.region)
        bucket = desired["name"]
        kwargs: dict[str, Any] = {"Bucket": bucket}
        if node.region and node.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": node.region}
        try:
            s3.create_bucket(**kwargs)
        except ClientError as exc:
            if error_code(exc) != "BucketAlreadyOwnedByYou":  # an interrupted earlier run
                raise aws_error(
                    exc, account=node.account, region=node.region, resource=node.address
                ) from exc
        tags = ctx.creation_tags(desired["tags"])
        self._configure(s3, node, desired, changed=None, tags_to_set=tags, tags_to_remove=[])
        return Found(id=bucket, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        s3 = ctx.client("s3", node.account, node.region)
        to_set, to_remove = tag_delta(changes)
        self._configure(
            s3,
            node,
            desired,
            changed={c.attr for c in changes},
            tags_to_set=to_set,
            tags_to_remove=to_remove,
            current_tags=found.attrs.get("tags") or {},
        )
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def _configure(
        self,
        s3: Any,
        node: Node,
        desired: Mapping[str, Any],
        *,
        changed: set[str] | None,
        tags_to_set: Mapping[str, str],
        tags_to_remove: list[str],
        current_tags: Mapping[str, str] | None = None,
    ) -> None:
        """Apply the bucket's settings (all of them, or only those in `changed`)."""
        bucket = desired["name"]

        def wanted(attr: str) -> bool:
            return changed is None or attr in changed

        where = {"account": node.account, "region": node.region, "resource": node.address}
        if wanted("versioning"):
            call(
                s3.put_bucket_versioning,
                Bucket=bucket,
                VersioningConfiguration={"Status": desired["versioning"]},
                **where,
            )
        if wanted("encryption"):
            call(
                s3.put_bucket_encryption,
                Bucket=bucket,
                ServerSideEncryptionConfiguration={
                    "Rules": [
                        {
                            "ApplyServerSideEncryptionByDefault": {
                                "SSEAlgorithm": desired["encryption"]
                            }
                        }
                    ]
                },
                **where,
            )
        if wanted("public_access_block"):
            call(
                s3.put_public_access_block,
                Bucket=bucket,
                PublicAccessBlockConfiguration=desired["public_access_block"],
                **where,
            )
        if wanted("policy"):
            call(s3.put_bucket_policy, Bucket=bucket, Policy=json.dumps(desired["policy"]), **where)
        if tags_to_set or tags_to_remove:
            tags = {**(current_tags or {}), **tags_to_set}
            for key in tags_to_remove:
                tags.pop(key, None)
            call(s3.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": tag_list(tags)}, **where)
