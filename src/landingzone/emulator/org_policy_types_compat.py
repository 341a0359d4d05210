"""Organizations policy types moto 5.2 lacks, and AWS's checks of policy content.

moto lists BACKUP_POLICY as supported but cannot create one (no ARN format:
NotImplementedError), and does not know DECLARATIVE_POLICY_EC2 at all
(EnablePolicyType and CreatePolicy answer InvalidInputException). This module
adds both, with the ARNs AWS gives them
(`arn:aws:organizations::MGMT:policy/o-ID/backup_policy/p-ID`,
`.../declarative_policy_ec2/p-ID`), and checks a policy's content as
CreatePolicy and UpdatePolicy do in AWS: JSON, within the size of its type
(`ConstraintViolationException`, Reason `POLICY_CONTENT_LIMIT_EXCEEDED`), and
the grammar of its type (`MalformedPolicyDocumentException`). See
docs/emulator.md.
"""

from __future__ import annotations

import json
from typing import Any

from moto.organizations.models import FakeOrganization, FakePolicy, FakeRoot

from landingzone.emulator.wire import EmulatorError
from landingzone.spec.org_policy_checks import grammar_findings
from landingzone.spec.org_policy_types import BY_AWS_TYPE

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
        next(iter(grammar_findings(kind.key, document)), None)
        if isinstance(document, dict)
        else ((), "not a JSON object")
    )
    if problem is not None:
        path, message = problem
        where = "/".join(str(step) for step in path)
        raise EmulatorError(
            "MalformedPolicyDocumentException",
            f"The provided policy document does not meet the requirements of the specified "
            f"policy type: {where + ': ' if where else ''}{message}",
        )
