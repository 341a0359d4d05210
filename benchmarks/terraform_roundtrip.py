"""The export run by Terraform itself: every example, every stack, against the emulator.

    python benchmarks/terraform_roundtrip.py [EXAMPLE ...] [--jobs N] [--bounded] [--out FILE]

For each example (default: all three): apply it with lz to a fresh emulator,
`lz export terraform --provider-major 5 --endpoint-override URL`, then for
every stack, after the stacks it reads: `terraform init` (from the provider
mirror, see tests/export/terraform_cli.py), `terraform plan`, and `terraform
apply` of a plan that is only imports, with `--jobs` Terraform processes at
once (default 1: the export's order, one stack after the other). `--bounded`
runs what `make test` runs of cloudposse: one stack of each shape and the
stacks they read. Then `lz plan` of the spec (exit 0: the two tools agree).
Records per example: stacks clean / total, the time of each stack's init +
plan, the whole round trip's time and CPU time (Terraform's processes and
this one's, the emulator included), and what the unclean plans change.
Prints one JSON document and writes benchmarks/results/terraform_roundtrip.json
unless --out -.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from landingzone import __version__
from landingzone.emulator import Emulator

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.export.conftest import ALL_EXAMPLES, EXAMPLES, run_lz  # noqa: E402
from tests.export.terraform_cli import (  # noqa: E402
    PROVIDER_VERSION,
    Terraform,
    available,
    one_of_each_shape,
    round_trip,
)
from tests.export.test_terraform_roundtrip import BOUNDED  # noqa: E402

RESULTS = Path(__file__).parent / "results"


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (Terraform, its provider)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return sum(u.ru_utime + u.ru_stime for u in (own, children))


def run_example(
    name: str, emulator: Emulator, work: Path, jobs: int, bounded: bool
) -> dict[str, Any]:
    """Apply, export and round-trip one example; its measurements."""
    emulator.reset()
    spec_dir = work / "spec"
    shutil.copytree(EXAMPLES / name, spec_dir)
    if run_lz("apply", spec_dir, "--auto-approve", "--approve-protected") != 0:
        raise SystemExit(f"lz apply {name} failed")
    out = work / "out"
    listing = work / "export.json"
    with listing.open("w") as stream:
        saved, sys.stdout = sys.stdout, stream
        try:
            code = run_lz(
                "export", "terraform", out, spec_dir,
                "--provider-major", "5", "--endpoint-override", emulator.endpoint, "--json",
            )  # fmt: skip
        finally:
            sys.stdout = saved
    if code != 0:
        raise SystemExit(f"lz export terraform {name} failed")
    stacks = json.loads(listing.read_text())["stacks"]
    exported = len(stacks)
    if bounded and name in BOUNDED:
        stacks = one_of_each_shape(out, stacks)
    started, cpu = time.monotonic(), cpu_seconds()
    result = round_trip(Terraform(work / "tf", os.environ), out, stacks, jobs=jobs)
    total, cpu = time.monotonic() - started, cpu_seconds() - cpu
    print(f"{name}:\n{result.report()}", file=sys.stderr)
    return {
        "example": name,
        "stacks_exported": exported,
        "stacks": len(stacks),
        "jobs": jobs,
        "clean": result.clean,
        "applied": len(result.applied),
        "seconds": round(total, 1),
        "cpu_seconds": round(cpu, 1),
        "lz_plan_agrees": run_lz("plan", spec_dir, "--detailed-exitcode") == 0,
        "plans": [
            {
                "stack": p.stack,
                "seconds": round(p.seconds, 1),
                "imports": p.imports,
                "add": p.add,
                "change": p.change,
                "destroy": p.destroy,
                **({"error": p.error} if p.error else {}),
                **({"changes": p.changes} if p.changes else {}),
            }
            for p in result.plans
        ],
        "apply_errors": result.apply_errors,
    }


def main() -> None:
    """Parse arguments, run every example, print and record the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("examples", nargs="*", default=list(ALL_EXAMPLES))
    parser.add_argument("--jobs", type=int, default=1, help="Terraform processes at once")
    parser.add_argument(
        "--bounded", action="store_true", help="cloudposse as make test runs it (one of each shape)"
    )
    parser.add_argument("--out", help="result file ('-': print only)")
    args = parser.parse_args()
    reason = available()
    if reason:
        raise SystemExit(f"Terraform cannot run: {reason}")
    results = []
    with Emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(emulator.env())
        os.environ.pop("AWS_PROFILE", None)
        for name in args.examples:
            work = Path(tmp) / name
            results.append(run_example(name, emulator, work, args.jobs, args.bounded))
    document = {
        "benchmark": "terraform_roundtrip",
        "lz_version": __version__,
        "terraform_provider": f"hashicorp/aws {PROVIDER_VERSION}",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average_at_end": [round(load, 1) for load in os.getloadavg()],
        "examples": results,
    }
    text = json.dumps(document, indent=2)
    print(text)
    if args.out != "-":
        out = Path(args.out) if args.out else RESULTS / "terraform_roundtrip.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
