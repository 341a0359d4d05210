"""`lz graph`: the organization, its networks and its access paths as pictures.

The drawing happens in `landingzone.views`; this module parses, picks the
sources (the spec, or AWS with `--live`) and writes the text. Heavy modules
are imported inside the command, so `lz --help` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from landingzone.cli.app import app
from landingzone.cli.engine_commands import EndpointOpt, ProfileOpt
from landingzone.errors import LzError

if TYPE_CHECKING:
    from landingzone.views.diagram import Diagram
    from landingzone.views.sources import Sources


class View(StrEnum):
    """What to draw."""

    ORG = "org"
    NETWORK = "network"
    ACCESS = "access"


class Format(StrEnum):
    """How to draw it."""

    MERMAID = "mermaid"
    DOT = "dot"
    SVG = "svg"
    HTML = "html"


MAX_CHECK_COMBINATIONS = 200  # a check's principals x actions x resources drawn at most


def open_sources(directory: Path, live: bool, profile: str | None, endpoint: str | None) -> Sources:
    """The spec's organization, or (live) what exists, read through a workspace."""
    from landingzone.views.sources import LiveSources, Sources

    if live:
        from landingzone.cli.engine_commands import open_spec

        return LiveSources(open_spec(directory, profile, endpoint))
    from landingzone.validate import load_spec

    return Sources(load_spec(directory).spec)


def _question(
    sources: Sources,
    action: str | None,
    resource: str | None,
    check: str | None,
    context: list[str],
) -> Diagram | None:
    """The access view of a `who-can` question (`--action`, `--resource`) or of a check."""
    from landingzone.access.assume import AssumeGraph
    from landingzone.access.queries import can, who_can
    from landingzone.access.targets import actions_for, actors_for, parse_context, resources_for
    from landingzone.proofs.checks import check_context
    from landingzone.suggest import choices
    from landingzone.views.access import answers_diagram

    if check is None and action is None and resource is None:
        return None
    model = sources.model
    if check is not None:
        if action or resource:
            raise LzError("--check draws a check of the spec: give it without --action/--resource")
        checks = {c.name: c for c in sources.spec.checks}
        if check not in checks:
            raise LzError(f'no check is named "{check}" ({choices("checks", checks, check)})')
        found = checks[check]
        values = {**check_context(found), **parse_context(context)}
        graph = AssumeGraph(model, values)
        combinations = [
            (actor, act, res)
            for actor in actors_for(model, found.principal)
            for pattern in found.actions
            for act in actions_for(pattern)
            for text in found.resources
            for res in resources_for(model, text)
        ]
        answers = [
            can(model, graph, actor, act, res, values)
            for actor, act, res in combinations[:MAX_CHECK_COMBINATIONS]
        ]
        question = f"check: {found.name} (expect {found.expect})"
        drawn = answers_diagram(model, graph, answers, question)
        if len(combinations) > MAX_CHECK_COMBINATIONS:
            drawn.notes.append(
                f"{MAX_CHECK_COMBINATIONS} of {len(combinations)} combinations drawn"
            )
        return drawn
    if not action or not resource:
        raise LzError("the access view of a question needs both --action and --resource")
    values = parse_context(context)
    graph = AssumeGraph(model, values)
    found_answers = {
        answer.actor.key: answer
        for act in actions_for(action)
        for res in resources_for(model, resource)
        for answer in who_can(model, graph, act, res, values)
    }
    answers = sorted(found_answers.values(), key=lambda a: (a.actor.kind.value, a.actor.key))
    return answers_diagram(model, graph, answers, f"who can {action} on {resource}")


def _render(diagram: Diagram, fmt: Format) -> str:
    from landingzone.views.dot import to_dot, to_svg
    from landingzone.views.mermaid import to_mermaid

    if fmt is Format.MERMAID:
        return to_mermaid(diagram)
    if fmt is Format.DOT:
        return to_dot(diagram)
    return to_svg(to_dot(diagram))


def page(sources: Sources, first: str = "org", access: Diagram | None = None) -> str:
    """The HTML page of all three views, `first` shown when it opens."""
    from landingzone.views.html import html_page
    from landingzone.views.sources import VIEWS, diagram

    drawn = [
        access if view == "access" and access is not None else diagram(sources, view)
        for view in VIEWS
    ]
    return html_page(f"Landing zone {sources.spec.organization.name}", drawn, first)


@app.command("graph")
def graph_command(
    view: Annotated[
        str,
        typer.Argument(help="What to draw: org, network or access.", show_default=True),
    ] = "org",
    directory: Annotated[
        Path, typer.Argument(help="Spec directory (holds landingzone.yaml).", show_default=False)
    ] = Path("."),
    fmt: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="mermaid (paste into a PR or wiki), dot, svg (needs Graphviz's `dot`), "
            "or html (one self-contained page with all three views).",
        ),
    ] = Format.MERMAID,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Write here instead of stdout.")
    ] = None,
    live: Annotated[
        bool, typer.Option("--live", help="Draw what exists in AWS instead of the spec.")
    ] = False,
    action: Annotated[
        str | None,
        typer.Option("--action", help="access: draw who can do ACTION (with --resource)."),
    ] = None,
    resource: Annotated[
        str | None, typer.Option("--resource", help="access: ... on RESOURCE (ARN, role:A/N, *).")
    ] = None,
    check: Annotated[
        str | None, typer.Option("--check", help="access: draw the paths of the check NAME.")
    ] = None,
    context: Annotated[
        list[str] | None,
        typer.Option("--context", "-c", metavar="KEY=VALUE", help="A request context key."),
    ] = None,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
) -> None:
    """Draw the organization (OU tree, policies, baselines, protected accounts), its
    networks (VPCs, peerings, transit gateway route tables, private zones) or its
    access paths (who can assume which role, by which statement).

    The access view draws every allowed role assumption; with `--action` and
    `--resource` it draws who can do that and through which roles (like
    `lz who-can`), with `--check NAME` the paths of one of the spec's checks.
    `--format html` writes one page with all three views, searchable, where a
    click on an account shows its settings and a click on a role who can
    assume it.

    Examples: `lz graph org examples/cloudposse > org.mmd`,
    `lz graph network examples/coalition --format svg -o network.svg`,
    `lz graph access examples/coalition --check "pull requests deploy to dev only"`,
    `lz graph org examples/coalition --format html -o landingzone.html`
    """
    if view not in {v.value for v in View}:
        if directory == Path(".") and Path(view).is_dir():  # `lz graph DIR`
            view, directory = View.ORG.value, Path(view)
        else:
            raise typer.BadParameter(
                f"{view!r} is not one of org, network, access", param_hint="VIEW"
            )
    sources = open_sources(directory, live, profile, endpoint_url)
    question = _question(sources, action, resource, check, context or [])
    if question is not None and view != View.ACCESS:
        raise LzError("--action, --resource and --check belong to the access view: lz graph access")
    if fmt is Format.HTML:
        text = page(sources, view, question)
    else:
        from landingzone.views.sources import diagram

        text = _render(question or diagram(sources, view), fmt)
    from landingzone.cli.report_formats import write_output

    write_output(text, out, f"the {view} view as {fmt.value}")
