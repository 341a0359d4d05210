"""Export scale: `lz export terraform` and `lz export ci` of a large organization.

    python benchmarks/export_scale.py [--accounts 100] [--units 20] [--policies 10] [--baselines]
        [--out FILE]

Applies `org_scale.py`'s generated spec (with --baselines, a baseline on every
account) to a fresh emulator, then times the
export in its phases: opening the workspace (identity, organization tree,
state: what every lz command reads), building the Terraform estate (every
exporter, every file rendered), writing it to an empty directory, exporting
again unchanged (nothing rewritten), and the GitHub and GitLab pipelines.
Prints one JSON document and writes it to benchmarks/results/ unless --out -.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from landingzone import __version__
from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.export.ci import ci_stacks
from landingzone.export.github import github_files
from landingzone.export.gitlab import gitlab_files
from landingzone.export.inventory import inventory_of
from landingzone.export.terraform import build_estate
from landingzone.export.writer import write_tree
from landingzone.spec.schema import Spec

sys.path.insert(0, str(Path(__file__).parent))
from org_scale import RESULTS, make_spec

T = TypeVar("T")


def timed(phases: dict[str, float], name: str, work: Callable[[], T]) -> T:
    """Run `work`, recording its wall time in seconds under `name`."""
    started = time.monotonic()
    result = work()
    phases[name] = round(time.monotonic() - started, 3)
    return result


def run(accounts: int, units: int, policies: int, baselines: bool = False) -> dict[str, Any]:
    """Apply the generated organization, then export it; returns the measurements."""
    spec = Spec.model_validate(make_spec(accounts, units, policies, baselines))
    phases: dict[str, float] = {}
    with Emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(emulator.env())
        root = Path(tmp)
        ws = workflow.open_workspace(spec, root, "bench", poll_interval=0.05)
        with workflow.locked(ws, "bench"):
            result = workflow.run_apply(ws, workflow.make_plan(ws))
        if not result.ok:
            raise SystemExit("apply failed")
        ws = timed(phases, "open_workspace", lambda: workflow.open_workspace(spec, root, "bench"))
        inventory = inventory_of(ws)
        estate = timed(phases, "build_estate", lambda: build_estate(inventory))
        out = root / "export"
        timed(phases, "write", lambda: write_tree(out, estate.files, "terraform"))
        again = timed(phases, "export_unchanged", lambda: build_estate(inventory_of(ws)))
        report = write_tree(out, again.files, "terraform")
        stacks = ci_stacks(estate, inventory)
        timed(phases, "ci_github", lambda: github_files(stacks))
        timed(phases, "ci_gitlab", lambda: gitlab_files(stacks))
    return {
        "benchmark": "export_scale",
        "lz_version": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "size": {
            "accounts": accounts + 1,
            "units": units,
            "policies": policies,
            "baselines": baselines,
        },
        "stacks": len(estate.roots),
        "files": len(estate.files),
        "bytes": sum(len(text) for text in estate.files.values()),
        "imports": estate.imports,
        "rewritten_on_unchanged_export": len(report.changed) + len(report.created),
        "seconds": phases,
        "export_seconds": round(phases["build_estate"] + phases["write"], 3),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--policies", type=int, default=10)
    parser.add_argument(
        "--baselines", action="store_true", help="a standard baseline on every account"
    )
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    result = run(args.accounts, args.units, args.policies, args.baselines)
    text = json.dumps(result, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        suffix = "_baselines" if args.baselines else ""
        default = RESULTS / f"export_scale_{args.accounts}{suffix}.json"
        out = Path(args.out) if args.out else default
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
