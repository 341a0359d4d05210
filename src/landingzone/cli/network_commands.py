"""`lz reach`: can one network (or tier) route to another, and by which path?"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from landingzone.cli.app import app
from landingzone.cli.engine_commands import EndpointOpt, JsonOpt, ProfileOpt, open_spec
from landingzone.errors import EXIT_OK, EXIT_UNREACHABLE, LzError
from landingzone.ui import emit_json, err, mode

if TYPE_CHECKING:
    from landingzone.network.reach import Answer, Pair
    from landingzone.network.topology import Topology
    from landingzone.spec.schema import Spec


def check_selector(spec: Spec, selector: str) -> None:
    """`network`, `network/tier` or `network/tier/zone` of the spec; an error with a
    did-you-mean otherwise."""
    from landingzone.network.layout import zone_letters
    from landingzone.suggest import choices

    network, tier, zone = [*selector.split("/", 2), "", ""][:3]
    if network not in spec.networks:
        known = choices("networks", spec.networks, network)
        raise LzError(f'network "{network}" does not exist ({known})')
    tiers = spec.networks[network].tiers
    if tier and tier not in tiers:
        raise LzError(
            f'network "{network}": tier "{tier}" does not exist ({choices("tiers", tiers, tier)})'
        )
    zones = zone_letters(spec.networks[network].zones)
    if zone and zone not in zones:
        raise LzError(
            f'network "{network}": zone "{zone}" is not one of its zones ({", ".join(zones)})'
        )


def _groups(pairs: Iterable[Pair]) -> dict[tuple[str, str], list[Pair]]:
    grouped: dict[tuple[str, str], list[Pair]] = {}
    for pair in pairs:
        key = (
            f"{pair.source.network}/{pair.source.tier}",
            f"{pair.destination.network}/{pair.destination.tier}",
        )
        grouped.setdefault(key, []).append(pair)
    return grouped


def _line(pair: Pair) -> str:
    if pair.reachable:
        back = "" if pair.one_way else f"; back {pair.back.describe()}"
        return f"[green]reachable[/] {escape(pair.forward.describe() + back)}"
    failed = pair.forward if not pair.forward.reachable else pair.back
    which = "" if failed is pair.forward else "no way back: "
    return f"[red]not reachable[/]: {escape(which + failed.describe())}"


def show(answer: Answer, origin: str) -> None:
    """Print the answer for people: a line per tier pair (per zone pair where they differ)."""
    count = sum(p.reachable for p in answer.pairs)
    verdict = "[green]reachable[/]" if answer.reachable else "[red]not reachable[/]"
    ways = "one way" if answer.one_way else "both ways"
    err.print(
        f"{escape(answer.source)} → {escape(answer.destination)}: {verdict} "
        f"({count} of {len(answer.pairs)} subnet pairs, {ways}; {origin})"
    )
    for (source, destination), pairs in _groups(answer.pairs).items():
        if len({p.reachable for p in pairs}) == 1:
            alike = f" [dim]({len(pairs)} zone pairs alike)[/]" if len(pairs) > 1 else ""
            err.print(f"  {escape(source)} → {escape(destination)}: {_line(pairs[0])}{alike}")
            continue
        for pair in pairs:
            route = f"{escape(pair.source.label)} → {escape(pair.destination.label)}"
            err.print(f"  {route}: {_line(pair)}")


def as_json(answer: Answer, origin: str) -> dict[str, Any]:
    """The answer for scripts."""
    return {
        "source": answer.source,
        "destination": answer.destination,
        "from": origin,
        "one_way": answer.one_way,
        "reachable": answer.reachable,
        "coverage": answer.coverage,
        "pairs": [
            {
                "source": p.source.label,
                "destination": p.destination.label,
                "reachable": p.reachable,
                "forward": p.forward.to_json(),
                "back": p.back.to_json(),
            }
            for p in answer.pairs
        ],
    }


@app.command("reach")
def reach_command(
    source: Annotated[
        str, typer.Argument(help="`network`, `network/tier` or `network/tier/zone`.")
    ],
    destination: Annotated[
        str, typer.Argument(help="`network`, `network/tier` or `network/tier/zone`.")
    ],
    directory: Annotated[Path, typer.Argument(help="Spec directory.")] = Path("."),
    live: Annotated[
        bool, typer.Option("--live", help="Reason about what exists in AWS, not about the spec.")
    ] = False,
    one_way: Annotated[
        bool,
        typer.Option(
            "--one-way", help="Only SOURCE → DESTINATION; by default replies must route back."
        ),
    ] = False,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    json_output: JsonOpt = False,
) -> int:
    """Whether SOURCE can route to DESTINATION, and by which path.

    Follows each source subnet's route table to each destination subnet:
    the local route, an active peering that joins the two networks, or a
    transit gateway (the source's attachment, its route table, the route to
    the destination's attachment). From the spec by default, before anything
    exists; from AWS with `--live`, hand-made routes included.

    Exit 0 when some source subnet reaches some destination subnet, 4 when
    none does, 1 on error: `lz reach plat-prod plat-dev || [ $? = 4 ]`.

    Example: `lz reach prod shared/database examples/coalition --live`
    """
    from landingzone.engine.plan import refresh
    from landingzone.network.live import from_aws
    from landingzone.network.reach import reach
    from landingzone.network.topology import from_spec
    from landingzone.validate import load_spec

    mode.json = json_output
    loaded = load_spec(directory)
    for selector in (source, destination):
        check_selector(loaded.spec, selector)
    topology: Topology
    if live:
        ws = open_spec(directory, profile, endpoint_url)
        refresh(ws.ctx, ws.nodes, ws.store.doc)  # learns account and resource IDs
        topology, origin = from_aws(ws.ctx, ws.spec), "what exists in AWS"
    else:
        topology, origin = from_spec(loaded.spec), "from the spec"
    for selector in (source, destination):
        if not topology.select(selector):  # --live, before the network exists
            raise LzError(f"no subnet of {selector} exists in AWS; apply the spec first")
    answer = reach(topology, source, destination, one_way=one_way)
    if json_output:
        emit_json(as_json(answer, "aws" if live else "spec"))
    else:
        show(answer, origin)
    return EXIT_OK if answer.reachable else EXIT_UNREACHABLE
