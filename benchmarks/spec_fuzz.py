"""The spec loader fuzzed at scale: mutants of the examples, each valid or refused at file:line.

    python benchmarks/spec_fuzz.py [--mutants 20000] [--seed 1] [--timeout 10]

The mutator and the rule are tests/spec/fuzzing.py (the test suite runs 1,000).
Writes results/spec_fuzz_<mutants>.json (mutants, valid, rejected, failures,
seconds of CPU and wall time) and prints it; exits 1 if any mutant broke the rule.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: tests.spec

from tests.spec.fuzzing import run

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per mutant")
    args = parser.parse_args()
    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        outcome = run(args.mutants, args.seed, Path(tmp), timeout=args.timeout)
    result = {
        "benchmark": "spec_fuzz",
        "seed": args.seed,
        "mutants": outcome.total,
        "valid": outcome.valid,
        "rejected_at_file_line": outcome.rejected,
        "failures": outcome.failures,
        "cpu_seconds": round(time.process_time() - cpu, 1),
        "wall_seconds": round(time.perf_counter() - wall, 1),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"spec_fuzz_{args.mutants}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    sys.exit(1 if outcome.failures else 0)


if __name__ == "__main__":
    main()
