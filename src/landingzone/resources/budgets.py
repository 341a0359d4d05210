"""Monthly cost budgets of an account, with e-mail alerts at percentages of the limit.

Read cost per account: DescribeBudgets (all budgets at once), then for each
budget lz manages DescribeNotificationsForBudget, and for each of its alerts
DescribeSubscribersForNotification (AWS has no call that returns them
together). Budgets are tagged at creation only (`tagged_at_creation.py`).
An alert whose e-mails change is deleted and created again.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import ReadGroup, register, tag_list
from landingzone.resources.tagged_at_creation import TaggedAtCreationKind

GREATER_THAN = "GREATER_THAN"
PERCENTAGE = "PERCENTAGE"


def money(amount: Any) -> str:
    """An amount as Budgets compares it: "500" for 500, 500.0 and "500.00"."""
    return format(Decimal(str(amount)).normalize(), "f")


def alert(percent: Any, emails: list[str], *, forecasted: bool) -> dict[str, Any]:
    """An alert as `desired["alerts"]` holds it."""
    return {"percent": float(percent), "forecasted": forecasted, "emails": sorted(emails)}


def _alert_of(
    notification: Mapping[str, Any], subscribers: list[Mapping[str, str]]
) -> dict[str, Any]:
    """An AWS notification and its subscribers as an alert; kinds lz does not write (other
    comparisons, absolute thresholds, SNS subscribers) keep what makes them differ."""
    emails = [s["Address"] for s in subscribers if s["SubscriptionType"] == "EMAIL"]
    found = alert(
        notification["Threshold"],
        emails,
        forecasted=notification["NotificationType"] == "FORECASTED",
    )
    others = sorted(
        f"{s['SubscriptionType']}:{s['Address']}"
        for s in subscribers
        if s["SubscriptionType"] != "EMAIL"
    )
    if others:
        found["subscribers"] = others
    if notification.get("ComparisonOperator", GREATER_THAN) != GREATER_THAN:
        found["comparison"] = notification["ComparisonOperator"]
    if notification.get("ThresholdType", PERCENTAGE) != PERCENTAGE:
        found["threshold_type"] = notification["ThresholdType"]
    return found


def _notification(item: Mapping[str, Any]) -> dict[str, Any]:
    """Inverse of `_alert_of`: the AWS notification of an alert."""
    return {
        "NotificationType": "FORECASTED" if item["forecasted"] else "ACTUAL",
        "ComparisonOperator": item.get("comparison", GREATER_THAN),
        "Threshold": item["percent"],
        "ThresholdType": item.get("threshold_type", PERCENTAGE),
    }


def _subscribers(item: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{"SubscriptionType": "EMAIL", "Address": email} for email in item["emails"]]


def _key(item: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, str(v)) for k, v in item.items()))


def budget_alerts(
    client: Any, account_id: str, budget: str, where: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """A budget's alerts, as `desired["alerts"]` holds them (kinds lz does not write keep
    what makes them differ): its notifications, then each one's subscribers."""
    found = []
    notifications = pages(
        client,
        "describe_notifications_for_budget",
        "Notifications",
        AccountId=account_id,
        BudgetName=budget,
        **where,
    )
    for notification in notifications:
        subscribers = list(
            pages(
                client,
                "describe_subscribers_for_notification",
                "Subscribers",
                AccountId=account_id,
                BudgetName=budget,
                Notification=notification,
                **where,
            )
        )
        found.append(_alert_of(notification, subscribers))
    return found


@register
class BudgetKind(TaggedAtCreationKind):
    """A monthly COST budget in USD with e-mail alerts."""

    name = "budget"
    service = "budgets"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("budgets", group.account)
        account_id = ctx.require_account_id(group.account)
        where = {"account": group.account, "resource": "budgets"}
        wanted = {n.desired["name"]: n.address for n in group.nodes}
        wanted.update({r.id: r.address for r in group.orphans})
        result: dict[str, Found] = {}
        for budget in pages(client, "describe_budgets", "Budgets", AccountId=account_id, **where):
            address = wanted.get(budget["BudgetName"])
            if address is None:
                continue
            result[address] = Found(
                id=budget["BudgetName"],
                attrs={
                    "name": budget["BudgetName"],
                    "limit_usd": money(budget["BudgetLimit"]["Amount"]),
                    "time_unit": budget["TimeUnit"],
                    "alerts": budget_alerts(client, account_id, budget["BudgetName"], where),
                },
            )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client("budgets", node.account)
        call(
            client.create_budget,
            AccountId=ctx.require_account_id(node.account),
            Budget=self._budget(desired),
            NotificationsWithSubscribers=[
                {"Notification": _notification(item), "Subscribers": _subscribers(item)}
                for item in desired["alerts"]
            ],
            ResourceTags=tag_list(ctx.creation_tags(desired["tags"])),
            account=node.account,
            resource=node.address,
        )
        return Found(id=desired["name"], attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = ctx.client("budgets", node.account)
        where = {"account": node.account, "resource": node.address}
        account_id = ctx.require_account_id(node.account)
        budget = {"AccountId": account_id, "BudgetName": desired["name"], **where}
        changed = {c.attr for c in changes}
        if changed & {"limit_usd", "time_unit"}:
            call(
                client.update_budget,
                AccountId=account_id,
                NewBudget=self._budget(desired),
                **where,
            )
        if "alerts" in changed:
            have = {_key(item): item for item in found.attrs["alerts"]}
            want = {_key(item): item for item in desired["alerts"]}
            for key in have.keys() - want.keys():
                call(client.delete_notification, Notification=_notification(have[key]), **budget)
            for key in want.keys() - have.keys():
                call(
                    client.create_notification,
                    Notification=_notification(want[key]),
                    Subscribers=_subscribers(want[key]),
                    **budget,
                )
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("budgets", record.account)
        call(
            client.delete_budget,
            AccountId=ctx.require_account_id(record.account),
            BudgetName=record.id,
            account=record.account,
            resource=record.address,
        )

    @staticmethod
    def _budget(desired: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "BudgetName": desired["name"],
            "BudgetLimit": {"Amount": desired["limit_usd"], "Unit": "USD"},
            "TimeUnit": desired["time_unit"],
            "BudgetType": "COST",
        }
