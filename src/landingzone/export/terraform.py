"""`lz export terraform`: the whole Terraform estate of a landing zone, as files."""

from __future__ import annotations

from dataclasses import dataclass

from landingzone.export.inventory import Inventory
from landingzone.export.model import StackPart
from landingzone.export.registry import exporters
from landingzone.export.stacks import (
    AWS,
    RootModule,
    Target,
    assemble,
    module_files,
    root_files,
)


@dataclass(frozen=True)
class Estate:
    """The exported files and what they hold."""

    files: dict[str, str]  # relative path -> content
    roots: list[RootModule]
    unexported: list[str]  # node kinds with nodes no exporter takes (not in the export)

    @property
    def imports(self) -> int:
        """How many import blocks the export holds."""
        return sum(len(part.imports) for root in self.roots for part in root.parts)

    @property
    def pending(self) -> list[tuple[str, str]]:
        """(stack path, what) for everything exported without an import: not applied yet."""
        return [
            (root.stack.path, item)
            for root in self.roots
            for part in root.parts
            for item in part.pending
        ]


def build_estate(inventory: Inventory, target: Target = AWS) -> Estate:
    """Run every exporter over its kinds' nodes and assemble the root modules for `target`."""
    parts: list[StackPart] = []
    taken: set[str] = set()
    for exporter in exporters():
        nodes = [n for n in inventory.nodes if n.kind in exporter.kinds and exporter.handles(n)]
        taken |= {n.address for n in nodes}
        if nodes:
            parts.extend(exporter.parts(nodes, inventory))
    roots = assemble(parts, inventory)
    files: dict[str, str] = {}
    for module in sorted({p.module.name: p.module for p in parts}.values(), key=lambda m: m.name):
        files.update(module_files(module))
    for root in roots:
        files.update(root_files(root, inventory.backend, inventory, target))
    unexported = sorted({n.kind for n in inventory.nodes if n.address not in taken})
    return Estate(files=dict(sorted(files.items())), roots=roots, unexported=unexported)
