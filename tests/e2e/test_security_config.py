"""The organization's AWS Config aggregator in the security account, checked with plain boto3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import security_spec as spec

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")
AGGREGATOR = f"{spec.ORG}-organization"


def test_the_aggregator_sees_every_account_and_is_repaired_when_deleted_or_retagged(
    lz: Any, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz")
    assert lz("apply", directory, *APPLY).code == 0
    aws = Aws(emulator, region=spec.HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    config = aws.client("config", ids["security"])

    (aggregator,) = config.describe_configuration_aggregators()["ConfigurationAggregators"]
    source = aggregator["OrganizationAggregationSource"]
    assert aggregator["ConfigurationAggregatorName"] == AGGREGATOR
    assert source["AllAwsRegions"] is True
    role = aws.client("iam", ids["security"]).get_role(RoleName=f"{spec.ORG}-config-aggregator")
    assert source["RoleArn"] == role["Role"]["Arn"]
    trusted = role["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    assert trusted == {"Service": "config.amazonaws.com"}

    sources = config.describe_configuration_aggregator_sources_status(
        ConfigurationAggregatorName=AGGREGATOR
    )["AggregatedSourceStatusList"]
    recording = {
        (s["SourceId"], s["AwsRegion"]) for s in sources if s["LastUpdateStatus"] == "SUCCEEDED"
    }
    expected = {(ids[name], spec.HOME) for name in ("security", "logs", "dev", "prod")}
    assert recording == expected | {(ids["dev"], spec.OTHER)}
    assert {s["SourceId"] for s in sources} == set(ids.values()) | {emulator.management_account_id}
    compliance = config.describe_aggregate_compliance_by_config_rules(
        ConfigurationAggregatorName=AGGREGATOR
    )["AggregateComplianceByConfigRules"]
    assert {(c["AccountId"], c["AwsRegion"]) for c in compliance} == recording
    assert {c["ConfigRuleName"] for c in compliance} == {"restricted-ssh"}
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    # Deleted by hand: the plan shows it, apply puts it back.
    config.delete_configuration_aggregator(ConfigurationAggregatorName=AGGREGATOR)
    plan = lz("plan", directory, "--json")
    operations = {op["address"]: op for op in plan.json()["operations"]}
    address = f"config_aggregator:security/{spec.HOME}/{AGGREGATOR}"
    assert operations[address]["action"] == "create"
    assert lz("drift", directory).code == 2
    assert lz("apply", directory, *APPLY).code == 0
    names = config.describe_configuration_aggregators()["ConfigurationAggregators"]
    assert [a["ConfigurationAggregatorName"] for a in names] == [AGGREGATOR]
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    # A tag changed by hand on the aggregator and on a member's Config rule: the
    # plan shows both, apply puts them back with TagResource (a Put would not).
    (aggregator,) = config.describe_configuration_aggregators()["ConfigurationAggregators"]
    rules = aws.client("config", ids["dev"])
    (rule,) = rules.describe_config_rules(ConfigRuleNames=["restricted-ssh"])["ConfigRules"]
    hand = [{"Key": "ManagedBy", "Value": "someone"}]
    config.tag_resource(ResourceArn=aggregator["ConfigurationAggregatorArn"], Tags=hand)
    rules.tag_resource(ResourceArn=rule["ConfigRuleArn"], Tags=hand)
    plan = lz("plan", directory, "--json")
    changed = {
        op["address"]: {c["attr"] for c in op["changes"]}
        for op in plan.json()["operations"]
        if op["action"] == "update"
    }
    assert changed == {address: {"tags"}, f"config_rule:dev/{spec.HOME}/restricted-ssh": {"tags"}}
    assert lz("apply", directory, *APPLY).code == 0
    for client, arn in (
        (config, aggregator["ConfigurationAggregatorArn"]),
        (rules, rule["ConfigRuleArn"]),
    ):
        tags = client.list_tags_for_resource(ResourceArn=arn)["Tags"]
        assert {"Key": "ManagedBy", "Value": "landingzone"} in tags
    assert lz("plan", directory, "--detailed-exitcode").code == 0
