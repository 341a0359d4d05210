"""Matching with AWS's rules: wildcards, actions, ARNs and principals.

- Wildcards: `*` matches any run of characters (also none), `?` exactly one.
- Actions (`service:Name`) match case-insensitively.
- ARNs match case-sensitively and segment by segment: `arn:partition:service:
  region:account:resource`. A wildcard in one of the first five segments never
  crosses a `:`; the resource segment is everything after the fifth `:` and may
  itself contain `:` and `/`.
- Principals in a `Principal` element match exactly (no partial wildcards).

Patterns are compiled once into predicates (`Callable[[str], bool]`).
Pattern text is given as `Pieces`: runs of text, each flagged whether its `*`
and `?` are wildcards (policy text) or literal (values of policy variables and
the `${*}`, `${?}` escapes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from landingzone.access.principal import ACCOUNT_ID, Principal, PrincipalKind

Predicate = Callable[[str], bool]
Pieces = tuple[tuple[str, bool], ...]

ARN_SEGMENTS = 6
WILDCARDS = frozenset("*?")


def literal(text: str) -> Pieces:
    """Pieces for policy text whose `*` and `?` are wildcards."""
    return ((text, True),)


def has_wildcard(pieces: Pieces) -> bool:
    """True if any wildcard-active piece contains `*` or `?`."""
    return any(active and not WILDCARDS.isdisjoint(text) for text, active in pieces)


def _always(_value: str) -> bool:
    return True


def _translate(pieces: Pieces, *, any_char: str = ".") -> str:
    """Regex source for pieces; `any_char` is what a wildcard may consume."""
    out: list[str] = []
    for text, active in pieces:
        if not active:
            out.append(re.escape(text))
            continue
        for char in text:
            if char == "*":
                out.append(f"{any_char}*")
            elif char == "?":
                out.append(any_char)
            else:
                out.append(re.escape(char))
    return "".join(out)


@lru_cache(maxsize=8192)
def compile_wildcard(pieces: Pieces) -> Predicate:
    """A case-sensitive predicate: does a whole string match this wildcard pattern?"""
    if pieces == literal("*"):
        return _always
    if not has_wildcard(pieces):
        text = "".join(t for t, _ in pieces)
        return lambda value: value == text
    regex = re.compile(_translate(pieces), re.DOTALL)
    return lambda value: regex.fullmatch(value) is not None


def compile_actions(patterns: Sequence[str]) -> Predicate:
    """One predicate for an `Action`/`NotAction` list (`s3:Get*`, `*`).

    Actions match case-insensitively: the predicate expects the request's
    action lower-cased (see `action_key`).
    """
    folded = [pattern.lower() for pattern in patterns]
    if "*" in folded:
        return _always
    exact = frozenset(p for p in folded if WILDCARDS.isdisjoint(p))
    wild = [p for p in folded if not WILDCARDS.isdisjoint(p)]
    if not wild:
        return exact.__contains__
    regex = re.compile("|".join(f"(?:{_translate(literal(p))})" for p in wild), re.DOTALL)
    return lambda action: action in exact or regex.fullmatch(action) is not None


def action_key(action: str) -> str:
    """A request's action in the form `compile_actions` predicates take."""
    return action.lower()


def action_services(patterns: Sequence[str]) -> frozenset[str] | None:
    """The (lower-case) services an `Action` list can name; None if a wildcard reaches any."""
    services = set()
    for pattern in patterns:
        service = pattern.split(":", 1)[0].lower()
        if pattern == "*" or not WILDCARDS.isdisjoint(service):
            return None
        services.add(service)
    return frozenset(services)


# IAM's grammar for actions: a service prefix (letters, digits, hyphens) and
# an action name (letters and digits), either with wildcards
# (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html).
_ACTION_PATTERN = re.compile(r"^[A-Za-z0-9*?-]+:[A-Za-z0-9*?]+$")


def is_action_pattern(pattern: str) -> bool:
    """True for `*` and `service:name` (wildcards allowed, exactly one `:`, no
    spaces or punctuation)."""
    return pattern == "*" or bool(_ACTION_PATTERN.match(pattern))


def split_arn(pieces: Pieces) -> list[Pieces]:
    """Split pattern pieces into ARN segments on the first five `:` of the policy text."""
    segments: list[list[tuple[str, bool]]] = [[]]
    for text, active in pieces:
        rest = text
        while active and ":" in rest and len(segments) < ARN_SEGMENTS:
            head, rest = rest.split(":", 1)
            segments[-1].append((head, active))
            segments.append([])
        segments[-1].append((rest, active))
    return [tuple(segment) for segment in segments]


def is_arn_pattern(pieces: Pieces) -> bool:
    """True for `*` and for patterns with all six ARN segments."""
    return pieces == literal("*") or len(split_arn(pieces)) == ARN_SEGMENTS


def _never(_value: str) -> bool:
    return False


@lru_cache(maxsize=8192)
def compile_arns(patterns: tuple[Pieces, ...]) -> Predicate:
    """A case-sensitive, segment-wise predicate: does a value match any ARN pattern?

    `*` matches every value (ARN or not). In the first five segments a
    wildcard never matches `:`; in the resource segment it matches anything.
    A pattern with fewer than six segments matches nothing.
    """
    if literal("*") in patterns:
        return _always
    exact: set[str] = set()
    wild: list[str] = []
    for pieces in patterns:
        segments = split_arn(pieces)
        if len(segments) != ARN_SEGMENTS:
            continue
        if not has_wildcard(pieces):
            exact.add("".join(text for text, _ in pieces))
            continue
        head = [_translate(segment, any_char="[^:]") for segment in segments[:-1]]
        wild.append(":".join([*head, _translate(segments[-1])]))
    if not wild:
        return exact.__contains__ if exact else _never
    regex = re.compile("|".join(f"(?:{source})" for source in wild), re.DOTALL)
    return lambda value: value in exact or regex.fullmatch(value) is not None


def compile_arn(pieces: Pieces) -> Predicate:
    """`compile_arns` for one pattern."""
    return compile_arns((pieces,))


class PrincipalMatch(IntEnum):
    """How a statement names the caller; it decides what else must allow (same account).

    ACCOUNT: only the caller's account is named (delegation: identity policies
    must allow too). ROLE: the caller's role is named (permissions boundaries and
    session policies still limit). DIRECT: the caller itself, or everyone (`*`),
    is named: no other allow is needed within the account.
    """

    ACCOUNT = 1
    ROLE = 2
    DIRECT = 3


@dataclass(frozen=True, slots=True)
class PrincipalSet:
    """The principals named by a `Principal` or `NotPrincipal` element."""

    everyone: bool = False
    accounts: frozenset[str] = frozenset()
    roles: frozenset[tuple[str, str]] = frozenset()
    arns: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    federated: frozenset[str] = frozenset()

    def match(self, principal: Principal) -> PrincipalMatch | None:
        """How closely this set names `principal` (None: not at all)."""
        if self.everyone:
            return PrincipalMatch.DIRECT
        if principal.kind is PrincipalKind.SERVICE:
            return PrincipalMatch.DIRECT if principal.text in self.services else None
        if principal.kind is PrincipalKind.FEDERATED:
            return PrincipalMatch.DIRECT if principal.text in self.federated else None
        if principal.text in self.arns:
            return PrincipalMatch.DIRECT
        if principal.role is not None and principal.role in self.roles:
            return PrincipalMatch.ROLE
        if principal.account in self.accounts:
            return PrincipalMatch.ACCOUNT
        return None

    def names_whole_chain(self, principal: Principal) -> bool:
        """For `NotPrincipal`: is the caller exempt, i.e. is every identity it acts as listed?

        AWS may check a role session as the session, then the role, then the
        account (a user as the user, then the account), so a caller escapes a
        `NotPrincipal` statement only when all of them are listed.
        """
        if self.everyone:
            return True
        if principal.kind is PrincipalKind.ANONYMOUS:
            return False
        if principal.kind is PrincipalKind.SERVICE:
            return principal.text in self.services
        if principal.kind is PrincipalKind.FEDERATED:
            return principal.text in self.federated
        chain_listed = principal.account in self.accounts
        if principal.role is not None:
            chain_listed = chain_listed and principal.role in self.roles
            if principal.session_arn is not None:
                chain_listed = chain_listed and principal.session_arn in self.arns
        elif principal.kind is not PrincipalKind.ROOT:
            chain_listed = chain_listed and principal.text in self.arns
        return chain_listed


def principal_set(entries: dict[str, list[str]]) -> PrincipalSet:
    """Build a `PrincipalSet` from validated `{"AWS"|"Service"|"Federated"|...: [ids]}`.

    Raises `ValueError` (with the offending value) for partial wildcards.
    `CanonicalUser` ids are accepted but never match: requests name IAM
    principals, services or identity providers, not S3 canonical users.
    """
    everyone = False
    accounts: set[str] = set()
    roles: set[tuple[str, str]] = set()
    arns: set[str] = set()
    services: set[str] = set()
    federated: set[str] = set()
    for kind, values in entries.items():
        for value in values:
            if value == "*":
                everyone = True
            elif "*" in value:
                raise ValueError(
                    f"{kind} principal {value!r}: wildcards cannot match part of a principal"
                )
            elif kind == "Service":
                services.add(value)
            elif kind == "Federated":
                federated.add(value)
            elif kind == "AWS":
                _add_aws_principal(value, accounts, roles, arns)
    return PrincipalSet(
        everyone=everyone,
        accounts=frozenset(accounts),
        roles=frozenset(roles),
        arns=frozenset(arns),
        services=frozenset(services),
        federated=frozenset(federated),
    )


def _add_aws_principal(
    value: str, accounts: set[str], roles: set[tuple[str, str]], arns: set[str]
) -> None:
    """Sort one `"AWS"` principal: an account (id or root ARN), a role, or an exact ARN."""
    if ACCOUNT_ID.fullmatch(value):
        accounts.add(value)
        return
    parts = value.split(":", 5)
    if len(parts) == ARN_SEGMENTS and parts[2] == "iam":
        account, resource = parts[4], parts[5]
        if resource == "root":
            accounts.add(account)
            return
        if resource.startswith("role/"):
            # Role paths are not part of a session's identity: match on account and name.
            roles.add((account, resource.rsplit("/", 1)[1]))
            return
    # Users, assumed-role and federated-user sessions, and unique ids (AROA...) of
    # deleted roles: exact matches only.
    arns.add(value)
