"""Start-up time of `lz` commands, this version beside an earlier one, in one run.

    python benchmarks/startup.py [--base REF] [--runs 15] [--out FILE]

Runs `lz version`, `lz --help` and `lz validate examples/codewilling` RUNS
times each, alternating between this tree (`new`) and REF (`base`, default:
the merge base with main), each in a fresh interpreter with its `src/` on
PYTHONPATH, and reports the fastest and the median wall time (the fastest is
the least disturbed by other work on the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from latency_scale import REPO, base_revision, export_source
from org_scale import RESULTS

COMMANDS = {
    "version": ["version"],
    "help": ["--help"],
    "validate": ["validate", str(REPO / "examples" / "codewilling")],
}
CODE = "import sys; from landingzone.cli import main; main(sys.argv[1:])"


def wall(src: Path, argv: list[str]) -> float:
    """Seconds one `lz ARGV` takes, interpreter start included."""
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "100"}
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", CODE, *argv], env=env, capture_output=True, check=True)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=None, help="git revision to compare with")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    base = base_revision(args.base)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"new": REPO / "src", "base": export_source(base, Path(tmp))}
        for src in versions.values():  # compile the bytecode once, outside the timing
            wall(src, ["version"])
        for command, words in COMMANDS.items():
            times: dict[str, list[float]] = {name: [] for name in versions}
            for _ in range(args.runs):
                for name, src in versions.items():
                    times[name].append(wall(src, words))
            results[command] = {
                name: {"min": round(min(t), 3), "median": round(statistics.median(t), 3)}
                for name, t in times.items()
            }
            print(f"lz {' '.join(words[:1])}: {results[command]}", file=sys.stderr)
    document = {
        "benchmark": "startup",
        "base": base,
        "runs": args.runs,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": os.getloadavg(),
        "seconds": results,
    }
    text = json.dumps(document, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        out = Path(args.out) if args.out else RESULTS / "startup.json"
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
