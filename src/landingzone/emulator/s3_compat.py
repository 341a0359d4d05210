"""S3 buckets as AWS makes them today: encrypted and not public by default, policies checked.

- New buckets have default encryption SSE-S3 (AES256) and a Block Public Access
  configuration with all four settings on, as AWS applies to every new bucket
  since January and April 2023; DeleteBucketEncryption goes back to SSE-S3.
- PutBucketPolicy refuses (while `refusals` is on) a document that is not a JSON
  policy for this bucket (MalformedPolicy) and a public policy while the
  bucket blocks public policies (AccessDenied).
"""

from __future__ import annotations

import json
from typing import Any

import moto.s3.urls
from moto.s3.exceptions import S3ClientError
from moto.s3.models import FakeBucket, PublicAccessBlock, S3Backend, s3_backends

from landingzone.emulator.controls import refusing
from landingzone.emulator.patching import overrides, use_backend


def default_encryption() -> dict[str, Any]:
    """The encryption configuration AWS gives every bucket: SSE-S3, no bucket key."""
    return {
        "Rule": {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
            "BucketKeyEnabled": False,
        }
    }


def _malformed(message: str) -> S3ClientError:
    return S3ClientError("MalformedPolicy", message)


def _statements(document: str) -> list[dict[str, Any]]:
    try:
        policy = json.loads(document)
    except ValueError:
        policy = None
    if not isinstance(policy, dict):
        raise _malformed("Policies must be valid JSON and the first byte must be '{'")
    statements = policy.get("Statement")
    if not statements:
        raise _malformed("Missing required field Statement")
    return statements if isinstance(statements, list) else [statements]


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_public(statement: dict[str, Any]) -> bool:
    """An Allow to everyone without any condition (AWS's "public", simplified: every
    condition is taken as restricting the grant)."""
    principal = statement.get("Principal")
    everyone = principal == "*" or (
        isinstance(principal, dict) and "*" in _as_list(principal.get("AWS", []))
    )
    return statement.get("Effect") == "Allow" and everyone and not statement.get("Condition")


def check_bucket_policy(bucket: FakeBucket, document: str) -> None:
    """Raise what AWS raises for PutBucketPolicy with this document."""
    bucket_arn = f"arn:aws:s3:::{bucket.name}"
    for statement in _statements(document):
        if "Principal" not in statement and "NotPrincipal" not in statement:
            raise _malformed("Missing required field Principal")
        for resource in _as_list(statement.get("Resource", [])):
            if resource != bucket_arn and not str(resource).startswith(bucket_arn + "/"):
                raise _malformed("Policy has invalid resource")
        block = bucket.public_access_block
        if block is not None and block.block_public_policy and _is_public(statement):
            raise S3ClientError("AccessDenied", "Access Denied")


class S3CompatBackend(S3Backend):
    """moto's S3 backend with AWS's bucket defaults and bucket-policy checks."""

    @property
    def _url_module(self) -> Any:
        return moto.s3.urls

    @overrides
    def create_bucket(
        self, bucket_name: str, region_name: str, bucket_namespace: str | None = None
    ) -> FakeBucket:
        """CreateBucket, with SSE-S3 default encryption and all public access blocked."""
        bucket = super().create_bucket(bucket_name, region_name, bucket_namespace)
        bucket.encryption = default_encryption()
        bucket.public_access_block = PublicAccessBlock(True, True, True, True)
        return bucket

    @overrides
    def delete_bucket_encryption(self, bucket_name: str) -> None:
        """Back to the SSE-S3 default, as AWS does."""
        self.get_bucket(bucket_name).encryption = default_encryption()

    @overrides
    def put_bucket_policy(self, bucket_name: str, policy: bytes | str) -> None:
        """PutBucketPolicy, refused for a malformed or (while blocked) public policy."""
        if refusing():
            text = policy.decode() if isinstance(policy, bytes) else policy
            check_bucket_policy(self.get_bucket(bucket_name), text)
        super().put_bucket_policy(bucket_name, policy)  # type: ignore[arg-type]


def install() -> None:
    """Make moto serve S3 through this module (idempotent)."""
    use_backend(s3_backends, S3CompatBackend)
