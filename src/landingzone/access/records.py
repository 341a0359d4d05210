"""The access model's input: node-shaped records, from the graph or from a live read.

A record is `(address, kind, account, attrs, id)`: offline, a graph node's
desired attributes (`id` is the account's `id:` from the spec, if any); live,
what `engine.plan.refresh` found (`id` is the AWS ID). Both use the same
attribute names and shapes, so the model is built the same way from either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.nodes import Found, Node


@dataclass(frozen=True)
class Record:
    """One resource as the access model sees it."""

    address: str
    kind: str
    account: str
    attrs: Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None


def offline_records(nodes: Iterable[Node]) -> list[Record]:
    """Records of a spec's graph, as it would be deployed."""
    return [
        Record(
            address=node.address,
            kind=node.kind,
            account=node.account,
            attrs=node.desired,
            id=node.desired.get("id") if node.kind == "account" else None,
        )
        for node in nodes
    ]


def live_records(nodes: Iterable[Node], found: Mapping[str, Found]) -> list[Record]:
    """Records of what exists: the nodes' addresses that a refresh found."""
    return [
        Record(
            address=node.address,
            kind=node.kind,
            account=node.account,
            attrs=found[node.address].attrs,
            id=found[node.address].id,
        )
        for node in nodes
        if node.address in found
    ]
