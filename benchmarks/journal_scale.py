"""The state journal at scale: `lz apply` of a large organization, with and without throttling.

    python benchmarks/journal_scale.py [--accounts 100] [--baselines] [--throttle 0.2]
                                       [--out FILE]

Writes the spec of `org_scale.py` to a temporary directory and runs `lz apply
DIR --auto-approve` in this process against a fresh emulator, exactly as a
user would (so the same script measures any version of lz). With
--throttle RATE, the emulator answers that share of the calls to every
service lz uses with the service's throttling error (botocore and lz retry
them). Prints one JSON document: wall time, the calls the emulator saw (per
operation, faults included), the S3 object writes (PutObject: the journal),
the bytes they wrote (every version in the versioned state bucket) and the
size of the state object at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.aws import Aws

from benchmarks.org_scale import make_spec
from landingzone import __version__
from landingzone.cli import main as lz
from landingzone.emulator import Emulator

RESULTS = Path(__file__).parent / "results"

# The error each service answers a throttled call with (AWS's own codes; botocore
# retries every one of them as throttling).
THROTTLING = {
    "organizations": ("TooManyRequestsException", 400),
    "s3": ("SlowDown", 503),
    "dynamodb": ("ThrottlingException", 400),
    "sts": ("Throttling", 400),
    "iam": ("Throttling", 400),
    "ec2": ("RequestLimitExceeded", 503),
    "guardduty": ("TooManyRequestsException", 429),
    "config": ("ThrottlingException", 400),
    "cloudtrail": ("ThrottlingException", 400),
    "budgets": ("ThrottlingException", 400),
    "kms": ("ThrottlingException", 400),
}


def throttling_faults(rate: float) -> list[dict[str, Any]]:
    """Faults that throttle `rate` of every call to every service lz uses."""
    return [
        {"service": service, "error": code, "status": status, "rate": rate}
        for service, (code, status) in THROTTLING.items()
    ]


def state_bucket_bytes(emulator: Emulator, spec: dict[str, Any]) -> tuple[int, int]:
    """Bytes of the state object now, and of every object version ever written to the
    state bucket (it is versioned: this is what the run uploaded), read with plain boto3."""
    aws = Aws(emulator)
    email = spec["accounts"][spec["state"]["account"]]["email"]
    account_id = next(a["Id"] for a in aws.accounts().values() if a["Email"] == email)
    s3 = aws.client("s3", account_id)
    bucket = "bench-landingzone-state"
    head = s3.head_object(Bucket=bucket, Key="landingzone/state.json")
    written = sum(
        v["Size"]
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
        for v in page.get("Versions", [])
    )
    return int(head["ContentLength"]), written


def run(accounts: int, baselines: bool, throttle: float) -> dict[str, Any]:
    """Apply the organization once; returns the measurements."""
    spec = make_spec(accounts, 20, 10, baselines)
    with Emulator() as emulator, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(emulator.env())
        os.environ.pop("AWS_PROFILE", None)
        spec_dir = Path(tmp)
        (spec_dir / "landingzone.yaml").write_text(json.dumps(spec, indent=1))
        emulator.configure(
            account_creation={"max_in_progress": 5},
            faults=throttling_faults(throttle) if throttle else [],
            seed=1,
        )
        started = time.monotonic()
        output = io.StringIO()
        try:
            with contextlib.redirect_stdout(output):  # lz's --json document
                lz(["apply", str(spec_dir), "--auto-approve", "--json"])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        seconds = time.monotonic() - started
        emulator.configure(faults=[])
        rows = emulator.request_counts()
        by_op: dict[str, int] = {}
        faults = 0
        for row in rows:
            name = f"{row['service']}:{row['operation']}"
            by_op[name] = by_op.get(name, 0) + row["count"]
            faults += row["faults"]
        state_bytes, written_bytes = state_bucket_bytes(emulator, spec)
    return {
        "benchmark": "journal_scale",
        "lz_version": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "size": {"accounts": accounts + 1, "baselines": baselines},
        "throttle": throttle,
        "exit_code": code,
        "applied": len(json.loads(output.getvalue())["result"]["applied"]),
        "seconds": round(seconds, 1),
        "calls": sum(by_op.values()),
        "throttled": faults,
        "s3_put_object": by_op.get("s3:PutObject", 0),
        "state_object_bytes": state_bytes,
        "s3_bytes_written": written_bytes,
        "calls_by_operation": dict(sorted(by_op.items())),
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--baselines", action="store_true")
    parser.add_argument("--throttle", type=float, default=0.0, help="share of calls throttled")
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    result = run(args.accounts, args.baselines, args.throttle)
    text = json.dumps(result, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        name = f"journal_scale_{args.accounts}{'_baselines' if args.baselines else ''}"
        name += f"_throttle{int(args.throttle * 100)}" if args.throttle else ""
        out = Path(args.out) if args.out else RESULTS / f"{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
