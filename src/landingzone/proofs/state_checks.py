"""The checks `lz check` adds for isolated Terraform state (`state.isolation`).

For every CI deploy role the state bucket's policy names
(graph/state_access.py), over the bucket policy and the role's own policies
as the access model evaluates them:

- it **reads** its own account's state (a key under `<account>/`) and, unless
  it is a plan role, **writes** it;
- a plan role **cannot write** even its own state;
- it **reads** the state of the accounts of `state.shared_reads`;
- it **can neither read nor write** the state of any other account whose
  state it is not given to read (`state.shared_reads`, the organization
  stack's), one key under each such account;
- it **cannot change or delete the policy** of any state bucket (which would
  undo the isolation).

A key stands for every key of its account: the policy's statements name
accounts' prefixes, never single stacks. With `per_account_bucket` each key is
in the bucket that keeps its account's state (the account's own, or lz's for
the management account), so the checks cross buckets and accounts.
"""

from __future__ import annotations

from landingzone.graph.state_access import POLICY_ACTIONS, state_roles
from landingzone.graph.state_keys import home_bucket_arn, may_read, state_home, state_key
from landingzone.nodes import MANAGEMENT
from landingzone.spec.access_checks import AccessCheck
from landingzone.spec.schema import Spec

# A check reads and writes `<account>/<region>/network.tfstate` in each account.
STACK = "network"


def state_checks(spec: Spec) -> list[AccessCheck]:
    """The checks the state bucket's policy must pass (none without isolation)."""
    roles = state_roles(spec)
    if not roles:
        return []
    region = spec.organization.home_region

    def arn(account: str) -> str:  # in the bucket that keeps the account's state
        bucket = home_bucket_arn(spec, state_home(spec, account))
        return f"{bucket}/{state_key(account, region, STACK)}"

    accounts = [MANAGEMENT, *sorted(spec.accounts)]
    buckets = sorted({home_bucket_arn(spec, state_home(spec, a)) for a in accounts})
    checks: list[AccessCheck] = []
    for role in roles:
        principal = f"role:{role.account}/{role.name}"
        who = f"{role.name} ({role.account})"
        own = arn(role.account)
        checks.append(
            AccessCheck(
                name=f"state: {who} reads its account's state"
                + ("" if role.plan else " and writes it"),
                principal=principal,
                action=["s3:GetObject"] if role.plan else ["s3:GetObject", "s3:PutObject"],
                resource=own,
                expect="allow",
            )
        )
        if role.plan:
            checks.append(
                AccessCheck(
                    name=f"state: the plan role {who} cannot write its account's state",
                    principal=principal,
                    action="s3:PutObject",
                    resource=own,
                    expect="deny",
                )
            )
        given = [arn(other) for other in spec.state.shared_reads if other != role.account]
        if given:
            checks.append(
                AccessCheck(
                    name=f"state: {who} reads the state of "
                    + ", ".join(o for o in spec.state.shared_reads if o != role.account),
                    principal=principal,
                    action="s3:GetObject",
                    resource=given,
                    expect="allow",
                )
            )
        others = [
            arn(other)
            for other in accounts
            if other != role.account
            and not may_read(spec, role.account, state_key(other, region, STACK))
        ]
        if others:
            checks.append(
                AccessCheck(
                    name=f"state: {who} cannot read or write other accounts' state",
                    principal=principal,
                    action=["s3:GetObject", "s3:PutObject"],
                    resource=others,
                    expect="deny",
                )
            )
        checks.append(
            AccessCheck(
                name=f"state: {who} cannot change the state buckets' policies",
                principal=principal,
                action=list(POLICY_ACTIONS),
                resource=buckets,
                expect="deny",
            )
        )
    return checks
