"""A private hosted zone of one account is associated with a VPC of another, as in AWS:
the zone owner authorizes, the VPC owner associates, the authorization is removed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

REGION = "us-east-1"


@dataclass
class Dns:
    """shared-services owns the zone (with its VPC); dev owns another VPC."""

    aws: Aws
    shared: str
    dev: str
    zone: str
    shared_vpc: str
    dev_vpc: str

    def route53(self, account: str) -> Any:
        return self.aws.client("route53", account=account)

    def zone_vpcs(self) -> set[str]:
        vpcs = self.route53(self.shared).get_hosted_zone(Id=self.zone)["VPCs"]
        return {v["VPCId"] for v in vpcs}

    def dev_vpc_spec(self) -> dict[str, str]:
        return {"VPCRegion": REGION, "VPCId": self.dev_vpc}


@pytest.fixture
def dns(aws: Aws) -> Dns:
    aws.create_organization()
    shared, dev = aws.create_account("shared-services"), aws.create_account("dev")
    shared_vpc = aws.client("ec2", account=shared).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]
    dev_vpc = aws.client("ec2", account=dev).create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]
    zone = aws.client("route53", account=shared).create_hosted_zone(
        Name="internal.example.com",
        CallerReference="zone",
        HostedZoneConfig={"PrivateZone": True, "Comment": "shared"},
        VPC={"VPCRegion": REGION, "VPCId": shared_vpc["VpcId"]},
    )["HostedZone"]["Id"]
    return Dns(aws, shared, dev, zone, shared_vpc["VpcId"], dev_vpc["VpcId"])


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_association_needs_the_owners_authorization(dns: Dns) -> None:
    dev = dns.route53(dns.dev)
    code = _code(dev.associate_vpc_with_hosted_zone, HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec())
    assert code == "NotAuthorizedException"
    assert dns.zone_vpcs() == {dns.shared_vpc}


def test_authorize_associate_then_clean_up(dns: Dns) -> None:
    owner, dev = dns.route53(dns.shared), dns.route53(dns.dev)
    authorized = owner.create_vpc_association_authorization(
        HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec()
    )
    assert authorized["VPC"] == dns.dev_vpc_spec()
    listed = owner.list_vpc_association_authorizations(HostedZoneId=dns.zone)
    assert listed["VPCs"] == [dns.dev_vpc_spec()]

    change = dev.associate_vpc_with_hosted_zone(HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec())
    assert change["ChangeInfo"]["Status"] == "INSYNC"
    assert dns.zone_vpcs() == {dns.shared_vpc, dns.dev_vpc}
    seen_by_dev = dev.list_hosted_zones_by_vpc(VPCId=dns.dev_vpc, VPCRegion=REGION)
    (summary,) = seen_by_dev["HostedZoneSummaries"]
    assert summary["Name"] == "internal.example.com."
    assert summary["Owner"] == {"OwningAccount": dns.shared}

    owner.delete_vpc_association_authorization(HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec())
    assert owner.list_vpc_association_authorizations(HostedZoneId=dns.zone)["VPCs"] == []
    assert dns.zone_vpcs() == {dns.shared_vpc, dns.dev_vpc}  # the association stays

    dev.disassociate_vpc_from_hosted_zone(HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec())
    assert dns.zone_vpcs() == {dns.shared_vpc}
    code = _code(
        dev.disassociate_vpc_from_hosted_zone, HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec()
    )
    assert code == "VPCAssociationNotFound"


def test_an_authorization_is_for_one_vpc_and_region(dns: Dns) -> None:
    owner, dev = dns.route53(dns.shared), dns.route53(dns.dev)
    owner.create_vpc_association_authorization(
        HostedZoneId=dns.zone, VPC={"VPCRegion": "eu-west-1", "VPCId": dns.dev_vpc}
    )
    code = _code(dev.associate_vpc_with_hosted_zone, HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec())
    assert code == "NotAuthorizedException"


def test_the_vpc_must_belong_to_the_caller(dns: Dns) -> None:
    dns.route53(dns.shared).create_vpc_association_authorization(
        HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec()
    )
    code = _code(
        dns.route53(dns.aws.emulator.management_account_id).associate_vpc_with_hosted_zone,
        HostedZoneId=dns.zone,
        VPC=dns.dev_vpc_spec(),
    )
    assert code == "InvalidVPCId"


def test_deleting_a_missing_authorization_and_unknown_zones(dns: Dns) -> None:
    owner = dns.route53(dns.shared)
    code = _code(
        owner.delete_vpc_association_authorization, HostedZoneId=dns.zone, VPC=dns.dev_vpc_spec()
    )
    assert code == "VPCAssociationAuthorizationNotFound"
    code = _code(
        dns.route53(dns.dev).create_vpc_association_authorization,
        HostedZoneId=dns.zone,
        VPC=dns.dev_vpc_spec(),
    )
    assert code == "NoSuchHostedZone"


def test_public_zones_take_no_vpc(dns: Dns) -> None:
    owner = dns.route53(dns.shared)
    public = owner.create_hosted_zone(Name="example.com", CallerReference="public")["HostedZone"]
    code = _code(
        owner.create_vpc_association_authorization,
        HostedZoneId=public["Id"],
        VPC=dns.dev_vpc_spec(),
    )
    assert code == "PublicZoneVPCAssociation"
