"""AWS Budgets operations moto lacks: UpdateBudget, DescribeSubscribersForNotification, tags.

- UpdateBudget replaces the budget's definition (`NewBudget`), keeping its
  notifications; an unknown budget is `NotFoundException`.
- DescribeSubscribersForNotification lists the subscribers moto keeps with
  each notification; an unknown budget or notification is `NotFoundException`.
- CreateBudget keeps its `ResourceTags`; ListTagsForResource, TagResource and
  UntagResource read and change them by the budget's ARN
  (`arn:aws:budgets::ACCOUNT:budget/NAME`); DeleteBudget drops them. An ARN of
  no budget is `NotFoundException` (moto answered every tag call with HTTP 500).
"""

from __future__ import annotations

import json
from typing import Any, cast

import moto.budgets.urls
from moto.budgets.exceptions import NotFoundException
from moto.budgets.models import Budget, BudgetsBackend, budgets_backends
from moto.budgets.responses import BudgetsResponse

from landingzone.emulator.patching import routes_to, use_backend


class BudgetsCompatResponse(BudgetsResponse):
    """Budgets' API with UpdateBudget and DescribeSubscribersForNotification."""

    @property
    def compat_backend(self) -> BudgetsCompatBackend:
        """This caller's backend (the compatibility subclass)."""
        backend = self.backend
        assert isinstance(backend, BudgetsCompatBackend)
        return backend

    def update_budget(self) -> str:
        """UpdateBudget."""
        self.compat_backend.update_budget(
            self._get_param("AccountId"), self._get_param("NewBudget")
        )
        return json.dumps({})

    def create_budget(self) -> str:
        """CreateBudget, keeping the budget's `ResourceTags`."""
        answer = super().create_budget()
        budget = self._get_param("Budget")
        arn = budget_arn(self._get_param("AccountId"), budget["BudgetName"])
        self.compat_backend.tag_resource(arn, self._get_param("ResourceTags") or [])
        return answer

    def delete_budget(self) -> str:
        """DeleteBudget, forgetting the budget's tags."""
        answer = super().delete_budget()
        arn = budget_arn(self._get_param("AccountId"), self._get_param("BudgetName"))
        self.compat_backend.resource_tags.pop(arn, None)
        return answer

    def list_tags_for_resource(self) -> str:
        """ListTagsForResource by the budget's ARN."""
        tags = self.compat_backend.tags_of(self._get_param("ResourceARN"))
        return json.dumps({"ResourceTags": [{"Key": k, "Value": v} for k, v in tags.items()]})

    def tag_resource(self) -> str:
        """TagResource: add or overwrite tags."""
        self.compat_backend.tag_resource(
            self._get_param("ResourceARN"), self._get_param("ResourceTags") or []
        )
        return json.dumps({})

    def untag_resource(self) -> str:
        """UntagResource: remove tag keys."""
        arn = self._get_param("ResourceARN")
        tags = self.compat_backend.tags_of(arn)
        for key in self._get_param("ResourceTagKeys") or []:
            tags.pop(key, None)
        return json.dumps({})

    def describe_subscribers_for_notification(self) -> str:
        """DescribeSubscribersForNotification (one page: a notification has at most 10)."""
        subscribers = self.compat_backend.subscribers(
            self._get_param("AccountId"),
            self._get_param("BudgetName"),
            self._get_param("Notification"),
        )
        return json.dumps({"Subscribers": subscribers})


_ROUTES = routes_to(moto.budgets.urls, BudgetsCompatResponse)


def budget_arn(account_id: str, name: str) -> str:
    """A budget's ARN, as AWS forms it."""
    return f"arn:aws:budgets::{account_id}:budget/{name}"


class BudgetsCompatBackend(BudgetsBackend):
    """moto's Budgets backend with budget updates and subscriber listing."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.resource_tags: dict[str, dict[str, str]] = {}  # by budget ARN

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    def tags_of(self, arn: str) -> dict[str, str]:
        """The tags of an existing budget (a live dict); NotFoundException for other ARNs."""
        account_id, _, name = arn.removeprefix("arn:aws:budgets::").partition(":budget/")
        self._budget(account_id, name)
        return self.resource_tags.setdefault(arn, {})

    def tag_resource(self, arn: str, tags: list[dict[str, str]]) -> None:
        """Add or overwrite tags of a budget."""
        self.tags_of(arn).update({tag["Key"]: tag["Value"] for tag in tags})

    def _budget(self, account_id: str, name: str) -> Budget:
        budget = self.budgets[account_id].get(name)
        if budget is None:
            raise NotFoundException(f"Unable to get budget: {name} - the budget doesn't exist.")
        return budget

    def update_budget(self, account_id: str, new_budget: dict[str, Any]) -> None:
        """Replace a budget's definition; its notifications stay."""
        current = self._budget(account_id, new_budget["BudgetName"])
        replacement = Budget(new_budget, notifications=[])
        replacement.notifications = current.notifications
        self.budgets[account_id][new_budget["BudgetName"]] = replacement

    def subscribers(
        self, account_id: str, budget_name: str, notification: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The subscribers of one notification of a budget."""
        for candidate in self._budget(account_id, budget_name).notifications:
            if candidate.details == notification:
                # moto annotates `subscribers` as a dict; it holds the request's list.
                return list(cast(list[dict[str, Any]], candidate.subscribers))
        raise NotFoundException(
            f"Unable to describe subscribers - the notification doesn't exist in {budget_name}."
        )


def install() -> None:
    """Make moto serve Budgets through this module (idempotent)."""
    use_backend(budgets_backends, BudgetsCompatBackend)
