"""One lz run against the AWS that the environment points at, measured from outside.

    python benchmarks/run_phase.py plan|apply SPEC_JSON ROOT_DIR

Loads the spec (a JSON document of the schema's shape), opens a workspace in
ROOT_DIR (where the state spill file lives until the state bucket exists),
runs a plan (reads only) or an apply of that plan, and prints one JSON line:
seconds (opening the workspace included; importing lz apart), the CPU time
the client used meanwhile, API calls counted by the client, operations, and
the round-trip depth: the longest chain of API calls each started after the
one before it had answered (`depth`; with every call given AWS's latency by
the emulator, the run's critical path in round trips; at 0 ms it only counts
calls that happened to follow each other). `latency_scale.py` runs it with
PYTHONPATH set to the lz version under test, so that it uses only the API
every version has (workflow's open_workspace, make_plan, try_lock,
run_apply).
"""

from __future__ import annotations

import json
import resource
import sys
import threading
import time
from pathlib import Path
from typing import Any

import botocore.client

SPANS: list[tuple[float, float]] = []  # (start, end) of every API call
_spans_lock = threading.Lock()


def _timed(make_api_call: Any) -> Any:
    """Record when each API call starts and answers (answers and errors unchanged)."""

    def wrapper(self: Any, operation_name: str, api_params: Any) -> Any:
        started = time.monotonic()
        try:
            return make_api_call(self, operation_name, api_params)
        finally:
            with _spans_lock:
                SPANS.append((started, time.monotonic()))

    return wrapper


def depth(spans: list[tuple[float, float]]) -> int:
    """Longest chain of calls, each started after the previous one answered."""
    chains: list[tuple[float, int]] = []  # (end, longest chain ending with that call)
    for start, end in sorted(spans):  # a call that ended before `start` started before it
        length = 1 + max((n for done, n in chains if done <= start), default=0)
        chains.append((end, length))
    return max((n for _, n in chains), default=0)


def cpu_seconds() -> float:
    """User and system CPU time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> None:
    """Command-line entry point."""
    phase, spec_file, root = argv
    started = time.monotonic()
    from landingzone.engine import workflow
    from landingzone.spec.schema import Spec

    botocore.client.BaseClient._make_api_call = _timed(  # type: ignore[method-assign]
        botocore.client.BaseClient._make_api_call
    )
    imported = time.monotonic()
    cpu_at_import = cpu_seconds()
    spec = Spec.model_validate(json.loads(Path(spec_file).read_text()))
    ws = workflow.open_workspace(spec, Path(root), "bench", poll_interval=0.05)
    plan = workflow.make_plan(ws)
    ok = True
    if phase == "apply":
        result = workflow.run_apply(
            ws, plan, lock_id=workflow.try_lock(ws, "bench"), operation="bench"
        )
        ok = result.ok
    print(
        json.dumps(
            {
                "phase": phase,
                "ok": ok,
                "seconds": round(time.monotonic() - imported, 3),
                "import_seconds": round(imported - started, 3),
                "cpu_seconds": round(cpu_seconds() - cpu_at_import, 3),
                "api_calls": ws.counter.total,
                "depth": depth(SPANS),
                "operations": len(plan.operations),
                "calls_by_operation": ws.counter.by_operation(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
