"""AWS Budgets operations moto lacks: UpdateBudget and DescribeSubscribersForNotification.

- UpdateBudget replaces the budget's definition (`NewBudget`), keeping its
  notifications; an unknown budget is `NotFoundException`.
- DescribeSubscribersForNotification lists the subscribers moto keeps with
  each notification; an unknown budget or notification is `NotFoundException`.
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

    def describe_subscribers_for_notification(self) -> str:
        """DescribeSubscribersForNotification (one page: a notification has at most 10)."""
        subscribers = self.compat_backend.subscribers(
            self._get_param("AccountId"),
            self._get_param("BudgetName"),
            self._get_param("Notification"),
        )
        return json.dumps({"Subscribers": subscribers})


_ROUTES = routes_to(moto.budgets.urls, BudgetsCompatResponse)


class BudgetsCompatBackend(BudgetsBackend):
    """moto's Budgets backend with budget updates and subscriber listing."""

    @property
    def _url_module(self) -> Any:
        return _ROUTES

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
