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
from collections.abc import Callable
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


def _translate(pieces: Pieces) -> str:
    out: list[str] = []
    for text, active in pieces:
        if not active:
            out.append(re.escape(text))
            continue
        for char in text:
            out.append(".*" if char == "*" else "." if char == "?" else re.escape(char))
    return "".join(out)


@lru_cache(maxsize=8192)
def compile_wildcard(pieces: Pieces, *, ignore_case: bool = False) -> Predicate:
    """A predicate: does a whole string match this wildcard pattern?"""
    text = "".join(t for t, _ in pieces)
    if pieces == literal("*"):
        return _always
    if not has_wildcard(pieces):
        if ignore_case:
            folded = text.casefold()
            return lambda value: value.casefold() == folded
        return lambda value: value == text
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    regex = re.compile(_translate(pieces), flags)
    return lambda value: regex.fullmatch(value) is not None


def compile_action(pattern: str) -> Predicate:
    """A case-insensitive predicate for an `Action`/`NotAction` pattern (`s3:Get*`, `*`)."""
    return compile_wildcard(literal(pattern), ignore_case=True)


def is_action_pattern(pattern: str) -> bool:
    """True for `*` and `service:name` (wildcards allowed, exactly one `:`)."""
    if pattern == "*":
        return True
    service, sep, name = pattern.partition(":")
    return bool(sep and service and name and ":" not in name)


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


@lru_cache(maxsize=8192)
def compile_arn(pieces: Pieces) -> Predicate:
    """A case-sensitive, segment-wise predicate for an ARN pattern.

    `*` matches every value (ARN or not); a pattern with fewer than six
    segments matches nothing.
    """
    if pieces == literal("*"):
        return _always
    if not has_wildcard(pieces):
        return compile_wildcard(pieces)
    segments = split_arn(pieces)
    if len(segments) != ARN_SEGMENTS:
        return lambda _value: False
    matchers = [compile_wildcard(segment) for segment in segments]

    def match(value: str) -> bool:
        parts = value.split(":", ARN_SEGMENTS - 1)
        return len(parts) == ARN_SEGMENTS and all(
            m(part) for m, part in zip(matchers, parts, strict=True)
        )

    return match


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
