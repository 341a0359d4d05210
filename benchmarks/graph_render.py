"""Drawing a large organization: `lz graph` views and formats, offline, timed.

    PYTHONPATH=src python benchmarks/graph_render.py [--accounts 100] [--networks 50] [--out FILE]

The organization of `org_scale.py` (ACCOUNTS accounts in 20 OUs, 10 SCPs, a
baseline on every account: the access model has an access role per account)
and the networks of `network_scale.py` (NETWORKS VPCs on one transit
gateway, two route tables). For each view, the time to build it from the
spec (graph, records, topology, access model and assumption graph included)
and to write each format; SVG only where Graphviz's `dot` is installed
(that time is Graphviz's). Prints one JSON document and writes it to
benchmarks/results/ unless --out - is given.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from network_scale import make_spec as network_spec
from org_scale import RESULTS, make_spec

from landingzone import __version__
from landingzone.spec.schema import Spec
from landingzone.views.diagram import Diagram
from landingzone.views.dot import to_dot, to_svg
from landingzone.views.html import html_page
from landingzone.views.mermaid import to_mermaid
from landingzone.views.sources import Sources, diagram

T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """The result of `work` and the seconds it took."""
    started = time.perf_counter()
    result = work()
    return result, round(time.perf_counter() - started, 3)


def measure(spec: Spec, views: list[str]) -> dict[str, Any]:
    """Seconds to build each view and write each format, and the size of what was written."""
    sources = Sources(spec)
    found: dict[str, Any] = {}
    drawn: list[Diagram] = []
    for view in views:
        picture, built = timed(lambda view=view: diagram(sources, view))
        drawn.append(picture)
        entry: dict[str, Any] = {
            "build_seconds": built,
            "items": len(picture.items),
            "groups": len(picture.groups),
            "links": len(picture.links),
        }
        for name, render in (("mermaid", to_mermaid), ("dot", to_dot)):
            text, seconds = timed(lambda render=render, picture=picture: render(picture))
            entry[name] = {"seconds": seconds, "characters": len(text)}
        if shutil.which("dot"):
            svg, seconds = timed(lambda picture=picture: to_svg(to_dot(picture)))
            entry["svg_by_graphviz"] = {"seconds": seconds, "characters": len(svg)}
        found[view] = entry
    page, seconds = timed(lambda: html_page("bench", drawn))
    found["html_page"] = {"seconds": seconds, "characters": len(page)}
    return found


def run(accounts: int, networks: int) -> dict[str, Any]:
    """Measure the organization views and the network view."""
    org = Spec.model_validate(make_spec(accounts, 20, 10, baselines=True))
    nets = Spec.model_validate(network_spec(networks, 10, 3))
    return {
        "benchmark": "graph_render",
        "lz_version": __version__,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "size": {"accounts": accounts + 1, "units": 20, "policies": 10, "networks": networks},
        "organization": measure(org, ["org", "access"]),
        "networks": measure(nets, ["network"]),
    }


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run, print and record."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--networks", type=int, default=50)
    parser.add_argument("--out", default=None, help="Result file ('-': stdout only).")
    args = parser.parse_args(argv)
    result = run(args.accounts, args.networks)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out != "-":
        out = Path(args.out) if args.out else RESULTS / f"graph_render_{args.accounts}.json"
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
