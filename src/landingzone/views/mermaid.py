"""Mermaid flowcharts: for pasting into a pull request, an issue or a wiki page.

GitHub and GitLab render a fenced ```` ```mermaid ```` block. Groups become
nested `subgraph`s, items nodes, links edges; protected accounts and denied
paths get a red border, the management account a thick one.
"""

from __future__ import annotations

from landingzone.views.diagram import DASHED, Diagram, Group, Item

# Characters Mermaid reads as syntax inside a quoted label, as its entity codes.
_ENTITIES = {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "|": "#124;"}
CLASSES = {
    "protected": "stroke:#c62828,stroke-width:3px",
    "denied": "stroke:#c62828,stroke-dasharray:4 2",
    "management": "stroke-width:3px",
    "target": "fill:#fff3cd",
}


def _text(value: str) -> str:
    return "".join(_ENTITIES.get(char, char) for char in value)


def label(title: str, lines: tuple[str, ...]) -> str:
    """A quoted label: the title in bold, then one line each."""
    parts = [f"<b>{_text(title)}</b>", *(_text(line) for line in lines)]
    return '"' + "<br/>".join(parts) + '"'


def to_mermaid(diagram: Diagram) -> str:
    """The diagram as a Mermaid flowchart (top to bottom)."""
    ids = diagram.short_ids()
    out = [f"%% {diagram.title}", "flowchart TB"]

    def item(node: Item, indent: str) -> None:
        out.append(f"{indent}{ids[node.key]}[{label(node.title, node.lines)}]")

    def group(box: Group, indent: str) -> None:
        out.append(f"{indent}subgraph {ids[box.key]}[{label(box.title, box.lines)}]")
        for inner in diagram.children(box.key):
            group(inner, indent + "  ")
        for node in diagram.members(box.key):
            item(node, indent + "  ")
        out.append(f"{indent}end")

    for box in diagram.children(None):
        group(box, "  ")
    for node in diagram.members(None):
        item(node, "  ")
    for link in diagram.links:
        arrow = "-.->" if link.kind in DASHED else "-->"
        if link.both_ways:
            arrow = "<" + arrow
        text = f'|"{_text(link.label)}"|' if link.label else ""
        out.append(f"  {ids[link.source]} {arrow}{text} {ids[link.target]}")
    for flag, style in CLASSES.items():
        flagged = [ids[i.key] for i in diagram.items if flag in i.flags]
        if flagged:
            out.append(f"  classDef {flag} {style}")
            out.append(f"  class {','.join(flagged)} {flag}")
    for note in diagram.notes:
        out.append(f"%% note: {note}")
    return "\n".join(out) + "\n"
