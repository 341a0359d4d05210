"""EBS encryption by default, per account and region (an account setting).

Read cost: GetEbsEncryptionByDefault per account and region, plus
GetEbsDefaultKmsKeyId when the spec names the default key (and a KMS
DescribeKey when it names the key by alias: AWS reports the key's ARN).
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
from landingzone.resources.base import located, register


@register
class EbsEncryptionKind(AccountSettingKind):
    """EBS encryption by default, with an optional default KMS key."""

    name = "ebs_encryption"
    service = "ec2"

    def read_setting(self, ctx: Context, node: Node) -> dict[str, Any] | None:
        ec2 = ctx.client("ec2", node.account, node.region)
        where = located(node)
        enabled = call(ec2.get_ebs_encryption_by_default, **where)["EbsEncryptionByDefault"]
        attrs: dict[str, Any] = {"enabled": bool(enabled)}
        wanted = node.desired.get("kms_key")
        if wanted is not None:
            key_arn = call(ec2.get_ebs_default_kms_key_id, **where)["KmsKeyId"]
            attrs["kms_key"] = wanted if self._key_arn(ctx, node, wanted) == key_arn else key_arn
        return attrs

    def _key_arn(self, ctx: Context, node: Node, key: str) -> str | None:
        """The ARN of the key an alias (or alias ARN) names; a key ARN as it is."""
        if ":key/" in key:
            return key
        kms = ctx.client("kms", node.account, node.region)
        try:
            return str(kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"])
        except ClientError as exc:
            if error_code(exc) == "NotFoundException":
                return None
            raise aws_error(
                exc, account=node.account, region=node.region, resource=node.address
            ) from exc

    def write_setting(
        self, ctx: Context, node: Node, desired: Mapping[str, Any], current: Mapping[str, Any]
    ) -> None:
        ec2 = ctx.client("ec2", node.account, node.region)
        where = located(node)
        if desired["enabled"] != current.get("enabled"):
            if desired["enabled"]:
                call(ec2.enable_ebs_encryption_by_default, **where)
            else:
                call(ec2.disable_ebs_encryption_by_default, **where)
        key = desired.get("kms_key")
        if key is not None and key != current.get("kms_key"):
            call(ec2.modify_ebs_default_kms_key_id, KmsKeyId=key, **where)
