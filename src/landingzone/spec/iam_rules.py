"""The dangerous shapes lz refuses in IAM documents, and AWS's IAM limits.

Pure functions of documents and names; each returns what is wrong (messages)
and `spec/iam_checks.py` reports them at the spec's file:line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from landingzone.access import catalog

ACCOUNT_ID = re.compile(r"^\d{12}$")
WILDCARD = re.compile(r"[*?]")
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
PATH = re.compile(r"^/(?:[\x21-\x7e]*/)?$")
PATH_MAX = 512
DESCRIPTION_MAX = 1000
ROLE_POLICIES_CHARACTERS = 10240  # all inline policies of one role together (AWS, fixed)
THUMBPRINT = re.compile(r"^[0-9a-fA-F]{40}$")
THUMBPRINTS_MAX = 5
SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?$")
SERVICE_PREFIX = re.compile(r"^[a-z0-9][a-z0-9-]*$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/(?:[\x21-\x7e]*/)?[\w+=,.@-]{1,64}$")
AWS_POLICY_NAME = re.compile(r"^(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,128}$")  # service-role/X
PREFIX = re.compile(r"^[\w+=,.@-]{1,32}$")
POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(?:aws|\d{12}|\{account_id\}):policy/[\x21-\x7e]+$")
EXTERNAL_ID = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
# Actions whose name starts with one of these only read (the rest may change things).
READ_PREFIXES = ("describe", "get", "list", "batchget", "query", "scan", "search", "lookup", "view")
# Services a permission profile never grants wholesale: IAM goes through the
# prefix rules (`iam: true`); STS through `assume_roles`.
UNGRANTABLE_SERVICES = frozenset({"iam", "sts", "organizations"})
_ACCOUNT_REF = re.compile(r"\{account_id(?::[^}]*)?\}")


def has_wildcard(text: str) -> bool:
    """True when a condition value would need StringLike (`*` or `?`)."""
    return bool(WILDCARD.search(text))


def statements_of(policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A document's statements as a list (a single statement may be written as a map)."""
    raw = policy.get("Statement", [])
    items = raw if isinstance(raw, list) else [raw]
    return [s for s in items if isinstance(s, dict)]


def policy_size(document: Mapping[str, Any]) -> int:
    """Characters AWS counts: minified JSON, with account placeholders as 12 digits."""
    text = json.dumps(document, separators=(",", ":"))
    return len(_ACCOUNT_REF.sub("123456789012", text))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def is_read_only(action: str) -> bool:
    """True when an action pattern can only match reading actions (`ec2:Describe*`)."""
    service, _, name = action.lower().partition(":")
    if not name or has_wildcard(service):
        return False
    literal = re.split(r"[*?]", name, maxsplit=1)[0]
    return literal.startswith(READ_PREFIXES)


def mutating_on_any_resource(policy: Mapping[str, Any]) -> Iterator[str]:
    """Allow statements that grant a changing action on `Resource: "*"` (or through
    NotResource / NotAction). An action named exactly that AWS authorizes only on
    `"*"` (`route53:CreateHostedZone`) is not one: no ARN could narrow it."""
    for index, statement in enumerate(statements_of(policy)):
        if statement.get("Effect") != "Allow":
            continue
        everywhere = "NotResource" in statement or "*" in _as_list(statement.get("Resource"))
        if not everywhere:
            continue
        label = statement.get("Sid") or f"#{index}"
        if "NotAction" in statement:
            yield f'statement {label}: NotAction with Resource "*" allows changes to anything'
            continue
        changing = sorted(
            str(a)
            for a in _as_list(statement.get("Action"))
            if not is_read_only(str(a)) and not catalog.only_on_any_resource(str(a))
        )
        if changing:
            where = "NotResource" if "NotResource" in statement else 'Resource "*"'
            yield (
                f"statement {label}: {', '.join(changing)} on {where} may change any resource; "
                "scope it to ARNs"
            )


def trust_problems(trust: Mapping[str, Any]) -> Iterator[str]:
    """Trust statements open to everyone, and OIDC trusts missing `aud` or `sub`."""
    for statement in statements_of(trust):
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        aws = principal.get("AWS", []) if isinstance(principal, dict) else principal
        if principal == "*" or "*" in _as_list(aws):
            yield 'the role would be trusted by "*": any AWS principal could assume it'
        federated = principal.get("Federated") if isinstance(principal, dict) else None
        if "sts:AssumeRoleWithWebIdentity" not in _as_list(statement.get("Action")):
            continue
        host = str(federated).partition(":oidc-provider/")[2]
        keys = {key for block in (statement.get("Condition") or {}).values() for key in block}
        if f"{host}:aud" not in keys:
            yield (
                f'the trust has no "{host}:aud" condition: tokens issued for any audience '
                "would be accepted (the provider needs audiences)"
            )
        if f"{host}:sub" not in keys:
            yield (
                f'the trust has no "{host}:sub" condition: any repository\'s CI jobs could '
                "assume the role (list subjects)"
            )


def _any_name(name: str, what: str) -> str | None:
    """A name pattern that matches anything (`*`, `*main`): lets any `what` in."""
    if name == "" or name[0] in "*?":
        return f"the wildcard lets any {what} in"
    return None


_GITHUB_CONTEXTS = (
    ("environment:", "environment"),
    ("ref:refs/heads/", "branch"),
    ("ref:refs/tags/", "tag"),
    ("ref:", "ref"),
)


def github_subject_problem(subject: str, any_ref: bool = False) -> str | None:
    """What is wrong with a GitHub `sub` value: `repo:ORG/REPO:CONTEXT`, where the
    repository is exact and the branch, tag or environment is not a bare wildcard
    (`any_ref`: it may be, for a read-only plan role)."""
    if not subject.startswith("repo:"):
        return 'a GitHub subject is "repo:ORG/REPO:" followed by environment:, ref: or pull_request'
    repo, sep, context = subject.removeprefix("repo:").partition(":")
    if has_wildcard(repo):
        return "the wildcard lets any repository in; name the repository exactly"
    if "/" not in repo or not sep:
        return 'a GitHub subject is "repo:ORG/REPO:" followed by environment:, ref: or pull_request'
    if not has_wildcard(context) or any_ref:
        return None
    for prefix, what in _GITHUB_CONTEXTS:
        if context.startswith(prefix):
            return _any_name(context.removeprefix(prefix), what)
    return _any_name(context, "branch, tag, environment or event")


def gitlab_subject_problem(subject: str, any_ref: bool = False) -> str | None:
    """What is wrong with a GitLab `sub` value:
    `project_path:GROUP/PROJECT:ref_type:branch|tag:ref:NAME`, exact project, and a
    branch or tag that is not a bare wildcard (`any_ref`: it may be, for a read-only
    plan role: a merge request's subject names any branch)."""
    shape = 'a GitLab subject is "project_path:GROUP/PROJECT:ref_type:branch:ref:NAME"'
    if not subject.startswith("project_path:"):
        return shape
    project, _, context = subject.removeprefix("project_path:").partition(":")
    if has_wildcard(project):
        return "the wildcard lets any project in; name the project exactly"
    if "/" not in project or not context.startswith("ref_type:"):
        return shape
    ref_type, _, ref = context.removeprefix("ref_type:").partition(":ref:")
    if has_wildcard(ref_type):
        return "the wildcard lets any ref type (branch or tag) in"
    if ref_type not in ("branch", "tag") or not ref:
        return shape
    return _any_name(ref, ref_type) if has_wildcard(ref) and not any_ref else None


def subject_problem(provider_type: str, subject: str, any_ref: bool = False) -> str | None:
    """What is wrong with a subject for a provider of this type, if anything
    (`any_ref`: a read-only plan role may trust any branch, tag or environment)."""
    if provider_type == "github":
        return github_subject_problem(subject, any_ref)
    return gitlab_subject_problem(subject, any_ref)


def path_problem(path: str) -> str | None:
    """AWS's rules for IAM paths: `/`, or `/a/b/` of printable ASCII, at most 512."""
    if len(path) > PATH_MAX or not PATH.match(path):
        return (
            'a path starts and ends with "/" and holds printable ASCII without spaces, '
            f"at most {PATH_MAX} characters"
        )
    return None


def role_name_problem(name: str) -> str | None:
    """AWS's rule for role names."""
    if not ROLE_NAME.match(name):
        return "a role name is 1 to 64 characters of letters, digits and +=,.@_-"
    return None
