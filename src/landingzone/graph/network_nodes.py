"""The node list the networking sections build together (VPCs, routes,
endpoints in `network.py`; peerings, gateways and zones in `connections.py`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.graph.organization import is_protected
from landingzone.graph.targets import Where, base_tags
from landingzone.network.layout import NetworkPlan
from landingzone.nodes import MANAGEMENT, Node
from landingzone.resources.network_addresses import ADDRESS_TAG
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath


@dataclass
class Nodes:
    """The nodes of one spec's networking sections, as they are built."""

    spec: Spec
    where: Where
    plans: dict[str, NetworkPlan] = field(default_factory=dict)
    nodes: list[Node] = field(default_factory=list)

    def tags(self, address: str, name: str, own: Mapping[str, str]) -> dict[str, str]:
        """The tags of a resource lz creates: the organization's, the entry's, Name, address."""
        return {**base_tags(self.spec), **own, "Name": name, ADDRESS_TAG: address}

    def region(self, region: str | None) -> str:
        """A region of the spec, or the home region."""
        return region or self.spec.organization.home_region

    def add(
        self,
        address: str,
        kind: str,
        name: str,
        place: tuple[str, str | None],
        desired: dict[str, Any],
        depends_on: Iterable[str],
        source: TreePath,
        *others: str,
    ) -> None:
        """One node in `place` (account, region); `others` are accounts it also touches."""
        account, region = place
        protected = any(
            a != MANAGEMENT and a in self.spec.accounts and is_protected(a, self.spec.accounts[a])
            for a in (account, *others)
        )
        self.nodes.append(
            Node(
                address=address,
                kind=kind,
                name=name,
                account=account,
                region=region,
                desired=desired,
                depends_on=frozenset(depends_on),
                source=self.where(*source),
                protected=protected,
            )
        )
