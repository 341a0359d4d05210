"""A small organization to apply, kill and race quickly, and `lz` run as a process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import landingzone
from landingzone.engine import workflow
from landingzone.validate import load_spec

SRC = str(Path(landingzone.__file__).resolve().parents[1])
LOCK_KEY = {"LockID": {"S": "quick-landingzone-state/landingzone/state.json"}}

SPEC = """\
organization:
  name: quick
  home_region: us-east-1
  tags: {Repo: infra}
  policies: [deny-leave]
units:
  core: {}
  work: {policies: [deny-leave]}
accounts:
  shared: {email: aws+shared@quick.example, unit: core}
  dev: {email: aws+dev@quick.example, unit: work}
  stage: {email: aws+stage@quick.example, unit: work}
policies:
  deny-leave:
    description: no leaving
    document:
      Version: "2012-10-17"
      Statement:
        - {Effect: Deny, Action: "organizations:LeaveOrganization", Resource: "*"}
state:
  account: shared
"""


def lz_process(env: dict[str, str], *args: str | Path, **popen: Any) -> subprocess.Popen[str]:
    code = f"from landingzone.cli import main; main({[str(a) for a in args]!r})"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def open_ws(spec_dir: Path) -> workflow.Workspace:
    loaded = load_spec(spec_dir)
    return workflow.open_workspace(loaded.spec, loaded.root, loaded.fingerprint())
