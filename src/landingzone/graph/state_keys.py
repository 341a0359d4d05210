"""Where Terraform's state of the exported stacks lives, and what each account may read.

The state bucket and lock table are lz's own (`state:`); the exported stacks
keep their state under `<account>/<region>/<stack>.tfstate`. With
`state.isolation: per_account`, a deploy role of an account reads its own
account's keys, the organization stack's and those of `state.shared_reads`,
and writes only its own (graph/state_access.py writes the bucket policy;
`state_grant` is the matching identity policy lz gives each deploy role).
"""

from __future__ import annotations

from typing import Any

from landingzone.graph.targets import account_id_ref
from landingzone.nodes import MANAGEMENT
from landingzone.spec.schema import Spec

ORGANIZATION_STACK = "organization"  # the stack that publishes account IDs (export/model.py)
OBJECT_READ = ("s3:GetObject",)
OBJECT_WRITE = ("s3:PutObject", "s3:DeleteObject")  # the state, and its lock file
STATE_POLICY = "lz-state"  # the inline policy of a deploy role's state grants


def state_names(spec: Spec) -> tuple[str, str, str]:
    """The state bucket, lock table and region (placeholders other than {account_id} filled)."""
    region = spec.state.region or spec.organization.home_region
    fill = {"{org}": spec.organization.name, "{region}": region, "{account}": spec.state.account}

    def filled(text: str) -> str:
        for key, value in fill.items():
            text = text.replace(key, value)
        return text

    return filled(spec.state.bucket), filled(spec.state.lock_table), region


def state_bucket_arn(spec: Spec) -> str:
    """The state bucket's ARN as any account's document names it (`{account_id:STATE}`)."""
    bucket, _, _ = state_names(spec)
    return f"arn:aws:s3:::{bucket.replace('{account_id}', account_id_ref(spec.state.account))}"


def state_key(account: str, region: str, stack: str) -> str:
    """The object key of a stack's state in the state bucket."""
    return f"{account}/{region}/{stack}.tfstate"


def readable_prefixes(spec: Spec, account: str) -> list[str]:
    """The keys (and `prefix/*` patterns) a deploy role of `account` may read; its own
    account's first."""
    organization = state_key(MANAGEMENT, spec.organization.home_region, ORGANIZATION_STACK)
    shared = [f"{other}/*" for other in spec.state.shared_reads if other != account]
    return [f"{account}/*", organization, *shared]


def may_read(spec: Spec, account: str, key: str) -> bool:
    """Whether a deploy role of `account` may read the state at `key`."""
    return any(
        key == pattern or (pattern.endswith("/*") and key.startswith(pattern[:-1]))
        for pattern in readable_prefixes(spec, account)
    )


def state_grant(spec: Spec, account: str, plan: bool) -> dict[str, Any] | None:
    """The identity policy of a deploy role of `account` for its state (None without
    isolation): read what it may read, write its own keys unless it is a plan role."""
    if spec.state.isolation != "per_account":
        return None
    bucket = state_bucket_arn(spec)
    readable = [f"{bucket}/{key}" for key in readable_prefixes(spec, account)]
    statements: list[dict[str, Any]] = [
        {"Sid": "StateList", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket},
        {"Sid": "StateRead", "Effect": "Allow", "Action": list(OBJECT_READ), "Resource": readable},
    ]
    if not plan:
        statements.append(
            {
                "Sid": "StateWrite",
                "Effect": "Allow",
                "Action": list(OBJECT_WRITE),
                "Resource": readable[0],
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
