"""AWS's authorization logic: `evaluate(request) -> Decision`.

Written from AWS's "Policy evaluation logic", "Cross-account policy
evaluation logic" and the SCP/RCP evaluation pages:

1. An explicit `Deny` in any applicable policy decides.
2. RCPs (resource's account), then SCPs (caller's account): every level,
   root -> OUs -> account, needs a matching `Allow`. SCPs do not apply to the
   management account, service-linked roles or non-IAM callers (services,
   federated identity providers); RCPs not to management-account resources or
   service-linked roles.
3. Within one account, a resource-based policy or the identity-based policies
   can allow. A resource-based statement naming the caller's session, the IAM
   user itself or everyone (`*`) allows on its own; one naming the caller's
   role is still limited by permissions boundaries and the session policy; one
   naming only the account delegates to the identity-based policies. Role
   trust policies (`sts:AssumeRole*`, `sts:TagSession`, ...) and KMS key
   policies must allow in any case.
4. Across accounts, the caller's side (identity-based policies within
   boundaries and session policy) and the resource-based policy must both allow.
5. Identity-based allows are limited by every permissions boundary and by the
   session policy; a federated-user session without a session policy has no
   permissions.

Special cases, each from AWS's documentation (docs/access.md cites them):
`sts:GetCallerIdentity` is allowed to every authenticated caller even under an
explicit deny; service-linked roles and AWS managed policies cannot be changed
by any policy (`access/reserved.py`); an action that authorises on several
resources (a KMS alias operation: the alias and the key) needs every one
allowed, and a KMS alias has no resource-based policy of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from types import MappingProxyType

from landingzone.access.context import Values
from landingzone.access.decision import Decision, MissingAllow, Outcome, StatementRef, Step
from landingzone.access.matching import PrincipalMatch, action_key
from landingzone.access.policy import Effect, Policy, PolicyKind, Statement
from landingzone.access.principal import Principal, PrincipalKind
from landingzone.access.rcp_scope import RCP_SERVICES, rcps_apply_to
from landingzone.access.request import PolicyLevel, Request
from landingzone.access.reserved import reserved_by_aws

TRUST_POLICY_ACTIONS = frozenset(
    {
        "sts:assumerole",
        "sts:assumerolewithwebidentity",
        "sts:assumerolewithsaml",
        "sts:tagsession",
        "sts:setsourceidentity",
        "sts:setcontext",
    }
)
# Allowed to every authenticated caller, even under an explicit deny (STS API
# Reference, GetCallerIdentity: "No permissions are required to perform this operation").
CALLER_IDENTITY = "sts:getcalleridentity"
KMS_ALIAS_ACTIONS = frozenset({"kms:createalias", "kms:updatealias", "kms:deletealias"})
_PRINCIPAL_TYPES = {
    PrincipalKind.ROOT: "Account",
    PrincipalKind.USER: "User",
    PrincipalKind.ROLE_SESSION: "AssumedRole",
    PrincipalKind.FEDERATED_USER: "FederatedUser",
}


def evaluate(request: Request) -> Decision:
    """Decide one request with AWS's policy evaluation logic (pure: no I/O, no clock).

    A request with `other_resources` is decided on each resource; it is allowed
    only if every one is (an explicit deny on any decides first).
    """
    if not request.other_resources:
        decision = _Evaluation(request).decide()
        if action_key(request.action) in KMS_ALIAS_ACTIONS:
            note = (
                f"{request.action} also authorises on the alias's key: give the key's ARN "
                "too (resource as a list) to check the key policy"
            )
            decision = replace(decision, notes=(*decision.notes, note))
        return decision
    resources = (request.resource, *request.other_resources)
    parts = [
        _Evaluation(
            replace(
                request,
                resource=resource,
                other_resources=(),
                resource_policy=None if is_kms_alias(resource) else request.resource_policy,
            )
        ).decide()
        for resource in resources
    ]
    return _combined(resources, parts)


def is_kms_alias(resource: str) -> bool:
    """True for a KMS alias ARN (`arn:aws:kms:REGION:ACCOUNT:alias/NAME`): no key policy."""
    parts = resource.split(":", 5)
    return len(parts) == 6 and parts[2] == "kms" and parts[5].startswith("alias/")


def _combined(resources: Sequence[str], parts: list[Decision]) -> Decision:
    """One decision for an action that authorises on several resources."""
    matched = tuple(ref for part in parts for ref in part.matched)
    notes = tuple(dict.fromkeys(note for part in parts for note in part.notes))
    for outcome in (Outcome.EXPLICITLY_DENIED, Outcome.IMPLICITLY_DENIED):
        for resource, part in zip(resources, parts, strict=True):
            if part.outcome is outcome:
                return replace(
                    part,
                    explanation=f"{part.explanation} (the action authorises on "
                    f"{len(resources)} resources; this one is {resource})",
                    matched=matched,
                    notes=notes,
                )
    return replace(
        parts[0],
        explanation="allowed on every resource the action authorises on: "
        + "; ".join(part.explanation for part in parts),
        matched=matched,
        notes=notes,
    )


@lru_cache(maxsize=4096)
def derived_context(principal: Principal, resource_account: str | None) -> Mapping[str, Values]:
    """Context keys AWS sets from the caller and the resource (the request's own win).

    `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
    `aws:username` (IAM users), `aws:PrincipalIsAWSService`,
    `aws:PrincipalServiceName` (services) and `aws:ResourceAccount`.
    """
    keys: dict[str, Values] = {}
    if principal.is_iam and principal.arn and principal.account:
        keys["aws:principalarn"] = (principal.arn,)
        keys["aws:principalaccount"] = (principal.account,)
        keys["aws:principaltype"] = (_PRINCIPAL_TYPES[principal.kind],)
        keys["aws:principalisawsservice"] = (False,)
        if principal.kind is PrincipalKind.USER:
            keys["aws:username"] = (principal.text.rsplit("/", 1)[1],)
    elif principal.kind is PrincipalKind.SERVICE:
        keys["aws:principalisawsservice"] = (True,)
        keys["aws:principalservicename"] = (principal.text,)
    elif principal.kind is PrincipalKind.ANONYMOUS:
        keys["aws:principaltype"] = ("Anonymous",)
    if resource_account is not None:
        keys["aws:resourceaccount"] = (resource_account,)
    return MappingProxyType(keys)


@dataclass
class _Group:
    """The statements of one step (one SCP level, one boundary, ...) that matched."""

    step: Step
    policies: tuple[Policy, ...]
    hits: list[StatementRef]
    level: str | None = None
    policy: str | None = None

    def first_allow(self) -> StatementRef | None:
        return next((ref for ref in self.hits if ref.effect is Effect.ALLOW), None)

    def strongest_allow(self) -> StatementRef | None:
        allows = [ref for ref in self.hits if ref.effect is Effect.ALLOW]
        return max(allows, key=lambda ref: ref.principal_match or 0, default=None)


class _Evaluation:
    """The state of one evaluation: scanned statements, notes, the answer."""

    def __init__(self, request: Request):
        self.request = request
        self.principal = request.principal
        self.resource_account = request.resource_owner
        self.context = request.context.with_defaults(
            derived_context(request.principal, self.resource_account)
        )
        self.matched: list[StatementRef] = []
        self.notes: list[str] = []
        self.target = f"{request.action} on {request.resource}"
        self.action = action_key(request.action)
        self.service = self.action.split(":", 1)[0]

    # -- scanning ---------------------------------------------------------

    def _group(
        self,
        step: Step,
        policies: tuple[Policy, ...],
        *,
        level: str | None = None,
        policy: str | None = None,
    ) -> _Group:
        """Scan `policies` for statements that apply; record them in `matched`."""
        hits = []
        resource = self.request.resource
        bounded = step is Step.RESOURCE and bool(self.request.permission_boundaries)
        for candidate in policies:
            for statement in candidate.statements_for(self.service):
                reach = statement.match(
                    self.action, resource, self.principal, self.context, bounded=bounded
                )
                if reach is not None:
                    hits.append(_ref(candidate, statement, level, reach))
        self.matched.extend(hits)
        return _Group(step, policies, hits, level=level, policy=policy)

    def _levels(self, step: Step, levels: tuple[PolicyLevel, ...] | None) -> list[_Group]:
        if levels is None:
            return []
        return [self._group(step, lv.policies, level=lv.target) for lv in levels]

    def _org_policies(
        self, step: Step, levels: tuple[PolicyLevel, ...] | None, exemption: str | None
    ) -> list[_Group]:
        if levels is not None and exemption is not None:
            self.notes.append(f"{step.value} not applied: {exemption}")
            return []
        return self._levels(step, levels)

    def _scp_exemption(self) -> str | None:
        principal = self.principal
        if not principal.is_iam:
            return f"the caller is not an IAM principal ({principal.kind.value})"
        if principal.is_service_linked_role:
            return "the caller is a service-linked role"
        if principal.account is not None and principal.account == self.request.management_account:
            return "the caller is in the management account"
        return None

    def _rcp_exemption(self) -> str | None:
        if not rcps_apply_to(self.service):
            return f"RCPs do not apply to {self.service} (they cover {', '.join(RCP_SERVICES)})"
        if self.principal.is_service_linked_role:
            return "the caller is a service-linked role"
        if (
            self.resource_account is not None
            and self.resource_account == self.request.management_account
        ):
            return "the resource is in the management account"
        return None

    # -- deciding ---------------------------------------------------------

    def decide(self) -> Decision:
        request = self.request
        rcps = self._org_policies(
            Step.RCP, request.resource_control_policies, self._rcp_exemption()
        )
        scps = self._org_policies(Step.SCP, request.service_control_policies, self._scp_exemption())
        resource = self._group(
            Step.RESOURCE,
            (request.resource_policy,) if request.resource_policy is not None else (),
        )
        identity = self._group(Step.IDENTITY, request.identity_policies)
        boundaries = [
            self._group(Step.BOUNDARY, (policy,), policy=policy.label)
            for policy in request.permission_boundaries
        ]
        session = (
            self._group(Step.SESSION, (request.session_policy,))
            if request.session_policy is not None
            else None
        )
        if self.action == CALLER_IDENTITY and self.principal.is_iam:
            return self._decision(
                Outcome.ALLOWED,
                "allowed: sts:GetCallerIdentity needs no permission, AWS answers it for every "
                "authenticated caller even under an explicit deny",
            )
        deny = next((ref for ref in self.matched if ref.effect is Effect.DENY), None)
        if deny is not None:
            return self._decision(
                Outcome.EXPLICITLY_DENIED,
                f"explicitly denied by {deny.describe()}",
                decided_by=deny,
            )
        reserved = reserved_by_aws(self.action, request.resource)
        if reserved is not None:
            return self._missing(reserved, MissingAllow(Step.RESERVED))
        for group in (*rcps, *scps):
            if group.first_allow() is None:
                return self._missing_in(group, self._org_missing_text(group))
        return self._permissions(resource, identity, boundaries, session)

    def _permissions(
        self,
        resource: _Group,
        identity: _Group,
        boundaries: list[_Group],
        session: _Group | None,
    ) -> Decision:
        principal = self.principal
        grant = resource.strongest_allow()
        if not principal.is_iam:
            if grant is None:
                caller = f"{principal.text} ({principal.kind.value}) {self.target}"
                required = self._required_resource_policy()
                return self._missing_in(
                    resource,
                    f"{required} does not allow {caller}"
                    if required
                    else f"no resource-based policy allows {caller}",
                )
            return self._allowed(grant, f"allowed by {grant.describe()}")
        if principal.account != self.resource_account:
            return self._cross_account(resource, identity, boundaries, session)
        required = self._required_resource_policy()
        if required is not None and grant is None:
            return self._missing_in(
                resource, f"{required} does not allow {principal.text} {self.target}"
            )
        if grant is not None and grant.principal_match is PrincipalMatch.DIRECT:
            return self._allowed(
                grant, f"allowed by {grant.describe()}, which grants it to the caller directly"
            )
        if grant is not None and grant.principal_match is PrincipalMatch.ROLE:
            limit = self._limits(boundaries, session)
            if limit is not None:
                return limit
            return self._allowed(
                grant, f"allowed by {grant.describe()}, which names the caller's role"
            )
        if grant is None:
            return self._identity_side(
                identity, boundaries, session, " and no resource-based policy allows it"
            )
        return self._identity_side(
            identity,
            boundaries,
            session,
            f"; {grant.describe()} names only the account, which leaves it to identity-based "
            "policies",
        )

    def _cross_account(
        self,
        resource: _Group,
        identity: _Group,
        boundaries: list[_Group],
        session: _Group | None,
    ) -> Decision:
        grant = resource.strongest_allow()
        if grant is None:
            return self._missing_in(
                resource,
                f"cross-account request from account {self.principal.account} to account "
                f"{self.resource_account}: no resource-based policy allows {self.target}",
            )
        side = self._identity_side(identity, boundaries, session, "")
        if not side.allowed:
            return side
        caller = side.decided_by.describe() if side.decided_by else "the account's root user"
        return self._allowed(
            grant,
            f"allowed cross-account: {caller} and {grant.describe()} both allow {self.target}",
        )

    def _identity_side(
        self,
        identity: _Group,
        boundaries: list[_Group],
        session: _Group | None,
        resource_note: str,
    ) -> Decision:
        """Identity-based policies within boundaries and session policy (root: always)."""
        if self.principal.kind is PrincipalKind.ROOT:
            return self._decision(
                Outcome.ALLOWED, f"allowed: the root user of account {self.principal.account}"
            )
        allow = identity.first_allow()
        if allow is None:
            return self._missing_in(
                identity, f"no identity-based policy allows {self.target}{resource_note}"
            )
        limit = self._limits(boundaries, session)
        if limit is not None:
            return limit
        return self._allowed(allow, f"allowed by {allow.describe()}")

    def _limits(self, boundaries: list[_Group], session: _Group | None) -> Decision | None:
        """The implicit deny of a boundary or the session policy, if one limits the request."""
        for boundary in boundaries:
            if boundary.first_allow() is None:
                return self._missing_in(
                    boundary,
                    f'permissions boundary "{boundary.policy}" does not allow {self.target}',
                )
        if session is not None:
            if session.first_allow() is None:
                return self._missing_in(session, f"the session policy does not allow {self.target}")
        elif self.principal.kind is PrincipalKind.FEDERATED_USER:
            return self._missing(
                "a federated user session without a session policy has no permissions",
                MissingAllow(Step.SESSION),
            )
        return None

    def _required_resource_policy(self) -> str | None:
        """The resource-based policy that must allow within the account, if any."""
        if self.action in TRUST_POLICY_ACTIONS:
            return "the role trust policy"
        resource = self.request.resource
        if (
            resource.startswith("arn:")
            and resource.split(":")[2] == "kms"
            and not is_kms_alias(resource)
        ):
            return "the key policy"
        return None

    def _org_missing_text(self, group: _Group) -> str:
        kind = "RCP" if group.step is Step.RCP else "SCP"
        return f"no {kind} attached to {group.level} allows {self.target}"

    # -- building decisions -------------------------------------------------

    def _allowed(self, ref: StatementRef, text: str) -> Decision:
        return self._decision(Outcome.ALLOWED, text, decided_by=ref)

    def _missing_in(self, group: _Group, text: str) -> Decision:
        """An implicit deny at `group`'s step, naming the closest allow if one exists."""
        closest = self._closest(group)
        where = MissingAllow(step=group.step, level=group.level, policy=group.policy)
        if closest is not None:
            ref, condition = closest
            where = replace(where, closest=ref, failed_condition=condition)
            text += f"; closest: {ref.describe()}, whose condition {condition} does not hold"
        return self._missing(text, where)

    def _closest(self, group: _Group) -> tuple[StatementRef, str] | None:
        """The first allow of the group that covers the request but for one condition."""
        for policy in group.policies:
            for statement in policy.statements_for(self.service):
                if statement.effect is not Effect.ALLOW:
                    continue
                failed = statement.failed_condition(
                    self.action, self.request.resource, self.principal, self.context
                )
                if failed is not None:
                    return _ref(policy, statement, group.level, None), failed.label
        return None

    def _missing(self, text: str, where: MissingAllow) -> Decision:
        return self._decision(
            Outcome.IMPLICITLY_DENIED, f"implicitly denied: {text}", missing=where
        )

    def _decision(
        self,
        outcome: Outcome,
        text: str,
        *,
        decided_by: StatementRef | None = None,
        missing: MissingAllow | None = None,
    ) -> Decision:
        return Decision(
            outcome=outcome,
            explanation=text,
            decided_by=decided_by,
            missing_allow_at=missing,
            matched=tuple(self.matched),
            notes=tuple(self.notes),
        )


def _ref(
    policy: Policy, statement: Statement, level: str | None, reach: PrincipalMatch | None
) -> StatementRef:
    return StatementRef(
        policy=policy.label,
        kind=policy.kind,
        index=statement.index,
        sid=statement.sid,
        effect=statement.effect,
        level=level,
        principal_match=reach if policy.kind is PolicyKind.RESOURCE else None,
    )
