"""Seed 001 (the coalition example): prod and dev peer into the shared account's database
subnets. Checked with plain boto3 in each account; `lz reach` agrees with what exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e.network_aws import Ec2, tags

pytestmark = pytest.mark.e2e

APPROVE = ("--auto-approve", "--approve-protected")


def _apply(lz, spec_dir: Path) -> None:
    applied = lz("apply", spec_dir, *APPROVE)
    assert applied.code == 0, applied.err


def _ec2(emulator: Emulator) -> dict[str, Ec2]:
    aws = Aws(emulator, region="us-east-1")
    accounts = aws.accounts()
    return {name: Ec2(aws, accounts[name]["Id"], "us-east-1") for name in ("shared", "prod", "dev")}


def test_peering_into_the_shared_database_tier(lz, example, emulator: Emulator):
    spec_dir = example("coalition")
    before = lz("reach", "prod", "shared", spec_dir, "--live")
    assert before.code == 1
    assert "no subnet of prod exists in AWS; apply the spec first" in before.err
    planned = lz("reach", "prod", "dev", spec_dir)
    assert planned.code == 4
    assert "prod → dev: not reachable (0 of 8 subnet pairs, both ways; from the spec)" in (
        planned.err
    )
    _apply(lz, spec_dir)
    ec2 = _ec2(emulator)
    vpcs = {name: ec2[name].vpc(name) for name in ec2}
    assert {n: v["CidrBlock"] for n, v in vpcs.items()} == {
        "shared": "10.0.0.0/16",
        "prod": "10.1.0.0/16",
        "dev": "10.2.0.0/16",
    }
    assert ec2["shared"].subnets(vpcs["shared"]["VpcId"]) == {
        "shared-public-a": "10.0.0.0/20",
        "shared-public-b": "10.0.16.0/20",
        "shared-private-a": "10.0.64.0/20",
        "shared-private-b": "10.0.80.0/20",
        "shared-database-a": "10.0.128.0/20",
        "shared-database-b": "10.0.144.0/20",
    }
    assert ec2["dev"].subnets(vpcs["dev"]["VpcId"]) == {
        "dev-private-a": "10.2.0.0/20",
        "dev-private-b": "10.2.16.0/20",
    }

    # Each peering: requested by the workload account, accepted by shared, active.
    peerings = {}
    for name in ("prod", "dev"):
        (pcx,) = ec2[name].client.describe_vpc_peering_connections()["VpcPeeringConnections"]
        assert pcx["Status"]["Code"] == "active"
        assert pcx["RequesterVpcInfo"]["VpcId"] == vpcs[name]["VpcId"]
        assert pcx["AccepterVpcInfo"]["VpcId"] == vpcs["shared"]["VpcId"]
        assert tags(pcx)["Name"] == f"{name}-shared"
        peerings[name] = pcx["VpcPeeringConnectionId"]
    seen_by_shared = ec2["shared"].client.describe_vpc_peering_connections()
    assert {p["VpcPeeringConnectionId"] for p in seen_by_shared["VpcPeeringConnections"]} == set(
        peerings.values()
    )

    # Exactly the routes declared, on both sides: workload private tiers <-> shared database.
    shared_routes = ec2["shared"].routes(vpcs["shared"]["VpcId"])
    assert shared_routes["shared-database"] == {
        "10.1.64.0/20": peerings["prod"],
        "10.1.80.0/20": peerings["prod"],
        "10.2.0.0/20": peerings["dev"],
        "10.2.16.0/20": peerings["dev"],
    }
    assert shared_routes["shared-private"] == {}
    assert list(shared_routes["shared-public"]) == ["0.0.0.0/0"]
    prod_routes = ec2["prod"].routes(vpcs["prod"]["VpcId"])
    assert {d: t for d, t in prod_routes["prod-private"].items() if t.startswith("pcx-")} == {
        "10.0.128.0/20": peerings["prod"],
        "10.0.144.0/20": peerings["prod"],
    }
    assert prod_routes["prod-private"]["0.0.0.0/0"].startswith("nat-")
    assert ec2["dev"].routes(vpcs["dev"]["VpcId"]) == {
        "dev-private": {"10.0.128.0/20": peerings["dev"], "10.0.144.0/20": peerings["dev"]}
    }
    assert ec2["shared"].associations(vpcs["shared"]["VpcId"])["shared-database"] == {
        "shared-database-a",
        "shared-database-b",
    }

    # lz reach, from the spec and from what exists, agrees with those routes.
    for source, destination, code in (
        ("prod/private", "shared/database", 0),
        ("dev", "shared/database", 0),
        ("prod", "dev", 4),
        ("dev/private", "shared/private", 4),
        ("prod/public", "shared", 4),
    ):
        planned = lz("reach", source, destination, spec_dir, "--json")
        live = lz("reach", source, destination, spec_dir, "--live", "--json")
        assert (planned.code, live.code) == (code, code), (source, destination, live.err)

        def verdicts(result) -> set[tuple[str, str, bool]]:
            return {(p["source"], p["destination"], p["reachable"]) for p in result.json()["pairs"]}

        assert verdicts(planned) == verdicts(live)
    path = lz("reach", "prod/private", "shared/database", spec_dir, "--live", "--json").json()
    assert path["pairs"][0]["forward"]["path"] == ["peering prod-shared"]

    replan = lz("plan", spec_dir, "--detailed-exitcode")
    assert replan.code == 0, replan.err


def test_a_route_deleted_by_hand_is_drift_that_apply_repairs(lz, example, emulator: Emulator):
    spec_dir = example("coalition")
    _apply(lz, spec_dir)
    shared = _ec2(emulator)["shared"]
    vpc = shared.vpc("shared")["VpcId"]
    (table,) = [t for t in shared.tables(vpc) if tags(t)["Name"] == "shared-database"]
    before = shared.routes(vpc)["shared-database"]
    shared.client.delete_route(
        RouteTableId=table["RouteTableId"], DestinationCidrBlock="10.2.0.0/20"
    )
    assert "10.2.0.0/20" not in shared.routes(vpc)["shared-database"]
    assert lz("reach", "dev/private/a", "shared/database", spec_dir, "--live").code == 4

    drift = lz("drift", spec_dir, "--json")
    assert drift.code == 2
    assert [(op["action"], op["address"]) for op in drift.json()["operations"]] == [
        ("create", "route:shared/us-east-1/shared/database/10.2.0.0/20")
    ]
    _apply(lz, spec_dir)
    assert shared.routes(vpc)["shared-database"] == before
    assert lz("reach", "dev/private/a", "shared/database", spec_dir, "--live").code == 0
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0


def test_dev_endpoints_switch_off_and_back_on(lz, example, emulator: Emulator):
    spec_dir = example("coalition")
    _apply(lz, spec_dir)
    ec2 = _ec2(emulator)
    dev, prod = ec2["dev"], ec2["prod"]
    dev_vpc, prod_vpc = dev.vpc("dev")["VpcId"], prod.vpc("prod")["VpcId"]
    services = {
        f"com.amazonaws.us-east-1.{s}"
        for s in ("s3", "ecr.api", "ecr.dkr", "logs", "secretsmanager")
    }
    assert set(dev.endpoints(dev_vpc)) == services
    (s3_table,) = dev.endpoints(dev_vpc)["com.amazonaws.us-east-1.s3"]["RouteTableIds"]
    interface = dev.endpoints(dev_vpc)["com.amazonaws.us-east-1.logs"]
    assert len(interface["SubnetIds"]) == 2 and interface["PrivateDnsEnabled"]
    (group,) = interface["Groups"]
    (described,) = dev.client.describe_security_groups(GroupIds=[group["GroupId"]])[
        "SecurityGroups"
    ]
    assert [(p["FromPort"], p["IpRanges"]) for p in described["IpPermissions"]] == [
        (443, [{"CidrIp": "10.2.0.0/16"}])
    ]
    dev.client.revoke_security_group_ingress(
        GroupId=group["GroupId"], IpPermissions=described["IpPermissions"]
    )
    drift = lz("drift", spec_dir, "--json").json()["operations"]
    assert [(op["action"], op["address"]) for op in drift] == [
        ("update", "security_group:dev/us-east-1/dev/endpoints")
    ]
    _apply(lz, spec_dir)
    (repaired,) = dev.client.describe_security_groups(GroupIds=[group["GroupId"]])["SecurityGroups"]
    assert repaired["IpPermissions"][0]["IpRanges"] == [{"CidrIp": "10.2.0.0/16"}]

    def prefix_routes() -> list[str]:
        (table,) = dev.client.describe_route_tables(RouteTableIds=[s3_table])["RouteTables"]
        return [r["GatewayId"] for r in table["Routes"] if "DestinationPrefixListId" in r]

    assert len(prefix_routes()) == 1
    network_file = spec_dir / "catalog" / "network.yaml"
    switch_on = network_file.read_text()
    assert "enabled: true" in switch_on
    network_file.write_text(switch_on.replace("enabled: true", "enabled: false"))
    plan = lz("plan", spec_dir, "--json").json()
    assert {op["action"] for op in plan["operations"]} == {"delete"}
    assert len(plan["operations"]) == 6  # the endpoints and their security group
    _apply(lz, spec_dir)
    assert dev.endpoints(dev_vpc) == {}
    assert prefix_routes() == []
    assert len(prod.endpoints(prod_vpc)) == 4  # prod keeps its own
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0

    network_file.write_text(switch_on)
    _apply(lz, spec_dir)
    assert set(dev.endpoints(dev_vpc)) == services
    assert len(prefix_routes()) == 1
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0


def test_a_network_removed_from_the_spec_is_deleted_with_what_it_holds(
    lz, example, emulator: Emulator
):
    spec_dir = example("coalition")
    _apply(lz, spec_dir)
    ec2 = _ec2(emulator)
    dev_vpc = ec2["dev"].vpc("dev")["VpcId"]
    network_file = spec_dir / "catalog" / "network.yaml"
    text = network_file.read_text()
    dev = text[text.index("  dev:\n") : text.index("peerings:")]
    peering = text[text.index("  dev-shared:\n") :]
    network_file.write_text(text.replace(dev, "").replace(peering, ""))

    plan = lz("plan", spec_dir, "--json").json()
    assert {op["action"] for op in plan["operations"]} == {"delete"}
    _apply(lz, spec_dir)
    assert [
        v["VpcId"] for v in ec2["dev"].client.describe_vpcs()["Vpcs"] if v["VpcId"] == dev_vpc
    ] == []
    assert {
        p["Status"]["Code"]
        for p in ec2["dev"].client.describe_vpc_peering_connections()["VpcPeeringConnections"]
    } == {"deleted"}
    shared = ec2["shared"]
    shared_routes = shared.routes(shared.vpc("shared")["VpcId"])["shared-database"]
    assert set(shared_routes) == {"10.1.64.0/20", "10.1.80.0/20"}  # prod's stay
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0
