"""Baselines over time: default VPC removal, settings that leave the spec, changed settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import baseline_spec as spec
from tests.e2e.baseline_spec import HOME, OTHER, TRAIL

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")


def _default_vpcs(aws: Aws, account: str, region: str) -> list[str]:
    ec2 = aws.client("ec2", account, region)
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
    return [v["VpcId"] for v in vpcs]


def _apply(lz: Any, directory: Path) -> None:
    result = lz("apply", directory, *APPLY)
    assert result.code == 0, result.err


def test_default_vpcs_are_removed_only_when_empty(lz, tmp_path: Path, emulator: Emulator):
    directory = spec.write(tmp_path / "lz")
    spec.edit(directory, "baselines.yaml", "      remove_default_vpcs: true\n", "")
    _apply(lz, directory)
    aws = Aws(emulator, region=HOME)
    sandbox = aws.accounts()["sandbox"]["Id"]
    ec2 = aws.client("ec2", sandbox, OTHER)
    (busy,) = _default_vpcs(aws, sandbox, OTHER)
    subnet = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [busy]}])["Subnets"][0]
    interface = ec2.create_network_interface(SubnetId=subnet["SubnetId"])["NetworkInterface"]
    interface_id = interface["NetworkInterfaceId"]

    spec.edit(
        directory,
        "baselines.yaml",
        "            - {percent: 90, emails: [dev@acme.example]}\n",
        "            - {percent: 90, emails: [dev@acme.example]}\n"
        "      remove_default_vpcs: true\n",
    )
    plan = lz("plan", directory, "--json")
    operations = {op["address"]: op for op in plan.json()["operations"]}
    (change,) = operations[f"default_vpc:sandbox/{OTHER}"]["changes"]
    assert change["attr"] == "default_vpc"
    assert change["before"].startswith(f"{busy} (172.31.0.0/16: ")
    assert "1 internet gateways, 1 network interfaces" in change["before"]
    assert change["after"] == "none"
    warnings = "\n".join(plan.json()["warnings"])
    assert f"apply deletes the default VPC {busy}" in warnings
    assert "which lz did not create" in warnings
    assert f"has network interfaces ({interface_id}): apply will refuse" in warnings

    refused = lz("apply", directory, *APPLY)
    assert refused.code == 1
    assert f"refusing to delete the default VPC {busy}" in refused.err
    assert interface_id in refused.err
    assert _default_vpcs(aws, sandbox, OTHER) == [busy]  # left whole
    assert _default_vpcs(aws, sandbox, HOME) == []  # the empty one went

    ec2.delete_network_interface(NetworkInterfaceId=interface_id)
    _apply(lz, directory)
    assert _default_vpcs(aws, sandbox, OTHER) == []
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    spec.edit(directory, "baselines.yaml", "      remove_default_vpcs: true\n", "")
    plan = lz("plan", directory, "--json")
    actions = {op["address"]: op["action"] for op in plan.json()["operations"]}
    assert actions == {
        f"default_vpc:sandbox/{HOME}": "forget",
        f"default_vpc:sandbox/{OTHER}": "forget",
    }
    _apply(lz, directory)
    assert _default_vpcs(aws, sandbox, HOME) == []  # never recreated


def test_an_account_that_leaves_its_baseline(lz, tmp_path: Path, emulator: Emulator):
    directory = spec.write(tmp_path / "lz")
    _apply(lz, directory)
    aws = Aws(emulator, region=HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    dev = ids["dev"]

    spec.edit(
        directory, "landingzone.yaml", "    alias: acme-development\n", "    baseline: none\n"
    )
    plan = lz("plan", directory, "--json")
    actions = {op["address"]: op["action"] for op in plan.json()["operations"]}
    dev_actions = {a: act for a, act in actions.items() if ":dev" in a}
    assert dev_actions == {
        "account_alias:dev": "forget",
        "password_policy:dev": "forget",
        "s3_public_access_block:dev": "forget",
        f"ebs_encryption:dev/{HOME}": "forget",
        f"ebs_encryption:dev/{OTHER}": "forget",
        f"guardduty:dev/{HOME}": "delete",
        f"guardduty:dev/{OTHER}": "delete",
        f"config_recorder:dev/{HOME}": "delete",
        f"config_recorder:dev/{OTHER}": "delete",
        **{
            f"config_rule:dev/{region}/{rule}": "delete"
            for region in (HOME, OTHER)
            for rule in spec.STANDARD_RULES
        },
        f"trail:dev/{TRAIL}": "delete",
        "budget:dev/monthly": "delete",
    }
    assert actions["kms_key:audit/acme-logs"] == "update"
    assert actions["log_bucket:audit/acme-logs-{account_id}"] == "update"
    _apply(lz, directory)

    # Settings stay as they were; what lz created is gone.
    iam = aws.client("iam", dev)
    assert iam.get_account_password_policy()["PasswordPolicy"]["MinimumPasswordLength"] == 14
    assert iam.list_account_aliases()["AccountAliases"] == ["acme-development"]
    for region in (HOME, OTHER):
        assert aws.client("guardduty", dev, region).list_detectors()["DetectorIds"] == []
        config = aws.client("config", dev, region)
        assert config.describe_configuration_recorders()["ConfigurationRecorders"] == []
        assert config.describe_config_rules()["ConfigRules"] == []
    assert aws.client("cloudtrail", dev).describe_trails()["trailList"] == []
    assert aws.client("budgets", dev).describe_budgets(AccountId=dev).get("Budgets", []) == []

    # The log archive now lets exactly the remaining trails and accounts deliver.
    bucket = f"acme-logs-{ids['audit']}"
    policy = json.loads(aws.client("s3", ids["audit"]).get_bucket_policy(Bucket=bucket)["Policy"])
    statements = {s["Sid"]: s for s in policy["Statement"]}
    trails = sorted(f"arn:aws:cloudtrail:{HOME}:{ids[n]}:trail/{TRAIL}" for n in ("audit", "prod"))
    delivery = statements["CloudTrailDelivery"]["Condition"]["StringEquals"]
    assert sorted(delivery["aws:SourceArn"]) == trails
    accounts = statements["ConfigDelivery"]["Condition"]["StringEquals"]["aws:SourceAccount"]
    assert sorted(accounts) == sorted([ids["audit"], ids["prod"]])
    kms = aws.client("kms", ids["audit"])
    key = kms.describe_key(KeyId="alias/acme-logs")["KeyMetadata"]["Arn"]
    key_policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    encrypts = next(s for s in key_policy["Statement"] if s["Sid"] == "CloudTrailEncrypts")
    assert sorted(encrypts["Condition"]["StringEquals"]["aws:SourceArn"]) == trails
    assert lz("plan", directory, "--detailed-exitcode").code == 0


def test_changed_settings_are_updated_in_place(lz, tmp_path: Path, emulator: Emulator):
    directory = spec.write(tmp_path / "lz")
    _apply(lz, directory)
    aws = Aws(emulator, region=HOME)
    prod = aws.accounts()["prod"]["Id"]
    kms = aws.client("kms", prod)
    key = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/ebs-default", TargetKeyId=key)

    spec.edit(
        directory,
        "landingzone.yaml",
        "      budgets: {monthly: {limit_usd: 2000}}\n",
        "      budgets: {monthly: {limit_usd: 2000}}\n"
        "      ebs_encryption: {kms_key: alias/ebs-default}\n"
        "      guardduty: {finding_publishing_frequency: SIX_HOURS}\n",
    )
    spec.edit(directory, "baselines.yaml", 'alias: "{org}-{account}"', 'alias: "{account}-{org}"')
    spec.edit(
        directory, "baselines.yaml", "[ops@acme.example]}", "[ops@acme.example, sre@acme.example]}"
    )
    plan = lz("plan", directory, "--json")
    changes = {
        op["address"]: {c["attr"]: [c["before"], c["after"]] for c in op["changes"]}
        for op in plan.json()["operations"]
    }
    assert changes[f"ebs_encryption:prod/{HOME}"] == {
        "kms_key": [f"arn:aws:kms:{HOME}:{prod}:alias/aws/ebs", "alias/ebs-default"]
    }
    assert changes[f"guardduty:prod/{HOME}"] == {
        "finding_publishing_frequency": ["FIFTEEN_MINUTES", "SIX_HOURS"]
    }
    assert changes["account_alias:prod"] == {"alias": ["acme-prod", "prod-acme"]}
    assert list(changes["budget:prod/monthly"]) == ["alerts"]
    _apply(lz, directory)

    assert aws.client("ec2", prod).get_ebs_default_kms_key_id()["KmsKeyId"] == key
    assert aws.client("iam", prod).list_account_aliases()["AccountAliases"] == ["prod-acme"]
    guardduty = aws.client("guardduty", prod)
    detector = guardduty.get_detector(DetectorId=guardduty.list_detectors()["DetectorIds"][0])
    assert detector["FindingPublishingFrequency"] == "SIX_HOURS"
    budgets = aws.client("budgets", prod)
    actual = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80.0,
        "ThresholdType": "PERCENTAGE",
    }
    subscribers = budgets.describe_subscribers_for_notification(
        AccountId=prod, BudgetName="monthly", Notification=actual
    )["Subscribers"]
    assert sorted(s["Address"] for s in subscribers) == ["ops@acme.example", "sre@acme.example"]
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    # Someone adds an SNS topic to lz's alert by hand: drift, and apply puts it back.
    topic = f"arn:aws:sns:{HOME}:{prod}:costs"
    budgets.delete_notification(AccountId=prod, BudgetName="monthly", Notification=actual)
    budgets.create_notification(
        AccountId=prod,
        BudgetName="monthly",
        Notification=actual,
        Subscribers=[
            *(
                {"SubscriptionType": "EMAIL", "Address": a}
                for a in sorted(s["Address"] for s in subscribers)
            ),
            {"SubscriptionType": "SNS", "Address": topic},
        ],
    )
    drifted = lz("plan", directory, "--json").json()["operations"]
    assert [(op["address"], [c["attr"] for c in op["changes"]]) for op in drifted] == [
        ("budget:prod/monthly", ["alerts"])
    ]
    _apply(lz, directory)
    subscribers = budgets.describe_subscribers_for_notification(
        AccountId=prod, BudgetName="monthly", Notification=actual
    )["Subscribers"]
    assert sorted((s["SubscriptionType"], s["Address"]) for s in subscribers) == [
        ("EMAIL", "ops@acme.example"),
        ("EMAIL", "sre@acme.example"),
    ]
    assert lz("plan", directory, "--detailed-exitcode").code == 0
