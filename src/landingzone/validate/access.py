"""Rules for the `checks:` section, each problem at the file:line that caused it.

Checked: unique names; principals (and `except`) in lz's principal syntax,
naming accounts, roles, and Identity Center groups and users the spec
declares; actions in the IAM catalog (a pattern must name
at least one); resources that are `*`, ARNs (an account written by name
must be declared) or `role:ACCOUNT/NAME` of declared roles. Roles are
known from the spec's graph, so a check on a role that no section declares
is an error here, not a failure later.
"""

from __future__ import annotations

from collections.abc import Iterator

from landingzone.access import catalog, sso
from landingzone.access.errors import RequestError
from landingzone.access.globs import Glob
from landingzone.access.ids import MANAGEMENT
from landingzone.access.matching import is_action_pattern
from landingzone.access.oidc import parse_subject
from landingzone.access.principal import Principal
from landingzone.errors import SpecProblem
from landingzone.graph import build_graph
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.suggest import did_you_mean

Problem = tuple[TreePath, str]


def declared_roles(spec: Spec) -> set[str]:
    """`role:ACCOUNT/NAME` of every role the spec's graph declares, and the access roles."""
    graph = build_graph(spec)
    roles = {node.address for node in graph if node.kind == "iam_role"}
    roles |= {f"role:{name}/{spec.organization.access_role}" for name in spec.accounts}
    for node in graph:
        if node.kind == "permission_set":
            for label in node.desired["assignments"]:
                account = sso.parse_label(label)[0]
                roles.add(f"role:{account}/{sso.reserved_role_name(node.desired['name'], account)}")
    return roles


def sso_principals(spec: Spec) -> set[str]:
    """`sso:group/NAME` of the spec's Identity Center groups, `sso:user/NAME` of its users."""
    section = spec.identity_center
    if section is None:
        return set()
    found = {sso.actor_key("GROUP", name) for name in section.groups}
    found |= {sso.actor_key("USER", a.user) for a in section.assignments if a.user}
    return found


def check_access_checks(
    spec: Spec, provenance: Provenance, *, roles: set[str] | None
) -> list[SpecProblem]:
    """Problems of the `checks:` section; `roles` None: the graph cannot be built (skip roles)."""
    accounts = {MANAGEMENT, *spec.accounts}
    people = sso_principals(spec)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, check in enumerate(spec.checks):
        where: TreePath = ("checks", index)
        subject = f'check "{check.name}"'
        if check.name in seen:
            problems.append(
                ((*where, "name"), f"{subject}: the name is used by check #{seen[check.name]}")
            )
        seen.setdefault(check.name, index)
        for i, principal in enumerate([check.principal, *check.exceptions]):
            named: TreePath = (*where, "principal") if i == 0 else (*where, "except", i - 1)
            problems += _principal(principal, accounts, roles, named, subject, people)
        single = isinstance(check.action, str)
        for i, action in enumerate(check.actions):
            path: TreePath = (*where, "action") if single else (*where, "action", i)
            problems += [(path, f"{subject}: {m}") for m in _action(action)]
        single = isinstance(check.resource, str)
        for i, resource in enumerate(check.resources):
            path = (*where, "resource") if single else (*where, "resource", i)
            problems += [(path, f"{subject}: {m}") for m in _resource(resource, accounts, roles)]
    return [SpecProblem(message, provenance.where(*path)) for path, message in problems]


def _principal(
    text: str,
    accounts: set[str],
    roles: set[str] | None,
    path: TreePath,
    subject: str,
    people: set[str],
) -> list[Problem]:
    if text.startswith("sso:"):
        if not text.startswith(("sso:group/", "sso:user/")):
            return [(path, f'{subject}: "{text}" is not sso:group/NAME or sso:user/NAME')]
        if not any(Glob(text).matches(known) for known in people):
            return [
                (
                    path,
                    f'{subject}: no group or user of identity_center matches "{text}"'
                    f"{did_you_mean(text, people)}",
                )
            ]
        return []
    try:
        if text.startswith(("github:", "gitlab:", "oidc:")):
            parse_subject(text)
            return []
        if text.startswith("role:"):
            return [(path, f"{subject}: {m}") for m in _role(text, accounts, roles)]
        if text.startswith("account:"):
            return [(path, f"{subject}: {m}") for m in _account(text[8:], accounts)]
        if text.startswith("service:"):
            Principal.parse(text.removeprefix("service:"))
            return []
        Principal.parse(text)
    except RequestError as exc:
        return [(path, f"{subject}: {exc}")]
    return []


def _account(name: str, accounts: set[str]) -> Iterator[str]:
    if "*" not in name and "?" not in name and name not in accounts:
        yield f'account "{name}" is not declared{did_you_mean(name, accounts)}'


def _role(text: str, accounts: set[str], roles: set[str] | None) -> Iterator[str]:
    account, slash, name = text.removeprefix("role:").partition("/")
    if not slash or not account or not name:
        yield f'"{text}" is not role:ACCOUNT/NAME'
        return
    yield from _account(account, accounts)
    if roles is None or (account not in accounts and "*" not in account):
        return
    if not any(Glob(text).matches(role) for role in roles):
        yield (
            f'no role of the spec matches "{text}"{did_you_mean(text, roles)} '
            "(roles come from the spec's IAM sections and organization.access_role)"
        )


def _action(text: str) -> Iterator[str]:
    if not is_action_pattern(text) or text == "*":
        yield f'action "{text}" is not service:Action (wildcards allowed)'
        return
    if "*" in text or "?" in text:
        if not catalog.expand(text):
            yield f'action pattern "{text}" matches no action of the IAM catalog'
    elif not catalog.is_known(text):
        service = text.split(":", 1)[0].lower()
        known = [a for a in catalog.expand(f"{service}:*")]
        yield f'action "{text}" is not in the IAM catalog{did_you_mean(text, known)}'


def _resource(text: str, accounts: set[str], roles: set[str] | None) -> Iterator[str]:
    if text.startswith("role:"):
        yield from _role(text, accounts, roles)
        return
    parts = text.split(":", 5)
    if text != "*" and (not text.startswith("arn:") or len(parts) != 6):
        yield f'resource "{text}" is not "*", an ARN or role:ACCOUNT/NAME'
    elif text != "*" and parts[4] and not parts[4].isdigit() and "*" not in parts[4]:
        yield from _account(parts[4], accounts)
