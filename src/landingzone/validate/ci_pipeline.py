"""The rules of `ci.pipeline`, of plan roles (`plan: true` deploy roles) and of
`state.isolation`.

- `repository` is `OWNER/REPO` (GitHub) or `GROUP/PROJECT` (GitLab, subgroups
  allowed): the repository part of the tokens' subjects, without wildcards;
- every environment named is the environment of an account (its Environment
  tag, else its name; `management`), and branches are names, not patterns;
- `session_seconds` is at most the `max_session_duration` of every deploy role
  the pipeline may use (AWS refuses a longer DurationSeconds);
- a plan role is read-only: AWS's read-only managed policies only
  (ReadOnlyAccess, ViewOnlyAccess, SecurityAudit), no permission profile, no
  inline policies, no `assume_roles`. Its trust may be broad (a GitLab merge
  request's subject names any branch), so what it can do must not be;
- `state.shared_reads` names accounts, and the state bucket's policy with the
  isolation's statements fits S3's limit (20 KB);
- with `per_account_bucket`, `state.account_bucket` holds `{account_id}` and is
  a valid bucket name once filled, `state.account_lock_table` a valid table name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from landingzone.errors import SpecProblem
from landingzone.graph.ci_pipeline import account_environment
from landingzone.graph.iam_documents import managed_policy_arn
from landingzone.graph.state_access import state_statements
from landingzone.graph.state_keys import account_state_names, state_names
from landingzone.nodes import MANAGEMENT
from landingzone.resources.s3_bucket import bucket_arn, bucket_desired
from landingzone.spec.iam_rules import policy_size
from landingzone.spec.limits import BUCKET, BUCKET_NAMING, LOCK_TABLE
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.suggest import choices

BUCKET_POLICY_MAX = 20480  # characters of a bucket policy (S3's limit)
LOCK_TABLE_NAME = re.compile(rf"^[A-Za-z0-9_.-]{{3,{LOCK_TABLE.value}}}$")
READ_ONLY_POLICIES = ("ReadOnlyAccess", "ViewOnlyAccess", "SecurityAudit")
REPOSITORY = re.compile(r"^[\w.-]+(?:/[\w.-]+)+$")
BRANCH = re.compile(r"^[^\s*?:~^\\\[]+$")  # git's ref rules, and no IAM wildcard


def check_ci_pipeline(spec: Spec, provenance: Provenance) -> list[SpecProblem]:
    """Every problem of the pipeline, the plan roles and the state isolation, each at its
    file:line."""
    problems: list[SpecProblem] = _check_state_isolation(spec, provenance)

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


def _check_state_isolation(spec: Spec, provenance: Provenance) -> list[SpecProblem]:
    """`state.shared_reads` names accounts; the bucket policy fits S3's 20 KB."""
    problems = []
    for index, name in enumerate(spec.state.shared_reads):
        if name != MANAGEMENT and name not in spec.accounts:
            found = choices("accounts", spec.accounts, name)
            problems.append(
                SpecProblem(
                    f'state.shared_reads: account "{name}" does not exist ({found})',
                    provenance.where("state", "shared_reads", index),
                )
            )
    problems.extend(_check_account_state_names(spec, provenance))
    if problems:
        return problems
    bucket, _, _ = state_names(spec)
    size = policy_size(
        bucket_desired(bucket, {}, state_statements(spec, bucket_arn(bucket)))["policy"]
    )
    if size > BUCKET_POLICY_MAX:
        problems.append(
            SpecProblem(
                f"state.isolation: the state bucket's policy would be {size} characters, over "
                f"S3's limit of {BUCKET_POLICY_MAX} (20 KB): fewer deploy roles per account, "
                "or isolation: none",
                provenance.where("state", "isolation"),
            )
        )
    return problems


def _check_account_state_names(spec: Spec, provenance: Provenance) -> list[SpecProblem]:
    """With `per_account_bucket`: each account's bucket name holds `{account_id}` (bucket
    names are global: one name in every account would collide) and is a valid name once
    filled; the lock table's name is valid."""
    if spec.state.isolation != "per_account_bucket":
        return []
    problems = []
    bucket, table = account_state_names(spec, "account")
    if "{account_id}" not in bucket:
        problems.append(
            SpecProblem(
                f'state.account_bucket: "{bucket}" must contain {{account_id}}: S3 bucket names '
                f"are global, so each account's bucket needs its own name ({BUCKET_NAMING})",
                provenance.where("state", "account_bucket"),
            )
        )
    elif not BUCKET.match(bucket.replace("{account_id}", "0" * 12)):
        problems.append(
            SpecProblem(
                f'state.account_bucket: "{bucket}" is not a valid S3 bucket name once filled '
                '(3 to 63 characters of a-z, 0-9, "." and "-", with the 12-digit account ID; '
                f"{BUCKET_NAMING})",
                provenance.where("state", "account_bucket"),
            )
        )
    if not LOCK_TABLE_NAME.match(table):
        problems.append(
            SpecProblem(
                f'state.account_lock_table: "{table}" must be 3 to {LOCK_TABLE.value} '
                f"characters of letters, digits, _ . and - ({LOCK_TABLE.source})",
                provenance.where("state", "account_lock_table"),
            )
        )
    return problems
