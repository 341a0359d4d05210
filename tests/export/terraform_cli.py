"""Run the real Terraform CLI on an export, against the emulator, stack by stack.

Terraform comes from PATH and the hashicorp/aws provider from a filesystem
mirror (`LZ_TF_PLUGIN_MIRROR`, default `/opt/tf-plugins`): no registry is
needed. `available()` says why Terraform cannot run, where it cannot.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROVIDER_VERSION = "5.100.0"
MIRROR = Path(os.environ.get("LZ_TF_PLUGIN_MIRROR", "/opt/tf-plugins"))
PROVIDER_DIR = MIRROR / "registry.terraform.io/hashicorp/aws" / PROVIDER_VERSION

# No state lock: the lock's conditional PutItem is the one call of a stack's run that a
# retry cannot repeat. When the emulator, busy with Terraform processes at once, loses
# an answer (seen once in ~300 stacks), the backend's retry fails on the lock it took
# itself. Each stack's state has one writer here: this harness.
NO_LOCK = ("-input=false", "-lock=false")
# The other answer a busy emulator lost (twice in ~300 stacks, never reproduced with
# boto3): the AWS SDK for Go's "exceeded maximum number of attempts ... StatusCode: 200"
# when it could not read a whole answer. A command failing with it is run again, at
# most twice; any other failure, and a third loss, fails the round trip as it is.
LOST_ANSWER = re.compile(r"exceeded maximum number of attempts, \d+, https response error")
RUNS = 3

CLI_CONFIG = """provider_installation {
  filesystem_mirror {
    path    = "%s"
    include = ["registry.terraform.io/*/*"]
  }
  direct {
    exclude = ["registry.terraform.io/*/*"]
  }
}
"""


def available() -> str | None:
    """None when Terraform and the provider mirror are here; else why not."""
    if shutil.which("terraform") is None:
        return "terraform is not on PATH"
    if not PROVIDER_DIR.is_dir():
        return f"no hashicorp/aws {PROVIDER_VERSION} in the provider mirror {MIRROR}"
    return None


@dataclass
class Plan:
    """What one `terraform plan` of a stack would do, from `terraform show -json`."""

    stack: str
    imports: int = 0
    add: int = 0
    change: int = 0
    destroy: int = 0
    moves: int = 0
    changes: list[str] = field(default_factory=list)  # "<action> <address>: <attributes>"
    error: str | None = None
    seconds: float = 0.0

    @property
    def only_imports(self) -> bool:
        """No create, update, delete or replace: every resource is imported or unchanged."""
        return self.error is None and not (self.add or self.change or self.destroy)

    def summary(self) -> str:
        """One line: counts, then what is not an import."""
        if self.error:
            return f"{self.stack}: error: {self.error}"
        head = (
            f"{self.stack}: {self.imports} import, {self.add} add, {self.change} change, "
            f"{self.destroy} destroy, {self.moves} move"
        )
        return "\n    ".join([head, *self.changes])


class Terraform:
    """The terraform CLI in a scratch data directory, with the emulator's credentials."""

    def __init__(self, work: Path, env: Mapping[str, str]):
        work.mkdir(parents=True, exist_ok=True)
        config = work / "terraformrc"
        config.write_text(CLI_CONFIG % MIRROR)
        self.env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(work),
            "TF_CLI_CONFIG_FILE": str(config),
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "CHECKPOINT_DISABLE": "1",
            # Go's collector at a quarter of its default pace: each of the ~3 starts of
            # the AWS provider in a plan costs ~15% less CPU (benchmarks/README.md).
            "GOGC": "400",
            **{k: v for k, v in env.items() if k.startswith("AWS_")},
        }
        # The provider and backend take endpoints from the override files only.
        self.env.pop("AWS_ENDPOINT_URL", None)
        self.env.pop("AWS_ENDPOINT_URL_S3_CONTROL", None)

    def run(self, stack: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`terraform ARGS` in a stack's directory (again after a lost answer: LOST_ANSWER)."""
        for _ in range(RUNS):
            result = subprocess.run(
                ["terraform", *args],
                cwd=stack,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=900,
            )
            if result.returncode == 0 or not LOST_ANSWER.search(result.stderr + result.stdout):
                break
        if check and result.returncode != 0:
            raise TerraformError(stack, args, result.stderr or result.stdout)
        return result

    def init(self, root: Path, stack: str) -> None:
        """`terraform init` of one stack: its backend, modules and the provider (a link
        into the mirror)."""
        self.run(root / stack, "init", "-input=false", "-no-color")

    def plan(self, root: Path, stack: str, init: bool = True) -> Plan:
        """init (unless done), plan and read the plan of one stack (nothing applied).

        The plan's summary comes from `plan -json`; only a plan that is more
        than imports is read again (`show -json`, which starts the provider
        once more) to say what it changes.
        """
        started = time.monotonic()
        path = root / stack
        try:
            if init:
                self.init(root, stack)
            streamed = self.run(path, "plan", *NO_LOCK, "-json", "-out=tfplan", check=False)
            plan = read_stream(stack, streamed.stdout)
            if streamed.returncode != 0 and plan.error is None:
                raise TerraformError(path, ("plan",), streamed.stderr or streamed.stdout)
            if plan.error is None and not plan.only_imports:
                shown = json.loads(self.run(path, "show", "-json", "tfplan").stdout)
                plan = read_plan(stack, shown)
        except TerraformError as exc:
            plan = Plan(stack, error=exc.short())
        plan.seconds = time.monotonic() - started
        return plan

    def apply(self, root: Path, stack: str) -> None:
        """Apply the plan `plan` saved."""
        self.run(root / stack, "apply", *NO_LOCK, "-no-color", "tfplan")


class TerraformError(RuntimeError):
    """A terraform command failed."""

    def __init__(self, stack: Path, args: tuple[str, ...], output: str):
        super().__init__(f"terraform {' '.join(args)} in {stack}:\n{output}")
        self.output = output

    def short(self) -> str:
        """The first error line Terraform printed."""
        lines = [ln.strip("│ ").strip() for ln in self.output.splitlines()]
        errors = [ln for ln in lines if ln.startswith("Error:")]
        for i, line in enumerate(lines):
            if line.startswith("Error:"):
                detail = " ".join(ln for ln in lines[i + 1 : i + 6] if ln)
                return f"{line} {detail}"[:800]
        return (errors or lines or ["?"])[0][:800]


def read_stream(stack: str, stream: str) -> Plan:
    """A plan's counts from `terraform plan -json` (its machine-readable UI stream)."""
    plan = Plan(stack)
    errors: list[str] = []
    for line in stream.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        kind = message.get("type")
        if kind == "change_summary":
            changes = message["changes"]
            plan.imports = changes.get("import", 0)
            plan.add, plan.change = changes.get("add", 0), changes.get("change", 0)
            plan.destroy = changes.get("remove", 0)
        elif kind == "planned_change" and message["change"].get("previous_resource"):
            plan.moves += 1
        elif kind == "diagnostic" and message.get("@level") == "error":
            detail = message["diagnostic"]
            errors.append(f"Error: {detail.get('summary')} {detail.get('detail', '')}"[:400])
    if errors:
        plan.error = errors[0]
    return plan


def read_plan(stack: str, shown: Mapping[str, Any]) -> Plan:
    """Count a plan's imports, moves and actions; describe everything but imports."""
    plan = Plan(stack)
    for change in shown.get("resource_changes", []):
        if change.get("mode") != "managed":
            continue
        detail = change["change"]
        actions = detail["actions"]
        if detail.get("importing"):
            plan.imports += 1
        if change.get("previous_address"):
            plan.moves += 1
        if actions == ["no-op"] or actions == ["read"]:
            continue
        if "create" in actions:
            plan.add += 1
        if "delete" in actions:
            plan.destroy += 1
        if actions == ["update"]:
            plan.change += 1
        plan.changes.append(f"{'/'.join(actions)} {change['address']}: {_changed(detail)}")
    return plan


def _changed(detail: Mapping[str, Any]) -> str:
    """The top-level attributes an update changes, with before → after."""
    before = detail.get("before") or {}
    after = detail.get("after") or {}
    unknown = detail.get("after_unknown") or {}
    names = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    names += sorted(k for k in unknown if unknown[k] is True and k not in names and k in before)
    parts = []
    for name in names:
        if name in unknown and unknown[name] is True:
            parts.append(f"{name}: {_short(before.get(name))} → (known after apply)")
        else:
            parts.append(f"{name}: {_short(before.get(name))} → {_short(after.get(name))}")
    return "; ".join(parts)


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."


@dataclass
class RoundTrip:
    """An export planned (and its imports applied) stack by stack, in the documented order."""

    plans: list[Plan] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)
    apply_errors: dict[str, str] = field(default_factory=dict)

    @property
    def clean(self) -> int:
        """Stacks whose first plan is only imports."""
        return sum(plan.only_imports for plan in self.plans)

    def report(self) -> str:
        """Every plan's summary, then `clean N/M`."""
        lines = [f"{p.summary()}  ({p.seconds:.0f} s)" for p in self.plans]
        lines += [f"apply {stack}: {error}" for stack, error in self.apply_errors.items()]
        return "\n".join([*lines, f"clean {self.clean}/{len(self.plans)}"])


def reads(out: Path, stacks: Sequence[str]) -> dict[str, set[str]]:
    """The stacks each stack reads through `terraform_remote_state` (matched by their
    state keys in `backend.tf`), among `stacks`."""
    owners = {key: stack for stack in stacks for key in _state_keys(out / stack / "backend.tf")}
    return {
        stack: {
            owners[key] for key in _state_keys(out / stack / "remote_state.tf") if key in owners
        }
        for stack in stacks
    }


def with_reads(out: Path, chosen: Sequence[str], stacks: Sequence[str]) -> list[str]:
    """The `chosen` stacks and every stack they read, directly or not, in export order."""
    needs = reads(out, stacks)
    wanted: set[str] = set()
    todo = list(chosen)
    while todo:
        stack = todo.pop()
        if stack not in wanted:
            wanted.add(stack)
            todo.extend(needs[stack])
    return [stack for stack in stacks if stack in wanted]


def one_of_each_shape(out: Path, stacks: Sequence[str]) -> list[str]:
    """A bounded round trip: the first stack (in export order) of each shape, and the
    stacks they read. A stack's shape is the set of resource types it imports, so
    every resource type is imported at least once, beside every other type it is
    imported with in some stack."""
    shapes: dict[frozenset[str], str] = {}
    for stack in stacks:
        imports = out / stack / "imports.tf"
        text = imports.read_text() if imports.is_file() else ""
        types = frozenset(re.findall(r"^\s*to\s*=\s*module\.\w+\.(\w+)\.", text, re.MULTILINE))
        shapes.setdefault(types, stack)
    return with_reads(out, list(shapes.values()), stacks)


def _state_keys(path: Path) -> list[str]:
    text = path.read_text() if path.is_file() else ""
    return re.findall(r'^\s*key\s*=\s*"([^"]+)"', text, re.MULTILINE)


def round_trip(terraform: Terraform, out: Path, stacks: list[str], jobs: int = 1) -> RoundTrip:
    """Plan every stack after the stacks it reads and apply the plans that are only imports.

    `jobs` Terraform processes run at once: every stack's `init` (which reads
    no other stack), and the plan and apply of each stack whose read stacks are
    done, in the export's order. With `jobs=1` that is the documented order,
    one stack after the other. A plan that is more than imports is not applied
    (later stacks that read its outputs then fail to plan, which the report
    shows). Plans and applied stacks are listed in the export's order.
    """
    needs = reads(out, stacks)
    to_init, to_plan = list(stacks), list(stacks)
    inited: dict[str, tuple[str | None, float]] = {}  # stack: init error, seconds
    done: set[str] = set()
    plans: dict[str, Plan] = {}
    result = RoundTrip()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        running: dict[Future[Any], tuple[str, str]] = {}
        while to_plan or running:
            while len(running) < jobs:
                ready = [s for s in to_plan if s in inited and needs[s] <= done]
                if ready:
                    to_plan.remove(ready[0])
                    task = pool.submit(_plan_and_apply, terraform, out, ready[0], inited[ready[0]])
                    running[task] = ("plan", ready[0])
                elif to_init:
                    stack = to_init.pop(0)
                    running[pool.submit(_init, terraform, out, stack)] = ("init", stack)
                else:
                    break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for task in finished:
                step, stack = running.pop(task)
                if step == "init":
                    inited[stack] = task.result()
                    continue
                plans[stack], apply_error = task.result()
                if apply_error is not None:
                    result.apply_errors[stack] = apply_error
                elif plans[stack].only_imports:
                    result.applied.append(stack)
                done.add(stack)
    result.plans = [plans[stack] for stack in stacks]
    result.applied.sort(key=stacks.index)
    return result


def _init(terraform: Terraform, out: Path, stack: str) -> tuple[str | None, float]:
    started = time.monotonic()
    try:
        terraform.init(out, stack)
    except TerraformError as exc:
        return exc.short(), time.monotonic() - started
    return None, time.monotonic() - started


def _plan_and_apply(
    terraform: Terraform, out: Path, stack: str, inited: tuple[str | None, float]
) -> tuple[Plan, str | None]:
    """A stack's plan (its init's time included) and, if it is only imports, the
    error of its apply (None: applied, or not applied)."""
    init_error, init_seconds = inited
    if init_error is not None:
        return Plan(stack, error=init_error, seconds=init_seconds), None
    plan = terraform.plan(out, stack, init=False)
    plan.seconds += init_seconds
    if not plan.only_imports:
        return plan, None
    try:
        terraform.apply(out, stack)
    except TerraformError as exc:
        return plan, exc.short()
    return plan, None
