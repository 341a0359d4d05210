"""Least-privilege CI (`ci.pipeline`): which role each job assumes, for how long, on
which branch, with which Terraform files; and what `lz check` proves about it.

The pipelines are built from the examples' specs with a made-up inventory (no
emulator) and read back as YAML and HCL, as GitHub, GitLab and Terraform read
them.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from landingzone.errors import SpecInvalid
from landingzone.export.ci import CiStack, ci_stacks
from landingzone.export.github import github_files, workflow_path
from landingzone.export.gitlab import PIPELINE, gitlab_files
from landingzone.export.in_account import in_account_override
from landingzone.export.inventory import Backend
from landingzone.export.terraform import build_estate
from landingzone.validate import load_spec
from tests.export.conftest import run_lz
from tests.export.gates import parse_text
from tests.export.test_iam_export import EXAMPLES, MANAGEMENT_ID, inventory

ORG_STACK = "live/management-us-east-1/organization"
PROD_NETWORK = "live/prod-us-east-1/network"
DEV_NETWORK = "live/dev-us-east-1/network"


def spec_copy(tmp_path: Path, example: str, *edits: tuple[str, str], append: str = "") -> Path:
    """A copy of an example whose catalog/ci.yaml has `edits` made and `append` added."""
    spec_dir = tmp_path / example
    shutil.copytree(EXAMPLES / example, spec_dir)
    ci = spec_dir / "catalog" / "ci.yaml"
    text = ci.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    ci.write_text(text + append)
    return spec_dir


def stacks_of(spec_dir: Path, platform: str) -> tuple[dict[str, CiStack], Any]:
    inv = inventory(spec_dir)
    found = ci_stacks(build_estate(inv), inv, platform)  # type: ignore[arg-type]
    return {s.path: s for s in found}, inv


def role_arn(inv: Any, account: str, name: str) -> str:
    account_id = MANAGEMENT_ID if account == "management" else inv.account_id(account)
    return f"arn:aws:iam::{account_id}:role/{name}"


def steps_of(job: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A job's credentials step inputs and its commands, in order."""
    credentials = next(s["with"] for s in job["steps"] if "configure-aws" in s.get("uses", ""))
    return credentials, [s["run"] for s in job["steps"] if "run" in s]


def test_github_jobs_use_their_own_accounts_roles_in_15_minute_sessions():
    stacks, inv = stacks_of(EXAMPLES / "coalition", "github")
    files = github_files(list(stacks.values()))
    for path, account, environment in (
        (PROD_NETWORK, "prod", "prod"),
        (DEV_NETWORK, "dev", "dev"),
        ("bootstrap", "shared", "shared"),
        (ORG_STACK, "management", "management"),
    ):
        workflow = YAML(typ="safe").load(files[workflow_path(stacks[path])])
        plan, apply = workflow["jobs"]["plan"], workflow["jobs"]["apply"]
        credentials, commands = steps_of(plan)
        # Pull requests plan read-only, in the stack's own account, without the lock.
        assert credentials["role-to-assume"] == role_arn(inv, account, "github-actions-plan")
        assert credentials["role-duration-seconds"] == 900
        assert commands[:3] == [
            "cp ci/in_account_override.tf .",
            "terraform init -input=false",
            "terraform plan -input=false -lock=false -out=tfplan",
        ]
        # Applies run in the environment, with the environment's own deploy role.
        credentials, commands = steps_of(apply)
        assert apply["environment"] == environment
        assert credentials["role-to-assume"] == role_arn(
            inv, account, f"github-actions-{environment}"
        )
        assert credentials["role-duration-seconds"] == 900
        assert commands[0] == "cp ci/in_account_override.tf ."
        assert "-lock=false" not in " ".join(commands)


def test_each_environment_applies_from_its_own_branch():
    stacks, _ = stacks_of(EXAMPLES / "coalition", "github")
    files = github_files(list(stacks.values()))
    for path, branch in (("live/dev-us-east-1/iam", "development"), (PROD_NETWORK, "main")):
        workflow = YAML(typ="safe").load(files[workflow_path(stacks[path])])
        assert workflow["on"]["push"]["branches"] == [branch]
        assert workflow["on"]["pull_request"]["branches"] == [branch]
        assert workflow["jobs"]["apply"]["if"].endswith(f"&& github.ref == 'refs/heads/{branch}'")


def test_session_length_comes_from_the_pipeline(tmp_path: Path):
    spec_dir = spec_copy(
        tmp_path,
        "coalition",
        ("    branch: main\n", "    branch: main\n    session_seconds: 1800\n"),
    )
    stacks, _ = stacks_of(spec_dir, "github")
    workflow = YAML(typ="safe").load(
        github_files([stacks[PROD_NETWORK]])[workflow_path(stacks[PROD_NETWORK])]
    )
    credentials, _ = steps_of(workflow["jobs"]["apply"])
    assert credentials["role-duration-seconds"] == 1800


def test_an_account_without_a_deploy_role_keeps_the_management_convention(tmp_path: Path):
    # Without github-actions-shared, the shared account's stacks apply through the
    # management account's convention role (and its access role): listed, not silent.
    spec_dir = spec_copy(
        tmp_path,
        "coalition",
        ("        - repo:your-org/coalition-builder:environment:shared\n", ""),
    )
    stacks, _ = stacks_of(spec_dir, "github")
    shared = stacks["live/shared-us-east-1/network"]
    assert shared.roles.apply == f"arn:aws:iam::{MANAGEMENT_ID}:role/coalition-terraform-shared"
    assert not shared.roles.apply_in_account
    assert shared.roles.plan_in_account  # the plan role is still there
    workflow = YAML(typ="safe").load(github_files([shared])[workflow_path(shared)])
    _, commands = steps_of(workflow["jobs"]["apply"])
    assert "cp ci/in_account_override.tf ." not in commands


def test_the_in_account_override_drops_every_access_role_and_locks_beside_the_state():
    inv = inventory(EXAMPLES / "coalition")
    estate = build_estate(inv)
    root = next(r for r in estate.roots if r.stack.path == PROD_NETWORK)
    backend = Backend("state-bucket", "us-east-1", "locks", "arn:aws:iam::1:role/Access")
    parsed = parse_text(in_account_override(root, lambda _: backend))
    (terraform,) = parsed["terraform"]
    settings = terraform["backend"][0]["s3"]
    assert settings["key"] == "prod/us-east-1/network.tfstate"
    assert settings["use_lockfile"] is True
    assert "assume_role" not in settings and "dynamodb_table" not in settings
    assert [local["access_role_arns"] for local in parsed["locals"]] == [[]]
    for data in parsed["data"]:
        for config in data["terraform_remote_state"].values():
            assert "assume_role" not in config["config"]
    # The committed provider assumes the access role through the same local.
    provider = estate.files[f"{PROD_NETWORK}/provider.tf"]
    assert "for_each = local.access_role_arns" in provider


GITLAB_PLAN_ROLE = """
    house-escort-plan:
      description: Plans of acme/house-escort's merge requests, read-only
      provider: gitlab
      plan: true
      deploy_to: {accounts: [plat-prod]}
      subjects: ["project_path:acme/house-escort:ref_type:branch:ref:*"]
      managed_policies: [ReadOnlyAccess]

  pipeline:
    repository: acme/house-escort
"""


def test_gitlab_merge_requests_plan_with_the_declared_read_only_role(tmp_path: Path):
    spec_dir = spec_copy(tmp_path, "cloudposse", append=GITLAB_PLAN_ROLE)
    root = spec_dir / "landingzone.yaml"  # Rutagon: each workload's role, its own state keys
    root.write_text(
        root.read_text().replace(
            "state:\n  account: core-auto\n",
            "state:\n  account: core-auto\n  isolation: per_account\n",
        )
    )
    stacks, inv = stacks_of(spec_dir, "gitlab")
    pipeline = YAML(typ="safe").load(
        gitlab_files(list(stacks.values()), "main", "https://gitlab.com")[PIPELINE]
    )
    # The provider's own audience (GitLab's default), which its trust policies check.
    assert pipeline[".terraform"]["id_tokens"]["AWS_ID_TOKEN"]["aud"] == "https://gitlab.com"
    stack = next(
        s for p, s in stacks.items() if p.startswith("live/plat-prod-") and p.endswith("/network")
    )
    plan, apply = pipeline[f"plan:{stack.id}"], pipeline[f"apply:{stack.id}"]
    assert plan["variables"]["AWS_ROLE_ARN"] == role_arn(inv, "plat-prod", "house-escort-plan")
    assert plan["variables"]["PLAN_LOCK"] == "-lock=false"
    assert plan["variables"]["IN_ACCOUNT_OVERRIDE"] == "ci/in_account_override.tf"
    assert apply["variables"]["AWS_ROLE_ARN"] == role_arn(inv, "plat-prod", "gitlab-deploy-role")
    assert apply["rules"][0]["if"] == "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
    assert apply["rules"][0]["when"] == "manual"  # plat-prod is protected
    # plat-dev declares no role for this repository: the management convention.
    dev = next(s for p, s in stacks.items() if p.startswith("live/plat-dev-"))
    assert not dev.roles.in_account
    assert "IN_ACCOUNT_OVERRIDE" not in pipeline[f"apply:{dev.id}"]["variables"]
    # A plat-prod stack that reads another account's state (the transit gateway owner's)
    # cannot run with plat-prod's roles, which may not read it: the convention again.
    attachment = stacks["live/plat-prod-us-east-1/transit_gateway_attachment"]
    assert not attachment.roles.in_account


def test_without_state_isolation_only_the_state_accounts_stacks_run_in_account(
    tmp_path: Path,
):
    spec_dir = tmp_path / "coalition"
    shutil.copytree(EXAMPLES / "coalition", spec_dir)
    root = spec_dir / "landingzone.yaml"
    text = root.read_text()
    root.write_text(text.replace("  isolation: per_account\n  shared_reads: [shared]\n", ""))
    stacks, _ = stacks_of(spec_dir, "github")
    assert stacks["live/shared-us-east-1/network"].roles.in_account  # state account: shared
    assert not stacks[PROD_NETWORK].roles.in_account  # the bucket would refuse prod's role


# -- what lz check proves -------------------------------------------------------------


def check_json(spec_dir: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = run_lz("check", spec_dir, "--json")
    return code, json.loads(capsys.readouterr().out)


def test_lz_check_proves_no_feature_branch_or_pull_request_can_apply_prod(
    capsys: pytest.CaptureFixture[str],
):
    code, document = check_json(EXAMPLES / "coalition", capsys)
    assert code == 0
    pipeline = {c["name"]: c for c in document["checks"] if c["name"].startswith("pipeline:")}
    feature = pipeline[
        "pipeline: a feature branch cannot assume the deploy role github-actions-prod "
        "(prod, environment prod)"
    ]
    assert feature["principal"] == "github:your-org/coalition-builder@refs/heads/feature-x"
    assert feature["resource"] == "role:prod/github-actions-prod"
    assert feature["passed"] and feature["tested"] == 1
    assert any("pull request" in name and "github-actions-prod" in name for name in pipeline)
    assert all(check["passed"] for check in pipeline.values())


def test_lz_check_fails_when_prod_trusts_feature_branches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    spec_dir = spec_copy(
        tmp_path,
        "coalition",
        (
            "        - repo:your-org/coalition-builder:ref:refs/heads/main\n"
            "      profile: coalition\n      assume_roles",
            "        - repo:your-org/coalition-builder:ref:refs/heads/feat*\n"
            "      profile: coalition\n      assume_roles",
        ),
    )
    code, document = check_json(spec_dir, capsys)
    assert code == 3
    failed = {c["name"]: c for c in document["checks"] if not c["passed"]}
    # The example's own check (feature/*) and the pipeline's (feature-x) both catch it.
    assert "a deployment from a feature branch cannot assume the prod deploy role" in failed
    pipeline = [c for name, c in failed.items() if name.startswith("pipeline:")]
    assert [c["name"] for c in pipeline] == [
        "pipeline: a feature branch cannot assume the deploy role github-actions-prod "
        "(prod, environment prod)"
    ]
    assert pipeline[0]["counterexample"]["allowed"] is True


def test_a_plan_role_must_be_read_only_and_the_pipeline_well_formed(tmp_path: Path):
    spec_dir = spec_copy(
        tmp_path,
        "coalition",
        ("      managed_policies: [ReadOnlyAccess]", "      managed_policies: [PowerUserAccess]"),
        ("      dev: {branch: development}", "      dev: {branch: development}\n      qa: {}"),
        ("    branch: main\n", "    branch: main\n    session_seconds: 7200\n"),
    )
    with pytest.raises(SpecInvalid) as caught:
        load_spec(spec_dir)
    text = str(caught.value)
    assert re.search(
        r'catalog/ci\.yaml:\d+: deploy role "github-actions-plan" \(plan: true\): a plan role '
        r'is read-only, but "PowerUserAccess"',
        text,
    )
    assert re.search(r'catalog/ci\.yaml:\d+: pipeline: environment "qa" is no account', text)
    assert re.search(
        r"catalog/ci\.yaml:\d+: pipeline: session_seconds 7200 is longer than deploy role "
        r'"github-actions-prod" allows \(max_session_duration 3600',
        text,
    )


def test_shared_reads_must_name_accounts(tmp_path: Path):
    spec_dir = tmp_path / "coalition"
    shutil.copytree(EXAMPLES / "coalition", spec_dir)
    root = spec_dir / "landingzone.yaml"
    root.write_text(root.read_text().replace("shared_reads: [shared]", "shared_reads: [shard]"))
    with pytest.raises(SpecInvalid) as caught:
        load_spec(spec_dir)
    assert re.search(
        r'landingzone\.yaml:\d+: state\.shared_reads: account "shard" does not exist '
        r'\(did you mean "shared"\?',
        str(caught.value),
    )


def test_a_network_stack_with_endpoints_has_the_cost_toggle():
    stacks, _ = stacks_of(EXAMPLES / "coalition", "github")
    files = github_files(list(stacks.values()))
    workflow = YAML(typ="safe").load(files[workflow_path(stacks[DEV_NETWORK])])
    toggle = workflow["on"]["workflow_dispatch"]["inputs"]["vpc_endpoints"]
    assert (toggle["type"], toggle["options"], toggle["default"]) == (
        "choice",
        ["enable", "disable"],
        "enable",
    )
    apply = workflow["jobs"]["apply"]
    # Dispatched runs apply too, but only from the environment's branch, in its environment.
    assert apply["if"] == (
        "(github.event_name == 'push' || github.event_name == 'workflow_dispatch') "
        "&& github.ref == 'refs/heads/development'"
    )
    assert apply["env"]["ENDPOINTS_OFF"] == (
        "${{ inputs.vpc_endpoints == 'disable' && '[\"dev\"]' || '[]' }}"
    )
    _, commands = steps_of(apply)
    assert '-var="endpoints_off=$ENDPOINTS_OFF"' in commands[2]
    # The exported files keep the endpoints on; only the toggle's -var turns them off.
    inv = inventory(EXAMPLES / "coalition")
    tfvars = parse_text(build_estate(inv).files[f"{DEV_NETWORK}/terraform.tfvars"])
    assert tfvars["endpoints_off"] == []
    # Stacks without endpoints have no toggle.
    for path in ("live/dev-us-east-1/iam", "live/shared-us-east-1/network"):
        other = YAML(typ="safe").load(files[workflow_path(stacks[path])])
        assert "workflow_dispatch" not in other["on"]
