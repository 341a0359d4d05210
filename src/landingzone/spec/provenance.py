"""Provenance: which file and line set each value of the resolved spec."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from landingzone.errors import Location
from landingzone.spec.tree import PathKey, TreePath


def format_path(path: TreePath) -> str:
    """A path as users write it: `accounts.dev.policies[0]`."""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


class Provenance:
    """The file:line of every value; paths are tuples of map keys and list indexes."""

    def __init__(self, records: Mapping[TreePath, Location]):
        self._records = dict(records)

    def where(self, *path: PathKey) -> Location | None:
        """The file:line that set this value; for a path with no record of its
        own (a default, say), the nearest recorded ancestor."""
        for end in range(len(path), -1, -1):
            location = self._records.get(path[:end])
            if location is not None:
                return location
        return None

    def items(self) -> Iterator[tuple[TreePath, Location]]:
        """Every recorded path with its location, parents before children."""
        return iter(self._records.items())
