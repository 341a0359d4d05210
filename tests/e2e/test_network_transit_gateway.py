"""Seed 003 (the cloudposse example): a transit gateway owned by core-network, shared
through RAM, segmented by explicit route tables: every platform stage reaches
core-artifacts, no stage reaches another. Checked with plain boto3 in each account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e.network_aws import Ec2, tags

pytestmark = pytest.mark.e2e

APPROVE = ("--auto-approve", "--approve-protected")
STAGES = ("plat-prod", "plat-staging", "plat-dev")
CIDRS = {
    "core-artifacts": "10.78.0.0/16",
    "plat-prod": "10.61.0.0/16",
    "plat-staging": "10.212.0.0/16",
    "plat-dev": "10.187.0.0/16",
}


def _apply(lz, spec_dir: Path) -> None:
    applied = lz("apply", spec_dir, *APPROVE)
    assert applied.code == 0, applied.err


class Gateway:
    """The transit gateway as core-network sees it."""

    def __init__(self, aws: Aws, accounts: dict[str, str]):
        self.aws = aws
        self.accounts = accounts
        self.ec2 = aws.client("ec2", accounts["core-network"])
        (self.gateway,) = [
            g
            for g in self.ec2.describe_transit_gateways()["TransitGateways"]
            if g["OwnerId"] == accounts["core-network"]
        ]
        self.id = self.gateway["TransitGatewayId"]

    def tables(self) -> dict[str, str]:
        found = self.ec2.describe_transit_gateway_route_tables()["TransitGatewayRouteTables"]
        return {
            tags(t)["Name"]: t["TransitGatewayRouteTableId"]
            for t in found
            if t["TransitGatewayId"] == self.id and "Name" in tags(t)
        }

    def attachments(self) -> dict[str, str]:
        """Account name -> attachment ID, for the attachments that are not deleted."""
        names = {v: k for k, v in self.accounts.items()}
        found = self.ec2.describe_transit_gateway_attachments()["TransitGatewayAttachments"]
        return {
            names[a["ResourceOwnerId"]]: a["TransitGatewayAttachmentId"]
            for a in found
            if a["TransitGatewayId"] == self.id and a["State"] == "available"
        }

    def associated(self, table: str) -> set[str]:
        found = self.ec2.get_transit_gateway_route_table_associations(
            TransitGatewayRouteTableId=table
        )
        return {a["TransitGatewayAttachmentId"] for a in found["Associations"]}

    def propagated(self, table: str) -> set[str]:
        found = self.ec2.get_transit_gateway_route_table_propagations(
            TransitGatewayRouteTableId=table
        )
        return {
            p["TransitGatewayAttachmentId"] for p in found["TransitGatewayRouteTablePropagations"]
        }

    def routes(self, table: str) -> dict[str, str]:
        found = self.ec2.search_transit_gateway_routes(
            TransitGatewayRouteTableId=table,
            Filters=[{"Name": "type", "Values": ["static", "propagated"]}],
        )["Routes"]
        return {
            r["DestinationCidrBlock"]: r["TransitGatewayAttachments"][0][
                "TransitGatewayAttachmentId"
            ]
            for r in found
        }


def _setup(emulator: Emulator) -> tuple[Aws, dict[str, str]]:
    aws = Aws(emulator, region="us-east-1")
    return aws, {name: account["Id"] for name, account in aws.accounts().items()}


def _vpc_routes(aws: Aws, accounts: dict[str, str], network: str) -> dict[str, dict[str, Any]]:
    ec2 = Ec2(aws, accounts[network], "us-east-1")
    return ec2.routes(ec2.vpc(network)["VpcId"])


def test_a_shared_segmented_transit_gateway(lz, example, emulator: Emulator):
    spec_dir = example("cloudposse")
    _apply(lz, spec_dir)
    aws, accounts = _setup(emulator)
    gateway = Gateway(aws, accounts)
    options = gateway.gateway["Options"]
    assert (
        options["DefaultRouteTableAssociation"],
        options["DefaultRouteTablePropagation"],
        options["AutoAcceptSharedAttachments"],
    ) == ("disable", "disable", "disable")

    # Shared through RAM with the plat unit's accounts and core-artifacts.
    ram = aws.client("ram", accounts["core-network"])
    (share,) = ram.get_resource_shares(resourceOwner="SELF")["resourceShares"]
    principals = ram.get_resource_share_associations(
        associationType="PRINCIPAL", resourceShareArns=[share["resourceShareArn"]]
    )["resourceShareAssociations"]
    assert {p["associatedEntity"] for p in principals if p["status"] == "ASSOCIATED"} == {
        accounts[n] for n in ("core-artifacts", *STAGES, "plat-sandbox")
    }
    seen = aws.client("ec2", accounts["plat-dev"]).describe_transit_gateways()["TransitGateways"]
    assert [g["TransitGatewayId"] for g in seen] == [gateway.id]

    # Each network's VPC attached from its own account, in its attachment tier's subnets.
    attachments = gateway.attachments()
    assert set(attachments) == {"core-artifacts", *STAGES}
    prod = Ec2(aws, accounts["plat-prod"], "us-east-1")
    (attached,) = prod.client.describe_transit_gateway_vpc_attachments()[
        "TransitGatewayVpcAttachments"
    ]
    names = {
        s["SubnetId"]: tags(s)["Name"]
        for s in prod.client.describe_subnets()["Subnets"]
        if "Name" in tags(s)
    }
    assert sorted(names[s] for s in attached["SubnetIds"]) == [
        "plat-prod-private-a",
        "plat-prod-private-b",
        "plat-prod-private-c",
    ]

    # Segmentation: two route tables, associated and propagated exactly as the spec says.
    tables = gateway.tables()
    assert set(tables) == {"core-shared", "core-workloads"}
    stages = {attachments[n] for n in STAGES}
    assert gateway.associated(tables["core-workloads"]) == stages
    assert gateway.propagated(tables["core-workloads"]) == {attachments["core-artifacts"]}
    assert gateway.routes(tables["core-workloads"]) == {
        CIDRS["core-artifacts"]: attachments["core-artifacts"]
    }
    assert gateway.associated(tables["core-shared"]) == {attachments["core-artifacts"]}
    assert gateway.propagated(tables["core-shared"]) == stages
    assert gateway.routes(tables["core-shared"]) == {CIDRS[n]: attachments[n] for n in STAGES}

    # VPC routes toward the gateway: only to the networks each one reaches.
    assert _vpc_routes(aws, accounts, "core-artifacts") == {
        "core-artifacts-private": {CIDRS[n]: gateway.id for n in STAGES}
    }
    prod_routes = _vpc_routes(aws, accounts, "plat-prod")
    for tier in ("private", "database"):
        assert prod_routes[f"plat-prod-{tier}"][CIDRS["core-artifacts"]] == gateway.id
        assert CIDRS["plat-dev"] not in prod_routes[f"plat-prod-{tier}"]
    assert CIDRS["core-artifacts"] not in prod_routes["plat-prod-public"]  # route_tiers

    # lz reach agrees with what exists: prod reaches artifacts, not dev.
    for source, destination, code in (
        ("plat-prod/private", "core-artifacts", 0),
        ("plat-prod", "plat-dev", 4),
        ("plat-dev", "plat-staging", 4),
        ("plat-dev", "core-artifacts", 0),
    ):
        planned = lz("reach", source, destination, spec_dir, "--json")
        live = lz("reach", source, destination, spec_dir, "--live", "--json")
        assert (planned.code, live.code) == (code, code), (source, destination, live.err)
        assert [p["reachable"] for p in planned.json()["pairs"]] == [
            p["reachable"] for p in live.json()["pairs"]
        ]
    live = lz(
        "reach", "plat-prod/private/a", "core-artifacts/private/a", spec_dir, "--live", "--json"
    )
    pair = live.json()["pairs"][0]
    assert pair["forward"]["path"] == ["transit gateway core", "route table workloads"]
    assert pair["back"]["path"] == ["transit gateway core", "route table shared"]

    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0


def test_segmentation_changed_by_hand_is_drift_that_apply_reverts(lz, example, emulator: Emulator):
    spec_dir = example("cloudposse")
    _apply(lz, spec_dir)
    aws, accounts = _setup(emulator)
    gateway = Gateway(aws, accounts)
    tables, attachments = gateway.tables(), gateway.attachments()
    # Someone lets every stage learn plat-dev's routes, and moves plat-staging to shared.
    gateway.ec2.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=tables["core-workloads"],
        TransitGatewayAttachmentId=attachments["plat-dev"],
    )
    gateway.ec2.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=tables["core-workloads"],
        TransitGatewayAttachmentId=attachments["plat-staging"],
    )
    gateway.ec2.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=tables["core-shared"],
        TransitGatewayAttachmentId=attachments["plat-staging"],
    )
    drift = lz("drift", spec_dir, "--json")
    assert drift.code == 2
    assert {op["address"] for op in drift.json()["operations"]} == {
        "transit_gateway_route_table:core-network/us-east-1/core/shared",
        "transit_gateway_route_table:core-network/us-east-1/core/workloads",
    }
    _apply(lz, spec_dir)
    assert gateway.propagated(tables["core-workloads"]) == {attachments["core-artifacts"]}
    assert gateway.associated(tables["core-workloads"]) == {attachments[n] for n in STAGES}
    assert gateway.associated(tables["core-shared"]) == {attachments["core-artifacts"]}
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0


def test_a_network_leaving_the_gateway_is_detached_cleanly_and_sharing_follows_the_spec(
    lz, example, emulator: Emulator
):
    spec_dir = example("cloudposse")
    _apply(lz, spec_dir)
    network_file = spec_dir / "catalog" / "network.yaml"
    text = network_file.read_text()
    for old, new in (
        ("accounts: [core-artifacts]", "accounts: [core-artifacts, core-dns]"),
        ("      plat-staging: {}\n", ""),
        ("[plat-prod, plat-staging, plat-dev]", "[plat-prod, plat-dev]"),
        ("      plat-staging: [core-artifacts]\n", ""),
    ):
        assert old in text
        text = text.replace(old, new)
    network_file.write_text(text)
    _apply(lz, spec_dir)
    aws, accounts = _setup(emulator)
    gateway = Gateway(aws, accounts)
    attachments = gateway.attachments()
    assert set(attachments) == {"core-artifacts", "plat-prod", "plat-dev"}
    tables = gateway.tables()
    assert gateway.propagated(tables["core-shared"]) == {
        attachments["plat-prod"],
        attachments["plat-dev"],
    }
    assert _vpc_routes(aws, accounts, "plat-staging") == {"plat-staging-private": {}}
    ram = aws.client("ram", accounts["core-network"])
    principals = ram.get_resource_share_associations(associationType="PRINCIPAL")[
        "resourceShareAssociations"
    ]
    assert accounts["core-dns"] in {p["associatedEntity"] for p in principals}
    assert (
        CIDRS["plat-staging"]
        not in _vpc_routes(aws, accounts, "core-artifacts")["core-artifacts-private"]
    )
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0
