"""GitHub Actions: one workflow per stack, planning pull requests and applying main.

`.github/workflows/terraform-<stack id>.yml` runs when the stack's directory,
a module it calls, or the workflow itself changes (path filters): `plan` on
pull requests (the plan, collapsed, in the job summary the pull request's
checks link to), `apply` on pushes to the stack's branch (the main branch,
or its environment's branch under `ci.pipeline`) in the stack's
environment. Protected environments get required reviewers in the
repository's settings, so prod applies wait for an approval. Credentials
come from OIDC (`id-token: write`) through configure-aws-credentials, in
sessions of 15 minutes.
"""

from __future__ import annotations

import json
from typing import Any

from landingzone.export.ci import (
    AWS_CREDENTIALS,
    CHECKOUT,
    SETUP_TERRAFORM,
    CiStack,
    protected_environments,
    yaml_text,
)
from landingzone.export.network import ENDPOINTS_OFF
from landingzone.export.stacks import IN_ACCOUNT_OVERRIDE, TERRAFORM_VERSION

WORKFLOWS = ".github/workflows"
PLAN = "terraform plan -input=false -lock-timeout=5m -out=tfplan"
PLAN_UNLOCKED = "terraform plan -input=false -lock=false -out=tfplan"
# The plan, collapsed, on the pull request's checks page (the job summary: no extra
# permission, unlike a comment).
SUMMARY = (
    '{ echo "### terraform plan: $STACK"; echo; echo "<details><summary>plan</summary>"; '
    "echo; echo '```'; terraform show -no-color tfplan; echo '```'; echo \"</details>\"; } "
    '>> "$GITHUB_STEP_SUMMARY"'
)
# Before `terraform init`, in a job that signs in to the stack's own account.
COPY_OVERRIDE = f"cp {IN_ACCOUNT_OVERRIDE} ."


def workflow_path(stack: CiStack) -> str:
    """Where a stack's workflow lives."""
    return f"{WORKFLOWS}/terraform-{stack.id}.yml"


def github_files(stacks: list[CiStack]) -> dict[str, str]:
    """Every workflow, by path."""
    protected = protected_environments(stacks)
    return {workflow_path(s): _workflow(s, protected) for s in stacks}


def _steps(
    stack: CiStack, role: str, in_account: bool, commands: list[str]
) -> list[dict[str, Any]]:
    return [
        {"uses": CHECKOUT},
        {
            "uses": SETUP_TERRAFORM,
            "with": {"terraform_version": TERRAFORM_VERSION, "terraform_wrapper": False},
        },
        {
            "uses": AWS_CREDENTIALS,
            "with": {
                "role-to-assume": role,
                "role-session-name": f"terraform-{stack.id}",
                "role-duration-seconds": stack.session_seconds,
                "aws-region": stack.region,
            },
        },
        *([{"run": COPY_OVERRIDE}] if in_account else []),
        {"run": "terraform init -input=false"},
        *({"run": command} for command in commands),
    ]


def _job(
    stack: CiStack, condition: str, role: str, in_account: bool, commands: list[str]
) -> dict[str, Any]:
    return {
        "if": condition,
        "runs-on": "ubuntu-latest",
        "permissions": {"contents": "read", "id-token": "write"},
        "defaults": {"run": {"working-directory": stack.path}},
        "steps": _steps(stack, role, in_account, commands),
    }


def _workflow(stack: CiStack, protected: list[str]) -> str:
    paths = [*(f"{d}/**" for d in stack.watch), workflow_path(stack)]
    roles = stack.roles
    # A read-only plan role cannot write the lock; a plan changes nothing to lock for.
    plan = PLAN_UNLOCKED if roles.plan_in_account else PLAN
    events = "github.event_name == 'push'"
    apply_plan = PLAN
    if stack.endpoint_networks:  # the cost toggle: run the workflow to switch them off or on
        events = f"({events} || github.event_name == 'workflow_dispatch')"
        apply_plan = f'{PLAN} -var="{ENDPOINTS_OFF}=$ENDPOINTS_OFF"'
    apply = _job(
        stack,
        f"{events} && github.ref == 'refs/heads/{stack.branch}'",
        roles.apply,
        roles.apply_in_account,
        [apply_plan, "terraform apply -input=false tfplan"],
    )
    if stack.endpoint_networks:
        off = json.dumps(list(stack.endpoint_networks))
        apply["env"] = {
            "ENDPOINTS_OFF": f"${{{{ inputs.vpc_endpoints == 'disable' && '{off}' || '[]' }}}}"
        }
    apply = {
        "if": apply.pop("if"),
        "environment": stack.environment,
        "concurrency": {"group": f"terraform-{stack.id}", "cancel-in-progress": False},
        **apply,
    }
    triggers: dict[str, Any] = {
        "pull_request": {"branches": [stack.branch], "paths": paths},
        "push": {"branches": [stack.branch], "paths": paths},
    }
    if stack.endpoint_networks:
        networks = ", ".join(stack.endpoint_networks)
        triggers["workflow_dispatch"] = {
            "inputs": {
                "vpc_endpoints": {
                    "description": f"VPC endpoints of {networks}: disable to stop paying for "
                    "them, enable to bring them back (the next push applies the files again)",
                    "type": "choice",
                    "options": ["enable", "disable"],
                    "default": "enable",
                }
            }
        }
    document = {
        "name": f"terraform {stack.path}",
        "on": triggers,
        "permissions": {"contents": "read"},
        "env": {"TF_IN_AUTOMATION": "true", "TF_INPUT": "false", "STACK": stack.path},
        "jobs": {
            "plan": _job(
                stack,
                "github.event_name == 'pull_request'",
                roles.plan,
                roles.plan_in_account,
                [plan, SUMMARY],
            ),
            "apply": apply,
        },
    }
    header = (
        "Generated by `lz export ci --github` from the landing-zone spec.\n"
        f"Stack {stack.path}: plan on pull requests, apply on {stack.branch} in environment "
        f"{stack.environment}.\n"
    )
    if protected:
        header += (
            f"The environments {', '.join(protected)} need required reviewers, so their "
            "applies wait for an approval:\nrun .github/lz-environments.sh once "
            "(ci.pipeline.environments.ENV.reviewers).\n"
        )
    return yaml_text(document, header)
