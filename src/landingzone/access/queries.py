"""`can` and `who-can`: decisions over the organization, through chains of roles.

`can(actor, action, resource)` searches breadth-first from the actor through
the roles it can assume (and those they can assume...) for a session whose
request is allowed, so the path it reports is a shortest one. `who_can`
decides the request for every actor of the model, then walks the assumption
graph backwards from the allowed ones: every actor with a path is listed,
with a shortest path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from landingzone.access.assume import AssumeGraph, Hop
from landingzone.access.context import Values
from landingzone.access.decide import decide
from landingzone.access.decision import Decision
from landingzone.access.model import AccessModel, Actor
from landingzone.access.simulate import decision_to_json


@dataclass(frozen=True)
class Answer:
    """The answer for one actor, action and resource.

    `path` lists the role assumptions (empty: the actor acts itself);
    `decision` is the decision of the last request, made by `acting` (the
    last role of the path, or the actor). When denied, `reachable` lists the
    roles the actor can reach, all of which were denied too.
    """

    actor: Actor
    action: str
    resource: str
    path: tuple[Hop, ...]
    acting: str
    decision: Decision
    reachable: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        """True if the actor can, directly or through its path."""
        return self.decision.allowed

    def to_json(self) -> dict[str, Any]:
        """The answer as documented in docs/access.md."""
        return {
            "principal": self.actor.key,
            "principal_kind": self.actor.kind.value,
            "description": self.actor.description,
            "action": self.action,
            "resource": self.resource,
            "allowed": self.allowed,
            "path": [
                {
                    "from": hop.actor,
                    "to": hop.role,
                    "action": hop.action,
                    "decision": decision_to_json(hop.decision),
                }
                for hop in self.path
            ],
            "acting": self.acting,
            "decision": decision_to_json(self.decision),
            "reachable": list(self.reachable),
        }


def can(
    model: AccessModel,
    graph: AssumeGraph,
    actor: Actor,
    action: str,
    resource: str,
    context: Mapping[str, Values],
) -> Answer:
    """Can `actor`, directly or by assuming roles, do `action` on `resource`?"""
    first = decide(model, actor, action, resource, context)
    if first.allowed:
        return Answer(actor, action, resource, (), actor.key, first)
    paths: dict[str, tuple[Hop, ...]] = {actor.key: ()}
    queue = deque([actor])
    while queue:
        current = queue.popleft()
        for hop in graph.out(current):
            if hop.role in paths:
                continue
            path = (*paths[current.key], hop)
            paths[hop.role] = path
            session = model.actors[hop.role]
            decision = decide(model, session, action, resource, context)
            if decision.allowed:
                return Answer(actor, action, resource, path, hop.role, decision)
            queue.append(session)
    reached = tuple(sorted(key for key in paths if key != actor.key))
    return Answer(actor, action, resource, (), actor.key, first, reached)


def who_can(
    model: AccessModel,
    graph: AssumeGraph,
    action: str,
    resource: str,
    context: Mapping[str, Values],
) -> list[Answer]:
    """Every actor of the model that can do `action` on `resource`, with a shortest path."""
    found: dict[str, Answer] = {}
    queue: deque[str] = deque()
    for actor in model.actors.values():
        decision = decide(model, actor, action, resource, context)
        if decision.allowed:
            found[actor.key] = Answer(actor, action, resource, (), actor.key, decision)
            queue.append(actor.key)
    while queue:
        key = queue.popleft()
        for hop in graph.into(key):
            if hop.actor in found:
                continue
            later = found[key]
            found[hop.actor] = Answer(
                model.actors[hop.actor],
                action,
                resource,
                (hop, *later.path),
                later.acting,
                later.decision,
            )
            queue.append(hop.actor)
    return sorted(found.values(), key=lambda a: (a.actor.kind.value, a.actor.key))
