"""Parse one YAML text (JSON is YAML too) into a located tree.

YAML 1.2 via ruamel.yaml, so `no`, `on` and `yes` stay strings. Every key,
list item and scalar keeps its line. Duplicate keys, syntax errors, unknown
tags and recursive aliases are `SpecProblem`s with file:line, never tracebacks.
Merge keys (`<<: *defaults`) are supported; explicit keys win over merged ones.

Bounds, so that no file can exhaust the stack, memory or time: values nest at
most `MAX_DEPTH` deep (aliases included), and aliases expand to at most
`MAX_ALIAS_VALUES` values per file (a "billion laughs" file is refused in
well under a second).
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import MaxDepthExceededError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.nodes import Node as YamlNode

from landingzone.errors import Location, SpecProblem
from landingzone.spec.tree import Node

_TAG = "tag:yaml.org,2002:"
_STRING_TAGS = {_TAG + "str", _TAG + "timestamp"}  # dates stay text: the tree is JSON
_CONSTRUCTED_TAGS = {_TAG + "int", _TAG + "float", _TAG + "bool", _TAG + "null"}
_MERGE_TAG = _TAG + "merge"
MAX_DEPTH = 64  # levels of maps and lists; a spec needs about 10
MAX_ALIAS_VALUES = 100_000  # values that aliases and merge keys may copy, per file


class _Unbounded(Exception):
    """A file past one of the bounds; the problem says which."""

    def __init__(self, problem: SpecProblem):
        super().__init__(problem.message)
        self.problem = problem


def _too_deep(location: Location) -> SpecProblem:
    return SpecProblem(
        f"values nest more than {MAX_DEPTH} levels deep (lz's bound for spec files)", location
    )


class _YamlNodes:
    """Turns composed ruamel nodes into `Node`s, collecting problems."""

    def __init__(self, label: str, yaml: YAML):
        self.label = label
        self.constructor = yaml.constructor
        self.problems: list[SpecProblem] = []
        self._active: list[int] = []  # ids of nodes being built: catches recursive aliases
        self._built: set[int] = set()  # ids of nodes built once: building one again is an alias
        self._copying = 0  # > 0 while building an alias's copy
        self._copied = 0  # values built as copies so far

    def where(self, node: YamlNode) -> Location:
        return Location(self.label, node.start_mark.line + 1)

    def build(self, node: YamlNode) -> Node:
        if id(node) in self._active:
            self.problems.append(SpecProblem("an alias refers to itself", self.where(node)))
            return Node(None, self.where(node))
        if len(self._active) >= MAX_DEPTH:
            raise _Unbounded(_too_deep(self.where(node)))
        copy = id(node) in self._built
        self._copying += copy
        self._copied += self._copying > 0
        if self._copied > MAX_ALIAS_VALUES:
            raise _Unbounded(
                SpecProblem(
                    f"aliases expand to more than {MAX_ALIAS_VALUES:,} values (lz's bound for "
                    "one spec file; an alias of an alias of ... grows exponentially)",
                    self.where(node),
                )
            )
        self._active.append(id(node))
        try:
            if isinstance(node, MappingNode):
                return Node(self._mapping(node), self.where(node))
            if isinstance(node, SequenceNode):
                return Node([self.build(item) for item in node.value], self.where(node))
            return Node(self._scalar(node), self.where(node))
        finally:
            self._active.pop()
            self._built.add(id(node))
            self._copying -= copy

    def _scalar(self, node: YamlNode) -> Any:
        if node.tag in _STRING_TAGS:
            return node.value
        if node.tag in _CONSTRUCTED_TAGS:
            return self.constructor.construct_object(node, deep=True)
        self.problems.append(
            SpecProblem(
                f'unsupported YAML tag "{node.tag}" (lz reads plain YAML)', self.where(node)
            )
        )
        return None

    def _mapping(self, node: MappingNode) -> dict[str, Node]:
        entries: dict[str, Node] = {}
        merged: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                for key, value in self._merge_sources(value_node).items():
                    merged.setdefault(key, value)
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(SpecProblem("a key must be plain text", self.where(key_node)))
                continue
            key = str(key_node.value)
            if key in entries:
                first = entries[key].location
                self.problems.append(
                    SpecProblem(
                        f'duplicate key "{key}" (first at line {first.line})',
                        self.where(key_node),
                        (first,),
                    )
                )
                continue
            value = self.build(value_node)
            # A map or list entry is where its key is; its own node starts a line later.
            value.location = self.where(key_node)
            entries[key] = value
        return {**merged, **entries}

    def _merge_sources(self, node: YamlNode) -> dict[str, Node]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Node] = {}
        for source in sources:
            built = self.build(source)
            if not built.is_map():
                self.problems.append(SpecProblem("`<<` merges only maps", self.where(source)))
                continue
            for key, value in built.value.items():
                merged.setdefault(key, value)
        return merged


def parse_yaml(text: str, label: str) -> tuple[Node | None, list[SpecProblem]]:
    """Parse `text` (named `label` in locations) into a located tree.

    Returns the tree (None for an empty document or a syntax error) and the
    problems found; a tree is only trustworthy when there are no problems.
    """
    yaml = YAML(typ="safe", pure=True)
    yaml.max_depth = MAX_DEPTH
    try:
        composed = yaml.compose(text)
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        return None, [_too_deep(Location(label, mark.line + 1 if mark else 1))]
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = exc.problem or exc.context or "invalid YAML"
        return None, [SpecProblem(f"invalid YAML: {reason}", Location(label, line))]
    except YAMLError as exc:
        return None, [SpecProblem(f"invalid YAML: {exc}", Location(label, 1))]
    if composed is None:
        return None, []
    builder = _YamlNodes(label, yaml)
    try:
        return builder.build(composed), builder.problems
    except _Unbounded as exc:
        return None, [exc.problem]
