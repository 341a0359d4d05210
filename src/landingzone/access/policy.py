"""IAM JSON policies: parsed and validated once, then evaluated many times.

`parse_policy(document, kind=..., label=...)` checks the document against the
policy grammar and the rules of its kind, and pre-compiles every pattern. Any
problem raises `PolicyError` naming the policy, the statement (Sid and index)
and what is wrong.

Rules per kind:

- identity-based policies, permissions boundaries, session policies and SCPs
  must not have `Principal`/`NotPrincipal` and need `Resource`/`NotResource`;
- resource-based policies (bucket, key and role trust policies) need
  `Principal` or `NotPrincipal`; `Resource` is optional (a role trust policy
  has none; a statement without one applies to the resource it is attached to);
- RCPs need `"Principal": "*"` and a `Resource`, and cannot use `NotPrincipal`.

With `lenient=True` (`lz access simulate`), shapes AWS would refuse to store
but its evaluator can still read are evaluated with a warning instead of an
error (`Policy.warnings`): a `Principal` where the kind has none (the
statement then applies only to the principals it names), a bare ARN string
as `Principal` (read as `{"AWS": ARN}`), an action with nothing after the
colon (`s3:`, matches no action) and a resource-based statement without
`Principal` (names nobody, so it allows and denies nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from landingzone.access.conditions import ConditionTest, parse_conditions
from landingzone.access.context import Context
from landingzone.access.errors import PolicyError
from landingzone.access.matching import (
    Pieces,
    Predicate,
    PrincipalMatch,
    PrincipalSet,
    action_services,
    compile_actions,
    compile_arn,
    compile_arns,
    is_action_pattern,
    is_arn_pattern,
    principal_set,
)
from landingzone.access.principal import Principal
from landingzone.access.variables import VARIABLES_VERSION, Template, parse_template

VERSIONS = (VARIABLES_VERSION, "2008-10-17")
POLICY_ELEMENTS = frozenset({"Version", "Id", "Statement"})
STATEMENT_ELEMENTS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)
PRINCIPAL_TYPES = frozenset({"AWS", "Service", "Federated", "CanonicalUser"})


class PolicyKind(StrEnum):
    """Where a policy sits in the evaluation; decides its grammar rules."""

    IDENTITY = "identity"
    BOUNDARY = "permissions_boundary"
    SESSION = "session"
    RESOURCE = "resource"
    SCP = "scp"
    RCP = "rcp"

    @property
    def noun(self) -> str:
        """Human name used in explanations (`SCP`, `identity-based policy`)."""
        return _TITLES[self][1]

    @property
    def with_article(self) -> str:
        """The noun with its article (`an SCP`, `a session policy`)."""
        return " ".join(_TITLES[self])


_TITLES = {
    PolicyKind.IDENTITY: ("an", "identity-based policy"),
    PolicyKind.BOUNDARY: ("a", "permissions boundary"),
    PolicyKind.SESSION: ("a", "session policy"),
    PolicyKind.RESOURCE: ("a", "resource-based policy"),
    PolicyKind.SCP: ("an", "SCP"),
    PolicyKind.RCP: ("an", "RCP"),
}
_WITHOUT_PRINCIPAL = frozenset(
    {PolicyKind.IDENTITY, PolicyKind.BOUNDARY, PolicyKind.SESSION, PolicyKind.SCP}
)


class Effect(StrEnum):
    """A statement's effect."""

    ALLOW = "Allow"
    DENY = "Deny"


@dataclass(frozen=True, slots=True)
class ResourceSet:
    """A `Resource`/`NotResource` list: plain patterns compiled together at parse
    time, patterns with policy variables compiled per request."""

    static: Predicate
    templates: tuple[Template, ...]

    def matches(self, resource: str, context: Context) -> bool:
        """Does the requested resource match any entry (variables resolved from `context`)?"""
        if self.static(resource):
            return True
        for template in self.templates:
            pieces = template.resolve(context.variable)
            if pieces is not None and compile_arn(pieces)(resource):
                return True
        return False


@dataclass(frozen=True, slots=True)
class Statement:
    """One parsed statement. `resources`/`principals` are None when the element is absent."""

    index: int
    sid: str | None
    effect: Effect
    actions: Predicate
    not_action: bool
    services: frozenset[str] | None
    resources: ResourceSet | None
    not_resource: bool
    principals: PrincipalSet | None
    not_principal: bool
    conditions: tuple[ConditionTest, ...]

    @property
    def label(self) -> str:
        """`"Sid" (#index)`, or `#index` for statements without a Sid."""
        return f'"{self.sid}" (#{self.index})' if self.sid else f"#{self.index}"

    def match(
        self,
        action: str,
        resource: str,
        principal: Principal,
        context: Context,
        *,
        bounded: bool = False,
    ) -> PrincipalMatch | None:
        """Whether this statement applies to the request, and how it names the caller.

        `action` is the request's `action_key` (lower-cased). None: it does not
        apply. Statements without a `Principal` element (identity-based
        policies, boundaries, ...) apply to the identity they are attached to
        and report `DIRECT`. `bounded`: the caller has a permissions boundary,
        which a `Deny` with `NotPrincipal` always denies (AWS's NotPrincipal page).
        """
        reach = self._reach(action, resource, principal, context, bounded=bounded)
        if reach is None or not all(test.holds(context) for test in self.conditions):
            return None
        return reach

    def failed_condition(
        self, action: str, resource: str, principal: Principal, context: Context
    ) -> ConditionTest | None:
        """The first condition that keeps this statement from a request it otherwise covers."""
        if self._reach(action, resource, principal, context) is None:
            return None
        return next((test for test in self.conditions if not test.holds(context)), None)

    def _reach(
        self,
        action: str,
        resource: str,
        principal: Principal,
        context: Context,
        *,
        bounded: bool = False,
    ) -> PrincipalMatch | None:
        """Action, resource and principal checks (everything but the conditions)."""
        if self.actions(action) == self.not_action:
            return None
        resources = self.resources
        if resources is not None and resources.matches(resource, context) == self.not_resource:
            return None
        if self.principals is None:
            return PrincipalMatch.DIRECT
        if self.not_principal:
            if bounded and self.effect is Effect.DENY:
                return PrincipalMatch.DIRECT
            names_all = self.principals.names_whole_chain(principal)
            return None if names_all else PrincipalMatch.DIRECT
        return self.principals.match(principal)


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed policy document with the label that explanations and errors use."""

    label: str
    kind: PolicyKind
    version: str | None
    statements: tuple[Statement, ...]
    warnings: tuple[str, ...] = ()
    _by_service: dict[str, tuple[Statement, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def statements_for(self, service: str) -> tuple[Statement, ...]:
        """The statements whose actions can include `service` (lower-case), in order.

        Statements with `NotAction` or a wildcard in the service part are always
        included. Computed once per service and kept.
        """
        found = self._by_service.get(service)
        if found is None:
            found = tuple(s for s in self.statements if s.services is None or service in s.services)
            self._by_service[service] = found
        return found


def parse_policy(document: Any, *, kind: PolicyKind, label: str, lenient: bool = False) -> Policy:
    """Validate and compile one policy document (a JSON object).

    `lenient`: evaluate the shapes AWS refuses to store but can evaluate, with a
    warning each (see the module docstring), instead of raising `PolicyError`.
    """
    if not isinstance(document, dict):
        raise PolicyError(f"a policy must be a JSON object, got {document!r}", policy=label)
    unknown = sorted(set(document) - POLICY_ELEMENTS)
    if unknown:
        raise PolicyError(f"unknown policy element {unknown[0]!r}", policy=label)
    version = document.get("Version")
    if version is not None and version not in VERSIONS:
        raise PolicyError(
            f"Version must be one of {', '.join(VERSIONS)}, got {version!r}", policy=label
        )
    if "Id" in document and not isinstance(document["Id"], str):
        raise PolicyError(f"Id must be a string, got {document['Id']!r}", policy=label)
    if "Statement" not in document:
        raise PolicyError("the Statement element is missing", policy=label)
    raw = document["Statement"]
    raw_statements = raw if isinstance(raw, list) else [raw]
    parser = _StatementParser(
        kind=kind, label=label, variables=version == VARIABLES_VERSION, lenient=lenient
    )
    statements = tuple(parser.parse(index, item) for index, item in enumerate(raw_statements))
    return Policy(
        label=label,
        kind=kind,
        version=version,
        statements=statements,
        warnings=tuple(parser.warnings),
    )


@dataclass(frozen=True)
class _StatementParser:
    kind: PolicyKind
    label: str
    variables: bool
    lenient: bool = False
    warnings: list[str] = field(default_factory=list)
    _where: list[str] = field(default_factory=list)

    def _tolerate(self, problem: str, reading: str) -> None:
        """Raise `problem` (strict), or record it with how it is evaluated (lenient)."""
        if not self.lenient:
            raise ValueError(problem)
        self.warnings.append(
            f'policy "{self.label}", statement {self._where[-1]}: {problem} '
            f"(AWS would refuse to store it); evaluated {reading}"
        )

    def parse(self, index: int, raw: Any) -> Statement:
        where = f"#{index}"
        if not isinstance(raw, dict):
            raise PolicyError(
                f"a statement must be a JSON object, got {raw!r}",
                policy=self.label,
                statement=where,
            )
        sid = raw.get("Sid")
        if sid is not None and not isinstance(sid, str):
            raise PolicyError(
                f"Sid must be a string, got {sid!r}", policy=self.label, statement=where
            )
        if sid:
            where = f'"{sid}" (#{index})'
        self._where.append(where)
        try:
            return self._parse(index, sid or None, raw)
        except ValueError as exc:
            raise PolicyError(str(exc), policy=self.label, statement=where) from None

    def _parse(self, index: int, sid: str | None, raw: dict[str, Any]) -> Statement:
        unknown = sorted(set(raw) - STATEMENT_ELEMENTS)
        if unknown:
            raise ValueError(f"unknown statement element {unknown[0]!r}")
        effect = raw.get("Effect")
        if effect not in (Effect.ALLOW.value, Effect.DENY.value):
            raise ValueError(f'Effect must be "Allow" or "Deny", got {effect!r}')
        action_key, action_values = _either(raw, "Action", "NotAction", required=True)
        for pattern in action_values:
            if is_action_pattern(pattern):
                continue
            service, colon, name = pattern.partition(":")
            if not (service and colon and not name):
                raise ValueError(f"{action_key} {pattern!r} is not '*' or 'service:action'")
            self._tolerate(
                f"{action_key} {pattern!r} has no action after the colon", "as naming no action"
            )
        resource_key, resource_values = _either(
            raw, "Resource", "NotResource", required=self.kind is not PolicyKind.RESOURCE
        )
        principal_key, principals = self._principals(raw)
        conditions = parse_conditions(raw.get("Condition", {}), variables=self.variables)
        return Statement(
            index=index,
            sid=sid,
            effect=Effect(effect),
            actions=compile_actions(action_values),
            not_action=action_key == "NotAction",
            services=None if action_key == "NotAction" else action_services(action_values),
            resources=self._resources(resource_key, resource_values) if resource_key else None,
            not_resource=resource_key == "NotResource",
            principals=principals,
            not_principal=principal_key == "NotPrincipal",
            conditions=conditions,
        )

    def _resources(self, key: str, texts: Sequence[str]) -> ResourceSet:
        static: list[Pieces] = []
        templates: list[Template] = []
        for text in texts:
            template = parse_template(text, variables=self.variables)
            shape = template.resolve(lambda _key: "x")
            if shape is None or not is_arn_pattern(shape):
                raise ValueError(
                    f"{key} {text!r} is not '*' or an ARN "
                    "(arn:partition:service:region:account:resource)"
                )
            pieces = template.static
            if pieces is None:
                templates.append(template)
            else:
                static.append(pieces)
        return ResourceSet(static=compile_arns(tuple(static)), templates=tuple(templates))

    def _principals(self, raw: dict[str, Any]) -> tuple[str | None, PrincipalSet | None]:
        present = [key for key in ("Principal", "NotPrincipal") if key in raw]
        if self.kind in _WITHOUT_PRINCIPAL:
            if not present:
                return None, None
            self._tolerate(
                f"{present[0]} is not allowed in {self.kind.with_article}",
                "as applying only to the principals it names",
            )
        elif not present and self.kind is PolicyKind.RESOURCE:
            self._tolerate(
                f"a statement of {self.kind.with_article} needs exactly one of "
                "Principal or NotPrincipal",
                "as naming no principal (it allows and denies nothing)",
            )
            return "Principal", PrincipalSet()
        if len(present) != 1:
            raise ValueError(
                f"a statement of {self.kind.with_article} needs exactly one of "
                "Principal or NotPrincipal"
            )
        key = present[0]
        value = raw[key]
        if self.kind is PolicyKind.RCP and (key != "Principal" or value != "*"):
            raise ValueError('an RCP statement must have "Principal": "*"')
        if value == "*":
            return key, PrincipalSet(everyone=True)
        if isinstance(value, str) and value:
            self._tolerate(
                f'{key} must be "*" or an object of principal types, got {value!r}',
                f'as {{"AWS": {value!r}}}',
            )
            value = {"AWS": value}
        if not isinstance(value, dict) or not value:
            raise ValueError(f'{key} must be "*" or an object of principal types, got {value!r}')
        entries: dict[str, list[str]] = {}
        for principal_type, ids in value.items():
            if principal_type not in PRINCIPAL_TYPES:
                raise ValueError(
                    f"{key}: unknown principal type {principal_type!r} "
                    f"(expected one of {', '.join(sorted(PRINCIPAL_TYPES))})"
                )
            entries[principal_type] = _strings(f"{key} {principal_type}", ids)
        return key, principal_set(entries)


def _either(
    raw: dict[str, Any], positive: str, negative: str, *, required: bool
) -> tuple[str | None, Sequence[str]]:
    """Which of a `X`/`NotX` pair is present, and its string values."""
    present = [key for key in (positive, negative) if key in raw]
    if len(present) == 2:
        raise ValueError(f"a statement cannot have both {positive} and {negative}")
    if not present:
        if required:
            raise ValueError(f"a statement needs {positive} or {negative}")
        return None, ()
    return present[0], _strings(present[0], raw[present[0]])


def _strings(element: str, value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ValueError(f"{element} must not be empty")
    for item in items:
        if not isinstance(item, str):
            raise ValueError(f"{element} values must be strings, got {item!r}")
    return items
