"""The report formats of existing commands: `lz plan --format markdown` (or `-o plan.md`),
`lz check --format sarif` and `lz access lint --format sarif`.

The commands import this module only when such a format is asked for; the
formats themselves are in `landingzone.views`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from landingzone.errors import EXIT_CHECKS_FAILED, Location, LzError
from landingzone.ui import emit_json, err

if TYPE_CHECKING:
    from landingzone.engine import workflow
    from landingzone.engine.plan import Plan


def write_output(text: str, out: Path | None, what: str) -> None:
    """Print `text` on stdout, or write it to `out` and say so (`what`: what it is)."""
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LzError(f"cannot write {out}: {exc.strerror}") from None
    err.print(f"Wrote {what} to {out}.")


def markdown_plan(ws: workflow.Workspace, plan: Plan, out: Path | None) -> None:
    """Print the plan as Markdown, or write it to `out`."""
    from landingzone.views.plan_markdown import plan_markdown

    endpoint = ws.sessions.endpoint_url
    source = f"endpoint {endpoint}" if endpoint else f"account {ws.sessions.management_account_id}"
    text = plan_markdown(plan, ws.spec.organization.name, source=source)
    write_output(text, out, "the markdown plan")


def _lz_version() -> str:
    try:
        return version("landingzone")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0"


def sarif_report(directory: Path, live: workflow.Workspace | None, *, checks: bool) -> int:
    """Print lint findings (and, with `checks`, the checks that do not hold) as SARIF,
    of the spec in `directory`, or (`live`: its workspace) of what exists.

    Returns the exit code `lz check` documents: 3 when a check does not hold.
    """
    from landingzone.access.lint import lint
    from landingzone.graph import build_graph
    from landingzone.proofs.checks import run_checks, spec_checks
    from landingzone.proofs.sources import live_model, offline_model
    from landingzone.validate import load_spec
    from landingzone.views.sarif import (
        check_results,
        external_access_results,
        lint_results,
        sarif_log,
    )

    loaded = load_spec(directory)
    if live is not None:
        nodes, model = live.nodes, live_model(live)
    else:
        nodes = build_graph(loaded.spec, loaded.provenance.where)
        model = offline_model(loaded.spec, nodes)
    sources = {node.address: node.source for node in nodes}
    results = lint_results(lint(model), lambda address: sources.get(address))
    passed = True
    if checks:
        outcomes = run_checks(model, spec_checks(loaded.spec))
        passed = all(outcome.passed for outcome in outcomes)
        declared = len(loaded.spec.checks)

        def locate(n: int) -> Location | None:  # the spec's checks, then the pipeline's
            where = loaded.provenance.where
            return where("checks", n) if n < declared else where("ci", "pipeline")

        results = check_results(outcomes, locate) + results
        if live is not None:
            from landingzone.proofs.external_access import live_external_access

            external = live_external_access(live)
            passed = passed and not external
            results = external_access_results(external, sources.get) + results
    emit_json(sarif_log(results, root=loaded.root, version=_lz_version()))
    return 0 if passed else EXIT_CHECKS_FAILED
