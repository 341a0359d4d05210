"""What a dns or dns_associations stack imports."""

from __future__ import annotations

from pathlib import Path

from tests.aws import Aws
from tests.export.stack_ids import stack_account


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """Zones are their owner's (live/<owner>-<region>/dns), associations the VPC's account's
    (the owner's dns stack or the account's dns_associations stack, in the VPC's region)."""
    account, region = stack_account(stack, accounts)
    route53 = aws.client("route53", accounts[account], region)
    if type_ == "aws_route53_zone":  # key: the zone's name
        zones = route53.list_hosted_zones()["HostedZones"]
        found = [z for z in zones if z["Name"] == f"{key}." and z["Config"]["PrivateZone"]]
        assert len(found) == 1, (key, zones)
        return str(found[0]["Id"]).rsplit("/", 1)[-1]
    if type_ == "aws_route53_zone_association":  # key: <network>/<zone>
        network, zone = key.split("/", 1)
        address = f"vpc:{account}/{region}/{network}"
        vpcs = aws.client("ec2", accounts[account], region).describe_vpcs(
            Filters=[{"Name": "tag:lz:address", "Values": [address]}]
        )["Vpcs"]
        assert len(vpcs) == 1, (address, vpcs)
        vpc_id = vpcs[0]["VpcId"]
        listed = route53.list_hosted_zones_by_vpc(VPCId=vpc_id, VPCRegion=region)
        zones = [z for z in listed["HostedZoneSummaries"] if z["Name"] == f"{zone}."]
        assert len(zones) == 1, (key, listed)
        return f"{zones[0]['HostedZoneId']}:{vpc_id}"
    raise AssertionError(f"no check for {type_}")  # authorizations: only ever created
