"""Organization trails as AWS creates, shows and delivers them.

moto 5.2.5 keeps `IsOrganizationTrail` as a flag. Here, as in AWS
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html):

- CreateTrail / UpdateTrail with `IsOrganizationTrail` (while `refusals` is
  on): from an account in no organization `OrganizationsNotInUseException`;
  from a member account `NotOrganizationMasterAccountException`; with
  trusted access for `cloudtrail.amazonaws.com` off
  `CloudTrailAccessNotEnabledException`; a bucket policy that does not let
  CloudTrail write `AWSLogs/<organization ID>/<account ID>/...` for the
  trail (`aws:SourceArn`) `InsufficientS3BucketPolicyException`.
- Every member account sees the organization trail: DescribeTrails (with
  shadow trails, the default) and GetTrailStatus list it; it stays the
  management account's (its ARN, its home region).
- StartLogging of an organization trail delivers a first log file for
  every account of the organization to the bucket, at the key CloudTrail
  uses (`AWSLogs/<organization ID>/<account ID>/CloudTrail/<region>/YYYY/MM/DD/...json.gz`,
  `{"Records": []}` gzipped). AWS delivers about every five minutes while
  there is activity; the emulator delivers once, at once, so that a test can
  see the trail reach the log archive.

The backend extends `cloudtrail_compat`'s; install this module after that one.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from typing import Any

from moto.cloudtrail.models import Trail, cloudtrail_backends
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random as random
from moto.s3.models import s3_backends

from landingzone.emulator.cloudtrail_compat import SERVICE, CloudTrailCompatBackend
from landingzone.emulator.controls import refusing
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.patching import overrides, use_backend
from landingzone.emulator.service_delivery import bucket_allows, find_bucket
from landingzone.emulator.wire import EmulatorError


def _organization_id(view: OrganizationView) -> str:
    assert view.backend.org is not None
    return str(view.backend.org.id)


class CloudTrailOrgBackend(CloudTrailCompatBackend):
    """CloudTrail with organization trails."""

    def check_organization_trail(self, name: str, bucket: str | None) -> None:
        """Raise what AWS raises when this account cannot have the organization trail `name`."""
        view = OrganizationView.of(self.account_id)
        if view is None:
            raise EmulatorError(
                "OrganizationsNotInUseException",
                "This account is not a member of an organization.",
            )
        if view.management_account_id != self.account_id:
            raise EmulatorError(
                "NotOrganizationMasterAccountException",
                "This account is not the management account of the organization.",
            )
        if not view.trusts(SERVICE):
            raise EmulatorError(
                "CloudTrailAccessNotEnabledException",
                "Trusted access has not been enabled between AWS CloudTrail and AWS Organizations.",
            )
        found = find_bucket(bucket) if bucket else None
        if found is None:
            return  # CloudTrailCompatBackend reports a missing bucket
        key = f"AWSLogs/{_organization_id(view)}/{self.account_id}/CloudTrail/{self.region_name}/x"
        context = {"aws:SourceArn": self.trail_arn(name), "aws:SourceAccount": self.account_id}
        if not bucket_allows(found, service=SERVICE, key=key, context=context):
            raise EmulatorError(
                "InsufficientS3BucketPolicyException",
                f"Incorrect S3 bucket policy is detected for bucket: {bucket}: CloudTrail "
                f"cannot write the organization's logs (AWSLogs/{_organization_id(view)}/...)",
            )

    @overrides
    def create_trail(self, name: str, bucket_name: str, *args: Any, **kwargs: Any) -> Trail:
        """CreateTrail, with AWS's checks of an organization trail."""
        is_org_trail = kwargs.get("is_org_trail", args[5] if len(args) > 5 else False)
        if refusing() and is_org_trail:
            self.check_organization_trail(name, bucket_name)
        return super().create_trail(name, bucket_name, *args, **kwargs)

    @overrides
    def update_trail(self, name: str, *args: Any, **kwargs: Any) -> Trail:
        """UpdateTrail, with AWS's checks of an organization trail."""
        is_org_trail = kwargs.get("is_organization_trail", args[6] if len(args) > 6 else None)
        if refusing() and is_org_trail:
            trail = self.get_trail(name)
            bucket = kwargs.get("s3_bucket_name", args[0] if args else None)
            self.check_organization_trail(trail.trail_name, bucket or trail.bucket_name)
        return super().update_trail(name, *args, **kwargs)

    @overrides
    def describe_trails(self, include_shadow_trails: bool) -> Iterable[Trail]:
        """DescribeTrails: a member account's shadow trails include the organization's."""
        own = list(super().describe_trails(include_shadow_trails))
        view = OrganizationView.of(self.account_id)
        if not include_shadow_trails or view is None:
            return own
        management = view.management_account_id
        if management == self.account_id:
            return own
        shared = [
            trail
            for backend in cloudtrail_backends[management].values()
            for trail in backend.trails.values()
            if trail.is_org_trail
            and (trail.is_multi_region or trail.region_name == self.region_name)
        ]
        return own + shared

    @overrides
    def start_logging(self, name: str) -> None:
        """StartLogging; an organization trail delivers a first log file per account."""
        super().start_logging(name)
        trail = self.get_trail(name)
        view = OrganizationView.of(self.account_id)
        if trail.is_org_trail and view is not None:
            self._deliver(trail, view)

    def _deliver(self, trail: Trail, view: OrganizationView) -> None:
        found = find_bucket(trail.bucket_name)
        if found is None:
            return
        owner, bucket = found
        now = utcnow()
        accounts = sorted({view.management_account_id, *(a.id for a in view.backend.accounts)})
        for account_id in accounts:
            stamp = now.strftime("%Y%m%dT%H%MZ")
            key = (
                f"AWSLogs/{_organization_id(view)}/{account_id}/CloudTrail/{self.region_name}/"
                f"{now:%Y/%m/%d}/{account_id}_CloudTrail_{self.region_name}_{stamp}_"
                f"{random.get_random_hex(16)}.json.gz"
            )
            body = gzip.compress(json.dumps({"Records": []}).encode())
            s3_backends[owner]["aws"].put_object(bucket.name, key, body)


def install() -> None:
    """Make moto serve CloudTrail through this module (after `cloudtrail_compat`)."""
    use_backend(cloudtrail_backends, CloudTrailOrgBackend)
