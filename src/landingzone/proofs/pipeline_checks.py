"""The checks `lz check` adds for the spec's CI pipeline (`ci.pipeline`).

For every account and platform whose pipeline applies with one of the spec's
deploy roles (graph/ci_pipeline.py), `lz check` proves, over the roles'
real trust policies:

- **a feature branch cannot apply**: a token of the repository for the branch
  `feature-x` (a push; on GitLab also a merge request from it) cannot assume
  the apply role. No trust condition names `feature-x`, so it stands for
  every branch no trust condition names (access/oidc.py: IAM treats them
  alike), and the proof holds for all of them;
- **a pull request cannot apply a protected environment** (GitHub): the
  pull-request token cannot assume the apply role of a protected account or
  of the management account.

They run after the spec's own `checks:` and read like them.
"""

from __future__ import annotations

from landingzone.graph import is_protected
from landingzone.graph.ci_pipeline import (
    FEATURE_BRANCH,
    account_environment,
    job_roles,
    pipeline_platforms,
    pipeline_roles,
)
from landingzone.nodes import MANAGEMENT
from landingzone.spec.access_checks import AccessCheck
from landingzone.spec.schema import Spec

WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


def pipeline_checks(spec: Spec) -> list[AccessCheck]:
    """The checks the pipeline's roles must pass (none without `ci.pipeline`)."""
    pipeline = spec.ci.pipeline
    if pipeline is None:
        return []
    repository = pipeline.repository
    checks: list[AccessCheck] = []
    for platform in pipeline_platforms(spec):
        roles = pipeline_roles(spec, platform)
        for account in [MANAGEMENT, *sorted(spec.accounts)]:
            environment = account_environment(spec, account)
            apply = job_roles(pipeline, platform, roles, account, environment).apply
            if apply is None:
                continue
            where = f"{apply.name} ({account}, environment {environment})"
            tokens = [("a feature branch", f"{platform}:{repository}@refs/heads/{FEATURE_BRANCH}")]
            protected = account == MANAGEMENT or is_protected(account, spec.accounts[account])
            if platform == "github" and protected:
                tokens.append(("a pull request", f"github:{repository}@pull_request"))
            checks += [
                AccessCheck(
                    name=f"pipeline: {who} cannot assume the deploy role {where}",
                    principal=principal,
                    action=WEB_IDENTITY,
                    resource=apply.reference,
                    expect="deny",
                )
                for who, principal in tokens
            ]
    return checks
