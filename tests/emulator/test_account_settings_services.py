"""Account-level settings answer as in AWS: S3 Control, the default EBS key, default VPCs."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from landingzone.emulator import Emulator
from tests.aws import Aws

BLOCK_ALL = dict.fromkeys(
    ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"], True
)


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_s3_control_is_reached_through_its_own_endpoint(aws: Aws, emulator: Emulator) -> None:
    aws.create_organization()
    account = aws.create_account("member")
    s3control = aws.client("s3control", account)
    assert _code(s3control.get_public_access_block, AccountId=account) == (
        "NoSuchPublicAccessBlockConfiguration"
    )
    s3control.put_public_access_block(AccountId=account, PublicAccessBlockConfiguration=BLOCK_ALL)
    got = s3control.get_public_access_block(AccountId=account)["PublicAccessBlockConfiguration"]
    assert got == BLOCK_ALL
    calls = {(c["account"], c["service"], c["operation"]) for c in emulator.request_counts()}
    assert (account, "s3control", "PutPublicAccessBlock") in calls


def test_the_default_ebs_key_is_aws_managed_until_changed(aws: Aws) -> None:
    ec2 = aws.client("ec2", region="eu-west-1")
    account = aws.emulator.management_account_id
    aws_managed = f"arn:aws:kms:eu-west-1:{account}:alias/aws/ebs"
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == aws_managed
    key = aws.client("kms", region="eu-west-1").create_key()["KeyMetadata"]["Arn"]
    ec2.modify_ebs_default_kms_key_id(KmsKeyId=key)
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == key
    assert ec2.reset_ebs_default_kms_key_id()["KmsKeyId"] == aws_managed
    assert ec2.get_ebs_default_kms_key_id()["KmsKeyId"] == aws_managed


def _default_vpc(ec2: Any) -> str:
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
    return str(vpcs[0]["VpcId"])


def test_a_default_vpc_has_an_internet_gateway_and_a_route_to_it(aws: Aws) -> None:
    ec2 = aws.client("ec2", region="eu-west-1")
    vpc = _default_vpc(ec2)
    gateways = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}]
    )["InternetGateways"]
    assert len(gateways) == 1
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])
    routes = tables["RouteTables"][0]["Routes"]
    assert {"0.0.0.0/0": gateways[0]["InternetGatewayId"]}.items() <= {
        r.get("DestinationCidrBlock"): r.get("GatewayId") for r in routes
    }.items()


def test_a_vpc_is_deleted_only_after_its_gateway_and_a_subnet_only_when_unused(aws: Aws) -> None:
    ec2 = aws.client("ec2", region="eu-west-1")
    vpc = _default_vpc(ec2)
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    used = subnets[0]["SubnetId"]
    ec2.create_network_interface(SubnetId=used)
    assert _code(ec2.delete_subnet, SubnetId=used) == "DependencyViolation"
    assert _code(ec2.delete_vpc, VpcId=vpc) == "DependencyViolation"  # gateway attached
    gateway = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}]
    )["InternetGateways"][0]["InternetGatewayId"]
    ec2.detach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    ec2.delete_internet_gateway(InternetGatewayId=gateway)
    for subnet in subnets[1:]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    interface = ec2.describe_network_interfaces()["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.delete_network_interface(NetworkInterfaceId=interface)
    ec2.delete_subnet(SubnetId=used)
    ec2.delete_vpc(VpcId=vpc)
    assert ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"] == []
