"""The organization trail into the log archive, checked with plain boto3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.access.simulate import simulate
from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import security_spec as spec

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")
TRAIL = f"{spec.ORG}-organization-trail"


def test_one_organization_trail_records_every_account_into_the_log_archive(
    lz: Any, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz")
    assert lz("apply", directory, *APPLY).code == 0
    aws = Aws(emulator, region=spec.HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    management = emulator.management_account_id
    arn = f"arn:aws:cloudtrail:{spec.HOME}:{management}:trail/{TRAIL}"

    cloudtrail = aws.client("cloudtrail")
    (trail,) = cloudtrail.describe_trails(includeShadowTrails=False)["trailList"]
    assert trail["TrailARN"] == arn
    assert trail["IsOrganizationTrail"] and trail["IsMultiRegionTrail"]
    assert trail["LogFileValidationEnabled"]
    assert cloudtrail.get_trail_status(Name=arn)["IsLogging"]
    bucket = f"{spec.ORG}-logs-{ids['logs']}"
    assert trail["S3BucketName"] == bucket
    key = aws.client("kms", ids["logs"]).describe_key(KeyId=f"alias/{spec.ORG}-logs")
    assert trail["KmsKeyId"] == key["KeyMetadata"]["Arn"]

    # Every member sees it (a shadow trail) and has no trail of its own.
    for name in ("dev", "prod", "security"):
        (shadow,) = aws.client("cloudtrail", ids[name]).describe_trails()["trailList"]
        assert shadow["TrailARN"] == arn
    assert aws.client("cloudtrail", ids["dev"], spec.OTHER).describe_trails()["trailList"]

    # The log archive's bucket and key policies name the organization trail ...
    s3 = aws.client("s3", ids["logs"])
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    delivery = next(s for s in policy["Statement"] if s.get("Sid") == "CloudTrailDelivery")
    assert arn in json.dumps(delivery["Condition"])
    key_policy = json.loads(
        aws.client("kms", ids["logs"]).get_key_policy(
            KeyId=key["KeyMetadata"]["Arn"], PolicyName="default"
        )["Policy"]
    )
    assert arn in json.dumps(key_policy)
    # ... and let the security account read the logs and decrypt them; another
    # member, not (AWS's evaluation, by lz's simulator, of the policies as stored).
    org_id = aws.client("organizations").describe_organization()["Organization"]["Id"]
    log = f"arn:aws:s3:::{bucket}/AWSLogs/{org_id}/{ids['dev']}/CloudTrail/x.json.gz"
    admin = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    }
    for reader, expected in (("security", "allowed"), ("dev", "implicitly_denied")):
        principal = f"arn:aws:iam::{ids[reader]}:role/OrganizationAccountAccessRole"
        answers = simulate(
            [
                {
                    "principal": principal,
                    "action": "s3:GetObject",
                    "resource": log,
                    "resource_account": ids["logs"],
                    "identity_policies": [admin],
                    "resource_policy": policy,
                },
                {
                    "principal": principal,
                    "action": "kms:Decrypt",
                    "resource": key["KeyMetadata"]["Arn"],
                    "resource_account": ids["logs"],
                    "context": {"kms:EncryptionContext:aws:cloudtrail:arn": arn},
                    "identity_policies": [admin],
                    "resource_policy": key_policy,
                },
            ]
        )
        assert [a["decision"] for a in answers] == [expected, expected], (reader, answers)

    # ... and the trail writes every account's logs there, under the organization's ID.
    keys = [
        o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=f"AWSLogs/{org_id}/")["Contents"]
    ]
    assert {k.split("/")[2] for k in keys} == {management, *ids.values()}
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    # Stopped by hand: drift, and apply starts it again.
    cloudtrail.stop_logging(Name=arn)
    plan = lz("plan", directory, "--json")
    operations = {op["address"]: op for op in plan.json()["operations"]}
    (change,) = operations[f"org_trail:{TRAIL}"]["changes"]
    assert (change["attr"], change["before"], change["after"]) == ("logging", False, True)
    assert lz("apply", directory, *APPLY).code == 0
    assert cloudtrail.get_trail_status(Name=arn)["IsLogging"]
