"""Where Terraform's state of the exported stacks lives, and what each account may read.

The state bucket and lock table are lz's own (`state:`); the exported stacks
keep their state under `<account>/<region>/<stack>.tfstate`. With
`state.isolation: per_account`, a deploy role of an account reads its own
account's keys, the organization stack's and those of `state.shared_reads`,
and writes only its own (graph/state_access.py writes the bucket policy;
`state_grant` is the matching identity policy lz gives each deploy role).

With `state.isolation: per_account_bucket` (the Coalition text: "each account
has its own S3 state bucket and DynamoDB lock table"), each member account's
stacks keep their state in the account's own bucket (`state.account_bucket`,
same keys) and lock in its own table (`state.account_lock_table`); the
management account's stacks and `bootstrap/` stay in lz's bucket, where every
deploy role reads the organization stack's state.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def isolated(spec: Spec) -> bool:
    """Whether the spec isolates the deploy roles' Terraform state (either layout)."""
    return spec.state.isolation != "none"


def state_home(spec: Spec, account: str) -> str | None:
    """The account whose own Terraform state bucket keeps `account`'s stacks' state
    (`state.isolation: per_account_bucket`, member accounts); None: lz's state bucket."""
    if spec.state.isolation == "per_account_bucket" and account != MANAGEMENT:
        return account
    return None


def account_state_names(spec: Spec, account: str) -> tuple[str, str]:
    """A member account's own Terraform state bucket and lock table, `{account_id}` as
    written (the account's own ID when lz fills it)."""
    state = spec.state
    return tuple(  # type: ignore[return-value]
        text.replace("{org}", spec.organization.name).replace("{account}", account)
        for text in (state.account_bucket, state.account_lock_table)
    )


def home_bucket_arn(spec: Spec, home: str | None) -> str:
    """The ARN of a state bucket (`state_home`) as any account's document names it."""
    if home is None:
        return state_bucket_arn(spec)
    bucket, _ = account_state_names(spec, home)
    return f"arn:aws:s3:::{bucket.replace('{account_id}', account_id_ref(home))}"


@dataclass(frozen=True)
class StateGrant:
    """Keys of one state bucket a deploy role may read (and, `write`, write)."""

    home: str | None  # the bucket (`state_home`)
    key: str  # a key, or `prefix/*`
    write: bool


def state_grants(spec: Spec, account: str) -> list[StateGrant]:
    """What a deploy role of `account` may touch: its own account's keys first (written),
    then the organization stack's state and those of `state.shared_reads` (read)."""
    organization = state_key(MANAGEMENT, spec.organization.home_region, ORGANIZATION_STACK)
    grants = [
        StateGrant(state_home(spec, account), f"{account}/*", write=True),
        StateGrant(None, organization, write=False),
    ]
    for other in spec.state.shared_reads:
        if other != account:
            grants.append(StateGrant(state_home(spec, other), f"{other}/*", write=False))
    return grants


def readable_prefixes(spec: Spec, account: str, home: str | None = None) -> list[str]:
    """The keys (and `prefix/*` patterns) a deploy role of `account` may read in the state
    bucket `home`; its own account's first, when they are in that bucket."""
    return [g.key for g in state_grants(spec, account) if g.home == home]


def may_read(spec: Spec, account: str, key: str) -> bool:
    """Whether a deploy role of `account` may read the state at `key` (in the bucket of
    the key's account, `state_home`)."""
    home = state_home(spec, key.partition("/")[0])
    return any(
        key == pattern or (pattern.endswith("/*") and key.startswith(pattern[:-1]))
        for pattern in readable_prefixes(spec, account, home)
    )


def lock_table_arn(spec: Spec, account: str) -> str:
    """The ARN of a member account's own lock table (`per_account_bucket`)."""
    _, table = account_state_names(spec, account)
    region = spec.state.region or spec.organization.home_region
    return f"arn:aws:dynamodb:{region}:{account_id_ref(account)}:table/{table}"


LOCK_ACTIONS = (
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:DeleteItem",
)


def state_grant(spec: Spec, account: str, plan: bool) -> dict[str, Any] | None:
    """The identity policy of a deploy role of `account` for its state (None without
    isolation): read what it may read, write its own keys unless it is a plan role, and
    (`per_account_bucket`) lock in its account's own lock table."""
    if not isolated(spec):
        return None
    grants = state_grants(spec, account)
    buckets = sorted({home_bucket_arn(spec, g.home) for g in grants})
    readable = [f"{home_bucket_arn(spec, g.home)}/{g.key}" for g in grants]
    statements: list[dict[str, Any]] = [
        {
            "Sid": "StateList",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": _one(buckets),
        },
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
        if state_home(spec, account) is not None:
            statements.append(
                {
                    "Sid": "StateLock",
                    "Effect": "Allow",
                    "Action": list(LOCK_ACTIONS),
                    "Resource": lock_table_arn(spec, account),
                }
            )
    return {"Version": "2012-10-17", "Statement": statements}


def _one(values: list[str]) -> str | list[str]:
    return values[0] if len(values) == 1 else values
