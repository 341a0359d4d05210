"""The log archive's bucket: where every account's trail and AWS Config deliver.

A `s3_bucket.BucketKind` (versioned, SSE-S3 by default, public access
blocked, TLS only; never deleted by lz) whose policy also lets exactly the
trails and Config recorders of the spec deliver: CloudTrail only for the
listed trail ARNs (`aws:SourceArn`), Config only for the listed accounts
(`aws:SourceAccount`: Config delivers on behalf of an account, not of a
resource). Objects go under `AWSLogs/` as both services write them; the
trails encrypt theirs with the log archive's KMS key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from landingzone.resources.base import register
from landingzone.resources.s3_bucket import BucketKind, bucket_arn


def delivery_statements(
    bucket: str,
    trail_arns: Iterable[str],
    config_accounts: Iterable[str],
    readers: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The statements that let these trails and these accounts' Config deliver, and
    these principals (`readers`: account root ARNs) read the logs."""
    arn = bucket_arn(bucket)
    resources = [arn, f"{arn}/AWSLogs/*"]
    statements = []
    trails = sorted(set(trail_arns))
    if trails:
        statements.append(
            {
                "Sid": "CloudTrailDelivery",
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": ["s3:GetBucketAcl", "s3:PutObject"],
                "Resource": resources,
                "Condition": {"StringEquals": {"aws:SourceArn": trails}},
            }
        )
    accounts = sorted(set(config_accounts))
    if accounts:
        statements.append(
            {
                "Sid": "ConfigDelivery",
                "Effect": "Allow",
                "Principal": {"Service": "config.amazonaws.com"},
                "Action": ["s3:GetBucketAcl", "s3:ListBucket", "s3:PutObject"],
                "Resource": resources,
                "Condition": {"StringEquals": {"aws:SourceAccount": accounts}},
            }
        )
    principals = sorted(set(readers))
    if principals:
        statements.append(
            {
                "Sid": "SecurityAccountReadsLogs",
                "Effect": "Allow",
                "Principal": {"AWS": principals},
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": resources,
            }
        )
    return statements


@register
class LogBucketKind(BucketKind):
    """The central log bucket of the log archive account."""

    name = "log_bucket"
