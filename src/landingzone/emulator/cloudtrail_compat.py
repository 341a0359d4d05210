"""CloudTrail as AWS behaves when a trail is created or changed.

While `refusals` is on, CreateTrail and UpdateTrail check what AWS checks
(moto checks only that the bucket exists):

- a trail of that name exists already: `TrailAlreadyExistsException`;
- the bucket does not exist (in any account): `S3BucketDoesNotExistException`;
- the bucket's policy does not let CloudTrail (`cloudtrail.amazonaws.com`,
  on behalf of this trail: `aws:SourceArn`) read the bucket's ACL and write
  `AWSLogs/<account>/...`: `InsufficientS3BucketPolicyException`;
- the KMS key does not exist: `KmsKeyNotFoundException`; its policy does not
  let CloudTrail `kms:GenerateDataKey*` for this trail (`aws:SourceArn`, and
  the encryption context `aws:cloudtrail:arn`): `InsufficientEncryptionPolicyException`.

The trail then reports its key by the key's ARN, whatever form the request
named it in (key ID, alias, alias ARN), as AWS does. And DeleteTrail takes a
trail's ARN as well as its name, and refuses an unknown trail
(`TrailNotFoundException`; moto ignored both).
"""

from __future__ import annotations

from typing import Any

import moto.cloudtrail.urls
from moto.cloudtrail.exceptions import S3BucketDoesNotExistException
from moto.cloudtrail.models import CloudTrailBackend, Trail, cloudtrail_backends

from landingzone.emulator.controls import refusing
from landingzone.emulator.patching import overrides, use_backend
from landingzone.emulator.service_delivery import allows, bucket_allows, find_bucket, find_key
from landingzone.emulator.wire import EmulatorError

SERVICE = "cloudtrail.amazonaws.com"


class CloudTrailCompatBackend(CloudTrailBackend):
    """moto's CloudTrail backend with AWS's checks of the bucket and the key."""

    @property
    def _url_module(self) -> Any:
        return moto.cloudtrail.urls

    def trail_arn(self, name: str) -> str:
        """The ARN a trail of this region has."""
        return f"arn:{self.partition}:cloudtrail:{self.region_name}:{self.account_id}:trail/{name}"

    def check_delivery(self, name: str, bucket: str | None, kms_key: str | None) -> None:
        """Raise what AWS raises when the trail `name` cannot deliver to `bucket` with `kms_key`."""
        arn = self.trail_arn(name)
        if bucket:
            found = find_bucket(bucket)
            if found is None:
                raise S3BucketDoesNotExistException(f"S3 bucket {bucket} does not exist!")
            context = {"aws:SourceArn": arn, "aws:SourceAccount": self.account_id}
            key = f"AWSLogs/{self.account_id}/CloudTrail/{self.region_name}/check"
            if not bucket_allows(found, service=SERVICE, key=key, context=context):
                raise EmulatorError(
                    "InsufficientS3BucketPolicyException",
                    f"Incorrect S3 bucket policy is detected for bucket: {bucket}",
                )
        if kms_key:
            self._check_key(arn, kms_key)

    def _check_key(self, trail_arn: str, kms_key: str) -> None:
        key = find_key(kms_key, self.account_id, self.region_name)
        if key is None:
            raise EmulatorError("KmsKeyNotFoundException", f"KMS key {kms_key} does not exist")
        context = {
            "aws:SourceArn": trail_arn,
            "kms:EncryptionContext:aws:cloudtrail:arn": trail_arn,
        }
        if not allows(
            key.policy,
            service=SERVICE,
            action="kms:GenerateDataKey",
            resource=key.arn,
            resource_account=key.account_id,
            context=context,
        ):
            raise EmulatorError(
                "InsufficientEncryptionPolicyException",
                "Insufficient permissions to access S3 bucket or KMS key: the key policy "
                f"of {key.arn} does not let CloudTrail encrypt for {trail_arn}",
            )

    @staticmethod
    def _key_arn(trail: Trail) -> None:
        """Report the trail's key by its ARN, as AWS does."""
        if trail.kms_key_id:
            key = find_key(trail.kms_key_id, trail.account_id, trail.region_name)
            if key is not None:
                trail.kms_key_id = key.arn

    @overrides
    def create_trail(
        self,
        name: str,
        bucket_name: str,
        s3_key_prefix: str,
        sns_topic_name: str,
        is_global: bool,
        is_multi_region: bool,
        log_validation: bool,
        is_org_trail: bool,
        cw_log_group_arn: str,
        cw_role_arn: str,
        kms_key_id: str,
        tags_list: list[dict[str, str]],
    ) -> Trail:
        """CreateTrail, refused as AWS refuses it."""
        if refusing():
            if name in self.trails:
                raise EmulatorError(
                    "TrailAlreadyExistsException",
                    f"Trail {name} already exists for customer: {self.account_id}",
                )
            self.check_delivery(name, bucket_name, kms_key_id)
        trail = super().create_trail(
            name,
            bucket_name,
            s3_key_prefix,
            sns_topic_name,
            is_global,
            is_multi_region,
            log_validation,
            is_org_trail,
            cw_log_group_arn,
            cw_role_arn,
            kms_key_id,
            tags_list,
        )
        self._key_arn(trail)
        return trail

    @overrides
    def update_trail(
        self,
        name: str,
        s3_bucket_name: str,
        s3_key_prefix: str,
        sns_topic_name: str,
        include_global_service_events: bool,
        is_multi_region_trail: bool,
        enable_log_file_validation: bool,
        is_organization_trail: bool,
        cw_log_group_arn: str,
        cw_role_arn: str,
        kms_key_id: str,
    ) -> Trail:
        """UpdateTrail, refused as AWS refuses it."""
        trail = self.get_trail(name)
        if refusing():
            self.check_delivery(trail.trail_name, s3_bucket_name or trail.bucket_name, kms_key_id)
        updated = super().update_trail(
            name,
            s3_bucket_name,
            s3_key_prefix,
            sns_topic_name,
            include_global_service_events,
            is_multi_region_trail,
            enable_log_file_validation,
            is_organization_trail,
            cw_log_group_arn,
            cw_role_arn,
            kms_key_id,
        )
        self._key_arn(updated)
        return updated

    @overrides
    def delete_trail(self, name: str) -> None:
        """DeleteTrail by name or ARN; an unknown trail is `TrailNotFoundException`."""
        super().delete_trail(self.get_trail(name).trail_name)


def install() -> None:
    """Make moto serve CloudTrail through this module (idempotent)."""
    use_backend(cloudtrail_backends, CloudTrailCompatBackend)
