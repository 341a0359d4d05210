"""Baseline settings found in accounts become profiles, assigned where they are shared."""

from __future__ import annotations

from landingzone.adopt.baselines import LiveSettings, assign, password_policy

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
