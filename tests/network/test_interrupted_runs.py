"""A run interrupted between creating a resource and recording it: the next run finds
what it made instead of making a second one."""

from __future__ import annotations

import pytest

from landingzone.aws.context import Context, Settings
from landingzone.aws.session import CredentialSource, Sessions
from landingzone.emulator import Emulator
from landingzone.nodes import Node
from landingzone.resources.base import kind
from tests.aws import Aws


@pytest.fixture
def ctx(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Context:
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    sessions = Sessions(
        credentials=CredentialSource(None, "test"),
        home_region="us-east-1",
        access_role="OrganizationAccountAccessRole",
    )
    return Context(
        sessions=sessions, settings=Settings("acme", "us-east-1", "OrganizationAccountAccessRole")
    )


def test_a_zone_created_but_not_tagged_is_taken_over(emulator: Emulator, ctx: Context):
    aws = Aws(emulator)
    aws.create_organization()
    shared = aws.create_account("shared")
    vpc = aws.client("ec2", shared).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    address = "hosted_zone:shared/internal.acme.example"
    route53 = aws.client("route53", shared)
    left = route53.create_hosted_zone(
        Name="internal.acme.example",
        CallerReference=f"landingzone {address} 1",
        HostedZoneConfig={"PrivateZone": True},
        VPC={"VPCRegion": "us-east-1", "VPCId": vpc},
    )["HostedZone"]["Id"].rsplit("/", 1)[-1]

    ctx.set_id("account:shared", shared)
    ctx.set_id("vpc:shared/us-east-1/shared", vpc)
    desired = {
        "name": "internal.acme.example.",
        "comment": "",
        "vpc": "vpc:shared/us-east-1/shared",
        "vpc_region": "us-east-1",
        "tags": {"ManagedBy": "landingzone", "lz:address": address},
    }
    node = Node(address=address, kind="hosted_zone", name="internal.acme.example", account="shared")
    found = kind("hosted_zone").create(ctx, node, desired)

    assert found.id == left
    assert [z["Id"].rsplit("/", 1)[-1] for z in route53.list_hosted_zones()["HostedZones"]] == [
        left
    ]
    tags = route53.list_tags_for_resource(ResourceType="hostedzone", ResourceId=left)
    assert {t["Key"]: t["Value"] for t in tags["ResourceTagSet"]["Tags"]}["lz:address"] == address
