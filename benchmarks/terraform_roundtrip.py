"""The export run by Terraform itself: every example, every stack, against the emulator.

    python benchmarks/terraform_roundtrip.py [EXAMPLE ...] [--out FILE]

For each example (default: all three): apply it with lz to a fresh emulator,
`lz export terraform --provider-major 5 --endpoint-override URL`, then for
every stack in the order the export lists: `terraform init` (from the
provider mirror, see tests/export/terraform_cli.py), `terraform plan`, and
`terraform apply` of a plan that is only imports. Then `lz plan` of the spec
(exit 0: the two tools agree). Records per example: stacks clean / total,
the time of each stack's init + plan, and what the unclean plans change.
Prints one JSON document and writes benchmarks/results/terraform_roundtrip.json
unless --out -.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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
    round_trip,
)

RESULTS = Path(__file__).parent / "results"


def run_example(name: str, emulator: Emulator, work: Path) -> dict[str, Any]:
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
    started = time.monotonic()
    result = round_trip(Terraform(work / "tf", os.environ), out, stacks)
    total = time.monotonic() - started
    print(f"{name}:\n{result.report()}", file=sys.stderr)
    return {
        "example": name,
        "stacks": len(stacks),
        "clean": result.clean,
        "applied": len(result.applied),
        "seconds": round(total, 1),
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
            results.append(run_example(name, emulator, Path(tmp) / name))
    document = {
        "benchmark": "terraform_roundtrip",
        "lz_version": __version__,
        "terraform_provider": f"hashicorp/aws {PROVIDER_VERSION}",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
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
