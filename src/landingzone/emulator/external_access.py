"""Which resources the emulator knows grant access outside a zone of trust.

What IAM Access Analyzer's external access analysis finds, as far as the
emulator can tell from what it holds (see docs/emulator.md, "IAM Access
Analyzer", for what AWS finds beyond): an `Allow` statement of

- an IAM role's trust policy (every account of the zone), or
- an S3 bucket's policy (buckets of the zone in the analyzer's region),

whose `Principal` names everyone (`"*"` or `{"AWS": "*"}`: public) or an
AWS principal (account ID, root, user or role ARN) of an account outside
the zone, unless the statement is limited to the zone's organization by a
condition on `aws:PrincipalOrgID` (or `aws:PrincipalOrgPaths`). Other
conditions do not remove the finding: AWS reports them in the finding's
`condition`. Service principals and federated identity providers are not
reported here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from moto.iam.models import iam_backends
from moto.s3.models import s3_backends

from landingzone.access.errors import RequestError
from landingzone.access.principal import ACCOUNT_ID, Principal
from landingzone.emulator.constants import PARTITION

ORG_KEYS = ("aws:principalorgid", "aws:principalorgpaths")
ROLE, BUCKET = "AWS::IAM::Role", "AWS::S3::Bucket"


@dataclass(frozen=True)
class ExternalAccess:
    """One resource reachable from outside the zone of trust, by one principal."""

    resource: str  # the resource's ARN
    resource_type: str
    owner: str  # the account that owns the resource
    principal: dict[str, str]  # {"AWS": "..."}
    actions: list[str]
    condition: dict[str, str]
    public: bool


def _strings(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value or [] if isinstance(v, str)]


def _outside(principal: str, zone: set[str]) -> bool:
    """Whether an AWS principal of a policy belongs to an account outside the zone."""
    if ACCOUNT_ID.fullmatch(principal):
        return principal not in zone
    try:
        account = Principal.parse(principal).account
    except RequestError:
        return False  # not a principal AWS would accept; nothing to report
    return account is not None and account not in zone


def _conditions(statement: dict[str, Any]) -> dict[str, str]:
    """The statement's conditions as `operator:key -> value` (a finding's `condition`)."""
    found = {}
    for operator, tests in (statement.get("Condition") or {}).items():
        for key, value in (tests or {}).items():
            found[f"{operator}:{key}"] = ",".join(_strings(value))
    return found


def _limited_to(statement: dict[str, Any], organization_id: str | None) -> bool:
    """Whether a condition restricts the statement to the zone's organization."""
    if organization_id is None:
        return False
    return any(
        key.lower() in ORG_KEYS and any(organization_id in v for v in _strings(value))
        for tests in (statement.get("Condition") or {}).values()
        for key, value in (tests or {}).items()
    )


def grants(
    document: str | bytes | None, zone: set[str], organization_id: str | None
) -> Iterator[tuple[dict[str, str], list[str], dict[str, str], bool]]:
    """(principal, actions, condition, public) of each grant outside the zone in a policy."""
    try:
        policy = json.loads(document or "{}")
    except ValueError:
        return
    statements = policy.get("Statement") or []
    for statement in [statements] if isinstance(statements, dict) else statements:
        if statement.get("Effect") != "Allow" or "Principal" not in statement:
            continue
        if _limited_to(statement, organization_id):
            continue
        named = statement["Principal"]
        principals = ["*"] if named == "*" else _strings((named or {}).get("AWS"))
        for principal in principals:
            public = principal == "*"
            if public or _outside(principal, zone):
                yield (
                    {"AWS": principal},
                    sorted(_strings(statement.get("Action"))),
                    _conditions(statement),
                    public,
                )


def external_access(
    accounts: set[str], zone: set[str], region: str, organization_id: str | None
) -> list[ExternalAccess]:
    """What the accounts' roles (and buckets in `region`) grant outside the zone."""
    found: list[ExternalAccess] = []
    for account_id in sorted(accounts):
        iam = iam_backends[account_id][PARTITION]
        for role in iam.roles.values():
            for principal, actions, condition, public in grants(
                role.assume_role_policy_document, zone, organization_id
            ):
                found.append(
                    ExternalAccess(
                        role.arn, ROLE, account_id, principal, actions, condition, public
                    )
                )
        s3 = s3_backends[account_id][PARTITION]
        for bucket in s3.buckets.values():
            if bucket.region_name != region:
                continue
            for principal, actions, condition, public in grants(
                bucket.policy, zone, organization_id
            ):
                found.append(
                    ExternalAccess(
                        f"arn:{PARTITION}:s3:::{bucket.name}",
                        BUCKET,
                        account_id,
                        principal,
                        actions,
                        condition,
                        public,
                    )
                )
    return found
