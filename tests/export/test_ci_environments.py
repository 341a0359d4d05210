"""The scripts `lz export ci` writes to set up the platform's environments, run with bash
against a stand-in `gh` / `curl` that records every API call (no network, no token)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

from landingzone.export.ci import ci_stacks
from landingzone.export.environments import github_bootstrap, gitlab_bootstrap
from landingzone.export.terraform import build_estate
from tests.export.test_iam_export import EXAMPLES, inventory

REPO = "your-org/coalition-builder"

# A `gh` that logs its arguments and stdin, answers ID lookups with 42 and lists no
# deployment branch policy yet.
FAKE_GH = """#!/usr/bin/env bash
{ printf '%s\\n' "$*"; if [ "${3:-}" = PUT ]; then tr -d '\\n'; echo; fi; } >> "$CALLS"
case "$*" in
  *"--jq .id"*) echo 42 ;;
esac
"""
FAKE_CURL = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$CALLS"
"""


def coalition_stacks(platform: str):  # type: ignore[no-untyped-def]
    inv = inventory(EXAMPLES / "coalition")
    return ci_stacks(build_estate(inv), inv, platform), inv.spec.ci.pipeline  # type: ignore[arg-type]


def run_script(tmp_path: Path, text: str, tool: str, fake: str, **env: str) -> tuple[int, str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / tool).write_text(fake)
    (bin_dir / tool).chmod(stat.S_IRWXU)
    script = tmp_path / "lz-environments.sh"
    script.write_text(text)
    calls = tmp_path / "calls.log"
    calls.touch()
    environment = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "CALLS": str(calls),
        **env,
    }
    done = subprocess.run(
        ["bash", str(script)], env=environment, capture_output=True, text=True, check=False
    )
    return done.returncode, calls.read_text(), done.stdout + done.stderr


def test_github_environments_get_their_branches_and_reviewers_through_the_api(tmp_path: Path):
    stacks, pipeline = coalition_stacks("github")
    text = github_bootstrap(stacks, pipeline)
    assert "GH_TOKEN=" not in text and "ghp_" not in text  # credentials come from outside
    code, calls, output = run_script(tmp_path, text, "gh", FAKE_GH)
    assert code == 0, output
    lines = calls.splitlines()
    puts = {}
    for index, line in enumerate(lines):
        if line.startswith("api --method PUT"):
            environment = line.split("/environments/")[1].split()[0]
            puts[environment] = json.loads(lines[index + 1])
    assert sorted(puts) == ["dev", "management", "prod", "shared"]
    assert puts["prod"]["reviewers"] == [{"type": "Team", "id": 42}]
    assert puts["prod"]["prevent_self_review"] is True
    assert puts["dev"]["reviewers"] == [] and puts["dev"]["prevent_self_review"] is False
    for body in puts.values():
        assert body["deployment_branch_policy"] == {
            "protected_branches": False,
            "custom_branch_policies": True,
        }
    assert "api orgs/your-org/teams/platform --jq .id" in lines
    branch_policies = {
        line.split("/environments/")[1].split("/")[0]: line.split("name=")[1].split()[0]
        for line in lines
        if line.startswith("api --method POST")
    }
    # Deployments only from the environment's branch: feature branches get no token.
    assert branch_policies == {
        "dev": "development",
        "management": "main",
        "prod": "main",
        "shared": "main",
    }
    assert all(f"repos/{REPO}/environments/" in line for line in lines if "environments" in line)
    assert "environment prod: deploys from main, reviewers your-org/platform" in output


# A `curl` that logs its arguments, knows no protected environment yet, and answers
# group and user lookups with IDs (a group 42, a user 7).
FAKE_GITLAB = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$CALLS"
case "$*" in
  *"--request GET"*"/protected_environments/"*) echo '{"message":"404 Not found"}'; exit 22 ;;
  *"--request GET"*"/groups/"*) echo '{"id": 42, "name": "platform"}' ;;
  *"--request GET"*"/users?username="*) echo '[{"id":7,"username":"alice"}]' ;;
esac
"""


def test_gitlab_protects_the_protected_environments_with_their_reviewers_as_approvers(
    tmp_path: Path,
):
    stacks, pipeline = coalition_stacks("gitlab")
    pipeline.environments["shared"].reviewers = ["alice"]  # a user, not a group
    text = gitlab_bootstrap(stacks, pipeline)
    assert "GITLAB_TOKEN=" not in text and "glpat-" not in text  # from the environment only
    code, calls, output = run_script(tmp_path, text, "curl", FAKE_GITLAB, GITLAB_TOKEN="t0ken")
    assert code == 0, output
    api = "https://gitlab.com/api/v4"
    lines = calls.splitlines()
    assert all("PRIVATE-TOKEN: t0ken" in line for line in lines)
    posts = {}
    for line in lines:
        if "--request POST" in line:
            assert line.endswith(
                f"{api}/projects/your-org%2Fcoalition-builder/protected_environments"
            )
            body = json.loads(line.split("--data ")[1].rsplit(" https://", 1)[0])
            posts[body["name"]] = body
    assert sorted(posts) == ["management", "prod", "shared"]  # dev is not protected
    assert posts["prod"]["deploy_access_levels"] == [{"access_level": 40}]
    assert posts["prod"]["approval_rules"] == [{"group_id": 42, "required_approvals": 1}]
    assert posts["shared"]["approval_rules"] == [{"user_id": 7, "required_approvals": 1}]
    assert any(line.endswith(f"{api}/groups/your-org%2Fplatform") for line in lines)
    assert any(line.endswith(f"{api}/users?username=alice") for line in lines)
    assert "environment prod: protected (maintainers deploy, approved by your-org/platform)" in (
        output
    )


def test_gitlab_leaves_an_environment_already_protected_as_it_is(tmp_path: Path):
    stacks, pipeline = coalition_stacks("gitlab")
    code, calls, output = run_script(
        tmp_path, gitlab_bootstrap(stacks, pipeline), "curl", FAKE_CURL, GITLAB_TOKEN="t0ken"
    )
    assert code == 0, output
    assert "--request POST" not in calls  # every GET found one: nothing is replaced
    assert "environment prod: already protected, left as it is" in output


def test_gitlab_refuses_a_reviewer_it_cannot_find(tmp_path: Path):
    stacks, pipeline = coalition_stacks("gitlab")
    pipeline.environments["prod"].reviewers = ["nobody"]
    fake = FAKE_GITLAB.replace("""'[{"id":7,"username":"alice"}]'""", "'[]'")
    code, calls, output = run_script(
        tmp_path, gitlab_bootstrap(stacks, pipeline), "curl", fake, GITLAB_TOKEN="t0ken"
    )
    assert code != 0
    assert "no GitLab group or user nobody" in output
    assert '"name": "prod"' not in calls


def test_the_gitlab_script_refuses_to_run_without_a_token(tmp_path: Path):
    stacks, pipeline = coalition_stacks("gitlab")
    code, calls, output = run_script(
        tmp_path, gitlab_bootstrap(stacks, pipeline), "curl", FAKE_CURL
    )
    assert code != 0 and calls == ""
    assert "set GITLAB_TOKEN" in output
