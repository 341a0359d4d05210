"""The cloudposse example (seed 003's security account) applied, checked from core-security.

"Security account aggregates GuardDuty findings, Config aggregator, and
CloudTrail logs": every check below runs with plain boto3 as the security
account, except where only the management account or the log archive can
look.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws

pytestmark = pytest.mark.e2e
HOME = "us-east-1"
ORG = "acme"


def test_core_security_administers_the_organizations_security(lz: Any, example, emulator: Emulator):
    spec_dir = example("cloudposse")
    applied = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    aws = Aws(emulator, region=HOME)
    management = emulator.management_account_id
    ids = {n: a["Id"] for n, a in aws.accounts().items() if a["Id"] != management}
    security = ids["core-security"]
    others = {i for name, i in ids.items() if name != "core-security"}

    # It is the delegated administrator (asked as itself).
    org = aws.client("organizations", security)
    for principal in (
        "guardduty.amazonaws.com",
        "securityhub.amazonaws.com",
        "access-analyzer.amazonaws.com",
        "config.amazonaws.com",
    ):
        admins = org.list_delegated_administrators(ServicePrincipal=principal)
        assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [security]

    # It sees every other account as a GuardDuty member.
    guardduty = aws.client("guardduty", security)
    detector = guardduty.list_detectors()["DetectorIds"][0]
    members = guardduty.list_members(DetectorId=detector)["Members"]
    assert {m["AccountId"] for m in members} == others

    # It sees every other account as a Security Hub member, each with the two
    # standards, and aggregates findings of every region in the home region.
    hub = aws.client("securityhub", security)
    assert {m["AccountId"] for m in hub.list_members()["Members"]} == others
    for account_id in others:
        enabled = aws.client("securityhub", account_id).get_enabled_standards()
        assert {
            s["StandardsArn"].rsplit("/v/", 1)[0].split("/")[-1]
            for s in enabled["StandardsSubscriptions"]
        } == {"aws-foundational-security-best-practices", "cis-aws-foundations-benchmark"}
    (aggregator,) = hub.list_finding_aggregators()["FindingAggregators"]
    linking = hub.get_finding_aggregator(FindingAggregatorArn=aggregator["FindingAggregatorArn"])
    assert linking["RegionLinkingMode"] == "ALL_REGIONS"

    # Its organization analyzer finds nothing lz made reachable from outside.
    analyzer = aws.client("accessanalyzer", security).get_analyzer(
        analyzerName=f"{ORG}-organization"
    )["analyzer"]
    assert analyzer["type"] == "ORGANIZATION"
    findings = aws.client("accessanalyzer", security).list_findings_v2(analyzerArn=analyzer["arn"])[
        "findings"
    ]
    assert findings == []

    # Its aggregator lists every account of the organization, and their Config rules.
    config = aws.client("config", security)
    sources = config.describe_configuration_aggregator_sources_status(
        ConfigurationAggregatorName=f"{ORG}-organization"
    )["AggregatedSourceStatusList"]
    assert {s["SourceId"] for s in sources} == set(ids.values()) | {emulator.management_account_id}
    compliance = config.describe_aggregate_compliance_by_config_rules(
        ConfigurationAggregatorName=f"{ORG}-organization"
    )["AggregateComplianceByConfigRules"]
    assert "restricted-ssh" in {c["ConfigRuleName"] for c in compliance}

    # A finding in plat-prod reaches its alert topic (a queue stands in for the inbox).
    topic = f"arn:aws:sns:{HOME}:{security}:{ORG}-security-findings"
    sqs = aws.client("sqs", security)
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    aws.client("sns", security).subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    prod = aws.client("guardduty", ids["plat-prod"])
    prod.create_sample_findings(DetectorId=prod.list_detectors()["DetectorIds"][0])
    (message,) = sqs.receive_message(QueueUrl=queue)["Messages"]
    assert (
        json.loads(json.loads(message["Body"])["Message"])["detail"]["accountId"]
        == (ids["plat-prod"])
    )

    # One organization trail writes every account's logs to core-audit's bucket.
    shadow = aws.client("cloudtrail", security).describe_trails()["trailList"]
    assert [(t["Name"], t["IsOrganizationTrail"]) for t in shadow] == [
        (f"{ORG}-organization-trail", True)
    ]
    bucket = f"{ORG}-audit-logs-{ids['core-audit']}"
    listed = aws.client("s3", ids["core-audit"]).list_objects_v2(Bucket=bucket)["Contents"]
    written = {o["Key"].split("/")[2] for o in listed if o["Key"].startswith("AWSLogs/o-")}
    assert written == set(ids.values()) | {management}

    # The management account's budget covers the whole organization (no cost filters).
    budget = aws.client("budgets").describe_budget(AccountId=management, BudgetName="organization")
    assert float(budget["Budget"]["BudgetLimit"]["Amount"]) == 10000
    assert not budget["Budget"].get("CostFilters")

    replan = lz("plan", spec_dir, "--detailed-exitcode")
    assert replan.code == 0, replan.err
