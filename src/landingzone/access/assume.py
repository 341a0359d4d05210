"""The role-assumption graph: who can assume which role, decided by the evaluator.

An edge `actor -> role` exists when the actor's `sts:AssumeRole` (OIDC
subjects: `sts:AssumeRoleWithWebIdentity`; Identity Center groups and users:
`sts:AssumeRoleWithSAML`) on the role is allowed: the trust
policy as the resource policy, the caller's identity policies, boundaries and
SCP chain. Only actors a trust statement can name are evaluated (by account,
role, service, identity provider, or everyone), so the graph of an
organization of thousands of roles is built in seconds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from landingzone.access.context import Values
from landingzone.access.decide import WEB_IDENTITY, decide
from landingzone.access.decision import Decision
from landingzone.access.model import (
    AccessModel,
    Actor,
    ActorKind,
    Role,
    host_of,
    statement_subjects,
)
from landingzone.access.policy import Effect
from landingzone.access.sso import ASSUME_SAML

ASSUME_ROLE = "sts:AssumeRole"


@dataclass(frozen=True)
class Hop:
    """`actor` assumed `role` with `action`; `decision` says why it was allowed."""

    actor: str
    role: str
    action: str
    decision: Decision


def assume_action(actor: Actor) -> str:
    """The STS action an actor uses to assume a role."""
    if actor.kind is ActorKind.SSO:
        return ASSUME_SAML
    return WEB_IDENTITY if actor.kind is ActorKind.OIDC else ASSUME_ROLE


class AssumeGraph:
    """Edges of one model, computed once (`into`) or per actor (`out`)."""

    def __init__(self, model: AccessModel, context: Mapping[str, Values] | None = None):
        self.model = model
        self.context = dict(context or {})

    @cached_property
    def _index(self) -> dict[str, dict[str, list[Actor]]]:
        """Actors by what a trust statement names: account ID, role, service, OIDC host."""
        index: dict[str, dict[str, list[Actor]]] = defaultdict(lambda: defaultdict(list))
        for actor in self.model.actors.values():
            if actor.kind is ActorKind.OIDC:
                assert actor.host is not None
                index["host"][actor.host].append(actor)
            elif actor.kind is ActorKind.SSO:
                for arn in actor.sso_roles:
                    index["saml"][arn].append(actor)
            elif actor.kind is ActorKind.SERVICE:
                assert actor.principal is not None
                index["service"][actor.principal.text].append(actor)
            else:
                assert actor.principal is not None and actor.principal.account is not None
                index["account"][actor.principal.account].append(actor)
                if actor.principal.role is not None:
                    index["role"]["/".join(actor.principal.role)].append(actor)
        return index

    def candidates(self, role: Role) -> list[Actor]:
        """Actors some allow statement of the role's trust policy may name."""
        found: dict[str, Actor] = {}
        index = self._index
        for statement in role.trust.statements:
            names = statement.principals
            if statement.effect is not Effect.ALLOW or names is None:
                continue
            if names.everyone or statement.not_principal:
                return [a for a in self.model.actors.values() if a.key != role.key]
            groups: list[Iterable[Actor]] = [index["account"].get(a, []) for a in names.accounts]
            groups += [index["role"].get("/".join(r), []) for r in names.roles]
            groups += [index["service"].get(s, []) for s in names.services]
            subjects = statement_subjects(role.trust_document, statement.index)
            if any(":saml-provider/" in federated for federated in names.federated):
                groups.append(index["saml"].get(role.arn, []))
            for federated in names.federated:
                hosted = index["host"].get(host_of(federated), [])
                wanted = subjects.get(host_of(federated))
                groups.append(
                    hosted
                    if wanted is None
                    else [a for a in hosted if any(w.matches(a.subject or "") for w in wanted)]
                )
            for group in groups:
                found.update((actor.key, actor) for actor in group if actor.key != role.key)
        return list(found.values())

    @cached_property
    def _edges(self) -> tuple[dict[str, list[Hop]], dict[str, list[Hop]]]:
        """Every allowed assumption, by role (into) and by actor (out)."""
        into: dict[str, list[Hop]] = {}
        out: dict[str, list[Hop]] = defaultdict(list)
        for role in self.model.roles.values():
            hops = [self._hop(actor, role) for actor in self.candidates(role)]
            into[role.key] = [hop for hop in hops if hop is not None]
            for hop in into[role.key]:
                out[hop.actor].append(hop)
        return into, out

    def into(self, role: str) -> list[Hop]:
        """Every allowed assumption of `role`."""
        return self._edges[0].get(role, [])

    def out(self, actor: Actor) -> list[Hop]:
        """Every role `actor` can assume directly (actors outside the model: evaluated now)."""
        if self.model.actors.get(actor.key) == actor:
            return self._edges[1].get(actor.key, [])
        hops = [self._hop(actor, role) for role in self.model.roles.values()]
        return [hop for hop in hops if hop is not None]

    def _hop(self, actor: Actor, role: Role) -> Hop | None:
        action = assume_action(actor)
        decision = decide(self.model, actor, action, role.arn, self.context)
        return Hop(actor.key, role.key, action, decision) if decision.allowed else None
