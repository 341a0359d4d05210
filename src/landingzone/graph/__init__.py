"""Spec -> resource graph: one Node per resource, with addresses and dependencies.

Each section of the spec has a module here that turns it into nodes;
`build_graph` joins them. Every node in a member account depends on that
account's node (`targets.account_depends`), and carries `protected` when the
account is protected (see `organization.is_protected`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from landingzone.graph.baselines import baseline_nodes
from landingzone.graph.iam import iam_nodes
from landingzone.graph.identity_center import identity_center_nodes
from landingzone.graph.network import network_nodes
from landingzone.graph.organization import (
    is_protected,
    organization_nodes,
    run_options,
    state_names,
)
from landingzone.graph.security import security_nodes
from landingzone.graph.targets import Where, account_depends, referenced_accounts
from landingzone.graph.terraform_state import terraform_state_nodes
from landingzone.nodes import Node
from landingzone.spec.schema import Spec

__all__ = ["build_graph", "is_protected", "run_options", "state_names"]


# One builder per spec section; add yours here.
SECTIONS: tuple[Callable[[Spec, Where], list[Node]], ...] = (
    organization_nodes,
    iam_nodes,
    baseline_nodes,
    network_nodes,
    security_nodes,
    identity_center_nodes,
    terraform_state_nodes,
)


def build_graph(spec: Spec, where: Where = lambda *_: None) -> list[Node]:
    """The resource graph of a validated spec."""
    nodes = [_with_account_deps(n) for section in SECTIONS for n in section(spec, where)]
    duplicates = [a for a, n in Counter(n.address for n in nodes).items() if n > 1]
    if duplicates:
        raise RuntimeError(f"internal error: duplicate addresses {sorted(duplicates)}")
    return nodes


def _with_account_deps(node: Node) -> Node:
    """A node depends on its own account and on every account its values refer to."""
    deps = set(node.depends_on) | account_depends(node.account)
    for account in referenced_accounts(dict(node.desired)):
        deps |= account_depends(account)
    if deps == set(node.depends_on):
        return node
    return replace(node, depends_on=frozenset(deps))
