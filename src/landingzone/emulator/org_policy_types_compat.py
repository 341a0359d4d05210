"""Organizations policy types moto 5.2 lacks, and AWS's checks of policy content.

moto lists BACKUP_POLICY as supported but cannot create one (no ARN format:
NotImplementedError), and does not know DECLARATIVE_POLICY_EC2 at all
(EnablePolicyType and CreatePolicy answer InvalidInputException). This module
adds both, with the ARNs AWS gives them
(`arn:aws:organizations::MGMT:policy/o-ID/backup_policy/p-ID`,
`.../declarative_policy_ec2/p-ID`), and checks a policy's content as
CreatePolicy and UpdatePolicy do in AWS: JSON, within the size of its type
(`ConstraintViolationException`, Reason `POLICY_CONTENT_LIMIT_EXCEEDED`), and
for SCPs and RCPs the IAM policy grammar of their kind, and for RCPs `Deny`
only on services that support RCPs (`MalformedPolicyDocumentException`). See
docs/emulator.md.
"""

from __future__ import annotations

import json
from typing import Any

from moto.organizations.models import FakeOrganization, FakePolicy, FakeRoot

from landingzone.access.errors import PolicyError
from landingzone.access.matching import action_services
from landingzone.access.org_policy_types import BY_AWS_TYPE, RCP_TYPE, SCP_TYPE
from landingzone.access.policy import Effect, PolicyKind, parse_policy
from landingzone.access.rcp_scope import RCP_SERVICES, rcps_apply_to
from landingzone.emulator.wire import EmulatorError

EXTRA_ARN_FORMATS = {
    "BACKUP_POLICY": "arn:{0}:organizations::{1}:policy/{2}/backup_policy/{3}",
    "DECLARATIVE_POLICY_EC2": "arn:{0}:organizations::{1}:policy/{2}/declarative_policy_ec2/{3}",
}
_STAND_IN = "TAG_POLICY"  # a type moto can build; the real type is set after


def install_types() -> None:
    """Let moto's root and policy lists accept the types it lacks (idempotent)."""
    for owner in (FakeRoot, FakePolicy):
        missing = [t for t in EXTRA_ARN_FORMATS if t not in owner.SUPPORTED_POLICY_TYPES]
        owner.SUPPORTED_POLICY_TYPES = [*owner.SUPPORTED_POLICY_TYPES, *missing]


def new_policy(organization: FakeOrganization, params: dict[str, Any]) -> FakePolicy:
    """A FakePolicy of a type moto cannot build itself."""
    policy = FakePolicy(organization, **{**params, "Type": _STAND_IN})
    policy.type = params["Type"]
    policy._arn_format = EXTRA_ARN_FORMATS[params["Type"]]
    return policy


def check_content(policy_type: str, content: str) -> None:
    """Raise what AWS raises for content that is not JSON, too large, or off its grammar."""
    kind = BY_AWS_TYPE.get(policy_type)
    if kind is None:
        return
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        raise EmulatorError(
            "MalformedPolicyDocumentException",
            f"The provided policy document is not JSON: {exc.msg}",
        ) from None
    if len(content) > kind.max_characters:
        error = EmulatorError(
            "ConstraintViolationException",
            f"The provided policy document exceeds the maximum size of {kind.max_characters} "
            f"characters for {policy_type}.",
        )
        error.Reason = "POLICY_CONTENT_LIMIT_EXCEEDED"  # type: ignore[attr-defined]
        raise error
    problem = (
        "not a JSON object" if not isinstance(document, dict) else _grammar(kind.key, document)
    )
    if problem is not None:
        raise EmulatorError(
            "MalformedPolicyDocumentException",
            "The provided policy document does not meet the requirements of the specified "
            f"policy type: {problem}",
        )


def _grammar(key: str, document: dict[str, Any]) -> str | None:
    """What breaks an SCP's or RCP's grammar (the policy language), or None."""
    kinds = {SCP_TYPE: PolicyKind.SCP, RCP_TYPE: PolicyKind.RCP}
    if key not in kinds:
        return None
    try:
        parsed = parse_policy(document, kind=kinds[key], label="policy")
    except PolicyError as exc:
        return str(exc)
    if key != RCP_TYPE:
        return None
    if any(statement.effect is not Effect.DENY for statement in parsed.statements):
        return "an RCP statement's Effect must be Deny (Allow is reserved for RCPFullAWSAccess)"
    raw = (
        document["Statement"]
        if isinstance(document["Statement"], list)
        else [document["Statement"]]
    )
    for statement in raw:
        actions = statement.get("Action", [])
        services = action_services(actions if isinstance(actions, list) else [actions]) or ()
        if not all(rcps_apply_to(service) for service in services):
            return f"an RCP names only services that support RCPs ({', '.join(RCP_SERVICES)})"
    return None
