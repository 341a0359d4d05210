"""Build the access model from a spec (offline) or from a live organization.

Offline, the records are the spec's graph: what apply would create, with
synthetic IDs for accounts that do not exist yet. Live, they are what
`engine.plan.refresh` reads through the same resource kinds: only what
exists, with real IDs.
"""

from __future__ import annotations

from collections.abc import Iterable

from landingzone.access.model import AccessModel, build_model
from landingzone.access.records import live_records, offline_records
from landingzone.engine.plan import refresh
from landingzone.engine.workflow import Workspace
from landingzone.graph import build_graph
from landingzone.nodes import Node
from landingzone.spec.schema import Spec


def offline_model(spec: Spec, nodes: Iterable[Node] | None = None) -> AccessModel:
    """The model of the organization the spec describes (`nodes`: its graph, if built)."""
    graph = list(nodes) if nodes is not None else build_graph(spec)
    return build_model(
        offline_records(graph),
        source="spec",
        management_id=spec.organization.management_account_id,
        access_role=spec.organization.access_role,
    )


def live_model(ws: Workspace) -> AccessModel:
    """The model of what exists, read through the workspace's kinds (reads only)."""
    found = refresh(ws.ctx, ws.nodes, ws.store.doc)
    return build_model(
        live_records(ws.nodes, found),
        source="live",
        management_id=ws.sessions.management_account_id,
        access_role=ws.spec.organization.access_role,
    )
