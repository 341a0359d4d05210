"""The access view: who can assume which role, and for a question (`who-can`, a check)
the principals and role hops that reach the action.

Every arrow is a decision of lz's evaluator (`access/`): an `actor -> role`
arrow is an allowed `sts:AssumeRole` (OIDC subjects:
`sts:AssumeRoleWithWebIdentity`), labelled with the statement that decided
it; an arrow into the question's box is the last request of a path,
labelled with its deciding statement too. Roles and account principals sit
in their account's box; OIDC subjects, AWS services and outside accounts
sit outside every box.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from landingzone.access.assume import AssumeGraph, Hop
from landingzone.access.decision import Decision
from landingzone.access.model import AccessModel, Actor
from landingzone.access.queries import Answer
from landingzone.views.diagram import Diagram, Group, Item, Link

QUESTION = "question"
ACCOUNT_BOX = "box:account:"  # group keys (item keys are principals: account:NAME)


def statement_label(decision: Decision) -> str:
    """The deciding statement, short: `trust #0 "GitHubMain"`, `SCP deny-trail #1`."""
    ref = decision.decided_by
    if ref is None:
        missing = decision.missing_allow_at
        if missing is not None:
            return f"no allow in {missing.step.value.replace('_', ' ')}"
        return decision.outcome.value.replace("_", " ")
    which = f'"{ref.sid}"' if ref.sid else f"#{ref.index}"
    if ref.policy.startswith("trust policy of "):
        return f"trust {which}"
    return f"{ref.kind.noun} {ref.policy} {which}"


def _actor_item(model: AccessModel, actor: Actor, graph: AssumeGraph) -> Item:
    role = model.roles.get(actor.key)
    account = actor.account or (role.account if role else None)
    details: list[tuple[str, str]] = [("principal", actor.key), ("what", actor.description)]
    lines: tuple[str, ...] = ()
    if role is not None:
        details.append(("ARN", role.arn))
        assumers = [
            f"{hop.actor} ({statement_label(hop.decision)})" for hop in graph.into(role.key)
        ]
        details.append(("can be assumed by", "; ".join(assumers) or "nobody lz knows of"))
        lines = (f"assumed by {len(assumers)}",)
    title = role.name if role else actor.key
    return Item(
        actor.key,
        title,
        actor.kind.value,
        group=f"{ACCOUNT_BOX}{account}" if account else None,
        lines=lines,
        details=tuple(details),
    )


class _Builder:
    def __init__(self, model: AccessModel, graph: AssumeGraph, title: str):
        self.model = model
        self.graph = graph
        self.diagram = Diagram("access", title)
        self.seen: set[str] = set()

    def actor(self, actor: Actor, flags: frozenset[str] = frozenset()) -> None:
        if actor.key in self.seen:
            return
        self.seen.add(actor.key)
        item = _actor_item(self.model, actor, self.graph)
        if item.group and all(g.key != item.group for g in self.diagram.groups):
            name = item.group.removeprefix(ACCOUNT_BOX)
            account_id = self.model.ids.id_of(name) or ""
            made_up = " (synthetic)" if self.model.ids.is_synthetic(account_id) else ""
            self.diagram.groups.append(
                Group(item.group, f"account {name}", "account", lines=(account_id + made_up,))
            )
        if flags:
            item = replace(item, flags=flags)
        self.diagram.items.append(item)

    def hop(self, hop: Hop, first: Actor | None = None) -> None:
        """An assumption; `first` is the actor of a path (OIDC subjects may be new to the model)."""
        self.actor(
            first if first is not None and first.key == hop.actor else self.model.actors[hop.actor]
        )
        self.actor(self.model.actors[hop.role])
        self.diagram.links.append(
            Link(hop.actor, hop.role, statement_label(hop.decision), "assume")
        )


def assume_diagram(model: AccessModel, graph: AssumeGraph) -> Diagram:
    """Every allowed role assumption of the model, with its deciding statement."""
    build = _Builder(model, graph, f"Who can assume which role ({_source(model)})")
    for role in sorted(model.roles):
        build.actor(model.actors[role])
        for hop in sorted(graph.into(role), key=lambda h: h.actor):
            build.hop(hop)
    return build.diagram


def answers_diagram(
    model: AccessModel, graph: AssumeGraph, answers: Iterable[Answer], question: str
) -> Diagram:
    """The paths of `who-can` or check answers to `question` (`ACTION on RESOURCE`).

    Allowed answers draw their role hops and a last arrow into the question;
    denied ones (a check's counter-examples of `allow`) a dashed arrow saying why.
    """
    build = _Builder(model, graph, f"{question} ({_source(model)})")
    build.diagram.items.append(Item(QUESTION, question, "question", flags=frozenset({"target"})))
    answers = list(answers)
    several_actions = len({a.action for a in answers}) > 1
    several_resources = len({a.resource for a in answers}) > 1
    drawn: set[tuple[str, ...]] = set()
    for answer in answers:
        for hop in answer.path:
            if (hop.actor, hop.role) not in drawn:
                drawn.add((hop.actor, hop.role))
                build.hop(hop, answer.actor)
        flags = frozenset() if answer.allowed else frozenset({"denied"})
        acting = answer.actor if answer.acting == answer.actor.key else model.actors[answer.acting]
        build.actor(acting, flags)
        if (answer.acting, answer.action, answer.resource) in drawn:
            continue
        drawn.add((answer.acting, answer.action, answer.resource))
        role = model.role_by_arn(answer.resource)
        which = [
            *([answer.action] if several_actions else []),
            *([f"on {role.key if role else answer.resource}"] if several_resources else []),
        ]
        verdict = ("allowed" if answer.allowed else "denied") + (
            f": {statement_label(answer.decision)}"
            if answer.decision.decided_by or answer.decision.missing_allow_at
            else ""
        )
        build.diagram.links.append(
            Link(
                answer.acting,
                QUESTION,
                " ".join([*which, verdict]),
                "acts" if answer.allowed else "denied",
            )
        )
    return build.diagram


def _source(model: AccessModel) -> str:
    return "live" if model.source == "live" else "from the spec"
