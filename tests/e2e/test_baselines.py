"""Baselines applied to the emulator, checked in each member account with plain boto3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import baseline_spec as spec
from tests.e2e.baseline_spec import HOME, OTHER, STANDARD_RULES, TRAIL

pytestmark = pytest.mark.e2e

STANDARD = ("audit", "prod", "dev")


@pytest.fixture
def applied(lz, tmp_path: Path, emulator: Emulator) -> tuple[Path, Aws, dict[str, str]]:
    """The spec applied; returns its directory, clients, and the account IDs by name."""
    directory = spec.write(tmp_path / "lz")
    result = lz("apply", directory, "--auto-approve", "--approve-protected")
    assert result.code == 0, result.err
    aws = Aws(emulator, region=HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    return directory, aws, ids


def _regions(name: str) -> list[str]:
    return [HOME, OTHER] if name in ("dev", "sandbox") else [HOME]


def _detector(aws: Aws, account: str, region: str) -> dict[str, Any] | None:
    guardduty = aws.client("guardduty", account, region)
    ids = guardduty.list_detectors()["DetectorIds"]
    return guardduty.get_detector(DetectorId=ids[0]) if ids else None


def _trail(aws: Aws, account: str) -> dict[str, Any]:
    (trail,) = aws.client("cloudtrail", account).describe_trails(includeShadowTrails=False)[
        "trailList"
    ]
    return dict(trail)


def _alerts(aws: Aws, account: str, budget: str) -> dict[tuple[str, float], list[str]]:
    """(ACTUAL|FORECASTED, percent) -> e-mails, for one budget."""
    budgets = aws.client("budgets", account)
    found = {}
    notifications = budgets.describe_notifications_for_budget(AccountId=account, BudgetName=budget)
    for notification in notifications["Notifications"]:
        subscribers = budgets.describe_subscribers_for_notification(
            AccountId=account, BudgetName=budget, Notification=notification
        )["Subscribers"]
        key = (notification["NotificationType"], float(notification["Threshold"]))
        found[key] = sorted(s["Address"] for s in subscribers)
    return found


def _default_vpcs(aws: Aws, account: str, region: str) -> list[str]:
    ec2 = aws.client("ec2", account, region)
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
    return [v["VpcId"] for v in vpcs]


def test_every_setting_is_in_every_account(lz, applied) -> None:
    directory, aws, ids = applied
    for name in STANDARD:
        account = ids[name]
        iam = aws.client("iam", account)
        policy = iam.get_account_password_policy()["PasswordPolicy"]
        assert {k: policy[k] for k in ("MinimumPasswordLength", "MaxPasswordAge")} == {
            "MinimumPasswordLength": 14,
            "MaxPasswordAge": 90,
        }
        assert policy["PasswordReusePrevention"] == 24
        assert policy["RequireSymbols"] and policy["RequireNumbers"]
        assert policy["RequireUppercaseCharacters"] and policy["RequireLowercaseCharacters"]
        assert policy["AllowUsersToChangePassword"]
        alias = "acme-development" if name == "dev" else f"acme-{name}"
        assert iam.list_account_aliases()["AccountAliases"] == [alias]
        block = aws.client("s3control", account).get_public_access_block(AccountId=account)
        assert set(block["PublicAccessBlockConfiguration"].values()) == {True}
        for region in _regions(name):
            assert aws.client("ec2", account, region).get_ebs_encryption_by_default()[
                "EbsEncryptionByDefault"
            ]
            detector = _detector(aws, account, region)
            assert detector is not None
            assert detector["Status"] == "ENABLED"
            assert detector["FindingPublishingFrequency"] == "FIFTEEN_MINUTES"
            assert detector["Tags"]["ManagedBy"] == "landingzone"
            assert _default_vpcs(aws, account, region)  # the standard profile keeps them
        budget = aws.client("budgets", account).describe_budget(
            AccountId=account, BudgetName="monthly"
        )["Budget"]
        assert float(budget["BudgetLimit"]["Amount"]) == (2000 if name == "prod" else 500)
        assert budget["TimeUnit"] == "MONTHLY"
        assert _alerts(aws, account, "monthly") == {
            ("ACTUAL", 80.0): ["ops@acme.example"],
            ("FORECASTED", 100.0): ["cfo@acme.example", "ops@acme.example"],
        }

    sandbox = ids["sandbox"]
    assert "PasswordPolicy" not in _password_policy_or_none(aws, sandbox)
    assert aws.client("iam", sandbox).list_account_aliases()["AccountAliases"] == []
    for region in _regions("sandbox"):
        assert _default_vpcs(aws, sandbox, region) == []
        assert _detector(aws, sandbox, region)["FindingPublishingFrequency"] == "SIX_HOURS"
    assert _alerts(aws, sandbox, "sandbox") == {("ACTUAL", 90.0): ["dev@acme.example"]}

    replan = lz("plan", directory, "--detailed-exitcode")
    assert replan.code == 0, replan.err
    assert "No changes" in replan.err


def _password_policy_or_none(aws: Aws, account: str) -> dict[str, Any]:
    iam = aws.client("iam", account)
    try:
        return dict(iam.get_account_password_policy())
    except iam.exceptions.NoSuchEntityException:
        return {}


def test_config_records_and_delivers_to_the_log_archive(applied) -> None:
    _, aws, ids = applied
    bucket = f"acme-logs-{ids['audit']}"
    for name in STANDARD:
        for region in _regions(name):
            config = aws.client("config", ids[name], region)
            (recorder,) = config.describe_configuration_recorders()["ConfigurationRecorders"]
            assert recorder["recordingGroup"]["allSupported"]
            assert recorder["recordingGroup"]["includeGlobalResourceTypes"] == (region == HOME)
            assert recorder["roleARN"].endswith(
                "role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
            )
            (channel,) = config.describe_delivery_channels()["DeliveryChannels"]
            assert channel["s3BucketName"] == bucket
            (status,) = config.describe_configuration_recorder_status()[
                "ConfigurationRecordersStatus"
            ]
            assert status["recording"]
            rules = {r["ConfigRuleName"]: r for r in config.describe_config_rules()["ConfigRules"]}
            assert {n: r["Source"]["SourceIdentifier"] for n, r in rules.items()} == STANDARD_RULES
            parameters = json.loads(rules["iam-password-policy"]["InputParameters"])
            assert parameters == {"MinimumPasswordLength": "14"}
    assert (
        aws.client("config", ids["sandbox"]).describe_configuration_recorders()[
            "ConfigurationRecorders"
        ]
        == []
    )


def test_trails_deliver_to_a_bucket_and_key_that_allow_exactly_them(applied) -> None:
    _, aws, ids = applied
    audit = ids["audit"]
    bucket = f"acme-logs-{audit}"
    s3 = aws.client("s3", audit)
    kms = aws.client("kms", audit)
    key = kms.describe_key(KeyId="alias/acme-logs")["KeyMetadata"]["Arn"]
    trails = sorted(f"arn:aws:cloudtrail:{HOME}:{ids[n]}:trail/{TRAIL}" for n in STANDARD)
    for name in STANDARD:
        trail = _trail(aws, ids[name])
        assert trail["Name"] == TRAIL
        assert trail["S3BucketName"] == bucket
        assert trail["IsMultiRegionTrail"] and trail["IncludeGlobalServiceEvents"]
        assert trail["LogFileValidationEnabled"]
        assert trail["KmsKeyId"] == key
        assert aws.client("cloudtrail", ids[name]).get_trail_status(Name=trail["TrailARN"])[
            "IsLogging"
        ]
    assert aws.client("cloudtrail", ids["sandbox"]).describe_trails()["trailList"] == []

    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert (
        s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0][
            "ApplyServerSideEncryptionByDefault"
        ]["SSEAlgorithm"]
        == "AES256"
    )
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert set(block.values()) == {True}
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    assert tags["ManagedBy"] == "landingzone"
    policy = {
        s["Sid"]: s for s in json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    }
    assert policy["CloudTrailDelivery"]["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    condition = policy["CloudTrailDelivery"]["Condition"]["StringEquals"]
    assert sorted(condition["aws:SourceArn"]) == trails
    condition = policy["ConfigDelivery"]["Condition"]["StringEquals"]
    assert sorted(condition["aws:SourceAccount"]) == sorted(ids[n] for n in STANDARD)
    assert policy["DenyInsecureTransport"]["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }

    key_policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    encrypts = next(s for s in key_policy["Statement"] if s["Sid"] == "CloudTrailEncrypts")
    assert encrypts["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    condition = encrypts["Condition"]["StringEquals"]
    assert sorted(condition["aws:SourceArn"]) == trails
    assert sorted(condition["kms:EncryptionContext:aws:cloudtrail:arn"]) == trails
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"]


def test_drift_is_detected_and_repaired(lz, applied) -> None:
    directory, aws, ids = applied
    dev, prod = ids["dev"], ids["prod"]
    aws.client("iam", dev).update_account_password_policy(MinimumPasswordLength=6)
    guardduty = aws.client("guardduty", dev, OTHER)
    guardduty.delete_detector(DetectorId=guardduty.list_detectors()["DetectorIds"][0])
    cloudtrail = aws.client("cloudtrail", prod)
    cloudtrail.stop_logging(Name=TRAIL)
    cloudtrail.update_trail(Name=TRAIL, EnableLogFileValidation=False)
    aws.client("config", prod).delete_config_rule(ConfigRuleName="restricted-ssh")
    aws.client("budgets", dev).update_budget(
        AccountId=dev,
        NewBudget={
            "BudgetName": "monthly",
            "BudgetLimit": {"Amount": "10000", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )
    aws.client("ec2", prod).disable_ebs_encryption_by_default()
    aws.client("s3control", prod).put_public_access_block(
        AccountId=prod,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": False,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )

    drift = lz("drift", directory, "--json")
    assert drift.code == 2, drift.err
    found = {(op["action"], op["address"]) for op in drift.json()["operations"]}
    assert found == {
        ("update", "password_policy:dev"),
        ("create", f"guardduty:dev/{OTHER}"),
        ("update", f"trail:prod/{TRAIL}"),
        ("create", f"config_rule:prod/{HOME}/restricted-ssh"),
        ("update", "budget:dev/monthly"),
        ("update", f"ebs_encryption:prod/{HOME}"),
        ("update", "s3_public_access_block:prod"),
    }
    changes = {
        op["address"]: {c["attr"]: (c["before"], c["after"]) for c in op["changes"]}
        for op in drift.json()["operations"]
    }
    assert changes[f"trail:prod/{TRAIL}"] == {
        "log_file_validation": (False, True),
        "logging": (False, True),
    }
    assert changes["budget:dev/monthly"] == {"limit_usd": ("10000", "500")}

    repaired = lz("apply", directory, "--auto-approve", "--approve-protected")
    assert repaired.code == 0, repaired.err
    assert (
        aws.client("iam", dev).get_account_password_policy()["PasswordPolicy"][
            "MinimumPasswordLength"
        ]
        == 14
    )
    assert _detector(aws, dev, OTHER)["Status"] == "ENABLED"
    trail = _trail(aws, prod)
    assert trail["LogFileValidationEnabled"]
    assert cloudtrail.get_trail_status(Name=TRAIL)["IsLogging"]
    assert "restricted-ssh" in {
        r["ConfigRuleName"]
        for r in aws.client("config", prod).describe_config_rules()["ConfigRules"]
    }
    budget = aws.client("budgets", dev).describe_budget(AccountId=dev, BudgetName="monthly")
    assert float(budget["Budget"]["BudgetLimit"]["Amount"]) == 500
    assert _alerts(aws, dev, "monthly")[("ACTUAL", 80.0)] == ["ops@acme.example"]
    assert aws.client("ec2", prod).get_ebs_encryption_by_default()["EbsEncryptionByDefault"]
    assert lz("plan", directory, "--detailed-exitcode").code == 0
