"""GuardDuty across the organization, checked from the security account with plain boto3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import security_spec as spec

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")


@pytest.fixture
def applied(lz, tmp_path: Path, emulator: Emulator) -> tuple[Path, Aws, dict[str, str]]:
    directory = spec.write(tmp_path / "lz")
    result = lz("apply", directory, *APPLY)
    assert result.code == 0, result.err
    aws = Aws(emulator, region=spec.HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    return directory, aws, ids


def _detector(aws: Aws, account: str, region: str = spec.HOME) -> str:
    return str(aws.client("guardduty", account, region).list_detectors()["DetectorIds"][0])


def test_the_security_account_administers_guardduty_for_every_account(lz, applied):
    directory, aws, ids = applied
    security = ids["security"]
    admins = aws.client("guardduty").list_organization_admin_accounts()["AdminAccounts"]
    assert admins == [{"AdminAccountId": security, "AdminStatus": "ENABLED"}]
    for region, members in (
        (spec.HOME, {"logs", "dev", "prod"}),
        (spec.OTHER, {"dev"}),  # only dev runs in the other region
    ):
        guardduty = aws.client("guardduty", security, region)
        detector = _detector(aws, security, region)
        listed = guardduty.list_members(DetectorId=detector)["Members"]
        assert {m["AccountId"] for m in listed} == {ids[name] for name in members}
        assert {m["RelationshipStatus"] for m in listed} == {"Enabled"}
        configuration = guardduty.describe_organization_configuration(DetectorId=detector)
        assert configuration["AutoEnableOrganizationMembers"] == "ALL"
    # The member's view: its administrator is the security account.
    dev = aws.client("guardduty", ids["dev"])
    administrator = dev.get_administrator_account(DetectorId=_detector(aws, ids["dev"]))
    assert administrator["Administrator"]["AccountId"] == security
    # The member detectors are the baseline's, tagged by lz.
    assert dev.get_detector(DetectorId=_detector(aws, ids["dev"]))["Tags"]["ManagedBy"] == (
        "landingzone"
    )
    assert lz("plan", directory, "--detailed-exitcode").code == 0


def test_a_member_finding_reaches_the_security_accounts_alert_topic(applied):
    _, aws, ids = applied
    security = ids["security"]
    sns, sqs = aws.client("sns", security), aws.client("sqs", security)
    topic = f"arn:aws:sns:{spec.HOME}:{security}:{spec.ORG}-security-findings"
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [
        ("email", "secops@acme.example")
    ]
    # Stand in for the e-mail inbox: a queue subscribed to the topic.
    queue = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn)

    member = aws.client("guardduty", ids["prod"])
    member.create_sample_findings(DetectorId=_detector(aws, ids["prod"]))

    (message,) = sqs.receive_message(QueueUrl=queue)["Messages"]
    event = json.loads(json.loads(message["Body"])["Message"])
    assert event["detail-type"] == "GuardDuty Finding"
    assert event["detail"]["accountId"] == ids["prod"]
    findings = aws.client("guardduty", security).list_findings(DetectorId=_detector(aws, security))[
        "FindingIds"
    ]
    assert len(findings) == 1


def test_a_changed_organization_configuration_is_drift_and_repaired(lz, applied):
    directory, aws, ids = applied
    security = ids["security"]
    guardduty = aws.client("guardduty", security)
    detector = _detector(aws, security)
    guardduty.update_organization_configuration(
        DetectorId=detector, AutoEnableOrganizationMembers="NONE"
    )
    guardduty.delete_members(DetectorId=detector, AccountIds=[ids["prod"]])

    plan = lz("plan", directory, "--json")
    operations: dict[str, Any] = {op["address"]: op for op in plan.json()["operations"]}
    (change,) = operations[f"guardduty_organization:security/{spec.HOME}"]["changes"]
    assert (change["before"], change["after"]) == ("NONE", "ALL")
    assert operations[f"guardduty_members:security/{spec.HOME}"]["action"] == "update"

    result = lz("apply", directory, *APPLY)
    assert result.code == 0, result.err
    configuration = guardduty.describe_organization_configuration(DetectorId=detector)
    assert configuration["AutoEnableOrganizationMembers"] == "ALL"
    members = guardduty.list_members(DetectorId=detector)["Members"]
    assert ids["prod"] in {m["AccountId"] for m in members}
    assert lz("plan", directory, "--detailed-exitcode").code == 0
