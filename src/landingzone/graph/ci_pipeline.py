"""Which of the spec's deploy roles each job of the exported pipelines assumes.

With `ci.pipeline` (spec/ci_pipeline.py) a stack's jobs sign in to the
stack's own account, with a deploy role deployed there:

- **apply** (pushes to the environment's branch): a deploy role that is not a
  plan role and trusts the job's subject: GitHub
  `repo:<repository>:environment:<environment>` (the apply job runs in the
  stack's environment), GitLab
  `project_path:<repository>:ref_type:branch:ref:<the environment's branch>`;
- **plan** (pull / merge requests): a deploy role marked `plan: true`
  trusting the plan job's subject: GitHub `repo:<repository>:pull_request`,
  GitLab any branch (a merge request pipeline's subject names its source
  branch, so a GitLab plan role trusts `...:ref_type:branch:ref:*`; it is
  read-only, which is what makes that safe).

A role fits a platform when its provider is of that type. Both the export
(`export/ci.py`) and the proofs (`proofs/pipeline_checks.py`) ask here, so
the role a pipeline uses is the role `lz check` reasons about.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from landingzone.access.globs import Glob
from landingzone.graph.iam_documents import fill, iam_layout, provider_audiences
from landingzone.nodes import MANAGEMENT
from landingzone.spec.ci_pipeline import Pipeline
from landingzone.spec.schema import Spec

Platform = Literal["github", "gitlab"]
# configure-aws-credentials' audience on GitHub, and the `id_tokens` aud on GitLab
# unless the platform's provider accepts only others (GitLab's default: its URL).
AUDIENCE = "sts.amazonaws.com"
# A branch no environment applies from and no trust policy names: it stands for
# every such branch (they are all alike to IAM: see access/oidc.py's subject classes).
FEATURE_BRANCH = "feature-x"


@dataclass(frozen=True)
class PipelineRole:
    """One deploy role in one account, as CI jobs see it."""

    key: str  # its entry under ci.deploy_roles
    account: str
    name: str
    path: str
    subjects: tuple[str, ...]  # as its trust lists them (`{account}` filled)
    plan: bool
    max_session: int

    @property
    def reference(self) -> str:
        """The role in the access model's syntax: `role:ACCOUNT/NAME`."""
        return f"role:{self.account}/{self.name}"

    def trusts(self, subject: str) -> bool:
        """Whether a token with this `sub` gets in (exact, or IAM's StringLike `*` `?`)."""
        return any(Glob(pattern).matches(subject) for pattern in self.subjects)


@dataclass(frozen=True)
class JobRoles:
    """The roles a stack's plan and apply jobs assume (None: the spec declares none)."""

    plan: PipelineRole | None
    apply: PipelineRole | None


def pipeline_roles(spec: Spec, platform: Platform) -> list[PipelineRole]:
    """Every deploy role, in every account it is deployed to, whose provider is of
    `platform`; by account and name."""
    found = []
    for instance in iam_layout(spec).roles:
        if instance.where[:2] != ("ci", "deploy_roles"):
            continue
        key = str(instance.where[-1])
        entry = spec.ci.deploy_roles[key]
        provider = spec.ci.providers.get(entry.provider)
        if provider is None or provider.type != platform:
            continue
        found.append(
            PipelineRole(
                key=key,
                account=instance.account,
                name=instance.desired["name"],
                path=instance.desired["path"],
                subjects=tuple(str(fill(s, spec, instance.account)) for s in entry.subjects),
                plan=entry.plan,
                max_session=entry.max_session_duration,
            )
        )
    return sorted(found, key=lambda r: (r.account, r.name))


def token_audience(spec: Spec, platform: Platform) -> str:
    """The audience the pipeline's tokens carry: `sts.amazonaws.com` when a provider of
    the platform accepts it, else the first audience such a provider accepts."""
    accepted = [
        audience
        for provider in spec.ci.providers.values()
        if provider.type == platform
        for audience in provider_audiences(provider)
    ]
    return AUDIENCE if AUDIENCE in accepted or not accepted else accepted[0]


def branch_subject(platform: Platform, repository: str, branch: str) -> str:
    """The `sub` of a job on a branch (a push; on GitLab also a merge request's source)."""
    if platform == "github":
        return f"repo:{repository}:ref:refs/heads/{branch}"
    return f"project_path:{repository}:ref_type:branch:ref:{branch}"


def job_subjects(pipeline: Pipeline, platform: Platform, environment: str) -> tuple[str, str]:
    """The `sub` of a stack's plan job and of its apply job."""
    repository = pipeline.repository
    if platform == "github":
        return (
            f"repo:{repository}:pull_request",
            f"repo:{repository}:environment:{environment}",
        )
    return (
        branch_subject(platform, repository, FEATURE_BRANCH),
        branch_subject(platform, repository, pipeline.branch_of(environment)),
    )


def job_roles(
    pipeline: Pipeline,
    platform: Platform,
    roles: list[PipelineRole],
    account: str,
    environment: str,
) -> JobRoles:
    """The deploy roles in `account` that a stack's jobs assume (see the module docstring)."""
    plan_subject, apply_subject = job_subjects(pipeline, platform, environment)
    here = [r for r in roles if r.account == account]
    return JobRoles(
        plan=next((r for r in here if r.plan and r.trusts(plan_subject)), None),
        apply=next((r for r in here if not r.plan and r.trusts(apply_subject)), None),
    )


def pipeline_platforms(spec: Spec) -> list[Platform]:
    """The platforms the spec's deploy roles sign in from."""
    types = {
        provider.type
        for entry in spec.ci.deploy_roles.values()
        if (provider := spec.ci.providers.get(entry.provider)) is not None
    }
    return sorted(types)


def account_environment(spec: Spec, account: str) -> str:
    """An account's environment: its Environment tag, else its name (`management`)."""
    if account == MANAGEMENT:
        return MANAGEMENT
    tags = spec.accounts[account].tags
    return tags.get("Environment") or tags.get("environment") or account
