"""CloudTrail and AWS Config deliver only where the bucket and key policies let them, as in AWS."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

BUCKET = "central-logs"
REGION = "us-east-1"


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


@pytest.fixture
def accounts(aws: Aws) -> tuple[str, str]:
    """A log archive account holding the bucket, and a member whose trail delivers there."""
    aws.create_organization()
    archive, member = aws.create_account("archive"), aws.create_account("member")
    aws.client("s3", archive).create_bucket(Bucket=BUCKET)
    return archive, member


def _trail_arn(account: str, name: str = "org-trail") -> str:
    return f"arn:aws:cloudtrail:{REGION}:{account}:trail/{name}"


def _allow(service: str, actions: list[str], condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"Service": service},
        "Action": actions,
        "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/AWSLogs/*"],
        "Condition": condition,
    }


def _bucket_policy(aws: Aws, archive: str, *statements: dict[str, Any]) -> None:
    policy = {"Version": "2012-10-17", "Statement": list(statements)}
    aws.client("s3", archive).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


def _trail_key(aws: Aws, archive: str, trails: list[str]) -> str:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{archive}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": "kms:GenerateDataKey*",
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:EncryptionContext:aws:cloudtrail:arn": trails}},
            },
        ],
    }
    kms = aws.client("kms", archive)
    key = kms.create_key(Policy=json.dumps(policy))["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/trails", TargetKeyId=key)
    return str(key)


def test_a_trail_needs_a_bucket_policy_that_names_it(aws: Aws, accounts: tuple[str, str]) -> None:
    archive, member = accounts
    cloudtrail = aws.client("cloudtrail", member)
    create = {"Name": "org-trail", "S3BucketName": BUCKET, "IsMultiRegionTrail": True}
    assert _code(cloudtrail.create_trail, **create) == "InsufficientS3BucketPolicyException"
    other = _trail_arn(member, "another-trail")
    _bucket_policy(
        aws,
        archive,
        _allow(
            "cloudtrail.amazonaws.com",
            ["s3:GetBucketAcl", "s3:PutObject"],
            {"StringEquals": {"aws:SourceArn": [other]}},
        ),
    )
    assert _code(cloudtrail.create_trail, **create) == "InsufficientS3BucketPolicyException"
    _bucket_policy(
        aws,
        archive,
        _allow(
            "cloudtrail.amazonaws.com",
            ["s3:GetBucketAcl", "s3:PutObject"],
            {"StringEquals": {"aws:SourceArn": [other, _trail_arn(member)]}},
        ),
    )
    assert cloudtrail.create_trail(**create)["TrailARN"] == _trail_arn(member)
    assert _code(cloudtrail.create_trail, **create) == "TrailAlreadyExistsException"
    missing = {"Name": "org-trail", "S3BucketName": "no-such-bucket"}
    assert _code(cloudtrail.update_trail, **missing) == "S3BucketDoesNotExistException"
    cloudtrail.delete_trail(Name=_trail_arn(member))  # by ARN
    assert cloudtrail.describe_trails()["trailList"] == []
    assert _code(cloudtrail.delete_trail, Name="org-trail") == "TrailNotFoundException"


def test_a_trail_needs_a_key_policy_that_names_it(aws: Aws, accounts: tuple[str, str]) -> None:
    archive, member = accounts
    _bucket_policy(
        aws,
        archive,
        _allow(
            "cloudtrail.amazonaws.com",
            ["s3:GetBucketAcl", "s3:PutObject"],
            {"StringEquals": {"aws:SourceArn": [_trail_arn(member)]}},
        ),
    )
    cloudtrail = aws.client("cloudtrail", member)
    alias_arn = f"arn:aws:kms:{REGION}:{archive}:alias/trails"
    create = {"Name": "org-trail", "S3BucketName": BUCKET, "KmsKeyId": alias_arn}
    assert _code(cloudtrail.create_trail, **create) == "KmsKeyNotFoundException"
    _trail_key(aws, archive, [_trail_arn(member, "another-trail")])
    assert _code(cloudtrail.create_trail, **create) == "InsufficientEncryptionPolicyException"
    aws.client("kms", archive).delete_alias(AliasName="alias/trails")
    key = _trail_key(aws, archive, [_trail_arn(member)])
    cloudtrail.create_trail(**create)
    assert cloudtrail.describe_trails()["trailList"][0]["KmsKeyId"] == key  # reported by ARN


def test_config_delivers_only_for_the_accounts_the_policy_names(
    aws: Aws, accounts: tuple[str, str]
) -> None:
    archive, member = accounts
    config = aws.client("config", member)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{member}:role/aws-service-role/config.amazonaws.com/"
            "AWSServiceRoleForConfig",
            "recordingGroup": {"allSupported": True},
        }
    )
    channel = {"name": "default", "s3BucketName": BUCKET}
    assert (
        _code(config.put_delivery_channel, DeliveryChannel=channel)
        == "InsufficientDeliveryPolicyException"
    )
    assert (
        _code(config.put_delivery_channel, DeliveryChannel={**channel, "s3BucketName": "nope"})
        == "NoSuchBucketException"
    )
    _bucket_policy(
        aws,
        archive,
        _allow(
            "config.amazonaws.com",
            ["s3:GetBucketAcl", "s3:ListBucket", "s3:PutObject"],
            {"StringEquals": {"aws:SourceAccount": [member]}},
        ),
    )
    config.put_delivery_channel(DeliveryChannel=channel)
    assert config.describe_delivery_channels()["DeliveryChannels"][0]["s3BucketName"] == BUCKET


def test_config_rules_need_a_recorder_and_its_role_is_named_as_in_aws(aws: Aws) -> None:
    config = aws.client("config", region="eu-west-1")
    rule = {
        "ConfigRuleName": "restricted-ssh",
        "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"},
    }
    assert (
        _code(config.put_config_rule, ConfigRule=rule)
        == "NoAvailableConfigurationRecorderException"
    )
    role = aws.client("iam").create_service_linked_role(AWSServiceName="config.amazonaws.com")
    assert role["Role"]["RoleName"] == "AWSServiceRoleForConfig"
