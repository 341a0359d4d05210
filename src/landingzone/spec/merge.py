"""Merge the files of a spec into one located tree.

Files merge in order (imports first, the importing file last). Maps merge
recursively; lists and scalars are replaced whole. A later file may replace a
value only when it imports, directly or not, every file that wrote the value;
otherwise the two files sit side by side and differing values are a conflict
naming both places. Equal values never conflict. The last file to write a
value is its provenance; a map keeps the place it was first declared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from landingzone.errors import Location, SpecProblem
from landingzone.spec.imports import SourceFile
from landingzone.spec.provenance import format_path
from landingzone.spec.tree import Node, TreePath, plain, same_value, walk


def _describe(node: Node) -> str:
    if isinstance(node.value, dict):
        return "a map"
    if isinstance(node.value, list):
        return "a list"
    text = json.dumps(plain(node))
    return text if len(text) <= 40 else text[:37] + "..."


def _merge(
    base: Node, top: Node, source: SourceFile, path: TreePath, problems: list[SpecProblem]
) -> Node:
    """`top` (from `source`) merged onto `base`; returns the node to keep."""
    if base.is_map() and top.is_map():
        for key, value in top.value.items():
            known = base.value.get(key)
            base.value[key] = (
                value if known is None else _merge(known, value, source, (*path, key), problems)
            )
        return base
    if same_value(base, top):
        return top
    side_by_side = next(
        (node.location for _, node in walk(base) if node.location.file not in source.reaches),
        None,
    )
    if side_by_side is None:
        return top
    problems.append(
        SpecProblem(
            f"{format_path(path)}: {_describe(top)} conflicts with {_describe(base)} set at "
            f"{side_by_side} (the files are imported side by side: neither imports the "
            "other, so neither may override it; set it in one place)",
            top.location,
            (side_by_side,),
        )
    )
    return base


def merge_sources(sources: Sequence[SourceFile]) -> tuple[Node, list[SpecProblem]]:
    """One tree from all files (in merge order), and the conflicts found.

    The merged root is located at the last file (the spec's root file). On a
    conflict the earlier value is kept so later checks still see a whole tree.
    The sources' trees become parts of the result (they are not copied).
    """
    problems: list[SpecProblem] = []
    root = Node({}, Location(sources[-1].label, 1))
    for source in sources:
        root = _merge(root, source.tree, source, (), problems)
    return root, problems
