"""Organization-wide AWS Config aggregators, as AWS checks and answers them (config_org_compat)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

CONFIG = "config.amazonaws.com"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": CONFIG}, "Action": "sts:AssumeRole"}
        ],
    }
)
POLICY = "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations"


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


@pytest.fixture
def security(aws: Aws) -> str:
    aws.create_organization()
    return aws.create_account("security")


def _role(aws: Aws, account: str, *, trust: str = TRUST, policy: str | None = POLICY) -> str:
    iam = aws.client("iam", account)
    arn = iam.create_role(RoleName="aggregator", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    if policy:
        iam.attach_role_policy(RoleName="aggregator", PolicyArn=policy)
    return str(arn)


def _source(role: str) -> dict[str, Any]:
    return {"RoleArn": role, "AllAwsRegions": True}


def test_only_a_delegated_administrator_with_trusted_access_aggregates(
    aws: Aws, security: str
) -> None:
    role = _role(aws, security)
    put = aws.client("config", security).put_configuration_aggregator
    refused = _refused(
        put, ConfigurationAggregatorName="org", OrganizationAggregationSource=_source(role)
    )
    assert refused == "OrganizationAccessDeniedException"
    org = aws.client("organizations")
    org.enable_aws_service_access(ServicePrincipal=CONFIG)
    org.register_delegated_administrator(AccountId=security, ServicePrincipal=CONFIG)
    put(ConfigurationAggregatorName="org", OrganizationAggregationSource=_source(role))
    names = aws.client("config", security).describe_configuration_aggregators()
    assert [a["ConfigurationAggregatorName"] for a in names["ConfigurationAggregators"]] == ["org"]


@pytest.mark.parametrize(
    ("trust", "policy"),
    [
        (TRUST.replace(CONFIG, "ec2.amazonaws.com"), POLICY),  # Config cannot assume it
        (TRUST, None),  # nor read the organization
    ],
)
def test_the_role_must_let_config_read_the_organization(
    aws: Aws, security: str, trust: str, policy: str | None
) -> None:
    org = aws.client("organizations")
    org.enable_aws_service_access(ServicePrincipal=CONFIG)
    org.register_delegated_administrator(AccountId=security, ServicePrincipal=CONFIG)
    role = _role(aws, security, trust=trust, policy=policy)
    put = aws.client("config", security).put_configuration_aggregator
    refused = _refused(
        put, ConfigurationAggregatorName="org", OrganizationAggregationSource=_source(role)
    )
    assert refused == "InvalidRoleException"


def test_the_aggregator_lists_every_account_and_their_rules(aws: Aws, security: str) -> None:
    dev = aws.create_account("dev")
    org = aws.client("organizations")
    org.enable_aws_service_access(ServicePrincipal=CONFIG)
    org.register_delegated_administrator(AccountId=security, ServicePrincipal=CONFIG)
    recorder = {"name": "default", "roleARN": f"arn:aws:iam::{dev}:role/config"}
    dev_config = aws.client("config", dev)
    dev_config.put_configuration_recorder(ConfigurationRecorder=recorder)
    dev_config.put_config_rule(
        ConfigRule={
            "ConfigRuleName": "restricted-ssh",
            "Source": {"Owner": "AWS", "SourceIdentifier": "INCOMING_SSH_DISABLED"},
        }
    )
    config = aws.client("config", security)
    config.put_configuration_aggregator(
        ConfigurationAggregatorName="org",
        OrganizationAggregationSource=_source(_role(aws, security)),
    )
    sources = config.describe_configuration_aggregator_sources_status(
        ConfigurationAggregatorName="org"
    )["AggregatedSourceStatusList"]
    management = aws.emulator.management_account_id
    assert {s["SourceId"] for s in sources} == {management, security, dev}
    assert {(s["SourceId"], s["LastUpdateStatus"]) for s in sources if s["SourceId"] == dev} == {
        (dev, "SUCCEEDED")
    }
    compliance = config.describe_aggregate_compliance_by_config_rules(
        ConfigurationAggregatorName="org"
    )["AggregateComplianceByConfigRules"]
    assert [(c["AccountId"], c["ConfigRuleName"]) for c in compliance] == [(dev, "restricted-ssh")]
    missing = config.describe_configuration_aggregator_sources_status
    assert _refused(missing, ConfigurationAggregatorName="other") == (
        "NoSuchConfigurationAggregatorException"
    )
