"""Network scale: apply and no-change plan of many VPCs on one transit gateway.

    python benchmarks/network_scale.py [--networks 50] [--accounts 10] [--zones 3] [--out FILE]

Builds a spec of NETWORKS VPCs (public, private and database tiers in ZONES
availability zones, CIDRs from an address pool) spread over ACCOUNTS member
accounts, all attached to a transit gateway owned by a network account and
shared with them through RAM. Segmentation: network 0 is shared services;
every other network reaches it and nothing else (two route tables). Applies
it to a fresh emulator, then runs a no-change plan. Prints one JSON document
with wall time and API calls (counted in the client, per operation) of each
phase, and writes it to benchmarks/results/ unless --out - is given.
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

from org_scale import RESULTS, phase

from landingzone import __version__
from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.graph import build_graph
from landingzone.spec.schema import Spec


def make_spec(networks: int, accounts: int, zones: int) -> dict[str, Any]:
    """The benchmark's spec: NETWORKS VPCs over ACCOUNTS accounts on one transit gateway."""
    account_names = [f"acct{i:02d}" for i in range(accounts)]
    names = [f"net{i:03d}" for i in range(networks)]
    shared, workloads = names[0], names[1:]
    tiers = {"public": {"public": True}, "private": {}, "database": {}}
    return {
        "organization": {"name": "netbench", "home_region": "us-east-1"},
        "accounts": {
            **{a: {"email": f"aws+{a}@bench.example"} for a in account_names},
            "network": {"email": "aws+network@bench.example"},
        },
        "state": {"account": "network"},
        "address_pools": {"bench": {"cidr": "10.0.0.0/8", "prefix": 16}},
        "networks": {
            name: {
                "account": account_names[i % accounts],
                "pool": "bench",
                "slot": i,
                "zones": zones,
                "tiers": tiers,
            }
            for i, name in enumerate(names)
        },
        "transit_gateways": {
            "core": {
                "account": "network",
                "share": {"accounts": account_names},
                "attachments": {
                    n: {"tier": "private", "route_tiers": ["private", "database"]} for n in names
                },
                "route_tables": {"shared": [shared], "workloads": workloads},
                "reach": {n: [shared] for n in workloads},
            }
        },
    }


def run(networks: int, accounts: int, zones: int) -> dict[str, Any]:
    """Apply then re-plan a generated network; returns the measurements."""
    spec = Spec.model_validate(make_spec(networks, accounts, zones))
    nodes = build_graph(spec)
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
    kinds: dict[str, int] = {}
    for node in nodes:
        kinds[node.kind] = kinds.get(node.kind, 0) + 1
    return {
        "benchmark": "network_scale",
        "lz_version": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "size": {
            "networks": networks,
            "accounts": accounts + 1,
            "zones": zones,
            "nodes": len(nodes),
            "nodes_by_kind": dict(sorted(kinds.items())),
        },
        "apply": apply_phase,
        "no_change_plan": plan_phase,
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--networks", type=int, default=50)
    parser.add_argument("--accounts", type=int, default=10)
    parser.add_argument("--zones", type=int, default=3)
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    result = run(args.networks, args.accounts, args.zones)
    text = json.dumps(result, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        out = Path(args.out) if args.out else RESULTS / f"network_scale_{args.networks}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
