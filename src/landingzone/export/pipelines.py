"""`lz export ci`: the pipelines of one platform and the files their jobs copy in."""

from __future__ import annotations

from landingzone.engine.workflow import Workspace
from landingzone.export.ci import CiStack, ci_stacks
from landingzone.export.environments import (
    GITHUB_SCRIPT,
    GITLAB_SCRIPT,
    github_bootstrap,
    gitlab_bootstrap,
)
from landingzone.export.github import github_files
from landingzone.export.gitlab import gitlab_files
from landingzone.export.in_account import in_account_files
from landingzone.export.inventory import inventory_of
from landingzone.export.terraform import build_estate
from landingzone.graph.ci_pipeline import Platform, token_audience


def ci_files(
    ws: Workspace, platform: Platform, branch: str | None = None
) -> tuple[list[CiStack], dict[str, str]]:
    """`lz export ci`: the stacks and every file: the platform's pipelines, the script
    that sets up its environments (export/environments.py), and the in-account
    overrides of the stacks CI runs with their own account's roles."""
    inventory = inventory_of(ws)
    estate = build_estate(inventory)
    stacks = ci_stacks(estate, inventory, platform, branch)
    pipeline = inventory.spec.ci.pipeline
    if platform == "github":
        files = github_files(stacks)
        files[GITHUB_SCRIPT] = github_bootstrap(stacks, pipeline)
    else:
        default = branch or (pipeline.branch if pipeline else "main")
        files = gitlab_files(stacks, default, token_audience(inventory.spec, platform))
        files[GITLAB_SCRIPT] = gitlab_bootstrap(stacks, pipeline)
    in_account = {s.id for s in stacks if s.roles.in_account}
    files.update(in_account_files(estate.roots, inventory.backend, in_account))
    return stacks, dict(sorted(files.items()))
