"""Whether an AWS service may deliver to a bucket or encrypt with a key, as AWS checks it.

CloudTrail and AWS Config check, when a trail or delivery channel is
created or changed, that the bucket exists and that its policy lets the
service write there (and, for a trail's KMS key, that the key policy lets
CloudTrail encrypt for that trail). Buckets and keys may be in another
account. The policies are evaluated with lz's own implementation of AWS's
policy evaluation (`landingzone.access`), for the request the service makes:
its service principal, on the trail's or the account's behalf
(`aws:SourceArn`, `aws:SourceAccount`, the encryption context), over TLS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from moto.kms.models import Key, kms_backends
from moto.s3.models import FakeBucket, s3_backends

from landingzone.access import (
    Context,
    Outcome,
    PolicyError,
    PolicyKind,
    Principal,
    Request,
    evaluate,
    parse_policy,
)


def find_bucket(name: str) -> tuple[str, FakeBucket] | None:
    """The owning account and the bucket called `name`, in any account."""
    owner = s3_backends.bucket_accounts.get(name)
    if owner is None:
        return None
    partition, account_id = owner
    bucket = s3_backends[account_id][partition].buckets.get(name)
    return (account_id, bucket) if bucket is not None else None


def find_key(key: str, account_id: str, region: str) -> Key | None:
    """The KMS key a key ARN, alias ARN, key ID or alias names (IDs and aliases:
    in `account_id` and `region`)."""
    if key.startswith("arn:"):
        _, _, _, region, account_id, _ = key.split(":", 5)
    backend = kms_backends[account_id][region]
    if key.startswith("alias/") or ":alias/" in key:
        key_id = backend.get_key_id_from_alias(backend.get_alias_name(key))
    else:
        key_id = backend.get_key_id(key)
    return backend.keys.get(key_id) if key_id else None


def allows(
    policy: str | bytes | None,
    *,
    service: str,
    action: str,
    resource: str,
    resource_account: str,
    context: Mapping[str, str],
) -> bool:
    """Whether a resource policy allows `service` to do `action` on `resource`."""
    if not policy:
        return False
    text = policy.decode() if isinstance(policy, bytes) else policy
    try:
        document: Any = json.loads(text)
        parsed = parse_policy(document, kind=PolicyKind.RESOURCE, label="resource policy")
    except (ValueError, PolicyError):
        return False
    request = Request(
        principal=Principal.parse(service),
        action=action,
        resource=resource,
        context=Context({k.lower(): (v,) for k, v in {**context, **_OVER_TLS}.items()}),
        resource_account=resource_account,
        resource_policy=parsed,
    )
    return evaluate(request).outcome is Outcome.ALLOWED


_OVER_TLS = {"aws:SecureTransport": "true"}


def bucket_allows(
    bucket: tuple[str, FakeBucket],
    *,
    service: str,
    key: str,
    context: Mapping[str, str],
    read_actions: tuple[str, ...] = ("s3:GetBucketAcl",),
) -> bool:
    """Whether the bucket's policy lets `service` check the bucket and write `key`."""
    owner, found = bucket
    arn = f"arn:aws:s3:::{found.name}"
    checks = [(action, arn) for action in read_actions] + [("s3:PutObject", f"{arn}/{key}")]
    return all(
        allows(
            found.policy,
            service=service,
            action=action,
            resource=resource,
            resource_account=owner,
            context=context,
        )
        for action, resource in checks
    )
