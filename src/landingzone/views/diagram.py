"""The neutral picture every view builds and every format draws.

A `Diagram` is boxes (`Group`, which nest), things inside them (`Item`) and
arrows between things (`Link`). The views (`org.py`, `network.py`,
`access.py`) turn lz's models into one; the formats (`mermaid.py`, `dot.py`,
`html.py`) turn one into text. A view knows nothing of formats, a format
nothing of AWS.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# Details are shown when a thing is clicked in the HTML page: (label, value) rows.
Details = tuple[tuple[str, str], ...]
# Link kinds every format draws dashed: what routes, resolves or is refused, not who acts.
DASHED = frozenset({"propagation", "dns", "denied"})


@dataclass(frozen=True)
class Group:
    """A box: an OU, an account, a transit gateway. `parent` is the enclosing group's key."""

    key: str
    title: str
    kind: str
    parent: str | None = None
    lines: tuple[str, ...] = ()  # shown under the title (the SCPs attached, say)
    details: Details = ()


@dataclass(frozen=True)
class Item:
    """A thing: an account, a VPC, a role. `group` is the key of the box it sits in."""

    key: str
    title: str
    kind: str
    group: str | None = None
    lines: tuple[str, ...] = ()
    details: Details = ()
    flags: frozenset[str] = frozenset()  # "protected", "denied", ...


@dataclass(frozen=True)
class Link:
    """An arrow from one item to another, with what it means."""

    source: str
    target: str
    label: str = ""
    kind: str = ""  # "peering", "assume", ... (formats style some kinds)
    both_ways: bool = False


@dataclass
class Diagram:
    """One view: its boxes, things and arrows, in the order they should be drawn."""

    view: str  # "org", "network", "access"
    title: str
    groups: list[Group] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings and what was left out

    def children(self, parent: str | None) -> Iterator[Group]:
        """Groups directly inside `parent` (None: the top level)."""
        return (g for g in self.groups if g.parent == parent)

    def members(self, group: str | None) -> Iterator[Item]:
        """Items directly inside `group` (None: the top level)."""
        return (i for i in self.items if i.group == group)

    def short_ids(self) -> dict[str, str]:
        """A short identifier for every group (`g0`...) and item (`n0`...), safe in any format."""
        ids = {g.key: f"g{n}" for n, g in enumerate(self.groups)}
        ids.update((i.key, f"n{n}") for n, i in enumerate(self.items))
        if len(ids) != len(self.groups) + len(self.items):
            raise RuntimeError(f"internal error: {self.view} view has duplicate keys")
        return ids
