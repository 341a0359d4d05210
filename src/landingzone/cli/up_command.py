"""`lz up`: the whole flow on the embedded AWS, in one command.

The emulator (moto) and the engine are imported when the command runs: every
other command starts without them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from landingzone.cli.app import app
from landingzone.cli.engine_commands import open_spec
from landingzone.cli.latency_options import LatencyOpt, ServiceLatencyOpt, parse_service_latency
from landingzone.errors import ApplyFailed, LzError
from landingzone.ui import err

if TYPE_CHECKING:
    from landingzone.engine import workflow

MAIN_EXAMPLE = "codewilling"


def default_example() -> Path:
    """The repository's main example (a source checkout; pass DIR otherwise)."""
    return Path(__file__).resolve().parents[3] / "examples" / MAIN_EXAMPLE


@app.command()
def up(
    directory: Annotated[
        Path | None,
        typer.Argument(help=f"Spec directory (default: the repo's examples/{MAIN_EXAMPLE})."),
    ] = None,
    keep: Annotated[
        bool,
        typer.Option("--keep", help="Keep the embedded AWS running afterwards (Ctrl-C stops)."),
    ] = False,
    latency_ms: LatencyOpt = 0.0,
    service_latency: ServiceLatencyOpt = None,
) -> None:
    """Build a whole organization on the embedded AWS: apply, re-plan, show what exists.

    Starts the emulator in this process, points lz at it, applies the spec
    (nothing touches real AWS), shows that a second plan has no changes,
    prints what now exists, writes the HTML page of it beside the spec
    (`.lz/landingzone.html`), and stops. Start here. With `--latency-ms 50`,
    every AWS call takes as long as AWS's round trip would.
    """
    from landingzone.cli.render import show_plan
    from landingzone.emulator import Emulator
    from landingzone.engine import workflow

    spec_dir = directory or default_example()
    if not (spec_dir / "landingzone.yaml").exists() and not spec_dir.is_file():
        raise LzError(f"{spec_dir}: no landingzone.yaml here; pass a spec directory")
    per_service = parse_service_latency(latency_ms, service_latency)
    emulator = Emulator(latency_ms=latency_ms, service_latency_ms=per_service).start()
    try:
        os.environ.update(emulator.env())
        err.print(f"[bold]Embedded AWS[/] listening on {emulator.endpoint}\n")
        _apply(spec_dir)
        ws = open_spec(spec_dir, None, None)  # the environment points at the emulator
        started = time.monotonic()
        replan = workflow.make_plan(ws)
        show_plan(
            replan,
            "\n[bold]Second plan[/] (should be empty):",
            counter=ws.counter,
            seconds=time.monotonic() - started,
        )
        _summary(ws)
        _page(ws, spec_dir)
        if keep:
            err.print("\nThe embedded AWS keeps running; in another shell:")
            for key, value in emulator.env().items():
                err.print(f"  export {key}={value}")
            err.print("Ctrl-C stops it.")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()


def _apply(spec_dir: Path) -> None:
    from landingzone.cli.render import show_event, show_plan, show_result
    from landingzone.engine import workflow

    ws = open_spec(spec_dir, None, None)
    started = time.monotonic()
    the_plan = workflow.make_plan(ws)
    show_plan(
        the_plan,
        f"[bold]lz up[/]: applying {spec_dir} to the embedded AWS",
        counter=ws.counter,
        seconds=time.monotonic() - started,
    )
    lock_id = workflow.try_lock(ws, "up")
    result = workflow.run_apply(
        ws, the_plan, lock_id=lock_id, operation="lz up", on_event=show_event
    )
    show_result(result, counter=ws.counter, seconds=time.monotonic() - started)
    if not result.ok:
        raise ApplyFailed("the apply did not complete; see the errors above")


def _page(ws: workflow.Workspace, spec_dir: Path) -> None:
    """Write the HTML page of what was built (all three views, read live) and say where."""
    from landingzone.cli.graph_commands import page
    from landingzone.views.sources import LiveSources

    out = (spec_dir if spec_dir.is_dir() else spec_dir.parent) / ".lz" / "landingzone.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page(LiveSources(ws)), encoding="utf-8")
    err.print(f"\nThe organization, its networks and its access paths: [bold]{out}[/] (open it)")


def _summary(ws: workflow.Workspace) -> None:
    """What exists now: the OU tree with its accounts and SCPs, and the state backend."""
    from rich.table import Table
    from rich.tree import Tree

    from landingzone.resources.org_snapshot import managed_policy_names, snapshot

    snap = snapshot(ws.ctx)
    names = managed_policy_names(ws.ctx)

    def label(target_id: str, text: str) -> str:
        policies = snap.attached_names(target_id, names)
        return text + (f"  [dim]SCPs: {', '.join(policies)}[/]" if policies else "")

    assert snap.root_id is not None
    tree = Tree(label(snap.root_id, f"[bold]{ws.spec.organization.name}[/] (root {snap.root_id})"))
    branches = {snap.root_id: tree}
    for unit in sorted(snap.units.values(), key=lambda u: (u.path.count("/"), u.path)):
        branches[unit.id] = branches[unit.parent_id].add(
            label(unit.id, f"[cyan]{unit.name}[/] ({unit.id})")
        )
    for account in sorted(snap.accounts.values(), key=lambda a: a.name):
        branches[account.parent_id].add(label(account.id, f"{account.name} {account.id}"))
    err.print("\n[bold]What exists now[/]")
    err.print(tree)
    location = ws.store.location
    table = Table(show_header=False, box=None)
    table.add_row("state", f"s3://{location.bucket}/{location.key}")
    table.add_row("lock", f"dynamodb {location.lock_table}")
    table.add_row("in", f"account {location.account_id}, {location.region}")
    table.add_row("resources", str(len(ws.store.doc.resources)))
    err.print(table)
