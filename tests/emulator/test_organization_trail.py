"""Organization trails: who may create one, the bucket path it needs, shadow trails, delivery."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

BUCKET = "central-logs"
REGION = "us-east-1"
TRAIL = {"Name": "org-trail", "S3BucketName": BUCKET, "IsMultiRegionTrail": True}


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def _policy(aws: Aws, archive: str, resource: str) -> None:
    management = aws.emulator.management_account_id
    trail = f"arn:aws:cloudtrail:{REGION}:{management}:trail/org-trail"
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": ["s3:GetBucketAcl", "s3:PutObject"],
                "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/{resource}"],
                "Condition": {"StringEquals": {"aws:SourceArn": trail}},
            }
        ],
    }
    aws.client("s3", archive).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))


@pytest.fixture
def org(aws: Aws) -> dict[str, str]:
    aws.create_organization()
    accounts = {"archive": aws.create_account("archive"), "dev": aws.create_account("dev")}
    aws.client("s3", accounts["archive"]).create_bucket(Bucket=BUCKET)
    return accounts


def test_an_organization_trail_needs_the_management_account_and_trusted_access(
    aws: Aws, org: dict[str, str]
) -> None:
    management = aws.emulator.management_account_id
    _policy(aws, org["archive"], "AWSLogs/*")
    create = {**TRAIL, "IsOrganizationTrail": True}
    cloudtrail = aws.client("cloudtrail")
    assert _code(cloudtrail.create_trail, **create) == "CloudTrailAccessNotEnabledException"
    aws.client("organizations").enable_aws_service_access(
        ServicePrincipal="cloudtrail.amazonaws.com"
    )
    member = aws.client("cloudtrail", org["dev"]).create_trail
    assert _code(member, **create) == "NotOrganizationMasterAccountException"
    arn = cloudtrail.create_trail(**create)["TrailARN"]
    assert arn == f"arn:aws:cloudtrail:{REGION}:{management}:trail/org-trail"


def test_the_bucket_policy_must_cover_the_organizations_path(aws: Aws, org: dict[str, str]) -> None:
    management = aws.emulator.management_account_id
    aws.client("organizations").enable_aws_service_access(
        ServicePrincipal="cloudtrail.amazonaws.com"
    )
    _policy(aws, org["archive"], f"AWSLogs/{management}/*")  # the management account's only
    cloudtrail = aws.client("cloudtrail")
    create = {**TRAIL, "IsOrganizationTrail": True}
    assert _code(cloudtrail.create_trail, **create) == "InsufficientS3BucketPolicyException"
    cloudtrail.create_trail(**TRAIL)  # an ordinary trail of the account needs no more


def test_members_see_the_trail_and_it_delivers_for_every_account(
    aws: Aws, org: dict[str, str]
) -> None:
    management = aws.emulator.management_account_id
    aws.client("organizations").enable_aws_service_access(
        ServicePrincipal="cloudtrail.amazonaws.com"
    )
    _policy(aws, org["archive"], "AWSLogs/*")
    cloudtrail = aws.client("cloudtrail")
    arn = cloudtrail.create_trail(**TRAIL, IsOrganizationTrail=True)["TrailARN"]
    cloudtrail.start_logging(Name=arn)

    member = aws.client("cloudtrail", org["dev"], "eu-west-1")  # multi-region: every region
    (shadow,) = member.describe_trails()["trailList"]
    assert (shadow["TrailARN"], shadow["IsOrganizationTrail"]) == (arn, True)
    assert member.describe_trails(includeShadowTrails=False)["trailList"] == []

    org_id = aws.client("organizations").describe_organization()["Organization"]["Id"]
    s3 = aws.client("s3", org["archive"])
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    delivered = {key.split("/")[2] for key in keys}
    assert delivered == {management, org["archive"], org["dev"]}
    assert all(key.startswith(f"AWSLogs/{org_id}/") for key in keys)
    body = s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert json.loads(gzip.decompress(body)) == {"Records": []}
