"""Seed 000 (the codewilling example): shared-services owns the private zone shared.cwiq.io
and dev's VPC is associated with it across accounts. Checked with plain boto3."""

from __future__ import annotations

from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e.network_aws import Ec2

pytestmark = pytest.mark.e2e

REGION = "us-west-2"


def _apply(lz, spec_dir: Path) -> None:
    applied = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err


class Zone:
    """shared.cwiq.io as its owner and dev see it."""

    def __init__(self, emulator: Emulator):
        self.aws = Aws(emulator, region=REGION)
        accounts = {name: a["Id"] for name, a in self.aws.accounts().items()}
        self.shared, self.dev = accounts["shared-services"], accounts["dev"]
        self.owner = self.aws.client("route53", self.shared)
        (zone,) = self.owner.list_hosted_zones()["HostedZones"]
        self.zone = zone
        self.id = zone["Id"].rsplit("/", 1)[-1]
        self.vpcs = {
            name: Ec2(self.aws, accounts[account], REGION).vpc(name)["VpcId"]
            for name, account in (("shared", "shared-services"), ("dev", "dev"))
        }

    def associated(self) -> set[str]:
        return {v["VPCId"] for v in self.owner.get_hosted_zone(Id=self.id)["VPCs"]}

    def authorizations(self) -> list[dict[str, str]]:
        return list(self.owner.list_vpc_association_authorizations(HostedZoneId=self.id)["VPCs"])


def test_the_zone_is_associated_with_devs_vpc_and_the_authorization_removed(
    lz, example, emulator: Emulator
):
    spec_dir = example("codewilling")
    _apply(lz, spec_dir)
    zone = Zone(emulator)
    assert (zone.zone["Name"], zone.zone["Config"]["PrivateZone"]) == ("shared.cwiq.io.", True)
    assert zone.associated() == {zone.vpcs["shared"], zone.vpcs["dev"]}
    assert zone.authorizations() == []
    seen_by_dev = zone.aws.client("route53", zone.dev).list_hosted_zones_by_vpc(
        VPCId=zone.vpcs["dev"], VPCRegion=REGION
    )["HostedZoneSummaries"]
    assert [(z["Name"], z["Owner"]) for z in seen_by_dev] == [
        ("shared.cwiq.io.", {"OwningAccount": zone.shared})
    ]
    dev_ec2 = zone.aws.client("ec2", zone.dev, REGION)
    for attribute, key in (
        ("enableDnsSupport", "EnableDnsSupport"),
        ("enableDnsHostnames", "EnableDnsHostnames"),
    ):
        described = dev_ec2.describe_vpc_attribute(VpcId=zone.vpcs["dev"], Attribute=attribute)
        assert described[key]["Value"] is True
    assert {
        name: Ec2(zone.aws, account, REGION).vpc(name)["CidrBlock"]
        for name, account in (("shared", zone.shared), ("dev", zone.dev))
    } == {"shared": "10.0.0.0/16", "dev": "10.1.0.0/16"}
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0


def test_an_association_removed_by_hand_is_made_again(lz, example, emulator: Emulator):
    spec_dir = example("codewilling")
    _apply(lz, spec_dir)
    zone = Zone(emulator)
    zone.aws.client("route53", zone.dev).disassociate_vpc_from_hosted_zone(
        HostedZoneId=zone.id, VPC={"VPCRegion": REGION, "VPCId": zone.vpcs["dev"]}
    )
    drift = lz("drift", spec_dir, "--json")
    assert drift.code == 2
    assert [(op["action"], op["address"]) for op in drift.json()["operations"]] == [
        ("create", "hosted_zone_association:dev/us-west-2/dev/shared.cwiq.io")
    ]
    _apply(lz, spec_dir)
    assert zone.associated() == {zone.vpcs["shared"], zone.vpcs["dev"]}
    assert zone.authorizations() == []

    # Dev leaves the zone: lz disassociates its VPC, and nothing else.
    network_file = spec_dir / "catalog" / "network.yaml"
    network_file.write_text(network_file.read_text().replace("[shared, dev]", "[shared]"))
    _apply(lz, spec_dir)
    assert zone.associated() == {zone.vpcs["shared"]}
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0
