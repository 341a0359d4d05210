"""Reachability from the spec: the routes each tier's table will hold, followed through
peerings and transit gateway route tables."""

from __future__ import annotations

from dataclasses import replace
from ipaddress import IPv4Network
from pathlib import Path

from landingzone.network.reach import reach
from landingzone.network.topology import (
    LOCAL,
    PEERING,
    Attachment,
    Gateway,
    GatewayTable,
    Peering,
    Route,
    Subnet,
    Topology,
    from_spec,
)
from landingzone.validate import load_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def topology(example: str) -> Topology:
    return from_spec(load_spec(EXAMPLES / example).spec)


def test_peered_tiers_reach_each_other_and_nothing_wider():
    coalition = topology("coalition")
    answer = reach(coalition, "prod/private", "shared/database")
    assert answer.coverage == "all"
    assert {p.forward.path for p in answer.pairs} == {("peering prod-shared",)}
    assert {p.back.path for p in answer.pairs} == {("peering prod-shared",)}
    assert not reach(coalition, "prod/private", "shared/private").reachable
    assert not reach(coalition, "prod", "dev").reachable
    assert reach(coalition, "prod", "shared").coverage == "some"


def test_the_transit_gateway_keeps_workloads_apart():
    cloudposse = topology("cloudposse")
    to_artifacts = reach(cloudposse, "plat-prod/private", "core-artifacts")
    assert to_artifacts.coverage == "all"
    pair = to_artifacts.pairs[0]
    assert pair.forward.path == ("transit gateway core", "route table workloads")
    assert pair.back.path == ("transit gateway core", "route table shared")
    to_dev = reach(cloudposse, "plat-prod/private", "plat-dev")
    assert to_dev.coverage == "none"
    assert to_dev.pairs[0].forward.reason == (
        "route table plat-prod-private sends 10.187.0.0/20 to nat gateway plat-prod"
    )
    assert not reach(cloudposse, "plat-dev", "plat-staging").reachable


def _two_networks() -> Topology:
    a = Subnet("a", "app", "a", IPv4Network("10.0.0.0/24"), "rt-a")
    b = Subnet("b", "app", "a", IPv4Network("10.1.0.0/24"), "rt-b")
    return Topology(
        subnets=[a, b],
        route_tables={
            "rt-a": [Route(IPv4Network("10.0.0.0/16"), LOCAL, "")],
            "rt-b": [Route(IPv4Network("10.1.0.0/16"), LOCAL, "")],
        },
    )


def test_a_peering_must_be_active_and_routed_both_ways():
    base = _two_networks()
    base.peerings["pcx-1"] = Peering("ab", frozenset({"a", "b"}), active=False)
    base.route_tables["rt-a"].append(Route(IPv4Network("10.1.0.0/16"), PEERING, "pcx-1"))
    (pair,) = reach(base, "a", "b").pairs
    assert pair.forward.reason == "route table rt-a uses peering pcx-1, not active"
    base.peerings["pcx-1"] = replace(base.peerings["pcx-1"], active=True)
    one_way = reach(base, "a", "b", one_way=True)
    assert one_way.reachable
    both = reach(base, "a", "b")
    assert not both.reachable
    assert both.pairs[0].back.reason == "route table rt-b has no route to 10.0.0.0/24"


def test_the_longest_prefix_wins_and_a_gateway_must_lead_to_the_destination():
    base = _two_networks()
    base.route_tables["rt-a"] += [
        Route(IPv4Network("10.0.0.0/8"), "nat_gateway", "nat-1"),
        Route(IPv4Network("10.1.0.0/16"), "transit_gateway", "tgw-1"),
    ]
    gateway = Gateway("core")
    gateway.attachments = {
        "att-a": Attachment("a", "tgw-rtb-1", available=True),
        "att-b": Attachment("b", "tgw-rtb-1", available=False),
    }
    gateway.tables["tgw-rtb-1"] = GatewayTable("t", [(IPv4Network("10.1.0.0/16"), "att-b")])
    base.gateways["tgw-1"] = gateway
    (pair,) = reach(base, "a", "b", one_way=True).pairs
    assert pair.forward.reason == "transit gateway core route table t sends 10.1.0.0/24 to b"
    gateway.attachments["att-b"] = Attachment("b", "tgw-rtb-1", available=True)
    (pair,) = reach(base, "a", "b", one_way=True).pairs
    assert pair.forward.path == ("transit gateway core", "route table t")
    gateway.tables["tgw-rtb-1"].routes = []
    (pair,) = reach(base, "a", "b", one_way=True).pairs
    assert pair.forward.reason == "transit gateway core route table t has no route to 10.1.0.0/24"
