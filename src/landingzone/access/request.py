"""A typed access request: who asks to do what on which resource, under which policies.

Policies are parsed `Policy` objects, so one parse serves any number of
requests. A policy list of `None` (SCPs, RCPs) means "no policy of that kind
applies" (not in an organization, or the management account).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from landingzone.access.context import Context
from landingzone.access.errors import RequestError
from landingzone.access.matching import ARN_SEGMENTS, WILDCARDS, is_action_pattern
from landingzone.access.policy import Policy, PolicyKind
from landingzone.access.principal import ACCOUNT_ID, Principal, PrincipalKind


@dataclass(frozen=True, slots=True)
class PolicyLevel:
    """The SCPs or RCPs attached to one target: the root, an OU or the account."""

    target: str
    policies: tuple[Policy, ...]


@dataclass(frozen=True, slots=True)
class Request:
    """One request to evaluate. See `docs/access.md` for each field's meaning.

    `other_resources`: further resources the action authorises on (a KMS alias
    operation authorises on the alias and on its key); each must be allowed.
    """

    principal: Principal
    action: str
    resource: str
    context: Context = field(default_factory=Context)
    resource_account: str | None = None
    identity_policies: tuple[Policy, ...] = ()
    permission_boundaries: tuple[Policy, ...] = ()
    session_policy: Policy | None = None
    resource_policy: Policy | None = None
    service_control_policies: tuple[PolicyLevel, ...] | None = None
    resource_control_policies: tuple[PolicyLevel, ...] | None = None
    management_account: str | None = None
    other_resources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (
            not is_action_pattern(self.action)
            or self.action == "*"
            or not WILDCARDS.isdisjoint(self.action)
        ):
            raise RequestError(f"action {self.action!r} is not 'service:Action' (no wildcards)")
        for resource in (self.resource, *self.other_resources):
            if resource != "*" and (
                not resource.startswith("arn:") or len(resource.split(":", 5)) != ARN_SEGMENTS
            ):
                raise RequestError(f"resource {resource!r} is not '*' or an ARN")
        for name in ("resource_account", "management_account"):
            value = getattr(self, name)
            if value is not None and not ACCOUNT_ID.fullmatch(value):
                raise RequestError(f"{name} {value!r} is not a 12-digit account id")
        self._check_kinds()
        self._check_principal_policies()

    @property
    def resource_owner(self) -> str | None:
        """The resource's account: `resource_account`, else the ARN's account, else the caller's."""
        if self.resource_account is not None:
            return self.resource_account
        parts = self.resource.split(":", 5)
        if len(parts) == ARN_SEGMENTS and ACCOUNT_ID.fullmatch(parts[4]):
            return parts[4]
        return self.principal.account

    def _check_kinds(self) -> None:
        expected: list[tuple[str, PolicyKind, tuple[Policy, ...]]] = [
            ("identity_policies", PolicyKind.IDENTITY, self.identity_policies),
            ("permission_boundaries", PolicyKind.BOUNDARY, self.permission_boundaries),
            ("session_policy", PolicyKind.SESSION, _optional(self.session_policy)),
            ("resource_policy", PolicyKind.RESOURCE, _optional(self.resource_policy)),
            ("service_control_policies", PolicyKind.SCP, _flatten(self.service_control_policies)),
            ("resource_control_policies", PolicyKind.RCP, _flatten(self.resource_control_policies)),
        ]
        for name, kind, policies in expected:
            for policy in policies:
                if policy.kind is not kind:
                    raise RequestError(
                        f'{name}: policy "{policy.label}" was parsed as '
                        f"{policy.kind.with_article}, not {kind.with_article}"
                    )

    def _check_principal_policies(self) -> None:
        """Refuse policies that cannot be attached to this kind of caller."""
        kind = self.principal.kind
        given = [
            name
            for name, present in (
                ("identity_policies", bool(self.identity_policies)),
                ("permission_boundaries", bool(self.permission_boundaries)),
                ("session_policy", self.session_policy is not None),
            )
            if present
        ]
        allowed = {
            PrincipalKind.ROOT: (),
            PrincipalKind.USER: ("identity_policies", "permission_boundaries"),
            PrincipalKind.SERVICE: (),
            PrincipalKind.FEDERATED: (),
            PrincipalKind.ANONYMOUS: (),
        }.get(kind)
        if allowed is None:
            return
        for name in given:
            if name not in allowed:
                raise RequestError(
                    f"{name} cannot apply to principal {self.principal.text!r} ({kind.value}): "
                    "only IAM users, roles and their sessions have identity-based policies "
                    "and boundaries, only role and federated-user sessions session policies"
                )


def _optional(policy: Policy | None) -> tuple[Policy, ...]:
    return () if policy is None else (policy,)


def _flatten(levels: tuple[PolicyLevel, ...] | None) -> tuple[Policy, ...]:
    return tuple(policy for level in levels or () for policy in level.policies)
