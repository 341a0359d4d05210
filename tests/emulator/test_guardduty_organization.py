"""GuardDuty across an organization: delegated administrator, members, findings to its bus."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

REGION = "us-east-1"


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


@pytest.fixture
def accounts(aws: Aws) -> dict[str, str]:
    aws.create_organization()
    return {name: aws.create_account(name) for name in ("security", "dev", "prod")}


def test_the_management_account_designates_the_administrator(
    aws: Aws, accounts: dict[str, str]
) -> None:
    security = accounts["security"]
    aws.client("guardduty").enable_organization_admin_account(AdminAccountId=security)
    org = aws.client("organizations")
    enabled = org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert "guardduty.amazonaws.com" in {s["ServicePrincipal"] for s in enabled}
    admins = org.list_delegated_administrators(ServicePrincipal="guardduty.amazonaws.com")
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [security]
    # GuardDuty is on in the administrator's account, in that region.
    assert aws.client("guardduty", security).list_detectors()["DetectorIds"]
    listed = aws.client("guardduty").list_organization_admin_accounts()["AdminAccounts"]
    assert listed == [{"AdminAccountId": security, "AdminStatus": "ENABLED"}]
    # One administrator per region; members cannot designate one.
    other = aws.client("guardduty").enable_organization_admin_account
    assert _refused(other, AdminAccountId=accounts["dev"]) == "BadRequestException"
    from_member = aws.client("guardduty", accounts["dev"]).enable_organization_admin_account
    assert _refused(from_member, AdminAccountId=accounts["dev"]) == "BadRequestException"


def test_the_administrator_configures_the_organization_and_adds_members(
    aws: Aws, accounts: dict[str, str]
) -> None:
    security, dev = accounts["security"], accounts["dev"]
    aws.client("guardduty").enable_organization_admin_account(AdminAccountId=security)
    guardduty = aws.client("guardduty", security)
    detector = guardduty.list_detectors()["DetectorIds"][0]
    guardduty.update_organization_configuration(
        DetectorId=detector, AutoEnableOrganizationMembers="ALL"
    )
    described = guardduty.describe_organization_configuration(DetectorId=detector)
    assert described["AutoEnableOrganizationMembers"] == "ALL"
    unprocessed = guardduty.create_members(
        DetectorId=detector,
        AccountDetails=[
            {"AccountId": dev, "Email": "dev@example.com"},
            {"AccountId": "999999999999", "Email": "x@example.com"},
        ],
    )["UnprocessedAccounts"]
    assert [u["AccountId"] for u in unprocessed] == ["999999999999"]
    members = guardduty.list_members(DetectorId=detector)["Members"]
    assert [(m["AccountId"], m["RelationshipStatus"]) for m in members] == [(dev, "Enabled")]
    member = aws.client("guardduty", dev)
    member_detector = member.list_detectors()["DetectorIds"][0]
    administrator = member.get_administrator_account(DetectorId=member_detector)["Administrator"]
    assert administrator["AccountId"] == security
    # A member cannot configure the organization.
    refused = _refused(member.describe_organization_configuration, DetectorId=member_detector)
    assert refused == "BadRequestException"
    guardduty.delete_members(DetectorId=detector, AccountIds=[dev])
    assert guardduty.list_members(DetectorId=detector)["Members"] == []


def test_a_member_finding_reaches_a_rule_on_the_administrators_bus(
    aws: Aws, accounts: dict[str, str]
) -> None:
    security, dev = accounts["security"], accounts["dev"]
    aws.client("guardduty").enable_organization_admin_account(AdminAccountId=security)
    guardduty = aws.client("guardduty", security)
    detector = guardduty.list_detectors()["DetectorIds"][0]
    guardduty.create_members(
        DetectorId=detector, AccountDetails=[{"AccountId": dev, "Email": "dev@example.com"}]
    )
    sns, sqs = aws.client("sns", security), aws.client("sqs", security)
    topic = sns.create_topic(Name="findings")["TopicArn"]
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    events = aws.client("events", security)
    rule = events.put_rule(
        Name="guardduty-findings",
        EventPattern=json.dumps(
            {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"]}
        ),
    )["RuleArn"]
    events.put_targets(Rule="guardduty-findings", Targets=[{"Id": "alerts", "Arn": topic}])

    member = aws.client("guardduty", dev)
    member.create_sample_findings(DetectorId=member.list_detectors()["DetectorIds"][0])
    # The topic's default policy does not let EventBridge publish: nothing arrives.
    assert "Messages" not in sqs.receive_message(QueueUrl=queue)

    sns.set_topic_attributes(
        TopicArn=topic,
        AttributeName="Policy",
        AttributeValue=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sns:Publish",
                        "Resource": topic,
                        "Condition": {"ArnEquals": {"aws:SourceArn": rule}},
                    }
                ],
            }
        ),
    )
    member.create_sample_findings(DetectorId=member.list_detectors()["DetectorIds"][0])
    (message,) = sqs.receive_message(QueueUrl=queue)["Messages"]
    event = json.loads(json.loads(message["Body"])["Message"])
    assert event["source"] == "aws.guardduty"
    assert event["detail"]["accountId"] == dev
    # The administrator sees its member's findings.
    assert len(guardduty.list_findings(DetectorId=detector)["FindingIds"]) == 2
