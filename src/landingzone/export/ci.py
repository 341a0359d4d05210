"""What CI pipelines need to know about each stack, and how YAML is written.

One `CiStack` per root module: its directory, the paths whose changes
trigger it (its own directory and every module it calls), its region, its
environment, whether it is protected, and the roles CI assumes through OIDC.

Roles (`ci_roles` is the one place that reads the spec's `ci` section). Every
exported stack runs with management-account credentials: its provider and
backend assume `organization.access_role`, which trusts the management
account only. So a stack uses one of the spec's deploy roles when that role

- is deployed to the management account and the stack runs there (a role in
  a member account cannot assume the access roles: it could not even read
  the state);
- has `AdministratorAccess` attached (lz does not read what other managed
  policies allow, and a permission profile is scoped to one account's
  workloads, not to Organizations, the state bucket and the access roles);
- has a provider of the pipeline's platform accepting the pipeline's
  audience, `sts.amazonaws.com`;
- trusts the job's subject, for this repository (a subject's repository is
  this one when it is the `Repo` tag, or ends with `/<Repo tag>`): on
  GitHub `repo:R:pull_request` for plans, `repo:R:environment:<environment>`
  for applies; on GitLab `project_path:R:ref_type:branch:ref:<branch>` for
  applies (GitLab plans run on merge requests' own branches, which no deploy
  role may trust: plans always use the convention's role).

Otherwise the convention: CI authenticates to the management account, where

- `<org>-terraform-plan` plans pull requests (read access is enough), and
- `<org>-terraform-<environment>` applies on the main branch, trusted only
  from that GitHub environment (GitLab: that protected environment);

both reach other accounts through `organization.access_role`, as lz does.
No long-lived keys: the tokens are OIDC tokens, the credentials short-lived.

With `ci.pipeline` (least privilege) the roles come from graph/ci_pipeline.py
instead: every stack's jobs sign in to the stack's own account, with the
deploy role there that trusts the apply job and the read-only plan role that
trusts pull / merge requests, and run the root module with
`ci/in_account_override.tf` (export/in_account.py): no access role, state
read and written with the job's own role, which the state bucket's policy
must allow (`state.isolation: per_account`, or `per_account_bucket` where the
account's own bucket and lock table hold it; without isolation only the state
account's own stacks qualify). A stack whose account has no such
role keeps the convention above (and is listed), so the management account's
administrator role is used only where the spec leaves no other.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML

from landingzone.access.globs import Glob
from landingzone.export.inventory import Inventory
from landingzone.export.model import StackRef
from landingzone.export.network import endpoint_networks
from landingzone.export.stacks import depths
from landingzone.export.terraform import Estate
from landingzone.graph.ci_pipeline import (
    AUDIENCE,
    PipelineRole,
    Platform,
    job_roles,
    pipeline_roles,
)
from landingzone.graph.iam_documents import (
    fill,
    iam_layout,
    managed_policy_arn,
    partition,
    provider_audiences,
)
from landingzone.graph.state_keys import isolated, may_read
from landingzone.nodes import MANAGEMENT

CHECKOUT = "actions/checkout@v4"
SETUP_TERRAFORM = "hashicorp/setup-terraform@v3"
AWS_CREDENTIALS = "aws-actions/configure-aws-credentials@v4"
UPLOAD_ARTIFACT = "actions/upload-artifact@v4"
SESSION_SECONDS = 900  # CI sessions last 15 minutes (AWS's minimum), not the default hour

# The repository part of a subject: `repo:OWNER/NAME:...`, `project_path:GROUP/PROJECT:...`.
SUBJECT_REPOSITORY = {
    "github": re.compile(r"^repo:([^:]+):"),
    "gitlab": re.compile(r"^project_path:([^:]+):"),
}


@dataclass(frozen=True)
class CiRoles:
    """The IAM roles CI assumes with its OIDC token.

    `*_in_account`: the role is a deploy role of the stack's own account (the job
    runs with `ci/in_account_override.tf`); else a management-account role that
    reaches the stack through the access role.
    """

    plan: str
    apply: str
    plan_in_account: bool = False
    apply_in_account: bool = False

    @property
    def in_account(self) -> bool:
        """Whether either job runs with a deploy role of the stack's own account."""
        return self.plan_in_account or self.apply_in_account

    def to_json(self) -> dict[str, Any]:
        """The roles as `lz export ci --json` lists them."""
        return {
            "plan": self.plan,
            "apply": self.apply,
            "plan_in_account": self.plan_in_account,
            "apply_in_account": self.apply_in_account,
        }


@dataclass(frozen=True)
class CiStack:
    """One root module as CI sees it."""

    id: str  # "management-us-west-2-organization", "bootstrap"
    path: str  # its directory
    watch: tuple[str, ...]  # directories whose changes trigger it
    region: str
    environment: str
    protected: bool
    roles: CiRoles
    depth: int  # 0: reads no other stack; else one more than the deepest it reads
    branch: str = "main"  # pushes to it apply the stack (its environment's branch)
    session_seconds: int = SESSION_SECONDS
    endpoint_networks: tuple[str, ...] = ()  # networks whose VPC endpoints CI can toggle


@dataclass(frozen=True)
class DeployRole:
    """One of the spec's deploy roles that could run management-account stacks."""

    arn: str
    subjects: tuple[str, ...]  # as its trust policy lists them (`{account}` filled)

    def trusts(self, subject: str) -> bool:
        """Whether a token with this `sub` gets in (exact, or IAM's StringLike `*` `?`)."""
        return any(Glob(pattern).matches(subject) for pattern in self.subjects)


def deploy_roles(inventory: Inventory, platform: Platform) -> list[DeployRole]:
    """The spec's deploy roles able to run a stack in the management account, by name
    (see the module docstring: in management, AdministratorAccess, this platform's
    provider accepting `sts.amazonaws.com`)."""
    spec = inventory.spec
    part = partition(spec.organization.home_region)
    admin = managed_policy_arn(spec, "AdministratorAccess")
    found = []
    for role in iam_layout(spec).roles:
        if role.where[:2] != ("ci", "deploy_roles") or role.account != MANAGEMENT:
            continue
        entry = spec.ci.deploy_roles[str(role.where[-1])]
        provider = spec.ci.providers.get(entry.provider)
        if provider is None or provider.type != platform:
            continue
        if AUDIENCE not in provider_audiences(provider):
            continue
        if admin not in role.desired["managed_policies"]:
            continue
        desired = role.desired
        found.append(
            DeployRole(
                arn=f"arn:{part}:iam::{inventory.management_account_id}:role"
                f"{desired['path']}{desired['name']}",
                subjects=tuple(str(fill(s, spec, role.account)) for s in entry.subjects),
            )
        )
    return sorted(found, key=lambda r: r.arn)


def _repositories(role: DeployRole, platform: Platform, repo: str) -> list[str]:
    """The repositories a role's subjects name that are this one (the `Repo` tag)."""
    found = set()
    for subject in role.subjects:
        match = SUBJECT_REPOSITORY[platform].match(subject)
        if match and (match[1] == repo or match[1].endswith(f"/{repo}")):
            found.add(match[1])
    return sorted(found)


def job_subjects(
    platform: Platform, repository: str, environment: str, branch: str
) -> tuple[str | None, str]:
    """The `sub` of the plan job (None: it varies by branch) and of the apply job."""
    if platform == "github":
        return (
            f"repo:{repository}:pull_request",
            f"repo:{repository}:environment:{environment}",
        )
    return None, f"project_path:{repository}:ref_type:branch:ref:{branch}"


def ci_roles(
    inventory: Inventory,
    stack: StackRef,
    environment: str,
    platform: Platform = "github",
    branch: str = "main",
    candidates: Sequence[DeployRole] | None = None,
) -> CiRoles:
    """The roles a stack's jobs assume: the spec's deploy role that fits each job,
    else the documented convention (see the module docstring)."""
    org = inventory.spec.organization.name
    base = f"arn:aws:iam::{inventory.management_account_id}:role/{org}-terraform"
    plan, apply = f"{base}-plan", f"{base}-{environment}"
    if stack.account != MANAGEMENT:
        return CiRoles(plan=plan, apply=apply)
    if candidates is None:
        candidates = deploy_roles(inventory, platform)
    fits: dict[str, str] = {}
    for role in candidates:
        for repository in _repositories(role, platform, inventory.repo):
            subjects = job_subjects(platform, repository, environment, branch)
            for job, subject in zip(("plan", "apply"), subjects, strict=True):
                if subject is not None and role.trusts(subject):
                    fits.setdefault(job, role.arn)
    return CiRoles(plan=fits.get("plan", plan), apply=fits.get("apply", apply))


def state_reachable(inventory: Inventory, stack: StackRef, reads: Sequence[StackRef]) -> bool:
    """Whether a deploy role of the stack's account can use its state and read the states
    it reads: through the bucket policies of `state.isolation` (graph/state_keys.py), or,
    without isolation, only in the state account itself (by the role's own policies)."""
    spec = inventory.spec
    if not isolated(spec):
        return stack.account == spec.state.account
    return all(may_read(spec, stack.account, ref.state_key) for ref in reads)


def pipeline_ci_roles(
    inventory: Inventory,
    stack: StackRef,
    environment: str,
    platform: Platform,
    candidates: Sequence[PipelineRole],
    reads: Sequence[StackRef] = (),
) -> CiRoles:
    """The roles of a stack under `ci.pipeline`: its account's deploy roles where the spec
    declares them (graph/ci_pipeline.py) and they can reach the stack's state, else the
    convention's."""
    pipeline = inventory.spec.ci.pipeline
    assert pipeline is not None
    fallback = ci_roles(inventory, stack, environment, platform, pipeline.branch_of(environment))
    chosen = job_roles(pipeline, platform, list(candidates), stack.account, environment)
    account_id = inventory.account_id(stack.account)
    if account_id is None or not state_reachable(inventory, stack, reads):
        return fallback
    part = partition(inventory.spec.organization.home_region)

    def arn(role: PipelineRole) -> str:
        return f"arn:{part}:iam::{account_id}:role{role.path}{role.name}"

    return CiRoles(
        plan=arn(chosen.plan) if chosen.plan else fallback.plan,
        apply=arn(chosen.apply) if chosen.apply else fallback.apply,
        plan_in_account=chosen.plan is not None,
        apply_in_account=chosen.apply is not None,
    )


def ci_stacks(
    estate: Estate,
    inventory: Inventory,
    platform: Platform = "github",
    branch: str | None = None,
) -> list[CiStack]:
    """Every stack of an export, in apply order, with its roles on `platform`.

    `branch`: where applies run (default: the pipeline's branch, else `main`); with
    `ci.pipeline`, an environment's own branch wins.
    """
    pipeline = inventory.spec.ci.pipeline
    default = branch or (pipeline.branch if pipeline else "main")
    candidates = deploy_roles(inventory, platform)
    declared = pipeline_roles(inventory.spec, platform) if pipeline else []
    depth = depths(estate.roots)
    stacks = []
    for root in estate.roots:
        environment = root.environment
        if pipeline is None:
            roles = ci_roles(inventory, root.stack, environment, platform, default, candidates)
            stack_branch, seconds = default, SESSION_SECONDS
        else:
            roles = pipeline_ci_roles(
                inventory, root.stack, environment, platform, declared, root.reads
            )
            entry = pipeline.environments.get(environment)
            stack_branch = entry.branch if entry and entry.branch else default
            seconds = pipeline.session_seconds
        stacks.append(
            CiStack(
                id=root.stack.id,
                path=root.stack.path,
                watch=(root.stack.path, *(f"modules/{m}" for m in root.modules)),
                region=root.stack.region,
                environment=environment,
                protected=root.protected,
                roles=roles,
                depth=depth[root.stack],
                branch=stack_branch,
                session_seconds=seconds,
                endpoint_networks=tuple(n for p in root.parts for n in endpoint_networks(p)),
            )
        )
    return stacks


def apply_branches(stacks: Sequence[CiStack]) -> list[str]:
    """The branches whose pushes apply some stack."""
    return sorted({s.branch for s in stacks})


def protected_environments(stacks: list[CiStack]) -> list[str]:
    """Environments whose applies need a reviewer's approval."""
    return sorted({s.environment for s in stacks if s.protected})


def yaml_text(document: dict[str, Any], header: str) -> str:
    """A YAML document with a comment header; key order as given, no line folding."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda *_: True  # write repeated lists out in full
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + buffer.getvalue()
