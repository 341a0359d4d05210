"""Spec -> resource graph: one Node per resource, with addresses and dependencies.

Each section of the spec has a module here that turns it into nodes;
`build_graph` joins them. Every node in a member account depends on that
account's node (`targets.account_depends`), and carries `protected` when the
account is protected (see `organization.is_protected`).
"""

from __future__ import annotations

from collections import Counter

from landingzone.graph.organization import is_protected, organization_nodes, state_names
from landingzone.graph.targets import Where
from landingzone.resources.base import Node
from landingzone.spec.schema import Spec

__all__ = ["build_graph", "is_protected", "state_names"]


def build_graph(spec: Spec, where: Where = lambda *_: None) -> list[Node]:
    """The resource graph of a validated spec."""
    nodes = organization_nodes(spec, where)
    duplicates = [a for a, n in Counter(n.address for n in nodes).items() if n > 1]
    if duplicates:
        raise RuntimeError(f"internal error: duplicate addresses {sorted(duplicates)}")
    return nodes
