"""One lz run against the AWS that the environment points at, measured from outside.

    python benchmarks/run_phase.py plan|apply SPEC_JSON ROOT_DIR

Loads the spec (a JSON document of the schema's shape), opens a workspace in
ROOT_DIR (where the state spill file lives until the state bucket exists),
runs a plan (reads only) or an apply of that plan, and prints one JSON line:
seconds (opening the workspace included; importing lz apart), API calls
counted by the client, operations. `latency_scale.py` runs it with PYTHONPATH set to the lz version
under test, so that it uses only the API every version has (workflow's
open_workspace, make_plan, try_lock, run_apply).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    """Command-line entry point."""
    phase, spec_file, root = argv
    started = time.monotonic()
    from landingzone.engine import workflow
    from landingzone.spec.schema import Spec

    imported = time.monotonic()
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
                "api_calls": ws.counter.total,
                "operations": len(plan.operations),
                "calls_by_operation": ws.counter.by_operation(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
