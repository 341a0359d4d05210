"""The registry of exporters: one per concern, each claiming the resource kinds it exports.

An exporter turns the graph nodes of its kinds into

- `module()`: the reusable module `modules/<name>/` (variables, resources,
  outputs), the same for every landing zone;
- `parts(nodes, inventory)`: for each stack the concern deploys into, a
  `StackPart`: the module call, the `terraform.tfvars` values, the `import`
  blocks with the real IDs from lz's state, the inputs read from other stacks
  (`RemoteOutput`), and the nodes not applied yet.

To add one: a module `export/<concern>.py` with a class decorated with
`@register`, and its module name in `EXPORTER_MODULES`. docs/export.md walks
through an example.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import ClassVar

from landingzone.export.inventory import Inventory
from landingzone.export.model import Module, StackPart
from landingzone.nodes import Node


class Exporter:
    """Base class of every exporter. Subclasses set `name` and `kinds`, implement two methods."""

    name: ClassVar[str]  # the concern: modules/<name>/ and the module call's label
    kinds: ClassVar[frozenset[str]]  # the node kinds it exports

    def handles(self, node: Node) -> bool:
        """Whether this exporter exports a node of one of its kinds (default: every one).

        A kind that several concerns share (a route: to a gateway of its VPC,
        to a peering connection, to a transit gateway) is claimed by each of
        them, and each takes only its own nodes.
        """
        return True

    def module(self) -> Module:
        """The reusable module (the same for every landing zone)."""
        raise NotImplementedError

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        """The module's calls in stacks, for the nodes of this exporter's kinds."""
        raise NotImplementedError


_EXPORTERS: dict[str, Exporter] = {}

# Every module that defines exporters; add yours here.
EXPORTER_MODULES = (
    "organization",
    "state_backend",
    "baseline",
    "roles",
    "ci_federation",
    "network",
    "peering",
    "transit_gateway",
    "dns",
    "security",
    "identity_center",
)


def _selective(cls: type[Exporter]) -> bool:
    """Whether an exporter takes only some nodes of its kinds (it overrides `handles`)."""
    return cls.handles is not Exporter.handles


def register(cls: type[Exporter]) -> type[Exporter]:
    """Class decorator: make an exporter known.

    A kind may be claimed by one exporter only, unless every exporter that
    claims it chooses its nodes with `handles`.
    """
    shared = frozenset().union(
        *(
            e.kinds & cls.kinds
            for e in _EXPORTERS.values()
            if e.name != cls.name and not (_selective(type(e)) and _selective(cls))
        )
    )
    if shared:
        raise RuntimeError(f"exporter {cls.name}: kinds {sorted(shared)} taken")
    _EXPORTERS[cls.name] = cls()
    return cls


def exporters() -> list[Exporter]:
    """Every exporter, by name."""
    for module in EXPORTER_MODULES:
        importlib.import_module(f"landingzone.export.{module}")
    return [_EXPORTERS[name] for name in sorted(_EXPORTERS)]
