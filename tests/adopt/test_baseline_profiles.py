"""Baseline settings found in accounts become profiles, assigned where they are shared."""

from __future__ import annotations

from landingzone.adopt.baselines import (
    LiveSettings,
    as_pattern,
    assign,
    budget,
    guardduty,
    password_policy,
)

STRONG = {"password_policy": {"minimum_length": 14}}
ENCRYPTED = {"ebs_encryption": {}}


def test_settings_every_account_shares_go_to_the_organization():
    found = [LiveSettings("a", STRONG), LiveSettings("b", STRONG)]
    result = assign(found, {"a": "core", "b": ""})
    assert result.profiles == {"imported-1": STRONG}
    assert (result.organization, result.units, result.accounts) == ("imported-1", {}, {})


def test_a_unit_whose_accounts_share_settings_gets_them_and_the_rest_per_account():
    found = [
        LiveSettings("p1", STRONG),
        LiveSettings("p2", STRONG),
        LiveSettings("d1", STRONG),
        LiveSettings("d2", ENCRYPTED),
        LiveSettings("s1", {}),
    ]
    units = {"p1": "work/prod", "p2": "work/prod", "d1": "work/dev", "d2": "work/dev", "s1": "work"}
    result = assign(found, units)
    assert result.profiles == {"imported-1": STRONG, "imported-2": ENCRYPTED}  # most used first
    assert result.organization is None
    assert result.units == {"work/prod": "imported-1"}
    assert result.accounts == {"d1": "imported-1", "d2": "imported-2"}


def test_an_account_without_settings_keeps_its_unit_from_getting_a_profile():
    found = [LiveSettings("a", STRONG), LiveSettings("b", STRONG)]
    result = assign(found, {"a": "ou", "b": "ou/team", "c": "ou/team"})  # c was not read
    assert result.units == {}
    assert result.accounts == {"a": "imported-1", "b": "imported-1"}


def test_only_what_differs_from_aws_defaults_is_written():
    policy = {"MinimumPasswordLength": 6, "RequireSymbols": True, "MaxPasswordAge": 90}
    assert password_policy(policy) == {"require_symbols": True, "max_age_days": 90}
    assert password_policy(None) is None


def test_names_holding_the_account_become_patterns_so_accounts_share_a_profile():
    assert as_pattern("acme-team-01", "team-01", "111111111111") == "acme-{account}"
    assert as_pattern("logs-111111111111", "team-01", "111111111111") == "logs-{account_id}"
    assert as_pattern("acme-team-012", "team-01", "111111111111") == "acme-team-012"  # a word
    assert as_pattern("{team-01}", "team-01") == "{{{account}}}"  # literal braces stay literal


def test_the_management_account_gets_its_own_opt_in_profile_and_no_assignment():
    found = [LiveSettings("a", STRONG), LiveSettings("management", ENCRYPTED)]
    result = assign(found, {"a": ""})
    assert result.organization == "imported-1"
    assert result.management == "imported-2" and result.profiles["imported-2"] == ENCRYPTED


def test_a_detector_is_written_with_what_differs_from_the_defaults():
    assert guardduty({"Status": "ENABLED", "FindingPublishingFrequency": "SIX_HOURS"}) == {}
    assert guardduty({"Status": "DISABLED", "FindingPublishingFrequency": "ONE_HOUR"}) == {
        "enabled": False,
        "finding_publishing_frequency": "ONE_HOUR",
    }


MONTHLY = {
    "BudgetType": "COST",
    "TimeUnit": "MONTHLY",
    "BudgetLimit": {"Amount": "500.0", "Unit": "USD"},
}


def test_a_monthly_cost_budget_is_written_and_other_budgets_say_why_not():
    alerts = [{"percent": 100.0, "forecasted": True, "emails": ["ops@acme.example"]}]
    assert budget(MONTHLY, alerts) == (
        {
            "limit_usd": 500,
            "alerts": [{"percent": 100, "emails": ["ops@acme.example"], "forecasted": True}],
        },
        "",
    )
    yearly = {**MONTHLY, "TimeUnit": "ANNUALLY"}
    assert "COST MONTHLY USD" not in budget(yearly, [])[1] and budget(yearly, [])[0] == {}
    filtered = {**MONTHLY, "CostFilters": {"Service": ["Amazon EC2"]}}
    assert budget(filtered, [])[1] == "it has cost filters, which the spec does not write"
    absolute = [{"percent": 80.0, "forecasted": False, "emails": ["a@b.c"], "threshold_type": "X"}]
    assert "not an e-mail alert" in budget(MONTHLY, absolute)[1]
    topic = "SNS:arn:aws:sns:us-east-1:111111111111:costs"
    to_sns = [{"percent": 80.0, "forecasted": False, "emails": ["a@b.c"], "subscribers": [topic]}]
    assert budget(MONTHLY, to_sns) == (
        {},
        f"an alert also notifies {topic}; the spec's alerts notify e-mails only",
    )
