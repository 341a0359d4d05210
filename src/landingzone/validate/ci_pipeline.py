"""The rules of `ci.pipeline` and of plan roles (`plan: true` deploy roles).

- `repository` is `OWNER/REPO` (GitHub) or `GROUP/PROJECT` (GitLab, subgroups
  allowed): the repository part of the tokens' subjects, without wildcards;
- every environment named is the environment of an account (its Environment
  tag, else its name; `management`), and branches are names, not patterns;
- `session_seconds` is at most the `max_session_duration` of every deploy role
  the pipeline may use (AWS refuses a longer DurationSeconds);
- a plan role is read-only: AWS's read-only managed policies only
  (ReadOnlyAccess, ViewOnlyAccess, SecurityAudit), no permission profile, no
  inline policies, no `assume_roles`. Its trust may be broad (a GitLab merge
  request's subject names any branch), so what it can do must not be.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from landingzone.errors import SpecProblem
from landingzone.graph.ci_pipeline import account_environment
from landingzone.graph.iam_documents import managed_policy_arn
from landingzone.nodes import MANAGEMENT
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.suggest import choices

READ_ONLY_POLICIES = ("ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit")
REPOSITORY = re.compile(r"^[\w.-]+(?:/[\w.-]+)+$")
BRANCH = re.compile(r"^[^\s*?:~^\\\[]+$")  # git's ref rules, and no IAM wildcard


def check_ci_pipeline(spec: Spec, provenance: Provenance) -> list[SpecProblem]:
    """Every problem of the pipeline and the plan roles, each at its file:line."""
    problems: list[SpecProblem] = []

    def report(message: str, *path: str | int) -> None:
        problems.append(SpecProblem(message, provenance.where("ci", *path)))

    for key, role in spec.ci.deploy_roles.items():
        if role.plan:
            _check_plan_role(spec, key, report)
    pipeline = spec.ci.pipeline
    if pipeline is None:
        return problems
    if not REPOSITORY.match(pipeline.repository):
        report(
            f'pipeline: repository "{pipeline.repository}" is not OWNER/REPO (GitHub) or '
            "GROUP/PROJECT (GitLab), without wildcards",
            "pipeline",
            "repository",
        )
    environments = {account_environment(spec, a) for a in [MANAGEMENT, *spec.accounts]}
    for name, entry in pipeline.environments.items():
        if name not in environments:
            found = choices("environments", environments, name)
            report(
                f'pipeline: environment "{name}" is no account\'s environment ({found}; an '
                "account's Environment tag, else its name)",
                "pipeline",
                "environments",
                name,
            )
        if entry.branch is not None and not BRANCH.match(entry.branch):
            report(
                f'pipeline: environment "{name}": branch "{entry.branch}" is not a branch name',
                "pipeline",
                "environments",
                name,
                "branch",
            )
    if not BRANCH.match(pipeline.branch):
        report(f'pipeline: branch "{pipeline.branch}" is not a branch name', "pipeline", "branch")
    for key, role in sorted(spec.ci.deploy_roles.items()):
        if pipeline.session_seconds > role.max_session_duration:
            report(
                f"pipeline: session_seconds {pipeline.session_seconds} is longer than deploy "
                f'role "{key}" allows (max_session_duration {role.max_session_duration}; AWS '
                "refuses a DurationSeconds above the role's maximum)",
                "pipeline",
                "session_seconds",
            )
    return problems


def _check_plan_role(spec: Spec, key: str, report: Callable[..., None]) -> None:
    role = spec.ci.deploy_roles[key]
    subject = f'deploy role "{key}" (plan: true)'
    read_only = {managed_policy_arn(spec, name) for name in READ_ONLY_POLICIES}
    for index, name in enumerate(role.managed_policies):
        if managed_policy_arn(spec, name) not in read_only:
            report(
                f'{subject}: a plan role is read-only, but "{name}" is not one of AWS\'s '
                f"read-only managed policies ({', '.join(READ_ONLY_POLICIES)})",
                "deploy_roles",
                key,
                "managed_policies",
                index,
            )
    for field, value in (
        ("profile", role.profile),
        ("inline_policies", role.inline_policies),
        ("assume_roles", role.assume_roles),
    ):
        if value:
            report(
                f"{subject}: a plan role is read-only and has no {field} (use AWS's read-only "
                "managed policies; plans of pull / merge requests change nothing)",
                "deploy_roles",
                key,
                field,
            )
