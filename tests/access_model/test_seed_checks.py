"""The seeds' sentences as checks, offline: they hold, and each broken variant fails
with the counter-example that breaks it."""

from __future__ import annotations

from typing import Any

from landingzone.access.model import AccessModel
from landingzone.proofs.checks import CheckResult, run_checks
from landingzone.spec.access_checks import AccessCheck
from tests.access_model import orgs

FEATURE_BRANCH = AccessCheck(
    name="a deployment from a feature branch cannot assume the production deploy role",
    principal="github:coalition/coalition-builder@refs/heads/feature/*",
    action="sts:AssumeRole*",
    resource="role:prod/github-actions-prod",
    expect="deny",
)
OTHER_PROJECT = AccessCheck(
    name="a pipeline in a different project cannot assume any role in the account",
    principal="gitlab:rutagon/house-escort@*",
    action="sts:AssumeRole*",
    resource="role:infrastructure/*",
    expect="deny",
)
OWN_STATE = AccessCheck(
    name="the House Escort deploy role reads and writes its own state",
    principal="role:house-escort-prod/gitlab-deploy-role",
    action=["s3:GetObject", "s3:PutObject"],
    resource=f"arn:aws:s3:::{orgs.STATE_BUCKET}/workloads/house-escort/prod/terraform.tfstate",
    expect="allow",
)
ONLY_OWN_STATE = AccessCheck(
    name="the House Escort deploy role can only read and write its own state files",
    principal="role:house-escort-prod/gitlab-deploy-role",
    action=["s3:GetObject", "s3:PutObject"],
    resource=f"arn:aws:s3:::{orgs.STATE_BUCKET}/workloads/ak-home/prod/terraform.tfstate",
    expect="deny",
)
CLOUDTRAIL = AccessCheck(
    name="SCPs deny disabling CloudTrail even to account administrators",
    principal="role:house-escort-prod/OrganizationAccountAccessRole",
    action=["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
    resource="arn:aws:cloudtrail:us-east-1:{account_id:house-escort-prod}:trail/org",
    expect="deny",
)


def result(model: AccessModel, check: AccessCheck) -> CheckResult:
    (found,) = run_checks(model, [check])
    return found


def path_of(found: CheckResult) -> list[tuple[str, str]]:
    assert found.counterexample is not None
    return [(hop.actor, hop.role) for hop in found.counterexample.path]


def test_the_seed_sentences_hold() -> None:
    assert result(orgs.coalition(), FEATURE_BRANCH).passed
    rutagon = orgs.rutagon()
    for check in (OTHER_PROJECT, OWN_STATE, ONLY_OWN_STATE, CLOUDTRAIL):
        found = result(rutagon, check)
        assert found.passed, (check.name, found.counterexample and found.counterexample.to_json())
        assert found.tested >= 2


def test_a_trust_widened_to_the_whole_repo_lets_a_feature_branch_in() -> None:
    widened = orgs.coalition(["repo:coalition/coalition-builder:*"], operator="StringLike")
    found = result(widened, FEATURE_BRANCH)
    assert not found.passed
    assert found.counterexample is not None
    assert found.counterexample.actor.key.startswith(
        "github:coalition/coalition-builder@refs/heads/feature/"
    )
    assert found.counterexample.action == "sts:AssumeRoleWithWebIdentity"
    assert "github-actions-prod" in found.counterexample.resource
    assert found.counterexample.decision.allowed


def test_a_trust_widened_to_the_group_lets_another_project_in() -> None:
    widened = orgs.rutagon(trust_subject="project_path:rutagon/*", trust_operator="StringLike")
    found = result(widened, OTHER_PROJECT)
    assert not found.passed
    counter = found.counterexample
    assert counter is not None
    assert counter.actor.key.startswith("gitlab:rutagon/house-escort@")
    assert counter.resource.endswith(":role/gitlab-deploy-role")
    assert "infrastructure" in widened.account_label(counter.resource.split(":")[4])


def test_a_state_policy_on_the_whole_bucket_reaches_other_workloads_state() -> None:
    widened = orgs.rutagon(state_prefix="")
    assert result(widened, OWN_STATE).passed
    found = result(widened, ONLY_OWN_STATE)
    assert not found.passed
    counter = found.counterexample
    assert counter is not None and counter.path == ()
    assert "ak-home" in counter.resource
    assert "allowed cross-account" in counter.decision.explanation


def test_without_the_scp_an_administrator_stops_cloudtrail() -> None:
    found = result(orgs.rutagon(with_scp=False), CLOUDTRAIL)
    assert not found.passed
    counter = found.counterexample
    assert counter is not None
    assert counter.acting == "role:house-escort-prod/OrganizationAccountAccessRole"
    assert "AdministratorAccess" in counter.decision.explanation


def test_a_missing_allow_is_reported_with_the_denial() -> None:
    check = OWN_STATE.model_copy(update={"resource": "arn:aws:s3:::elsewhere/key"})
    found = result(orgs.rutagon(), check)
    assert not found.passed
    counter = found.counterexample
    assert counter is not None and not counter.allowed
    assert "no identity-based policy allows" in counter.decision.explanation


def test_the_denied_answer_names_the_roles_reachable() -> None:
    check: dict[str, Any] = {
        "name": "the infrastructure main branch cannot touch House Escort's state",
        "principal": "gitlab:rutagon/infrastructure@refs/heads/main",
        "action": "s3:GetObject",
        "resource": f"arn:aws:s3:::{orgs.STATE_BUCKET}/workloads/house-escort/prod/x",
        "expect": "deny",
    }
    found = result(orgs.rutagon(), AccessCheck.model_validate(check))
    assert found.passed
