"""What one module call in one stack gathers, node by node, until it becomes a `StackPart`.

Exporters whose stacks fill map variables entry by entry (a network stack's
VPCs, a baseline's settings, a transit gateway's attachments) share
this: the values, the reads of other stacks' outputs, the import blocks of
what lz applied and the list of what it has not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from landingzone.export.model import Import, Module, RemoteOutput, StackPart, StackRef
from landingzone.nodes import Node


class PartBuilder:
    """One module call in one stack, built node by node.

    Every module variable not read from another stack (`remote`, or a map of
    reads named in `maps`) starts as an empty map unless `values` sets it.
    """

    def __init__(
        self,
        stack: StackRef,
        module: Module,
        remote: Mapping[str, RemoteOutput] | None = None,
        maps: Sequence[str] = (),
        **values: Any,
    ) -> None:
        self.stack = stack
        self.module = module
        self.remote: dict[str, RemoteOutput] = dict(remote or {})
        self.remote_maps: dict[str, dict[str, RemoteOutput]] = {name: {} for name in maps}
        given = {*self.remote, *maps}
        self.values: dict[str, Any] = {
            v.name: {} for v in module.variables if v.name not in given
        } | values
        self.imports: list[Import] = []
        self.pending: list[str] = []
        self.nodes: list[Node] = []

    def add(self, node: Node, variable: str, key: str, value: Any) -> None:
        """A node's entry `key` of the map variable `variable`."""
        self.nodes.append(node)
        self.values[variable][key] = value

    def read(self, variable: str, key: str, output: RemoteOutput) -> None:
        """Entry `key` of the map variable `variable`, read from another stack's output."""
        self.remote_maps[variable][key] = output

    def imported(
        self, node: Node, resource: str, key: str, id_: str | None, what: str | None = None
    ) -> None:
        """An import block for what lz made (`id_`); else `what` (default: the node's
        address) is pending: Terraform will create it."""
        if id_ is None:
            self.pending.append(what or node.address)
        else:
            self.imports.append(Import(resource, key, id_, node.address))

    def part(self) -> StackPart:
        """The module call, its maps sorted by key and its imports by address (stable
        files). A variable read from another stack (`remote`, set even after values) is
        not a value."""

        def ordered(value: Any) -> Any:
            return dict(sorted(value.items())) if isinstance(value, dict) else value

        read = {*self.remote, *self.remote_maps}
        return StackPart(
            stack=self.stack,
            module=self.module,
            values={k: ordered(v) for k, v in self.values.items() if k not in read},
            remote=self.remote,
            remote_maps={k: ordered(v) for k, v in self.remote_maps.items()},
            imports=sorted(self.imports, key=lambda i: (i.resource, i.key or "")),
            pending=self.pending,
            protected=any(n.protected for n in self.nodes),
        )
