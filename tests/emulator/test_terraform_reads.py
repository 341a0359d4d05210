"""What Terraform's AWS provider reads back after an import, as AWS answers it.

Each of these made Terraform plan a change (or fail) on a resource lz had
created exactly as the spec says: a budget's tags, a NAT gateway's
connectivity type, a transit gateway's security group referencing, a KMS
key's usage and rotation period.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws


def _code(call: Callable[..., Any], **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_a_budget_keeps_the_tags_it_was_created_with(aws: Aws) -> None:
    budgets = aws.client("budgets")
    account = aws.emulator.management_account_id
    budget = {
        "BudgetName": "monthly",
        "BudgetLimit": {"Amount": "100", "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    }
    tags = [{"Key": "CreatedBy", "Value": "me"}, {"Key": "ManagedBy", "Value": "landingzone"}]
    budgets.create_budget(AccountId=account, Budget=budget, ResourceTags=tags)
    arn = f"arn:aws:budgets::{account}:budget/monthly"

    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == tags
    budgets.tag_resource(ResourceARN=arn, ResourceTags=[{"Key": "Team", "Value": "ops"}])
    budgets.untag_resource(ResourceARN=arn, ResourceTagKeys=["CreatedBy"])
    assert budgets.list_tags_for_resource(ResourceARN=arn)["ResourceTags"] == [
        {"Key": "ManagedBy", "Value": "landingzone"},
        {"Key": "Team", "Value": "ops"},
    ]
    budgets.delete_budget(AccountId=account, BudgetName="monthly")
    assert _code(budgets.list_tags_for_resource, ResourceARN=arn) == "NotFoundException"


def test_a_nat_gateway_is_public_unless_asked_otherwise(aws: Aws) -> None:
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    created = ec2.create_nat_gateway(SubnetId=subnet, AllocationId=eip)["NatGateway"]
    private = ec2.create_nat_gateway(SubnetId=subnet, ConnectivityType="private")["NatGateway"]

    found = {
        n["NatGatewayId"]: n["ConnectivityType"] for n in ec2.describe_nat_gateways()["NatGateways"]
    }
    assert found == {created["NatGatewayId"]: "public", private["NatGatewayId"]: "private"}


def test_a_transit_gateway_disables_security_group_referencing_unless_asked(aws: Aws) -> None:
    ec2 = aws.client("ec2")
    plain = ec2.create_transit_gateway(Description="plain")["TransitGateway"]
    asked = ec2.create_transit_gateway(
        Description="asked", Options={"SecurityGroupReferencingSupport": "enable"}
    )["TransitGateway"]

    found = {
        g["TransitGatewayId"]: g["Options"]["SecurityGroupReferencingSupport"]
        for g in ec2.describe_transit_gateways()["TransitGateways"]
    }
    assert found == {plain["TransitGatewayId"]: "disable", asked["TransitGatewayId"]: "enable"}


def test_a_key_encrypts_by_default_and_rotates_yearly(aws: Aws) -> None:
    kms = aws.client("kms")
    key = kms.create_key(Description="logs")["KeyMetadata"]
    assert key["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyUsage"] == "ENCRYPT_DECRYPT"

    kms.enable_key_rotation(KeyId=key["KeyId"])
    status = kms.get_key_rotation_status(KeyId=key["KeyId"])
    assert (status["KeyRotationEnabled"], status["RotationPeriodInDays"]) == (True, 365)
    kms.enable_key_rotation(KeyId=key["KeyId"], RotationPeriodInDays=180)
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["RotationPeriodInDays"] == 180
    kms.disable_key_rotation(KeyId=key["KeyId"])
    assert "RotationPeriodInDays" not in kms.get_key_rotation_status(KeyId=key["KeyId"])
