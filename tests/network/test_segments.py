"""Segmentation: which networks may reach which becomes route tables, associations and
propagations."""

from __future__ import annotations

from landingzone.network.segments import GatewayTable, conflicts, gateway_tables, reach_sets
from landingzone.spec.network import TransitGateway


def gateway(**fields: object) -> TransitGateway:
    attachments = {n: {} for n in ("artifacts", "prod", "staging", "dev")}
    return TransitGateway.model_validate(
        {"account": "network", "attachments": attachments, **fields}
    )


def test_reach_goes_both_ways():
    sets = reach_sets(gateway(reach={"prod": ["artifacts"], "dev": ["artifacts"]}))
    assert sets == {
        "artifacts": {"prod", "dev"},
        "prod": {"artifacts"},
        "staging": set(),
        "dev": {"artifacts"},
    }


def test_each_network_gets_its_own_route_table_unless_grouped():
    tables = gateway_tables(gateway(reach={"prod": ["artifacts"]}))
    assert tables == [
        GatewayTable("artifacts", ("artifacts",), ("prod",)),
        GatewayTable("dev", ("dev",), ()),
        GatewayTable("prod", ("prod",), ("artifacts",)),
        GatewayTable("staging", ("staging",), ()),
    ]


def test_grouped_networks_share_a_route_table_and_its_propagations():
    tables = gateway_tables(
        gateway(
            route_tables={"shared": ["artifacts"], "workloads": ["prod", "staging", "dev"]},
            reach={"prod": ["artifacts"], "staging": ["artifacts"], "dev": ["artifacts"]},
        )
    )
    assert tables == [
        GatewayTable("shared", ("artifacts",), ("dev", "prod", "staging")),
        GatewayTable("workloads", ("dev", "prod", "staging"), ("artifacts",)),
    ]
    assert list(conflicts(gateway(route_tables={"w": ["prod", "dev"]}, reach={}))) == []


def test_a_shared_route_table_cannot_keep_one_member_out():
    found = list(
        conflicts(
            gateway(route_tables={"workloads": ["prod", "dev"]}, reach={"prod": ["artifacts"]})
        )
    )
    assert [(c.table, c.network, c.target, c.allowed) for c in found] == [
        ("workloads", "dev", "artifacts", ("prod",))
    ]


def test_members_that_reach_each_other_may_share_a_table():
    both = gateway(route_tables={"pair": ["prod", "dev"]}, reach={"prod": ["dev"]})
    assert list(conflicts(both)) == []
    (pair,) = [t for t in gateway_tables(both) if t.name == "pair"]
    assert pair.propagations == ("dev", "prod")
