"""GuardDuty and Budgets as AWS behaves: one detector per region, tags, budget updates."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

ALERT = {
    "NotificationType": "ACTUAL",
    "ComparisonOperator": "GREATER_THAN",
    "Threshold": 80.0,
    "ThresholdType": "PERCENTAGE",
}


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_a_region_has_one_detector(aws: Aws) -> None:
    guardduty = aws.client("guardduty", region="eu-west-1")
    guardduty.create_detector(Enable=True)
    assert _code(guardduty.create_detector, Enable=True) == "BadRequestException"
    assert len(guardduty.list_detectors()["DetectorIds"]) == 1
    aws.client("guardduty", region="eu-central-1").create_detector(Enable=True)  # another region


def test_detectors_are_tagged_by_arn(aws: Aws) -> None:
    guardduty = aws.client("guardduty", region="eu-west-1")
    detector = guardduty.create_detector(Enable=True, Tags={"Team": "sec"})["DetectorId"]
    account = aws.emulator.management_account_id
    arn = f"arn:aws:guardduty:eu-west-1:{account}:detector/{detector}"
    guardduty.tag_resource(ResourceArn=arn, Tags={"ManagedBy": "landingzone"})
    guardduty.untag_resource(ResourceArn=arn, TagKeys=["Team"])
    assert guardduty.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"ManagedBy": "landingzone"}
    assert guardduty.get_detector(DetectorId=detector)["Tags"] == {"ManagedBy": "landingzone"}
    missing = arn.replace(detector, "0" * 32)
    assert _code(guardduty.list_tags_for_resource, ResourceArn=missing) == "BadRequestException"


def _budget(limit: str) -> dict[str, Any]:
    return {
        "BudgetName": "monthly",
        "BudgetLimit": {"Amount": limit, "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    }


def test_a_budget_is_updated_and_keeps_its_alerts(aws: Aws) -> None:
    budgets = aws.client("budgets")
    account = aws.emulator.management_account_id
    subscribers = [{"SubscriptionType": "EMAIL", "Address": "ops@example.com"}]
    budgets.create_budget(
        AccountId=account,
        Budget=_budget("100"),
        NotificationsWithSubscribers=[{"Notification": ALERT, "Subscribers": subscribers}],
    )
    budgets.update_budget(AccountId=account, NewBudget=_budget("250"))
    found = budgets.describe_budget(AccountId=account, BudgetName="monthly")["Budget"]
    assert found["BudgetLimit"] == {"Amount": "250", "Unit": "USD"}
    assert (
        budgets.describe_subscribers_for_notification(
            AccountId=account, BudgetName="monthly", Notification=ALERT
        )["Subscribers"]
        == subscribers
    )
    other = {**ALERT, "Threshold": 90.0}
    assert (
        _code(
            budgets.describe_subscribers_for_notification,
            AccountId=account,
            BudgetName="monthly",
            Notification=other,
        )
        == "NotFoundException"
    )
    unknown = {**_budget("1"), "BudgetName": "unknown"}
    assert _code(budgets.update_budget, AccountId=account, NewBudget=unknown) == "NotFoundException"
