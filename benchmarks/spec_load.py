"""Spec loading speed: a 100-account spec in 42 files (imports, globs, JSON policies).

    python benchmarks/spec_load.py [--accounts 100] [--runs 5]

Prints one JSON document: best and median load time, files and accounts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from landingzone.validate import load_spec


def write_big_spec(root: Path, accounts: int = 100) -> Path:
    """A spec of `accounts` accounts over 40 units, 10 JSON policies, 20 account files."""
    units = [f"u{i}" for i in range(10)] + [f"u{i}/sub{j}" for i in range(10) for j in range(3)]
    files = {
        "landingzone.yaml": "import: [units.yaml, policies/*.yaml, accounts/*.yaml]\n"
        "organization: {name: acme, home_region: us-west-2, policies: [p0]}\n"
        "state: {account: a0}\n",
        "units.yaml": "units:\n"
        + "".join(f"  {u}:\n    policies: [p{i % 10}]\n" for i, u in enumerate(units)),
    }
    for p in range(10):
        statements = [
            {"Sid": f"S{k}", "Effect": "Deny", "Action": [f"svc{k}:Delete*"], "Resource": "*"}
            for k in range(8)
        ]
        files[f"policies/p{p}.json"] = json.dumps(
            {"Version": "2012-10-17", "Statement": statements}, indent=2
        )
        files[f"policies/p{p}.yaml"] = f"policies:\n  p{p}: {{file: p{p}.json}}\n"
    per_file = max(1, accounts // 20)
    for f in range(20):
        files[f"accounts/f{f:02d}.yaml"] = "accounts:\n" + "".join(
            f"  a{a}:\n    email: aws+a{a}@example.com\n    unit: {units[a % len(units)]}\n"
            f"    id: '{a:012d}'\n    alias: acme-a{a}\n    regions: [us-west-2, eu-central-1]\n"
            f"    tags: {{Environment: dev, Owner: team{a % 7}}}\n    policies: [p{a % 10}]\n"
            for a in range(f * per_file, min(accounts, (f + 1) * per_file))
        )
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = write_big_spec(Path(tmp), args.accounts)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            loaded = load_spec(root)
            timings.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "benchmark": "spec_load",
                "accounts": len(loaded.spec.accounts),
                "files": len(loaded.files),
                "best_seconds": round(min(timings), 3),
                "median_seconds": round(statistics.median(timings), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
