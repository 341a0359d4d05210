"""Organization scale: apply and no-change plan of a large organization on the embedded AWS.

    python benchmarks/org_scale.py [--accounts 100] [--units 20] [--policies 10] [--baselines]
                                   [--out FILE]

Builds a spec with ACCOUNTS accounts spread over UNITS OUs (a two-level
tree) and POLICIES SCPs attached across root, OUs and accounts; with
--baselines, also a standard baseline on every account (`BASELINES`),
delivering to a log archive in the state account. Applies it to a fresh
emulator, then runs a no-change plan. Prints one JSON document
with wall time and API calls (counted in the client, per operation) of
each phase, and writes it to benchmarks/results/ unless --out - is given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from landingzone import __version__
from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.spec.schema import Spec

RESULTS = Path(__file__).parent / "results"


# A standard baseline: every setting except default VPC removal, one region.
BASELINES: dict[str, Any] = {
    "log_archive": {"account": "shared"},
    "profiles": {
        "standard": {
            "password_policy": {"minimum_length": 14, "require_symbols": True, "max_age_days": 90},
            "alias": "{org}-{account}",
            "ebs_encryption": {},
            "s3_public_access_block": {},
            "guardduty": {},
            "config": {
                "rules": [
                    "restricted-ssh",
                    "root-account-mfa-enabled",
                    "s3-bucket-server-side-encryption-enabled",
                ]
            },
            "cloudtrail": {},
            "budgets": {
                "monthly": {
                    "limit_usd": 500,
                    "alerts": [
                        {"percent": 80, "emails": ["ops@bench.example"]},
                        {"percent": 100, "forecasted": True, "emails": ["ops@bench.example"]},
                    ],
                }
            },
        }
    },
}


def make_spec(accounts: int, units: int, policies: int, baselines: bool = False) -> dict[str, Any]:
    """A spec of the given size: OUs two levels deep, SCPs spread over every level."""
    top = max(1, units // 5)
    paths = [f"ou{t}" for t in range(top)]
    child = 0
    while len(paths) < units:
        paths.append(f"ou{child % top}/team{child}")
        child += 1
    docs = {
        f"scp{i:02d}": {
            "description": f"guard rail {i}",
            "document": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": f"Deny{i}",
                        "Effect": "Deny",
                        "Action": f"svc{i}:Delete*",
                        "Resource": "*",
                    }
                ],
            },
        }
        for i in range(policies)
    }
    names = sorted(docs)
    unit_specs = {
        path: {"policies": [names[(i + 1) % len(names)]] if names else []}
        for i, path in enumerate(paths)
    }
    account_specs = {
        f"acct{i:03d}": {
            "email": f"aws+acct{i:03d}@bench.example",
            "unit": paths[i % len(paths)],
            "tags": {"Environment": "dev", "Team": f"team{i % 7}"},
            "policies": [names[(i + 2) % len(names)]] if names and i % 3 == 0 else [],
        }
        for i in range(accounts)
    }
    account_specs["shared"] = {"email": "aws+shared@bench.example", "unit": paths[0]}
    spec: dict[str, Any] = {
        "organization": {
            "name": "bench",
            "home_region": "us-east-1",
            "tags": {"Repo": "bench"},
            "policies": names[:1],
            "quotas": {"account_creation_concurrency": 5},
        },
        "units": unit_specs,
        "accounts": account_specs,
        "policies": docs,
        "state": {"account": "shared"},
    }
    if baselines:
        spec["organization"]["baseline"] = "standard"
        spec["baselines"] = BASELINES
    return spec


def phase(ws: workflow.Workspace, started: float) -> dict[str, Any]:
    """Time and API calls of one phase."""
    by_op = ws.counter.by_operation()
    return {
        "seconds": round(time.monotonic() - started, 2),
        "api_calls": ws.counter.total,
        "calls_by_operation": by_op,
    }


def apply_and_replan(spec: Spec) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply `spec` to a fresh emulator, then make a no-change plan: both phases' measurements."""
    with Emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(emulator.env())
        root = Path(tmp)

        started = time.monotonic()
        ws = workflow.open_workspace(spec, root, "bench", poll_interval=0.05)
        with workflow.locked(ws, "bench"):
            plan = workflow.make_plan(ws)
            result = workflow.run_apply(ws, plan)
        if not result.ok:
            raise SystemExit(f"apply failed: {json.dumps(result.to_json())[:2000]}")
        apply_phase = phase(ws, started)
        apply_phase["operations"] = len(plan.operations)

        started = time.monotonic()
        ws = workflow.open_workspace(spec, root, "bench")
        replan = workflow.make_plan(ws)
        plan_phase = phase(ws, started)
        plan_phase["operations"] = len(replan.operations)
    return apply_phase, plan_phase


def machine() -> dict[str, str]:
    """Who measured: lz's version, Python, the machine."""
    return {
        "lz_version": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
    }


def run(accounts: int, units: int, policies: int, baselines: bool = False) -> dict[str, Any]:
    """Apply then re-plan a generated organization; returns the measurements."""
    spec = Spec.model_validate(make_spec(accounts, units, policies, baselines))
    apply_phase, plan_phase = apply_and_replan(spec)
    return {
        "benchmark": "org_scale",
        **machine(),
        "size": {
            "accounts": accounts + 1,
            "units": units,
            "policies": policies,
            "baselines": baselines,
        },
        "apply": apply_phase,
        "no_change_plan": plan_phase,
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
        out = Path(args.out) if args.out else RESULTS / f"org_scale_{args.accounts}{suffix}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
