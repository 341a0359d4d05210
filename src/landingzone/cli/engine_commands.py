"""`lz plan`, `lz apply`, `lz drift`, `lz unlock`.

The engine (boto3, the spec loader) is imported when a command runs, not when
the CLI starts: `lz version` and `lz --help` stay instant.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from landingzone.cli.app import app
from landingzone.errors import (
    EXIT_CHANGES,
    EXIT_OK,
    ApplyFailed,
    ApprovalRequired,
    LzError,
)
from landingzone.ui import emit_json, err, mode

if TYPE_CHECKING:
    from landingzone.engine import workflow
    from landingzone.engine.plan import Plan

ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        envvar="LZ_PROFILE",
        help="AWS profile of the management account (else organization.profile; "
        "never `default` implicitly).",
    ),
]
EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint-url",
        help="Send every AWS call here (e.g. the embedded AWS). Default: $AWS_ENDPOINT_URL.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON document on stdout.")]


def open_spec(directory: Path, profile: str | None, endpoint: str | None) -> workflow.Workspace:
    """Load and validate a spec, then connect to AWS and read state."""
    from landingzone.engine import workflow
    from landingzone.validate import load_spec

    loaded = load_spec(directory)
    return workflow.open_workspace(
        loaded.spec,
        loaded.root,
        loaded.fingerprint(),
        profile=profile,
        endpoint_url=endpoint,
        where=loaded.provenance.where,
    )


def _header(ws: workflow.Workspace, verb: str) -> str:
    endpoint = ws.sessions.endpoint_url
    return (
        f"[bold]lz {verb}[/]: organization [bold]{ws.spec.organization.name}[/] · "
        f"management account {ws.sessions.management_account_id} · {ws.credentials}"
        + (f" · endpoint {endpoint}" if endpoint else "")
        + "\n"
    )


def _plan_and_show(ws: workflow.Workspace, verb: str, as_json: bool) -> Plan:
    from landingzone.cli.render import show_plan
    from landingzone.engine import workflow

    started = time.monotonic()
    plan = workflow.make_plan(ws)
    if not as_json:
        show_plan(
            plan,
            _header(ws, verb),
            counter=ws.counter,
            seconds=time.monotonic() - started,
        )
    return plan


@app.command()
def plan(
    directory: Annotated[Path, typer.Argument(help="Spec directory (holds landingzone.yaml).")],
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 with no changes, 2 with changes, 1 on error."
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--out",
            help="Save the plan; `lz apply FILE` executes exactly it (FILE.md: the markdown plan).",
        ),
    ] = None,
    output_format: Annotated[
        Literal["text", "markdown"],
        typer.Option(
            "--format",
            help="text (for people, on stderr) or markdown (on stdout: a pull-request comment).",
        ),
    ] = "text",
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> int:
    """Show what apply would change: reads AWS, never writes.

    Compares the spec with what exists, attribute by attribute: `+` create,
    `~` update, `=` adopt (exists, lz takes it over), `±` replace, `-` delete
    (only what lz created), `x` forget, `←` an account leaves management.

    Example: `lz plan examples/codewilling -o plan.json`; for a pull request:
    `lz plan DIR --format markdown > plan.md` (or `-o plan.md`)
    """
    from landingzone.engine import workflow

    mode.json = as_json
    markdown = output_format == "markdown"
    ws = open_spec(directory, profile, endpoint_url)
    result = _plan_and_show(ws, "plan", as_json or markdown)
    if markdown or (out is not None and out.suffix == ".md"):
        from landingzone.cli.report_formats import markdown_plan

        markdown_plan(ws, result, out if out is not None and out.suffix == ".md" else None)
    elif out is not None:
        workflow.save_plan(ws, result, out)
        if not as_json:
            err.print(f"Saved the plan to {out}; apply it with `lz apply {out}`.")
    if as_json:
        document = workflow.plan_document(ws, result)
        document["api_calls"] = ws.counter.total
        emit_json(document)
    if detailed_exitcode and result.operations:
        return EXIT_CHANGES
    return EXIT_OK


@app.command()
def drift(
    directory: Annotated[Path, typer.Argument(help="Spec directory.")],
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> int:
    """Report what differs from the spec (changes made outside lz); exit 2 if anything does.

    The same comparison as `lz plan --detailed-exitcode`, for a scheduled CI job:
    0 no drift, 2 drift found, 1 error. `lz apply` repairs what it reports.
    """
    mode.json = as_json
    ws = open_spec(directory, profile, endpoint_url)
    result = _plan_and_show(ws, "drift", as_json)
    if as_json:
        emit_json(
            {
                "drift": bool(result.operations),
                "operations": [op.to_json() for op in result.operations],
                "warnings": result.warnings,
            }
        )
    return EXIT_CHANGES if result.operations else EXIT_OK


@app.command()
def apply(
    target: Annotated[
        Path, typer.Argument(help="Spec directory, or a plan file saved by `lz plan -o`.")
    ],
    auto_approve: Annotated[
        bool, typer.Option("--auto-approve", help="Do not ask for confirmation.")
    ] = False,
    approve_protected: Annotated[
        bool,
        typer.Option(
            "--approve-protected",
            help="Also approve changes to protected (prod-like) accounts without asking.",
        ),
    ] = False,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> int:
    """Make AWS match the spec: plan, confirm, execute in dependency order, journal every change.

    Holds the state lock for the whole run (a second apply fails at once and
    says who holds it). Asks for confirmation unless `--auto-approve`; with no
    terminal and no flag it refuses. Changes to protected accounts (prod-like:
    `protected: true`, or a name or Environment tag saying prod) also need
    `--approve-protected` or typing the organization's name.

    Examples: `lz apply examples/codewilling`, `lz apply plan.json --auto-approve`
    """
    from landingzone.cli.render import show_event, show_result
    from landingzone.engine import workflow

    mode.json = as_json
    saved = None
    if target.is_file():
        saved = workflow.load_saved_plan(target)
        ws = workflow.open_workspace(
            saved.spec,
            saved.root,
            saved.fingerprint,
            profile=profile,
            endpoint_url=endpoint_url,
            nodes=saved.nodes,
        )
    else:
        ws = open_spec(target, profile, endpoint_url)

    lock_id = workflow.try_lock(ws, "apply")
    try:
        the_plan = _plan_and_show(ws, "apply", as_json)
        if saved is not None:
            workflow.check_fresh(saved, ws, the_plan)
        if not the_plan.operations:
            if as_json:
                emit_json({"summary": {}, "result": {"ok": True, "applied": []}})
            return EXIT_OK
        _confirm(the_plan, ws, auto_approve=auto_approve, approve_protected=approve_protected)
        started = time.monotonic()
        result = workflow.run_apply(
            ws,
            the_plan,
            lock_id=lock_id,
            operation=f"apply {target}",
            on_event=None if as_json else show_event,
        )
        lock_id = None  # run_apply released it
    finally:
        if lock_id is not None:
            workflow.lock_for(ws).release(lock_id)
    if as_json:
        emit_json({"summary": the_plan.summary(), "result": result.to_json()})
    else:
        show_result(result, counter=ws.counter, seconds=time.monotonic() - started)
    if not result.ok:
        raise ApplyFailed(
            f"{len(result.failed)} operation(s) failed and {len(result.skipped)} were skipped; "
            "everything else was applied and recorded in state. Fix the cause and apply again."
        )
    return EXIT_OK


def _confirm(
    the_plan: Plan, ws: workflow.Workspace, *, auto_approve: bool, approve_protected: bool
) -> None:
    protected = [op.address for op in the_plan.operations if op.protected]
    interactive = sys.stdin.isatty()
    if not auto_approve:
        if not interactive:
            raise ApprovalRequired(
                "refusing to apply without confirmation: no terminal to ask on. "
                "Review `lz plan` and pass --auto-approve."
            )
        answer = typer.prompt(
            f"Apply {len(the_plan.operations)} change(s) to organization "
            f"{ws.spec.organization.name}? Only 'yes' is accepted"
        )
        if answer.strip() != "yes":
            raise ApprovalRequired("apply cancelled")
    if protected and not approve_protected:
        listed = ", ".join(protected[:10]) + (" ..." if len(protected) > 10 else "")
        if not interactive:
            raise ApprovalRequired(
                f"the plan changes protected resources ({listed}); pass --approve-protected "
                "to approve them explicitly"
            )
        name = ws.spec.organization.name
        answer = typer.prompt(
            f"The plan changes protected resources: {listed}.\n"
            f"Type the organization's name ({name}) to approve"
        )
        if answer.strip() != name:
            raise ApprovalRequired("protected changes not approved; nothing was applied")


@app.command()
def unlock(
    lock_id: Annotated[str, typer.Argument(help="The lock ID the lock-held error printed.")],
    directory: Annotated[Path, typer.Argument(help="Spec directory.")] = Path("."),
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
) -> None:
    """Break a stale state lock on purpose (only if the run holding it is dead).

    Needs the exact lock ID, so a live lock is never broken by accident.
    """
    from landingzone.engine import workflow

    ws = open_spec(directory, profile, endpoint_url)
    lock = workflow.lock_for(ws)
    holder = lock.current()
    if holder is None:
        err.print("The state is not locked.")
        return
    if not lock.release(lock_id):
        raise LzError(f"lock ID {lock_id} does not hold the lock; it is {holder.describe()}")
    err.print(f"Broke the lock {holder.describe()}.")
