"""AWS Config as AWS behaves for a baseline: delivery checked, rules need a recorder.

While `refusals` is on:

- PutDeliveryChannel checks the bucket as AWS does (moto checks only that a
  name is given): a bucket that does not exist (in any account) is
  `NoSuchBucketException`; a bucket whose policy does not let AWS Config
  (`config.amazonaws.com`, on behalf of the account: `aws:SourceAccount`)
  read its ACL, list it and write `AWSLogs/<account>/Config/...` is
  `InsufficientDeliveryPolicyException`.
- PutConfigRule without a configuration recorder in the region is
  `NoAvailableConfigurationRecorderException`.

And always: CreateServiceLinkedRole for `config.amazonaws.com` names the role
`AWSServiceRoleForConfig`, as AWS does (moto: `AWSServiceRoleForconfig`).
"""

from __future__ import annotations

from typing import Any

import moto.config.urls
import moto.iam.models
from moto.config.exceptions import NoAvailableConfigurationRecorderException
from moto.config.models import ConfigBackend, config_backends

from landingzone.emulator.controls import refusing
from landingzone.emulator.patching import overrides, require, use_backend
from landingzone.emulator.service_delivery import bucket_allows, find_bucket
from landingzone.emulator.wire import EmulatorError

SERVICE = "config.amazonaws.com"


class ConfigCompatBackend(ConfigBackend):
    """moto's Config backend with AWS's delivery and rule checks."""

    @property
    def _url_module(self) -> Any:
        return moto.config.urls

    @overrides
    def put_delivery_channel(self, delivery_channel: dict[str, Any]) -> None:
        """PutDeliveryChannel, refused when AWS Config could not deliver to the bucket."""
        bucket = delivery_channel.get("s3BucketName")
        if refusing() and self.recorders and bucket:
            found = find_bucket(bucket)
            if found is None:
                raise EmulatorError("NoSuchBucketException", f"Cannot find a S3 bucket {bucket}")
            key = f"AWSLogs/{self.account_id}/Config/{self.region_name}/check"
            if not bucket_allows(
                found,
                service=SERVICE,
                key=key,
                context={"aws:SourceAccount": self.account_id},
                read_actions=("s3:GetBucketAcl", "s3:ListBucket"),
            ):
                raise EmulatorError(
                    "InsufficientDeliveryPolicyException",
                    f"Insufficient delivery policy to s3 bucket: {bucket}, unable to write to "
                    "bucket, provided s3 key prefix is 'null'.",
                )
        super().put_delivery_channel(delivery_channel)

    @overrides
    def put_config_rule(
        self, config_rule: dict[str, Any], tags: list[dict[str, str]] | None = None
    ) -> str:
        """PutConfigRule, refused without a configuration recorder."""
        if refusing() and not self.recorders:
            raise NoAvailableConfigurationRecorderException()
        return super().put_config_rule(config_rule, tags)


def install() -> None:
    """Make moto serve AWS Config through this module, and name Config's role (idempotent)."""
    use_backend(config_backends, ConfigCompatBackend)
    require(moto.iam.models, "SERVICE_NAME_CONVERSION")
    moto.iam.models.SERVICE_NAME_CONVERSION["config"] = "Config"
