"""Shared builders for the evaluation corpus (`test_corpus_*.py`).

The corpus is written from AWS's documentation: each `Case` is a request in
the JSON format of `lz access simulate` and the decision AWS documents for it,
with the step/level where an allow is missing or the statement that decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from landingzone.access import simulate

A = "111122223333"  # the caller's account
B = "444455556666"  # another account
MGMT = "999988887777"
ROLE = f"arn:aws:iam::{A}:role/deploy"
SESSION = f"arn:aws:sts::{A}:assumed-role/deploy/ci-run"
OTHER_SESSION = f"arn:aws:sts::{A}:assumed-role/deploy/someone-else"
USER = f"arn:aws:iam::{A}:user/carlossalazar"
FED_USER = f"arn:aws:sts::{A}:federated-user/carol"
SLR = f"arn:aws:iam::{A}:role/aws-service-role/ops.amazonaws.com/AWSServiceRoleForOps"
SERVICE_ROLE = f"arn:aws:iam::{A}:role/service-role/ops-runner"
TARGET_ROLE = f"arn:aws:iam::{A}:role/prod-deploy"
B_ROLE = f"arn:aws:iam::{B}:role/prod-deploy"
GITHUB = f"arn:aws:iam::{A}:oidc-provider/token.actions.githubusercontent.com"
GITLAB = f"arn:aws:iam::{A}:oidc-provider/gitlab.com"
SAML = f"arn:aws:iam::{A}:saml-provider/okta"
OBJECT = "arn:aws:s3:::state-bucket/prod/terraform.tfstate"
ASSUME = "sts:AssumeRole"

ALLOWED, EXPLICIT, IMPLICIT = "allowed", "explicitly_denied", "implicitly_denied"


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document["Version"] = version
    return document


def stmt(effect: str, action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": action, "Resource": resource, **extra}


def allow(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return stmt("Allow", action, resource, **extra)


def deny(action: Any, resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return stmt("Deny", action, resource, **extra)


def grant(principal: Any, action: Any, resource: Any = None, effect: str = "Allow", **extra: Any):
    """A resource-based statement."""
    statement = {"Effect": effect, "Principal": principal, "Action": action, **extra}
    if resource is not None:
        statement["Resource"] = resource
    return statement


FULL = {"name": "FullAWSAccess", "document": policy(allow("*"))}
RCP_FULL = {
    "name": "RCPFullAWSAccess",
    "document": policy(grant("*", "*", "*")),
}


def levels(*targets: tuple[str, list[Any]]) -> list[dict[str, Any]]:
    return [{"target": target, "policies": policies} for target, policies in targets]


def scps(ou: list[Any] | None = None, account: list[Any] | None = None) -> list[dict[str, Any]]:
    """root (FullAWSAccess) -> ou-plat -> the account; each defaults to FullAWSAccess."""
    return levels(
        ("r-root", [FULL]),
        ("ou-plat", [FULL] if ou is None else ou),
        (A, [FULL] if account is None else account),
    )


def request(action: str = "s3:GetObject", resource: str = OBJECT, **fields: Any) -> dict[str, Any]:
    return {
        "principal": ROLE,
        "action": action,
        "resource": resource,
        "resource_account": A,
    } | fields


@dataclass(frozen=True)
class Case:
    id: str
    request: dict[str, Any]
    decision: str
    step: str | None = None  # missing_allow_at.step for implicit denies
    level: str | None = None  # missing_allow_at.level (SCP/RCP target)
    statement: str | None = None  # decided_by.statement (Sid or #index)
    notes: tuple[str, ...] = field(default=())


ADMIN = [policy(allow("*"))]
NO_TRAIL = {
    "name": "deny-cloudtrail-changes",
    "document": policy(
        deny(["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], Sid="ProtectCloudTrail")
    ),
}
S3_ONLY = {"name": "s3-only", "document": policy(allow("s3:*"))}
DENY_ALL = {"name": "deny-all", "document": policy(deny("*", Sid="DenyAll"))}
DENY_ALL_RCP = {"name": "deny-all-rcp", "document": policy(grant("*", "*", "*", "Deny"))}


def rcps(account: list[Any] | None = None) -> list[dict[str, Any]]:
    """RCPFullAWSAccess at the root and the OU; the account level defaults to it too."""
    return levels(
        ("r-root", [RCP_FULL]),
        ("ou-plat", [RCP_FULL]),
        (A, [RCP_FULL] if account is None else account),
    )


def check(case: Case) -> None:
    """Run a case through `simulate` and compare the decision and its explanation."""
    result = simulate(case.request)
    assert result["decision"] == case.decision, result["explanation"]
    missing = result["missing_allow_at"]
    if case.decision == IMPLICIT:
        assert result["decided_by"] is None
        assert missing is not None
        if case.step is not None:
            assert missing["step"] == case.step, result["explanation"]
        if case.level is not None:
            assert missing["level"] == case.level, result["explanation"]
    else:
        assert missing is None
        effect = "Deny" if case.decision == EXPLICIT else "Allow"
        decided = result["decided_by"]
        assert decided is not None or "root user" in result["explanation"]
        assert decided is None or decided["effect"] == effect
    if case.statement is not None:
        assert result["decided_by"]["statement"] == case.statement
    for note in case.notes:
        assert note in result["notes"]


def ids(cases: list[Case]) -> list[str]:
    """Test ids for a case table; refuses duplicates so no case hides another."""
    names = [case.id for case in cases]
    assert len(names) == len(set(names)), "duplicate case ids"
    return names
