"""The networking nodes of the examples: addresses, what depends on what, routes only
between the tiers named, the endpoint switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from landingzone.graph import build_graph
from landingzone.graph.network import network_nodes
from landingzone.graph.targets import account_id_ref
from landingzone.nodes import Node
from landingzone.validate import load_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def nodes_of(example: str, **edits: object) -> dict[str, Node]:
    spec = load_spec(EXAMPLES / example).spec
    if edits:
        spec = spec.model_copy(update=edits)
    return {n.address: n for n in build_graph(spec)}


def test_peering_is_made_by_the_requester_and_names_the_accepter():
    nodes = nodes_of("coalition")
    peering = nodes["vpc_peering:prod/us-east-1/prod-shared"]
    assert peering.account == "prod"
    assert peering.desired["vpc"] == "vpc:prod/us-east-1/prod"
    assert peering.desired["peer_vpc"] == "vpc:shared/us-east-1/shared"
    assert peering.desired["peer_account_id"] == "{account_id:shared}"
    assert {"vpc:prod/us-east-1/prod", "vpc:shared/us-east-1/shared", "account:shared"} <= (
        peering.depends_on
    )
    assert peering.protected  # prod is protected, and the peering touches it


def test_peering_routes_only_between_the_tiers_named():
    nodes = nodes_of("coalition")
    peering_routes = {
        n.address
        for n in nodes.values()
        if n.kind == "route" and n.desired["target"].startswith("vpc_peering:")
    }
    assert peering_routes == {
        "route:prod/us-east-1/prod/private/10.0.128.0/20",
        "route:prod/us-east-1/prod/private/10.0.144.0/20",
        "route:dev/us-east-1/dev/private/10.0.128.0/20",
        "route:dev/us-east-1/dev/private/10.0.144.0/20",
        "route:shared/us-east-1/shared/database/10.1.64.0/20",
        "route:shared/us-east-1/shared/database/10.1.80.0/20",
        "route:shared/us-east-1/shared/database/10.2.0.0/20",
        "route:shared/us-east-1/shared/database/10.2.16.0/20",
    }
    route = nodes["route:shared/us-east-1/shared/database/10.2.0.0/20"]
    assert route.desired["target"] == "vpc_peering:dev/us-east-1/dev-shared"
    assert route.desired["route_table"] in route.depends_on


def test_the_endpoint_switch_removes_only_the_endpoints():
    spec = load_spec(EXAMPLES / "coalition").spec
    dev = spec.networks["dev"]
    off = dev.model_copy(update={"endpoints": dev.endpoints.model_copy(update={"enabled": False})})
    on_nodes = {n.address for n in build_graph(spec)}
    off_nodes = {
        n.address
        for n in build_graph(spec.model_copy(update={"networks": {**spec.networks, "dev": off}}))
    }
    assert on_nodes - off_nodes == {
        "security_group:dev/us-east-1/dev/endpoints",
        *(
            f"vpc_endpoint:dev/us-east-1/dev/{s}"
            for s in ("s3", "ecr.api", "ecr.dkr", "logs", "secretsmanager")
        ),
    }
    assert off_nodes < on_nodes


def test_interface_endpoints_let_the_vpc_in_over_https():
    nodes = nodes_of("coalition")
    group = nodes["security_group:prod/us-east-1/prod/endpoints"]
    assert group.desired["ingress"] == [
        {"protocol": "tcp", "from": 443, "to": 443, "source": "10.1.0.0/16"}
    ]
    logs = nodes["vpc_endpoint:prod/us-east-1/prod/logs"]
    assert logs.desired["security_groups"] == [group.address]
    assert logs.desired["subnets"] == [
        "subnet:prod/us-east-1/prod/private/a",
        "subnet:prod/us-east-1/prod/private/b",
    ]
    assert "security_groups" not in nodes["vpc_endpoint:prod/us-east-1/prod/s3"].desired


def test_route_tables_of_a_transit_gateway_hold_associations_and_propagations():
    nodes = nodes_of("cloudposse")
    workloads = nodes["transit_gateway_route_table:core-network/us-east-1/core/workloads"]
    attachment = "transit_gateway_attachment:{0}/us-east-1/core/{0}".format
    assert workloads.desired["associations"] == sorted(
        attachment(n) for n in ("plat-dev", "plat-prod", "plat-staging")
    )
    assert workloads.desired["propagations"] == [attachment("core-artifacts")]
    shared = nodes["transit_gateway_route_table:core-network/us-east-1/core/shared"]
    assert shared.desired["associations"] == [attachment("core-artifacts")]
    assert set(shared.desired["propagations"]) == set(workloads.desired["associations"])
    gateway = nodes["transit_gateway:core-network/us-east-1/core"]
    assert gateway.desired["options"] == {
        "auto_accept_shared_attachments": "disable",
        "default_route_table_association": "disable",
        "default_route_table_propagation": "disable",
        "dns_support": "enable",
    }
    share = nodes["resource_share:core-network/us-east-1/core"]
    assert share.desired["principals"] == sorted(
        account_id_ref(a)
        for a in ("core-artifacts", "plat-dev", "plat-prod", "plat-sandbox", "plat-staging")
    )
    attached = nodes[attachment("plat-dev")]
    assert attached.account == "plat-dev"
    assert share.address in attached.depends_on


def test_transit_gateway_routes_wait_for_the_attachment():
    nodes = nodes_of("cloudposse")
    route = nodes["route:plat-prod/us-east-1/plat-prod/private/10.78.0.0/16"]
    assert route.desired["target"] == "transit_gateway:core-network/us-east-1/core"
    assert "transit_gateway_attachment:plat-prod/us-east-1/core/plat-prod" in route.depends_on
    assert "route:plat-prod/us-east-1/plat-prod/public/10.78.0.0/16" not in nodes  # route_tiers


def test_a_private_zone_and_its_associations():
    nodes = nodes_of("codewilling")
    zone = nodes["hosted_zone:shared-services/shared.cwiq.io"]
    assert (zone.account, zone.region, zone.desired["name"]) == (
        "shared-services",
        None,
        "shared.cwiq.io.",
    )
    assert zone.desired["vpc"] == "vpc:shared-services/us-west-2/shared"
    association = nodes["hosted_zone_association:dev/us-west-2/dev/shared.cwiq.io"]
    assert association.account == "dev"
    assert association.desired == {
        "zone": zone.address,
        "vpc": "vpc:dev/us-west-2/dev",
    }


@pytest.mark.parametrize("example", ["coalition", "codewilling", "cloudposse"])
def test_every_network_resource_is_tagged_with_its_address(example: str):
    spec = load_spec(EXAMPLES / example).spec
    tagged = [n for n in network_nodes(spec, lambda *_: None) if n.desired.get("tags")]
    assert tagged
    for node in tagged:
        assert node.desired["tags"]["lz:address"] == node.address
        assert node.desired["tags"]["ManagedBy"] == "landingzone"
