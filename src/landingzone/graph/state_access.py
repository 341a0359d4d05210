"""Which Terraform state each CI deploy role may touch (`state.isolation`).

The exported stacks keep their state in lz's state bucket, under
`<account>/<region>/<stack>.tfstate` (export/model.py). With
`state.isolation: per_account` (the Rutagon text: "the House Escort deploy
role can only read and write its own state files") the bucket policy lets
every deploy role of `ci.deploy_roles`, in every account it is deployed to:

- read and write its own account's keys, `<account>/*` (plan roles: read only);
- read the organization stack's state (every stack reads the account IDs
  from it) and the state of the accounts in `state.shared_reads` (the
  Coalition text: prod and dev read the shared account's outputs);
- nothing else: a Deny for the role's ARN (`aws:PrincipalArn`) on every other
  key of the bucket, which holds even for a role of the state account whose
  own policies allow all of S3;
- and never to change or delete the bucket's policy (`StatePolicyGuard`): a
  deploy role of the state account allowed `s3:PutBucketPolicy` on its
  account's buckets could otherwise rewrite the isolation itself.

Principals are the accounts (`arn:aws:iam::ID:root`) narrowed by
`aws:PrincipalArn`, so the policy can be written before the roles exist (AWS
refuses a policy naming a role that does not exist yet). lz applies these
statements as part of the state bucket's policy (and gives each deploy role
the matching identity policy, `lz-state`: graph/state_keys.py), `lz export
terraform` exports them, and `lz check` proves them (proofs/state_checks.py).

With `per_account_bucket` the same statements go into each bucket for the
roles given keys there: a member account's own bucket names its own roles
(read and write) and the roles of accounts that read its state
(`shared_reads`: read only); lz's bucket names every role (the organization
stack's state, read only) and the management account's (its own keys).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from landingzone.graph.iam_documents import iam_layout, partition
from landingzone.graph.state_keys import (
    OBJECT_READ,
    OBJECT_WRITE,
    isolated,
    readable_prefixes,
    state_home,
)
from landingzone.graph.targets import account_id_ref
from landingzone.spec.schema import Spec

# What would let a deploy role undo the isolation: the bucket's policy is lz's (or the
# management account's Terraform's), never a deploy role's.
POLICY_ACTIONS = ("s3:PutBucketPolicy", "s3:DeleteBucketPolicy")


@dataclass(frozen=True)
class StateRole:
    """A deploy role in one account, as the state bucket's policy names it."""

    account: str
    name: str
    arn: str  # with `{account_id:ACCOUNT}`
    plan: bool  # read-only


def state_roles(spec: Spec) -> list[StateRole]:
    """Every CI deploy role in every account, when the spec isolates state (else none)."""
    if not isolated(spec):
        return []
    part = partition(spec.organization.home_region)
    found = []
    for role in iam_layout(spec).roles:
        if role.where[:2] != ("ci", "deploy_roles"):
            continue
        entry = spec.ci.deploy_roles[str(role.where[-1])]
        desired = role.desired
        arn = (
            f"arn:{part}:iam::{account_id_ref(role.account)}:role{desired['path']}{desired['name']}"
        )
        found.append(StateRole(role.account, role.desired["name"], arn, entry.plan))
    return sorted(found, key=lambda r: (r.account, r.arn))


def state_statements(spec: Spec, bucket_arn: str, home: str | None = None) -> list[dict[str, Any]]:
    """The policy statements of the state bucket `home` (`state_home`: None for lz's
    bucket, else a member account's own) that isolate the deploy roles' state (see above);
    accounts given nothing in that bucket are not named."""
    by_account: dict[str, list[StateRole]] = {}
    for role in state_roles(spec):
        by_account.setdefault(role.account, []).append(role)
    statements: list[dict[str, Any]] = []
    named: list[StateRole] = []
    part = partition(spec.organization.home_region)
    for account, roles in sorted(by_account.items()):
        keys = readable_prefixes(spec, account, home)
        if not keys:
            continue
        sid = re.sub(r"[^A-Za-z0-9]", "", account.title())
        root = {"AWS": f"arn:{part}:iam::{account_id_ref(account)}:root"}
        readable = [f"{bucket_arn}/{key}" for key in keys]
        everyone = _arns(roles)
        own = state_home(spec, account) == home
        writers = _arns([r for r in roles if not r.plan]) if own else []
        readers = _arns([r for r in roles if r.plan or not own])
        statements.append(
            _statement(f"StateList{sid}", "Allow", root, ["s3:ListBucket"], bucket_arn, everyone)
        )
        statements.append(
            _statement(f"StateRead{sid}", "Allow", root, list(OBJECT_READ), readable, everyone)
        )
        if writers:
            statements.append(
                _statement(
                    f"StateWrite{sid}", "Allow", root, list(OBJECT_WRITE), readable[0], writers
                )
            )
        deny = _statement(
            f"StateIsolation{sid}", "Deny", "*", [*OBJECT_READ, *OBJECT_WRITE], None, everyone
        )
        deny["NotResource"] = readable
        statements.append(deny)
        if readers:
            statements.append(
                _statement(
                    f"StateReadOnly{sid}",
                    "Deny",
                    "*",
                    list(OBJECT_WRITE),
                    f"{bucket_arn}/*",
                    readers,
                )
            )
        named.extend(roles)
    if named:  # the isolation holds only while those it isolates cannot rewrite it
        statements.append(
            _statement(
                "StatePolicyGuard", "Deny", "*", list(POLICY_ACTIONS), bucket_arn, _arns(named)
            )
        )
    return statements


def _arns(roles: list[StateRole]) -> str | list[str]:
    arns = sorted({r.arn for r in roles})
    return arns[0] if len(arns) == 1 else arns


def _statement(
    sid: str,
    effect: str,
    principal: Any,
    actions: list[str],
    resource: str | list[str] | None,
    roles: str | list[str],
) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": sid, "Effect": effect, "Principal": principal}
    statement["Action"] = actions[0] if len(actions) == 1 else actions
    if resource is not None:
        statement["Resource"] = resource
    statement["Condition"] = {"ArnEquals": {"aws:PrincipalArn": roles}}
    return statement
