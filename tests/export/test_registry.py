"""The exporter registry: kinds are claimed once; kinds without an exporter are reported."""

from __future__ import annotations

import pytest

from landingzone.engine.state import ResourceRecord
from landingzone.export.inventory import Inventory
from landingzone.export.registry import Exporter, exporters, register
from landingzone.export.terraform import build_estate
from landingzone.graph import build_graph
from landingzone.resources.base import Node
from landingzone.spec.loader import load_spec
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
    nodes = [*build_graph(spec), Node(address="vpc:dev/main", kind="vpc", name="main")]
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
    assert "vpc" in estate.unexported
    assert not any("vpc" in path for path in estate.files)
    pending = {what for _, what in estate.pending}
    assert {"account:dev", "attachment deny-leave-organization@root"} <= pending
    assert "account:shared-services" not in pending  # lz's state has it
