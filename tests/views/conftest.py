"""Run `lz` offline (no emulator needed) and read what the formats print."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e.conftest import EXAMPLES, Result, example, lz, runner  # noqa: F401

Run = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """`lz ARGS...` in-process, offline: returns a Result."""
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return runner(capsys)


def example_dir(name: str) -> Path:
    """An example spec of the repository (read only)."""
    return EXAMPLES / name


_SUBGRAPH = re.compile(r'^subgraph (\w+)\["(.*)"\]$')
_NODE = re.compile(r'^(\w+)\["(.*)"\]$')
_EDGE = re.compile(r'^(\w+) (<?-->|<?-\.->)(?:\|"(.*)"\|)? (\w+)$')
_CLASS = re.compile(r"^(classDef \w+ .+|class [\w,]+ \w+)$")


@dataclass
class Mermaid:
    """A Mermaid flowchart read back: boxes with their label and parent, nodes, edges."""

    boxes: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    nodes: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    classes: dict[str, set[str]] = field(default_factory=dict)

    def label(self, key: str) -> str:
        """A node's or box's label as a reader sees it (lines joined by newlines)."""
        raw = (self.nodes.get(key) or self.boxes[key])[0]
        text = raw.replace("<b>", "").replace("</b>", "").replace("<br/>", "\n")
        return text.replace("#quot;", '"').replace("#lt;", "<").replace("#gt;", ">")

    def find(self, first_line: str) -> str:
        """The key of the node or box whose label starts with `first_line`."""
        found = [
            k for k in [*self.nodes, *self.boxes] if self.label(k).split("\n")[0] == first_line
        ]
        assert len(found) == 1, (first_line, found)
        return found[0]

    def parent(self, key: str) -> str | None:
        """The box a node or box sits in."""
        return (self.nodes.get(key) or self.boxes[key])[1]


def parse_mermaid(text: str) -> Mermaid:
    """Read a flowchart line by line; fail on any line that is not valid flowchart syntax
    of the shapes lz writes (so a label with a stray quote or bracket is caught)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0].startswith("%%") and lines[1] == "flowchart TB"
    chart = Mermaid()
    stack: list[str] = []
    for line in lines[2:]:
        if line.startswith("%%"):
            continue
        if line == "end":
            stack.pop()
        elif match := _SUBGRAPH.match(line):
            assert '"' not in match[2]
            chart.boxes[match[1]] = (match[2], stack[-1] if stack else None)
            stack.append(match[1])
        elif match := _NODE.match(line):
            assert '"' not in match[2] and match[1] not in chart.nodes
            chart.nodes[match[1]] = (match[2], stack[-1] if stack else None)
        elif match := _EDGE.match(line):
            assert match[1] in chart.nodes and match[4] in chart.nodes, line
            chart.edges.append((match[1], match[4], match[3] or ""))
        elif match := _CLASS.match(line):
            if line.startswith("class "):
                ids, name = line.split()[1:]
                assert all(i in chart.nodes for i in ids.split(","))
                chart.classes[name] = set(ids.split(","))
        else:
            raise AssertionError(f"not a flowchart line lz writes: {line!r}")
    assert not stack, "unclosed subgraph"
    assert not set(chart.boxes) & set(chart.nodes)
    return chart
