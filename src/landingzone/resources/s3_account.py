"""The account-level S3 Block Public Access settings (S3 Control), an account setting.

Read cost: one GetPublicAccessBlock per account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Node
from landingzone.resources.account_setting import AccountSettingKind
from landingzone.resources.base import register

# Desired attribute -> S3 Control's name for it.
BLOCK_FIELDS = {
    "block_public_acls": "BlockPublicAcls",
    "ignore_public_acls": "IgnorePublicAcls",
    "block_public_policy": "BlockPublicPolicy",
    "restrict_public_buckets": "RestrictPublicBuckets",
}


@register
class PublicAccessBlockKind(AccountSettingKind):
    """S3 Block Public Access for every bucket of the account."""

    name = "s3_public_access_block"
    service = "s3control"

    def read_setting(self, ctx: Context, node: Node) -> dict[str, Any] | None:
        s3control = ctx.client("s3control", node.account)
        account_id = ctx.require_account_id(node.account)
        try:
            answer = s3control.get_public_access_block(AccountId=account_id)
        except ClientError as exc:
            if error_code(exc) == "NoSuchPublicAccessBlockConfiguration":
                return None
            raise aws_error(exc, account=node.account, resource=node.address) from exc
        block = answer["PublicAccessBlockConfiguration"]
        return {attr: bool(block.get(field)) for attr, field in BLOCK_FIELDS.items()}

    def write_setting(
        self, ctx: Context, node: Node, desired: Mapping[str, Any], current: Mapping[str, Any]
    ) -> None:
        s3control = ctx.client("s3control", node.account)
        call(
            s3control.put_public_access_block,
            account=node.account,
            resource=node.address,
            AccountId=ctx.require_account_id(node.account),
            PublicAccessBlockConfiguration={
                field: desired[attr] for attr, field in BLOCK_FIELDS.items()
            },
        )
