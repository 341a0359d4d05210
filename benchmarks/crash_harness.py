"""Crash harness: kill `lz apply` at random moments; the next apply must recover by itself.

    python benchmarks/crash_harness.py [--trials 20] [--example codewilling] [--seed 1]
                                       [--lz-src DIR] [--out FILE]

Each trial, on a freshly reset emulator: start `lz apply DIR --auto-approve`
as a process, kill it at a random point of its progress (once the emulator
has answered a random number of its AWS calls, between 1 and the calls a
whole apply makes, measured first: a point that does not depend on how busy
the machine is) with SIGKILL or SIGTERM (chosen at random), then run
`lz apply` again with no manual step. The trial converged when that
second apply exits 0 and plain boto3 (never lz's readers) finds:

- no duplicate: one account per e-mail, one OU per name and parent, one SCP
  per name, one lz-made VPC per network;
- no orphan: every account, OU, SCP and lz-made VPC in AWS has its record in
  the state object, with the same ID, and every record of those kinds exists;
- the journal folded (no entries left beside the state object) and no lock
  left held (state lock and bootstrap lock);
- a third run, `lz plan --detailed-exitcode`, has nothing to do.

A second apply refused with "the state is locked" counts as a manual unlock:
the harness breaks the lock with `lz unlock ID` (as a person would) and
applies again. The goal is 0. A SIGTERM'd run must exit 130 having printed
"interrupted" (unless the signal came after its apply had completed).

--lz-src runs another checkout's lz (its `src/`) in the killed and recovering
processes, to compare versions; the checks stay this checkout's.

Prints one JSON document (trials, converged, manual unlocks, per trial the
signal, the call it came after, exit codes and any problem) and writes it to
benchmarks/results/ unless --out - is given.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError
from tests.aws import Aws

import landingzone
from landingzone.emulator import Emulator
from landingzone.engine.workflow import BOOTSTRAP_LOCK_TABLE
from landingzone.graph import state_names
from landingzone.validate import load_spec

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RESULTS = Path(__file__).parent / "results"
SRC = str(Path(landingzone.__file__).resolve().parents[1])  # the lz under test (--lz-src)
LOCK_ID = re.compile(r"lz unlock ([0-9a-f-]{36})")


@dataclass
class Trial:
    """What one kill and recovery did."""

    signal: str
    after_calls: int  # the signal was sent once the emulator had answered this many calls
    killed_code: int | None = None  # None: the apply had finished before the signal
    recover_code: int = 0
    manual_unlocks: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def converged(self) -> bool:
        """The next apply left AWS and state right (manual unlocks are counted apart)."""
        return self.recover_code == 0 and not self.problems


def lz_command(*args: str) -> list[str]:
    """`lz ARGS` as a process of this Python, with this checkout's lz."""
    code = f"from landingzone.cli import main; main({list(args)!r})"
    return [sys.executable, "-c", code]


def lz_env(emulator: Emulator, src: str) -> dict[str, str]:
    """The environment of an `lz` process (from the checkout `src`) using the emulator."""
    env = {**os.environ, **emulator.env(), "PYTHONPATH": src}
    env.pop("AWS_PROFILE", None)
    return env


def run_lz(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `lz ARGS` to the end."""
    return subprocess.run(
        lz_command(*args), env=env, capture_output=True, text=True, timeout=600, check=False
    )


class Checker:
    """Plain boto3 views of the emulator, as an AWS user would read it (`tests/aws.py`)."""

    def __init__(self, emulator: Emulator, region: str):
        self.aws = Aws(emulator, region=region)

    def client(self, service: str, account: str | None = None) -> Any:
        """A client of the management account, or of a member through its access role."""
        return self.aws.client(service, account)

    def check(self, spec_dir: Path) -> list[str]:
        """Every duplicate, orphan, missing record or held lock found."""
        spec = load_spec(spec_dir).spec
        org = self.client("organizations")
        problems: list[str] = []
        accounts = [a for p in org.get_paginator("list_accounts").paginate() for a in p["Accounts"]]
        emails = Counter(a["Email"] for a in accounts)
        problems += [f"{n} accounts with e-mail {e}" for e, n in emails.items() if n > 1]
        root = org.list_roots()["Roots"][0]["Id"]
        units: dict[str, str] = {}  # path -> id
        stack = [(root, "")]
        while stack:
            parent, path = stack.pop()
            children = org.list_organizational_units_for_parent(ParentId=parent)
            names = Counter(u["Name"] for u in children["OrganizationalUnits"])
            problems += [
                f"{n} OUs named {m} under {path or 'root'}" for m, n in names.items() if n > 1
            ]
            for unit in children["OrganizationalUnits"]:
                child = f"{path}/{unit['Name']}" if path else unit["Name"]
                units[child] = unit["Id"]
                stack.append((unit["Id"], child))
        policies = org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        names = Counter(p["Name"] for p in policies)
        problems += [f"{n} SCPs named {m}" for m, n in names.items() if n > 1]

        by_email = {a["Email"]: a["Id"] for a in accounts}
        state_account = by_email[spec.accounts[spec.state.account].email]
        bucket, table, _ = state_names(spec)
        try:
            body = self.client("s3", state_account).get_object(Bucket=bucket, Key=spec.state.key)
        except ClientError as exc:
            return [*problems, f"no state object s3://{bucket}/{spec.state.key}: {exc}"]
        records = json.loads(body["Body"].read())["resources"]
        aws_ids = {f"account:{a}": by_email.get(s.email) for a, s in spec.accounts.items()}
        aws_ids |= {f"unit:{path}": uid for path, uid in units.items()}
        aws_ids |= {f"policy:{p['Name']}": p["Id"] for p in policies if p["Name"] in spec.policies}
        for address, aws_id in aws_ids.items():
            record = records.get(address)
            if aws_id is None:
                problems.append(f"{address} does not exist in AWS")
            elif record is None:
                problems.append(f"{address} ({aws_id}) exists but has no state record (orphan)")
            elif record["id"] != aws_id:
                problems.append(f"{address}: state says {record['id']}, AWS has {aws_id}")
        for address in records:
            if address.split(":")[0] in ("account", "unit", "policy") and address not in aws_ids:
                problems.append(f"state records {address}, which does not exist")
        problems += self._vpcs(records, by_email, spec.accounts)

        s3 = self.client("s3", state_account)
        left = s3.list_objects_v2(Bucket=bucket, Prefix=f"{spec.state.key}.journal/")
        if left.get("KeyCount", 0):
            problems.append(f"{left['KeyCount']} journal entries left unfolded")
        lock_key = {"LockID": {"S": f"{bucket}/{spec.state.key}"}}
        for account, lock_table in ((state_account, table), (None, BOOTSTRAP_LOCK_TABLE)):
            try:
                item = self.client("dynamodb", account).get_item(TableName=lock_table, Key=lock_key)
            except ClientError:
                continue
            if "Item" in item:
                problems.append(f"lock left held in {lock_table}: {item['Item']}")
        return problems

    def _vpcs(self, records: dict[str, Any], by_email: dict[str, str], accounts: Any) -> list[str]:
        recorded = {r["id"] for r in records.values() if r["kind"] == "vpc"}
        problems = []
        for name, account in accounts.items():
            account_id = by_email.get(account.email)
            if account_id is None:
                continue
            vpcs = self.client("ec2", account_id).describe_vpcs(
                Filters=[{"Name": "tag:ManagedBy", "Values": ["landingzone"]}]
            )["Vpcs"]
            problems += [
                f"VPC {v['VpcId']} in {name} has no state record (orphan)"
                for v in vpcs
                if v["VpcId"] not in recorded
            ]
        return problems


def answered(emulator: Emulator) -> int:
    """AWS calls the emulator has answered since its last reset."""
    return sum(row["count"] for row in emulator.request_counts())


def one_trial(
    emulator: Emulator, example: Path, work: Path, rng: random.Random, calls: int, src: str
) -> Trial:
    """Kill one apply at a random point, recover, check."""
    emulator.reset()
    spec_dir = work / f"trial-{rng.random():.6f}"
    shutil.copytree(example, spec_dir)
    env = lz_env(emulator, src)
    trial = Trial(signal=rng.choice(["SIGKILL", "SIGTERM"]), after_calls=rng.randint(1, calls))
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            lz_command("apply", str(spec_dir), "--auto-approve"),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
            text=True,
        )
        while process.poll() is None and answered(emulator) < trial.after_calls:
            time.sleep(0.02)
        if process.poll() is None:
            process.send_signal(getattr(signal, trial.signal))
            process.wait(timeout=300)
            trial.killed_code = process.returncode
        log.seek(0)
        stderr = log.read()
    completed = "Apply complete" in stderr  # the signal came after the work was done
    if trial.signal == "SIGTERM" and trial.killed_code is not None and not completed:
        if trial.killed_code != 130:
            trial.problems.append(f"SIGTERM: exit {trial.killed_code}, not 130: {stderr[-500:]}")
        elif "interrupted" not in stderr:
            trial.problems.append("SIGTERM: exit 130 without saying `interrupted`")

    recovered = run_lz(env, "apply", str(spec_dir), "--auto-approve")
    while recovered.returncode != 0 and (held := LOCK_ID.search(recovered.stderr)):
        trial.manual_unlocks += 1  # what a person would have had to do
        run_lz(env, "unlock", held.group(1), str(spec_dir))
        recovered = run_lz(env, "apply", str(spec_dir), "--auto-approve")
        if trial.manual_unlocks > 3:
            break
    trial.recover_code = recovered.returncode
    if recovered.returncode != 0:
        trial.problems.append(f"the next apply failed: {recovered.stderr[-1500:]}")
        return trial
    trial.problems += Checker(emulator, _region(spec_dir)).check(spec_dir)
    replan = run_lz(env, "plan", str(spec_dir), "--detailed-exitcode")
    if replan.returncode != 0:
        trial.problems.append(
            f"plan after recovery: exit {replan.returncode}: {replan.stderr[-800:]}"
        )
    return trial


def _region(spec_dir: Path) -> str:
    return load_spec(spec_dir).spec.organization.home_region


def calibrate(emulator: Emulator, example: Path, work: Path, src: str) -> int:
    """AWS calls a whole apply of the example makes (the latest useful kill point)."""
    emulator.reset()
    spec_dir = work / "calibration"
    shutil.copytree(example, spec_dir)
    done = run_lz(lz_env(emulator, src), "apply", str(spec_dir), "--auto-approve")
    if done.returncode != 0:
        raise SystemExit(f"the example does not apply: {done.stderr[-2000:]}")
    return answered(emulator)


def run_trials(
    emulator: Emulator, example: Path, trials: int, seed: int, src: str = SRC
) -> dict[str, Any]:
    """Calibrate, then run the trials on this emulator with the lz of `src`; the summary."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        calls = calibrate(emulator, example, work, src)
        results = [one_trial(emulator, example, work, rng, calls, src) for _ in range(trials)]
    return {
        "benchmark": "crash_harness",
        "example": example.name,
        "seed": seed,
        "lz_src": src,
        "whole_apply_calls": calls,
        "trials": len(results),
        "killed": sum(t.killed_code is not None for t in results),
        "sigkill": sum(t.signal == "SIGKILL" and t.killed_code is not None for t in results),
        "sigterm": sum(t.signal == "SIGTERM" and t.killed_code is not None for t in results),
        "converged": sum(t.converged for t in results),
        "manual_unlocks": sum(t.manual_unlocks for t in results),
        "results": [{**asdict(t), "converged": t.converged} for t in results],
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--example", default="codewilling", help="an example name or a spec dir")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lz-src", default=None, help="the src/ of the lz to kill (default: this)")
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    example = Path(args.example) if "/" in args.example else EXAMPLES / args.example
    src = str(Path(args.lz_src).resolve()) if args.lz_src else SRC
    with Emulator() as emulator:
        summary = run_trials(emulator, example, args.trials, args.seed, src)
    text = json.dumps(summary, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        out = Path(args.out) if args.out else RESULTS / f"crash_harness_{example.name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
