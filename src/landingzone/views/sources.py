"""What the views are drawn from: the spec (offline) or what exists (live).

Offline, the organization is the spec's graph, the networks the spec's
topology, the access model the spec's (as `lz can` builds it). Live, one
refresh (`engine.plan.refresh`, reads only) gives the records of the
organization and the access model, and the EC2 views it filled give the
topology, as `lz reach --live` reads it. Each part is computed when a view
first asks for it.
"""

from __future__ import annotations

from functools import cached_property

from landingzone.access.assume import AssumeGraph
from landingzone.access.model import AccessModel, build_model
from landingzone.access.records import Record, live_records, offline_records
from landingzone.engine.workflow import Workspace
from landingzone.graph import build_graph
from landingzone.network.topology import Topology, from_spec
from landingzone.nodes import Node
from landingzone.proofs.sources import offline_model
from landingzone.spec.schema import Spec
from landingzone.views.access import assume_diagram
from landingzone.views.diagram import Diagram
from landingzone.views.network import network_diagram
from landingzone.views.org import org_diagram

VIEWS = ("org", "network", "access")


class Sources:
    """The spec's organization as apply would build it."""

    label = "from the spec"

    def __init__(self, spec: Spec, nodes: list[Node] | None = None):
        self.spec = spec
        self._nodes = nodes

    @cached_property
    def nodes(self) -> list[Node]:
        """The spec's graph."""
        return self._nodes if self._nodes is not None else build_graph(self.spec)

    @cached_property
    def records(self) -> list[Record]:
        """The organization's resources, node-shaped."""
        return offline_records(self.nodes)

    @cached_property
    def topology(self) -> Topology:
        """The networks and what routes where."""
        return from_spec(self.spec)

    @cached_property
    def model(self) -> AccessModel:
        """The access model."""
        return offline_model(self.spec, self.nodes)


class LiveSources(Sources):
    """What exists in AWS, read through a workspace (reads only)."""

    label = "live"

    def __init__(self, ws: Workspace):
        super().__init__(ws.spec, ws.nodes)
        self.ws = ws

    @cached_property
    def records(self) -> list[Record]:
        """What one refresh found, node-shaped."""
        from landingzone.engine.plan import refresh

        return live_records(self.ws.nodes, refresh(self.ws.ctx, self.ws.nodes, self.ws.store.doc))

    @cached_property
    def topology(self) -> Topology:
        """The networks as AWS routes them (after the refresh that learns their IDs)."""
        from landingzone.network.live import from_aws

        _ = self.records
        return from_aws(self.ws.ctx, self.spec)

    @cached_property
    def model(self) -> AccessModel:
        """The access model of what exists."""
        return build_model(
            self.records,
            source="live",
            management_id=self.ws.sessions.management_account_id,
            access_role=self.spec.organization.access_role,
        )


def diagram(sources: Sources, view: str) -> Diagram:
    """One view: `org`, `network`, or `access` (who can assume which role)."""
    if view == "org":
        return org_diagram(sources.spec, sources.records, source=sources.label)
    if view == "network":
        return network_diagram(sources.spec, sources.topology, source=sources.label)
    return assume_diagram(sources.model, AssumeGraph(sources.model))
