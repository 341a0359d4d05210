"""What a baseline stack imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.aws import Aws
from tests.export.stack_ids import stack_account


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """Baselines are per account and region: look there (live/<account>-<region>/baseline)."""
    account, region = stack_account(stack, accounts)
    account_id = accounts[account]

    def client(service: str) -> Any:
        return aws.client(service, account_id, region)

    config = client("config")
    if type_ == "aws_iam_account_password_policy":
        assert key == account and client("iam").get_account_password_policy()["PasswordPolicy"]
        return "iam-account-password-policy"
    if type_ == "aws_iam_account_alias":
        assert key == account
        return str(client("iam").list_account_aliases()["AccountAliases"][0])
    if type_ == "aws_s3_account_public_access_block":
        assert client("s3control").get_public_access_block(AccountId=account_id)
        return account_id
    if type_ == "aws_ebs_encryption_by_default":
        assert key == region
        assert client("ec2").get_ebs_encryption_by_default()["EbsEncryptionByDefault"]
        return "default"
    if type_ == "aws_guardduty_detector":
        assert key == region
        return str(client("guardduty").list_detectors()["DetectorIds"][0])
    if type_ in ("aws_config_configuration_recorder", "aws_config_configuration_recorder_status"):
        recorders = config.describe_configuration_recorders()["ConfigurationRecorders"]
        return str(recorders[0]["name"])
    if type_ == "aws_config_delivery_channel":
        return str(config.describe_delivery_channels()["DeliveryChannels"][0]["name"])
    if type_ == "aws_config_config_rule":
        rules = config.describe_config_rules(ConfigRuleNames=[key])["ConfigRules"]
        return str(rules[0]["ConfigRuleName"])
    if type_ == "aws_cloudtrail":
        return str(
            client("cloudtrail").describe_trails(trailNameList=[key])["trailList"][0]["TrailARN"]
        )
    if type_ == "aws_budgets_budget":
        budget = client("budgets").describe_budget(AccountId=account_id, BudgetName=key)["Budget"]
        return f"{account_id}:{budget['BudgetName']}"
    if type_ == "aws_kms_key":
        return str(client("kms").describe_key(KeyId=f"alias/{key}")["KeyMetadata"]["KeyId"])
    if type_ == "aws_kms_alias":
        assert f"alias/{key}" in [a["AliasName"] for a in client("kms").list_aliases()["Aliases"]]
        return f"alias/{key}"
    if type_.startswith("aws_s3_bucket"):
        client("s3").head_bucket(Bucket=key)  # it exists there
        return key
    raise AssertionError(f"no check for {type_}")
