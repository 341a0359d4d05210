"""The management account's own baseline (opt-in) with the organization's budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import security_spec as spec

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")
MANAGEMENT_BASELINE = """\
    baselines:
      profiles:
        management:
          alias: "{org}-{account}"
          s3_public_access_block: {}
          budgets:
            organization:
              limit_usd: 10000
              alerts:
                - {percent: 80, emails: [finance@acme.example]}
      management:
        profile: management
        overrides:
          budgets: {organization: {limit_usd: 25000}}
    """


def test_the_management_account_gets_its_baseline_and_the_organization_budget(
    lz: Any, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz", MANAGEMENT_BASELINE)
    management = emulator.management_account_id
    aws = Aws(emulator, region=spec.HOME)
    budgets = aws.client("budgets")
    # Someone's budget in the management account before lz: never touched.
    theirs = {
        "BudgetName": "finance-team",
        "BudgetLimit": {"Amount": "5", "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    }
    budgets.create_budget(AccountId=management, Budget=theirs)
    assert lz("apply", directory, *APPLY).code == 0

    budget = budgets.describe_budget(AccountId=management, BudgetName="organization")["Budget"]
    assert float(budget["BudgetLimit"]["Amount"]) == 25000  # the override
    assert not budget.get("CostFilters")  # the management account's budget: the whole bill
    (notification,) = budgets.describe_notifications_for_budget(
        AccountId=management, BudgetName="organization"
    )["Notifications"]
    assert float(notification["Threshold"]) == 80
    assert aws.client("iam").list_account_aliases()["AccountAliases"] == [f"{spec.ORG}-management"]
    block = aws.client("s3control").get_public_access_block(AccountId=management)
    assert all(block["PublicAccessBlockConfiguration"].values())
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    # Changed by hand: the plan shows it; it is the management account, so apply
    # needs the approval for protected targets, then repairs it.
    budgets.update_budget(
        AccountId=management,
        NewBudget={
            **theirs,
            "BudgetName": "organization",
            "BudgetLimit": {"Amount": "1", "Unit": "USD"},
        },
    )
    operations = {
        op["address"]: op["action"] for op in lz("plan", directory, "--json").json()["operations"]
    }
    assert operations == {"budget:management/organization": "update"}
    assert lz("apply", directory, "--auto-approve").code != 0
    assert lz("apply", directory, *APPLY).code == 0
    budget = budgets.describe_budget(AccountId=management, BudgetName="organization")["Budget"]
    assert float(budget["BudgetLimit"]["Amount"]) == 25000
    names = {b["BudgetName"] for b in budgets.describe_budgets(AccountId=management)["Budgets"]}
    assert names == {"organization", "finance-team"}

    # Without `baselines.management` lz leaves the management account: it deletes only
    # what it created (the budget), and keeps someone else's.
    spec.write(directory, "baselines: {}\n")
    assert lz("apply", directory, *APPLY).code == 0
    names = {b["BudgetName"] for b in budgets.describe_budgets(AccountId=management)["Budgets"]}
    assert names == {"finance-team"}
