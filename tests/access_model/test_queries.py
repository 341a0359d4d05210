"""`can` through chains of roles, and `who-can` agreeing with `can` on every principal."""

from __future__ import annotations

import pytest

from landingzone.access.assume import AssumeGraph
from landingzone.access.errors import RequestError
from landingzone.access.model import AccessModel
from landingzone.access.queries import can, who_can
from landingzone.access.targets import actors_for, resources_for
from tests.access_model import orgs

PEERING = "arn:aws:ec2:us-east-1:{account_id:shared}:vpc-peering-connection/pcx-1"


def answer(model: AccessModel, principal: str, action: str, resource: str):  # type: ignore[no-untyped-def]
    (actor,) = actors_for(model, principal)
    (target,) = resources_for(model, resource)
    return can(model, AssumeGraph(model), actor, action, target, {})


def test_a_pull_request_reaches_the_peering_accepter_in_two_hops() -> None:
    model = orgs.coalition()
    found = answer(
        model,
        "github:coalition/coalition-builder@pull_request",
        "ec2:AcceptVpcPeeringConnection",
        PEERING,
    )
    assert found.allowed
    assert [(h.actor, h.role, h.action) for h in found.path] == [
        (
            "github:coalition/coalition-builder@pull_request",
            "role:dev/github-actions-dev",
            "sts:AssumeRoleWithWebIdentity",
        ),
        ("role:dev/github-actions-dev", "role:shared/vpc-peering-accepter", "sts:AssumeRole"),
    ]
    assert found.acting == "role:shared/vpc-peering-accepter"
    assert "allowed cross-account" in found.path[1].decision.explanation


def test_a_denied_answer_explains_the_actor_and_lists_what_it_reached() -> None:
    model = orgs.coalition()
    found = answer(
        model,
        "github:coalition/coalition-builder@pull_request",
        "cloudtrail:StopLogging",
        "arn:aws:cloudtrail:us-east-1:{account_id:dev}:trail/org",
    )
    assert not found.allowed
    assert "acts only by assuming a role" in found.decision.explanation
    assert found.reachable == ("role:dev/github-actions-dev", "role:shared/vpc-peering-accepter")


def test_no_oidc_provider_in_the_account_means_no_web_identity() -> None:
    model = orgs.coalition()
    del model.providers[(model.ids.id_of("prod") or "", orgs.GITHUB)]
    found = answer(
        model,
        "github:coalition/coalition-builder@environment:prod",
        "sts:AssumeRoleWithWebIdentity",
        "role:prod/github-actions-prod",
    )
    assert not found.allowed
    assert "has no OIDC provider" in found.decision.explanation


def test_synthetic_ids_are_stable_and_marked() -> None:
    first, second = orgs.coalition(), orgs.coalition()
    prod = first.ids.id_of("prod")
    assert prod is not None and prod == second.ids.id_of("prod") and len(prod) == 12
    assert first.ids.is_synthetic(prod)
    assert first.account_label(prod) == f"prod ({prod}, synthetic)"


def test_who_can_lists_the_oidc_classes_as_patterns() -> None:
    model = orgs.coalition()
    (resource,) = resources_for(model, PEERING)
    found = {
        a.actor.key: a
        for a in who_can(model, AssumeGraph(model), "ec2:AcceptVpcPeeringConnection", resource, {})
    }
    repo = "github:coalition/coalition-builder"
    assert {f"{repo}@pull_request", f"{repo}@environment:dev", f"{repo}@refs/heads/main"} <= set(
        found
    )
    assert found[f"{repo}@pull_request"].actor.description == (
        "GitHub pull requests of coalition/coalition-builder"
    )
    assert "github:lz-unlisted/lz-unlisted@refs/heads/lz-unlisted" not in found
    assert "account:management" in found  # through the access role in shared


MODELS = {
    "coalition": orgs.coalition,
    "coalition-widened": lambda: orgs.coalition(["repo:coalition/*"], operator="StringLike"),
    "rutagon": orgs.rutagon,
    "rutagon-open": lambda: orgs.rutagon(trust_subject="*", trust_operator="StringLike"),
}
QUESTIONS = [
    ("ec2:AcceptVpcPeeringConnection", PEERING),
    ("sts:AssumeRole", "role:shared/vpc-peering-accepter"),
    ("sts:AssumeRoleWithWebIdentity", "role:prod/github-actions-prod"),
    ("cloudtrail:StopLogging", "arn:aws:cloudtrail:us-east-1:{account_id:prod}:trail/org"),
    ("s3:GetObject", f"arn:aws:s3:::{orgs.STATE_BUCKET}/workloads/house-escort/prod/state"),
    ("s3:PutObject", f"arn:aws:s3:::{orgs.STATE_BUCKET}/workloads/ak-home/prod/state"),
    ("iam:CreateRole", "arn:aws:iam::{account_id:infrastructure}:role/new"),
]


SUBJECTS = [
    "github:coalition/coalition-builder@refs/heads/feature/login",
    "github:coalition/coalition-builder@environment:prod",
    "github:coalition/website@refs/heads/main",
    "github:someone/else@pull_request",
    "gitlab:rutagon/house-escort@refs/heads/main",
    "gitlab:rutagon/infrastructure@refs/heads/main",
    "gitlab:rutagon/infrastructure@refs/heads/feature/x",
    "gitlab:other/project@refs/tags/v1",
]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_who_can_agrees_with_can_on_every_principal(name: str) -> None:
    model = MODELS[name]()
    graph = AssumeGraph(model)
    outcomes: set[bool] = set()
    for action, text in QUESTIONS:
        try:
            (resource,) = resources_for(model, text)
        except RequestError:  # a role or account this organization does not have
            continue
        answers = who_can(model, graph, action, resource, {})
        listed = {a.actor.key for a in answers}
        for actor in model.actors.values():
            verdict = can(model, graph, actor, action, resource, {})
            assert verdict.allowed == (actor.key in listed), (name, action, resource, actor.key)
            outcomes.add(verdict.allowed)
        # Subjects outside the model's classes: allowed only if a listed class covers them.
        classes = [a.actor.subject_class for a in answers if a.actor.subject_class]
        for text_subject in SUBJECTS:
            for actor in actors_for(model, text_subject):
                if can(model, graph, actor, action, resource, {}).allowed:
                    assert any(
                        c.host == actor.host
                        and (c.pattern is None or c.pattern.matches(actor.subject or ""))
                        for c in classes
                    ), (name, action, actor.key)
    assert outcomes == {True, False}
