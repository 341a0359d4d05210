"""`lz can`, `lz who-can`, `lz check` and `lz access lint`: queries on the access model.

Offline (default) the model is the spec's organization as apply would build
it; `--live` reads the organization as it exists (reads only). The access
model is imported when a command runs, not when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.markup import escape

from landingzone.cli.access_commands import access_app
from landingzone.cli.app import app
from landingzone.cli.engine_commands import EndpointOpt, JsonOpt, ProfileOpt, open_spec
from landingzone.errors import EXIT_CHECKS_FAILED
from landingzone.ui import emit_json, err, mode

if TYPE_CHECKING:
    from landingzone.access.assume import Hop
    from landingzone.access.lint import Finding
    from landingzone.access.model import AccessModel
    from landingzone.access.queries import Answer
    from landingzone.proofs.checks import CheckResult
    from landingzone.spec.schema import Spec

DirArg = Annotated[
    Path,
    typer.Argument(help="Spec directory (holds landingzone.yaml).", show_default=False),
]
LiveOpt = Annotated[
    bool,
    typer.Option("--live", help="Read the organization as it exists instead of the spec."),
]
FindingsFormatOpt = Annotated[
    Literal["text", "sarif"],
    typer.Option(
        "--format", help="text, or sarif on stdout (SARIF 2.1.0, for GitHub code scanning)."
    ),
]
ContextOpt = Annotated[
    list[str] | None,
    typer.Option("--context", "-c", metavar="KEY=VALUE", help="A request context key (repeat)."),
]


def _model(
    directory: Path, live: bool, profile: str | None, endpoint: str | None
) -> tuple[AccessModel, Spec]:
    from landingzone.proofs.sources import live_model, offline_model
    from landingzone.validate import load_spec

    if live:
        ws = open_spec(directory, profile, endpoint)
        return live_model(ws), ws.spec
    loaded = load_spec(directory)
    return offline_model(loaded.spec), loaded.spec


def _accounts(model: AccessModel) -> dict[str, Any]:
    return {
        name: {"id": account_id, "synthetic": model.ids.is_synthetic(account_id)}
        for name in model.ids.names()
        if (account_id := model.ids.id_of(name)) is not None
    }


def _document(model: AccessModel, **parts: Any) -> dict[str, Any]:
    return {
        "source": model.source,
        **parts,
        "accounts": _accounts(model),
        "warnings": model.warnings,
    }


def _header(model: AccessModel) -> None:
    source = "the live organization" if model.source == "live" else "the spec (offline)"
    err.print(f"[dim]model: {source}[/]")
    made_up = [n for n in model.ids.names() if model.ids.is_synthetic(model.ids.id_of(n) or "")]
    if made_up:
        shown = ", ".join(f"{n}={model.ids.id_of(n)}" for n in made_up)
        err.print(f"[dim]synthetic account IDs (accounts not created yet): {escape(shown)}[/]")
    for warning in model.warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}")


def _show_answer(answer: Answer, indent: str = "  ") -> None:
    verdict = "[green]allowed[/]" if answer.allowed else "[red]denied[/]"
    err.print(
        f"{verdict}: {escape(answer.actor.key)} [dim]({escape(answer.actor.description)})[/] "
        f"{escape(answer.action)} on {escape(answer.resource)}"
    )
    for step, hop in enumerate(answer.path, 1):
        err.print(f"{indent}{step}. {escape(hop.actor)} -> {escape(hop.role)} ({hop.action})")
        err.print(f"{indent}   {escape(hop.decision.explanation)}")
    step = len(answer.path) + 1
    err.print(f"{indent}{step}. {escape(answer.acting)}: {escape(answer.action)}")
    err.print(f"{indent}   {escape(answer.decision.explanation)}")
    if answer.reachable:
        err.print(f"{indent}roles it can reach, all denied: {escape(', '.join(answer.reachable))}")


@app.command("can")
def can_command(
    principal: Annotated[
        str, typer.Argument(help="role:ACCOUNT/NAME, ARN, github:ORG/REPO@REF...")
    ],
    action: Annotated[str, typer.Argument(help="service:Action (a pattern expands).")],
    resource: Annotated[str, typer.Argument(help="ARN, role:ACCOUNT/NAME or *.")],
    directory: DirArg = Path("."),
    context: ContextOpt = None,
    live: LiveOpt = False,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Can PRINCIPAL do ACTION on RESOURCE, directly or by assuming roles? Every hop is shown.

    Example: `lz can github:acme/infra@refs/heads/main ec2:AcceptVpcPeeringConnection
    'arn:aws:ec2:us-east-1:{account_id:shared}:vpc-peering-connection/*' examples/coalition`
    """
    from landingzone.access.assume import AssumeGraph
    from landingzone.access.queries import can
    from landingzone.access.targets import actions_for, actors_for, parse_context, resources_for

    mode.json = as_json
    model, _ = _model(directory, live, profile, endpoint_url)
    values = parse_context(context or [])
    graph = AssumeGraph(model, values)
    answers = [
        can(model, graph, actor, act, res, values)
        for actor in actors_for(model, principal)
        for act in actions_for(action)
        for res in resources_for(model, resource)
    ]
    if as_json:
        emit_json(_document(model, answers=[a.to_json() for a in answers]))
        return
    _header(model)
    for answer in answers:
        _show_answer(answer)


@app.command("who-can")
def who_can_command(
    action: Annotated[str, typer.Argument(help="service:Action (a pattern expands).")],
    resource: Annotated[str, typer.Argument(help="ARN, role:ACCOUNT/NAME or *.")],
    directory: DirArg = Path("."),
    context: ContextOpt = None,
    live: LiveOpt = False,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Every principal (and class of OIDC subjects) that can do ACTION on RESOURCE, with a path.

    Example: `lz who-can cloudtrail:StopLogging
    'arn:aws:cloudtrail:us-east-1:{account_id:prod}:trail/main' examples/coalition`
    """
    from landingzone.access.assume import AssumeGraph
    from landingzone.access.queries import who_can
    from landingzone.access.targets import actions_for, parse_context, resources_for

    mode.json = as_json
    model, _ = _model(directory, live, profile, endpoint_url)
    values = parse_context(context or [])
    graph = AssumeGraph(model, values)
    found: dict[str, Answer] = {}
    for act in actions_for(action):
        for res in resources_for(model, resource):
            for answer in who_can(model, graph, act, res, values):
                found.setdefault(answer.actor.key, answer)
    answers = sorted(found.values(), key=lambda a: (a.actor.kind.value, a.actor.key))
    if as_json:
        emit_json(_document(model, principals=[a.to_json() for a in answers]))
        return
    _header(model)
    err.print(f"{len(answers)} principal(s) can {escape(action)} on {escape(resource)}:")
    for answer in answers:
        route = " -> ".join(_hop_label(model, hop) for hop in answer.path) or "directly"
        err.print(f"  {escape(answer.actor.key)}  [dim]{escape(answer.actor.description)}[/]")
        err.print(f"      via {escape(route)}")


def _hop_label(model: AccessModel, hop: Hop) -> str:
    """A hop's role; a permission set's role as `permission set X in ACCOUNT (role:...)`."""
    from landingzone.access.sso import ASSUME_SAML  # lazy: keeps the CLI's start-up fast

    role = model.roles.get(hop.role)
    if role is not None and role.implied and hop.action == ASSUME_SAML:
        return f"{role.implied.split(',')[0]} ({hop.role})"
    return hop.role


def _show_result(result: CheckResult) -> None:
    status = "[green]pass[/]" if result.passed else "[red]FAIL[/]"
    err.print(f"{status}  {escape(result.check.name)}  [dim]({result.tested} tested)[/]")
    if result.error:
        err.print(f"      {escape(result.error)}")
    if result.counterexample is not None:
        err.print(f"      expected {result.check.expect}; counter-example:")
        _show_answer(result.counterexample, indent="        ")


def _show_findings(findings: list[Finding]) -> None:
    for finding in findings:
        err.print(
            f"[yellow]lint[/] {finding.rule}: {escape(finding.policy)}, statement "
            f"{escape(finding.statement)}: {escape(finding.message)}"
        )


@app.command("check")
def check_command(
    directory: DirArg = Path("."),
    live: LiveOpt = False,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
    output_format: FindingsFormatOpt = "text",
) -> int:
    """Prove the spec's `checks:`; print a pass/fail table and lint findings.

    With --live and `security.access_analyzer`, every active IAM Access
    Analyzer finding (a resource reachable from outside the organization) is
    a failing check too, in every format (SARIF: rule `external-access`).
    Exit 0 when every check holds, 3 when one does not (its counter-example
    is shown), 1 on errors. Example: `lz check examples/coalition`; for code
    scanning: `lz check DIR --format sarif > lz.sarif`
    """
    from landingzone.access.lint import lint
    from landingzone.proofs.checks import run_checks, spec_checks

    mode.json = as_json
    if output_format == "sarif":
        from landingzone.cli.report_formats import sarif_report

        ws = open_spec(directory, profile, endpoint_url) if live else None
        return sarif_report(directory, ws, checks=True)
    if live:
        from landingzone.proofs.external_access import live_external_access
        from landingzone.proofs.sources import live_model

        ws = open_spec(directory, profile, endpoint_url)
        model, spec = live_model(ws), ws.spec
        external = live_external_access(ws)
    else:
        model, spec = _model(directory, live, profile, endpoint_url)
        external = []
    results = run_checks(model, spec_checks(spec))
    findings = lint(model)
    passed = all(result.passed for result in results) and not external
    if as_json:
        emit_json(
            _document(
                model,
                passed=passed,
                checks=[r.to_json() for r in results],
                external_access=[f.to_json() for f in external],
                lint=[f.to_json() for f in findings],
            )
        )
    else:
        _header(model)
        for result in results:
            _show_result(result)
        for finding in external:
            err.print(f"[red]FAIL[/]  external access: {escape(finding.describe())}")
        _show_findings(findings)
        failed = sum(not r.passed for r in results) + len(external)
        err.print(f"{len(results) + len(external) - failed} passed, {failed} failed")
    return 0 if passed else EXIT_CHECKS_FAILED


@access_app.command("lint")
def lint_command(
    directory: DirArg = Path("."),
    live: LiveOpt = False,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
    output_format: FindingsFormatOpt = "text",
) -> None:
    """Lint the policies the spec writes (broad grants, open trusts, unknown actions)."""
    from landingzone.access.lint import lint

    mode.json = as_json
    if output_format == "sarif":
        from landingzone.cli.report_formats import sarif_report

        sarif_report(
            directory, open_spec(directory, profile, endpoint_url) if live else None, checks=False
        )
        return
    model, _ = _model(directory, live, profile, endpoint_url)
    findings = lint(model)
    if as_json:
        emit_json(_document(model, lint=[f.to_json() for f in findings]))
        return
    _header(model)
    _show_findings(findings)
    err.print(f"{len(findings)} finding(s)")
