"""The located tree: a parsed spec value where every map entry, list item and
scalar remembers the file and line that wrote it.

Files parse into `Node` trees, the merge combines them, and `flatten` turns
the result into the plain JSON-able tree plus its provenance records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from landingzone.errors import Location

PathKey = str | int
TreePath = tuple[PathKey, ...]


@dataclass
class Node:
    """A value and where it was written. `value` is a `dict[str, Node]`, a
    `list[Node]` or a scalar (str, int, float, bool, None)."""

    value: Any
    location: Location

    def is_map(self) -> bool:
        """True when the value is a map of nodes."""
        return isinstance(self.value, dict)


def walk(node: Node, path: TreePath = ()) -> Iterator[tuple[TreePath, Node]]:
    """Every node of the tree with its path, parents before children."""
    yield path, node
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            yield from walk(child, (*path, key))
    elif isinstance(node.value, list):
        for index, child in enumerate(node.value):
            yield from walk(child, (*path, index))


def child(node: Node, *keys: str) -> Node | None:
    """The node at `keys` (map keys) below `node`, or None where there is none."""
    current: Node | None = node
    for key in keys:
        if current is None or not current.is_map():
            return None
        current = current.value.get(key)
    return current


def plain(node: Node) -> Any:
    """The node's value without locations (JSON-able)."""
    if isinstance(node.value, dict):
        return {key: plain(value) for key, value in node.value.items()}
    if isinstance(node.value, list):
        return [plain(item) for item in node.value]
    return node.value


def same_value(a: Node, b: Node) -> bool:
    """Deep equality that also compares types (YAML `true` is not `1`)."""
    if type(a.value) is not type(b.value):
        return False
    if isinstance(a.value, dict):
        return a.value.keys() == b.value.keys() and all(
            same_value(a.value[key], b.value[key]) for key in a.value
        )
    if isinstance(a.value, list):
        return len(a.value) == len(b.value) and all(map(same_value, a.value, b.value))
    return bool(a.value == b.value)


def flatten(node: Node) -> tuple[Any, dict[TreePath, Location]]:
    """The plain tree and the location of every value in it, keyed by path."""
    return plain(node), {path: item.location for path, item in walk(node)}


def from_plain(value: Any, location: Location) -> Node:
    """A located tree for a plain value whose parts all share one location."""
    if isinstance(value, dict):
        return Node({key: from_plain(item, location) for key, item in value.items()}, location)
    if isinstance(value, list):
        return Node([from_plain(item, location) for item in value], location)
    return Node(value, location)
