"""Graphviz DOT, and SVG drawn from it by Graphviz's `dot` program.

DOT is plain text lz writes itself; turning it into SVG needs Graphviz's
`dot` binary on the PATH (Debian/Ubuntu: `apt-get install graphviz`, macOS:
`brew install graphviz`). It is optional: without it `--format svg` says so,
and mermaid, dot and html still work. Groups become nested `cluster`
subgraphs, so the OU tree and the accounts are drawn as boxes in boxes.
"""

from __future__ import annotations

import shutil
import subprocess

from landingzone.errors import LzError
from landingzone.views.diagram import DASHED, Diagram, Group, Item, Link

FLAG_STYLES = {
    "protected": 'color="#c62828", penwidth=2.5',
    "denied": 'color="#c62828", style="rounded,dashed"',
    "management": "penwidth=2.5",
    "target": 'style="rounded,filled", fillcolor="#fff3cd"',
}
SVG_TIMEOUT = 60  # seconds; the 100-account organization takes well under one


def quote(value: str) -> str:
    """A DOT string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _label(title: str, lines: tuple[str, ...]) -> str:
    return quote("\n".join([title, *lines]))


def _item(node: Item, ids: dict[str, str], indent: str) -> str:
    styles = [f"label={_label(node.title, node.lines)}"]
    styles += [FLAG_STYLES[flag] for flag in sorted(node.flags) if flag in FLAG_STYLES]
    return f"{indent}{ids[node.key]} [{', '.join(styles)}];"


def _link(link: Link, ids: dict[str, str]) -> str:
    attrs = []
    if link.label:
        attrs.append(f"label={quote(link.label)}")
    if link.kind in DASHED:
        attrs.append("style=dashed")
    if link.both_ways:
        attrs.append("dir=both")
    suffix = f" [{', '.join(attrs)}]" if attrs else ""
    return f"  {ids[link.source]} -> {ids[link.target]}{suffix};"


def to_dot(diagram: Diagram) -> str:
    """The diagram as a DOT digraph (top to bottom)."""
    ids = diagram.short_ids()
    out = [
        f"digraph {quote(diagram.view)} {{",
        f"  label={quote(diagram.title)}; labelloc=t; rankdir=TB; compound=true;",
        '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
        '  graph [fontname="Helvetica", fontsize=11];',
    ]

    def group(box: Group, indent: str) -> None:
        out.append(f"{indent}subgraph cluster_{ids[box.key]} {{")
        out.append(f"{indent}  label={_label(box.title, box.lines)}; style=rounded;")
        for inner in diagram.children(box.key):
            group(inner, indent + "  ")
        for node in diagram.members(box.key):
            out.append(_item(node, ids, indent + "  "))
        out.append(f"{indent}}}")

    for box in diagram.children(None):
        group(box, "  ")
    out += [_item(node, ids, "  ") for node in diagram.members(None)]
    out += [_link(link, ids) for link in diagram.links]
    out += [f"  // note: {note}" for note in diagram.notes]
    out.append("}")
    return "\n".join(out) + "\n"


def dot_program() -> str:
    """The path of Graphviz's `dot`, or a clear error saying how to get it."""
    found = shutil.which("dot")
    if found is None:
        raise LzError(
            "--format svg needs Graphviz's `dot` program, which is not on the PATH: "
            "install Graphviz (Debian/Ubuntu: apt-get install graphviz; macOS: brew install "
            "graphviz), or use --format mermaid, dot or html, which need nothing"
        )
    return found


def to_svg(dot_text: str) -> str:
    """SVG drawn by Graphviz's `dot` from DOT text."""
    try:
        done = subprocess.run(
            [dot_program(), "-Tsvg"],
            input=dot_text,
            capture_output=True,
            text=True,
            timeout=SVG_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LzError(f"Graphviz's dot did not finish in {SVG_TIMEOUT}s") from None
    if done.returncode != 0:
        raise LzError(f"Graphviz's dot failed: {done.stderr.strip()}")
    return done.stdout
