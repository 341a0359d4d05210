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


def test_gitlab_protects_the_protected_environments_with_the_token_from_the_environment(
    tmp_path: Path,
):
    stacks, pipeline = coalition_stacks("gitlab")
    text = gitlab_bootstrap(stacks, pipeline)
    code, calls, output = run_script(tmp_path, text, "curl", FAKE_CURL, GITLAB_TOKEN="t0ken")
    assert code == 0, output
    protected = [line for line in calls.splitlines() if "protected_environments" in line]
    url = "https://gitlab.com/api/v4/projects/your-org%2Fcoalition-builder/protected_environments"
    assert all(line.endswith(url) and "PRIVATE-TOKEN: t0ken" in line for line in protected)
    names = sorted(line.split('"name": "')[1].split('"')[0] for line in protected)
    assert names == ["management", "prod", "shared"]  # dev is not protected
    assert '"required_approval_count": 1' in protected[0]


def test_the_gitlab_script_refuses_to_run_without_a_token(tmp_path: Path):
    stacks, pipeline = coalition_stacks("gitlab")
    code, calls, output = run_script(
        tmp_path, gitlab_bootstrap(stacks, pipeline), "curl", FAKE_CURL
    )
    assert code != 0 and calls == ""
    assert "set GITLAB_TOKEN" in output
