"""Plan and apply at AWS's latency, this version beside an earlier one, in one run.

    python benchmarks/latency_scale.py [--base REF] [--latencies 0,50] [--scenarios a,b,c]
                                       [--no-apply] [--out FILE]

Starts the embedded AWS in its own process (this tree's, for its latency
control), and for each scenario and latency applies the generated spec to a
fresh emulator and then runs a no-change plan, with each lz version in its
own process (`run_phase.py`): this tree (`new`) and REF (`base`, default: the
merge base with main, i.e. main before this branch), exported with
`git archive`. Scenarios (`org_scale.make_spec`):

    a   50 accounts in 2 OUs, 1 SCP
    b   50 accounts in 2 OUs, 1 SCP, a full baseline on every account
    c   100 accounts in 20 OUs, 10 SCPs

Every call waits LATENCY ms in the emulator, outside its one-call-at-a-time
lock, so calls in flight together wait together, as on AWS. From the
difference between a run at latency L and at 0 ms: round trips on the critical
path = (wall(L) - wall(0)) / L, and calls in flight on average = calls / round
trips. With --no-apply, the organization is applied once per scenario (this
tree, 0 ms) and only plans are measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request
from io import BytesIO
from pathlib import Path
from typing import Any

from org_scale import RESULTS, make_spec

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCENARIOS: dict[str, dict[str, Any]] = {
    "a": {"accounts": 49, "units": 2, "policies": 1, "baselines": False},
    "b": {"accounts": 49, "units": 2, "policies": 1, "baselines": True},
    "c": {"accounts": 99, "units": 20, "policies": 10, "baselines": False},
}
DESCRIBED = {
    "a": "50 accounts, 2 OUs, 1 SCP",
    "b": "50 accounts, 2 OUs, 1 SCP, a baseline on every account",
    "c": "100 accounts, 20 OUs, 10 SCPs",
}


class Sim:
    """The embedded AWS in a child process (`lz sim --port 0`)."""

    def __init__(self) -> None:
        code = "import sys; from landingzone.cli import main; main(sys.argv[1:])"
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, "sim", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert self.process.stdout is not None
        self.env: dict[str, str] = {}
        while len(self.env) < 5:
            name, value = self.process.stdout.readline().removeprefix("export ").split("=", 1)
            self.env[name] = value.strip()
        self.endpoint = self.env["AWS_ENDPOINT_URL"]

    def _post(self, path: str, body: dict[str, Any]) -> None:
        request = urllib.request.Request(
            self.endpoint + path, data=json.dumps(body).encode(), method="POST"
        )
        urllib.request.urlopen(request, timeout=60).read()

    def fresh(self, latency_ms: float) -> None:
        """Forget everything, then delay every call by `latency_ms`."""
        self._post("/moto-api/reset", {})
        self.latency(latency_ms)

    def latency(self, latency_ms: float) -> None:
        """Delay every AWS call by `latency_ms` from now on."""
        self._post("/_lz/emulator/config", {"latency": {"ms": latency_ms}})

    def stop(self) -> None:
        """Stop the child process."""
        self.process.terminate()
        self.process.wait(timeout=30)


def base_revision(ref: str | None) -> str:
    """REF, or by default the merge base with main: main before this branch."""
    if ref:
        return ref
    return subprocess.run(
        ["git", "-C", str(REPO), "merge-base", "HEAD", "main"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def export_source(ref: str, into: Path) -> Path:
    """`src/` of a git revision, unpacked under `into`."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", ref, "src"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def run_phase(sim: Sim, src: Path, phase: str, spec_file: Path, root: Path) -> dict[str, Any]:
    """One plan or apply by the lz in `src`, in its own process."""
    env = {**os.environ, **sim.env, "PYTHONPATH": str(src)}
    done = subprocess.run(
        [sys.executable, str(HERE / "run_phase.py"), phase, str(spec_file), str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
    )
    if done.returncode != 0:
        raise SystemExit(f"{phase} failed ({src}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise SystemExit(f"{phase} did not complete ({src})")
    return result


def critical_path(runs: dict[float, dict[str, Any]]) -> None:
    """Add round trips and calls in flight to each run at a latency above 0."""
    zero = runs.get(0.0)
    for latency, run in runs.items():
        if latency and zero is not None:
            # Below one round trip, the latency hid behind the run's own work (CPU).
            round_trips = (run["seconds"] - zero["seconds"]) / (latency / 1000)
            run["round_trips"] = round(round_trips, 1)
            run["calls_in_flight"] = (
                round(run["api_calls"] / round_trips, 1) if round_trips >= 1 else None
            )


def measure(
    sim: Sim,
    versions: dict[str, Path],
    scenario: str,
    latencies: list[float],
    with_apply: bool,
    tmp: Path,
) -> dict[str, Any]:
    """Apply and no-change plan of one scenario, per version and latency."""
    spec_file = tmp / f"spec_{scenario}.json"
    spec_file.write_text(json.dumps(make_spec(**SCENARIOS[scenario])))
    results: dict[str, dict[str, dict[float, dict[str, Any]]]] = {
        "apply": {v: {} for v in versions},
        "plan": {v: {} for v in versions},
    }
    if not with_apply:
        sim.fresh(0)
        run_phase(sim, versions["new"], "apply", spec_file, tmp / f"{scenario}_setup")
    for latency in latencies:
        for name, src in versions.items():
            root = tmp / f"{scenario}_{name}_{latency:g}"
            if with_apply:
                sim.fresh(latency)
                results["apply"][name][latency] = run_phase(sim, src, "apply", spec_file, root)
            else:
                sim.latency(latency)
                root = tmp / f"{scenario}_setup"
            results["plan"][name][latency] = run_phase(sim, src, "plan", spec_file, root)
            print(
                f"{scenario} {name} {latency:g} ms: "
                + ", ".join(
                    f"{phase} {r[name][latency]['seconds']} s {r[name][latency]['api_calls']} calls"
                    for phase, r in results.items()
                    if latency in r[name]
                ),
                file=sys.stderr,
            )
    for by_version in results.values():
        for runs in by_version.values():
            critical_path(runs)
    return {
        "scenario": DESCRIBED[scenario],
        **{
            phase: {
                name: {f"{latency:g}ms": run for latency, run in runs.items()}
                for name, runs in by_version.items()
                if runs
            }
            for phase, by_version in results.items()
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=None, help="git revision to compare with")
    parser.add_argument("--no-base", action="store_true", help="measure this tree only")
    parser.add_argument("--latencies", default="0,50")
    parser.add_argument("--scenarios", default="a,b,c")
    parser.add_argument("--no-apply", action="store_true", help="measure plans only")
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    latencies = sorted({float(x) for x in args.latencies.split(",")})
    base = base_revision(args.base)
    sim = Sim()
    try:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            versions = {"new": REPO / "src"}
            if not args.no_base:
                versions["base"] = export_source(base, tmp / "base")
            started = time.monotonic()
            scenarios = {
                s: measure(sim, versions, s, latencies, not args.no_apply, tmp)
                for s in args.scenarios.split(",")
            }
    finally:
        sim.stop()
    document = {
        "benchmark": "latency_scale",
        "base": None if args.no_base else base,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "load_average": os.getloadavg(),
        "total_seconds": round(time.monotonic() - started, 1),
        "scenarios": scenarios,
    }
    text = json.dumps(document, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        out = Path(args.out) if args.out else RESULTS / "latency_scale.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
