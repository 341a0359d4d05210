"""Spec checks for policies of every Organizations type: grammar, size, attachments per target.

SCPs keep their quotas from `organization.quotas` (`scp_characters`,
`policies_per_target`); the other types use AWS's limits (`org_policy_types`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from landingzone.access.org_policy_types import (
    AWS_MANAGED_POLICIES,
    POLICY_TYPES,
    RCP_TYPE,
    SCP_TYPE,
)
from landingzone.spec.org_policy_grammar import check_management_document, check_rcp_document
from landingzone.spec.policy_rules import Finding, check_scp_document, minified_size
from landingzone.spec.schema import Policy, Spec


def policy_type_of(spec: Spec, name: str) -> str | None:
    """The spec type of a declared or AWS-managed policy name (None if unknown)."""
    if name in spec.policies:
        return spec.policies[name].type
    managed = AWS_MANAGED_POLICIES.get(name)
    return managed.key if managed else None


def grammar_findings(policy_type: str, document: Mapping[str, object]) -> Iterator[Finding]:
    """Where a document breaks the grammar of a policy type (a key of `POLICY_TYPES`)."""
    if policy_type == SCP_TYPE:
        yield from check_scp_document(document)
    elif policy_type == RCP_TYPE:
        yield from check_rcp_document(document)
    else:
        yield from check_management_document(policy_type, document)


def document_findings(policy: Policy) -> Iterator[Finding]:
    """Where a policy's document breaks the grammar of its type."""
    yield from grammar_findings(policy.type, policy.document or {})


def size_problem(spec: Spec, policy: Policy) -> str | None:
    """The document's size over its type's limit, as a message (None if it fits)."""
    size = minified_size(policy.document or {})
    if policy.type == SCP_TYPE:
        quota = spec.organization.quotas.scp_characters
        if size > quota:
            return (
                f"the document is {size} characters minified, over the quota of {quota} "
                "(organization.quotas.scp_characters)"
            )
        return None
    kind = POLICY_TYPES[policy.type]
    if size > kind.max_characters:
        return (
            f"the document is {size} characters minified, over AWS's limit of "
            f"{kind.max_characters} for {kind.plural}"
        )
    return None


def attachment_problems(spec: Spec, names: list[str]) -> Iterator[str]:
    """Types of which a target would have more policies than AWS allows (SCPs: the quota).

    The AWS-managed policy of a type (FullAWSAccess, RCPFullAWSAccess) is
    attached to every target and counts once.
    """
    counts = Counter(
        policy_type_of(spec, name)
        for name in set(names)
        if name not in AWS_MANAGED_POLICIES and policy_type_of(spec, name)
    )
    for key, count in sorted(counts.items(), key=lambda item: str(item[0])):
        if key is None or key == SCP_TYPE:
            continue
        kind = POLICY_TYPES[key]
        attached = count + (1 if kind.aws_managed else 0)
        if attached > kind.max_per_target:
            plus = f" plus {kind.aws_managed}, which AWS keeps attached" if kind.aws_managed else ""
            yield (
                f"{attached} {kind.plural} would be attached ({count} listed{plus}), over "
                f"AWS's limit of {kind.max_per_target} per target"
            )


def scp_names(spec: Spec, names: list[str]) -> list[str]:
    """The names of a target's list that are SCPs (declared or FullAWSAccess) or unknown."""
    return [name for name in names if policy_type_of(spec, name) in (SCP_TYPE, None)]


def used_types(policies: Mapping[str, Policy]) -> list[str]:
    """The Organizations API types of the declared policies, sorted."""
    return sorted({POLICY_TYPES[p.type].aws for p in policies.values()})
