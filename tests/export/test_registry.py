"""The exporter registry: kinds are claimed once; kinds without an exporter are reported."""

from __future__ import annotations

import pytest

from landingzone.export import registry
from landingzone.export.inventory import Inventory
from landingzone.export.registry import Exporter, exporters, register
from landingzone.export.terraform import build_estate
from landingzone.graph import build_graph
from landingzone.nodes import Node, ResourceRecord
from landingzone.validate import load_spec
from tests.export.conftest import EXAMPLES


def test_a_kind_is_claimed_by_one_exporter_only():
    exporters()

    class Duplicate(Exporter):
        name = "duplicate"
        kinds = frozenset({"account"})

    with pytest.raises(RuntimeError, match="account"):
        register(Duplicate)


def test_kinds_without_an_exporter_are_reported_and_left_out():
    spec = load_spec(EXAMPLES / "codewilling").spec
    nodes = [*build_graph(spec), Node(address="gizmo:dev/main", kind="gizmo", name="main")]
    state_account = ResourceRecord(
        "account:shared-services", "account", "111111111111", "management", None, True
    )
    inventory = Inventory(
        spec=spec,
        nodes=nodes,
        records={state_account.address: state_account},
        management_account_id="222222222222",
        repo="infra",
    )
    estate = build_estate(inventory)
    assert "gizmo" in estate.unexported
    assert not any("gizmo" in path for path in estate.files)
    pending = {what for _, what in estate.pending}
    assert {"account:dev", "attachment deny-leave-organization@root"} <= pending
    assert "account:shared-services" not in pending  # lz's state has it


def test_a_kind_may_be_shared_by_exporters_that_each_choose_their_nodes(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setattr(registry, "_EXPORTERS", dict(registry._EXPORTERS))

    class Local(Exporter):
        name = "local-widgets"
        kinds = frozenset({"widget"})

        def handles(self, node: Node) -> bool:
            return node.name == "local"

    class Remote(Exporter):
        name = "remote-widgets"
        kinds = frozenset({"widget"})

        def handles(self, node: Node) -> bool:
            return node.name == "remote"

    class Greedy(Exporter):  # takes every widget: it may not share the kind
        name = "greedy-widgets"
        kinds = frozenset({"widget"})

    register(Local)
    register(Remote)
    with pytest.raises(RuntimeError, match="widget"):
        register(Greedy)


def test_the_network_stack_takes_only_routes_to_gateways_of_its_own_vpc():
    spec = load_spec(EXAMPLES / "coalition").spec
    nodes = build_graph(spec)
    network = next(e for e in exporters() if e.name == "network")
    routes = [n for n in nodes if n.kind == "route"]
    local = [n for n in routes if network.handles(n)]
    assert local and len(local) < len(routes)  # coalition also routes to its peerings
    assert all(n.desired["target"].startswith(("internet_gateway:", "nat_gateway:")) for n in local)
