"""The exported GitHub pipeline shows each stack's plan, collapsed, on the pull request."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from ruamel.yaml import YAML

from landingzone.export.ci import CiRoles, CiStack
from landingzone.export.github import github_files


def test_the_plan_job_writes_the_plan_to_the_job_summary(tmp_path: Path) -> None:
    stack = CiStack(
        "dev-us-east-1-network",
        "accounts/dev/us-east-1/network",
        ("modules/vpc",),
        "us-east-1",
        "dev",
        False,
        CiRoles("arn:plan", "arn:apply"),
        0,
    )
    (text,) = github_files([stack]).values()
    workflow = YAML(typ="safe").load(text)
    plan = workflow["jobs"]["plan"]
    assert plan["permissions"] == {"contents": "read", "id-token": "write"}  # nothing more
    commands = [step["run"] for step in plan["steps"] if "run" in step]
    assert commands[1].startswith("terraform plan") and "-out=tfplan" in commands[1]
    # run the summary step as the runner would, with a stand-in terraform
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    terraform = bin_dir / "terraform"
    terraform.write_text('#!/bin/sh\necho "Plan: 1 to add, 0 to change, 0 to destroy."\n')
    terraform.chmod(terraform.stat().st_mode | stat.S_IEXEC)
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        **workflow["env"],
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    subprocess.run(["bash", "-e", "-c", commands[2]], env=env, check=True)
    assert summary.read_text().splitlines() == [
        "### terraform plan: accounts/dev/us-east-1/network",
        "",
        "<details><summary>plan</summary>",
        "",
        "```",
        "Plan: 1 to add, 0 to change, 0 to destroy.",
        "```",
        "</details>",
    ]
