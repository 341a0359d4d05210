"""Unit paths: `plat/sandbox` is the OU `sandbox` inside the OU `plat`."""

from __future__ import annotations

from collections.abc import Iterable


def well_formed(path: str) -> bool:
    """True when the path is OU names separated by single `/`, none empty."""
    return all(path.split("/"))


def parents(path: str) -> list[str]:
    """The paths of the units above `path`, outermost first (`a/b/c` -> `a`, `a/b`)."""
    segments = path.split("/")
    return ["/".join(segments[:end]) for end in range(1, len(segments))]


def all_unit_paths(paths: Iterable[str]) -> list[str]:
    """Every unit the tree holds: the given paths and the parents they imply, sorted."""
    found: set[str] = set()
    for path in paths:
        found.update(parents(path), [path])
    return sorted(found)
