"""Which baseline each account gets: the nearest assignment, then its overrides."""

from __future__ import annotations

from landingzone.spec.baseline_resolution import assignment, effective_profile, value_path


def _edit(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert old in files[name], f"{old!r} is not in {name}"
    return {**files, name: files[name].replace(old, new, 1)}


def test_the_organization_baseline_reaches_every_account(write_spec, baseline_files, load_ok):
    spec = load_ok(write_spec(baseline_files)).spec
    assert assignment(spec, "audit").profile == "standard"
    assert assignment(spec, "audit").path == ("organization", "baseline")
    assert assignment(spec, "prod").profile == "standard"


def test_a_unit_baseline_reaches_the_accounts_below_it(write_spec, baseline_files, load_ok):
    spec = load_ok(write_spec(baseline_files)).spec
    found = assignment(spec, "sandbox")
    assert (found.profile, found.path) == ("sandbox", ("units", "plat/sandbox", "baseline"))
    assert effective_profile(spec, "sandbox").cloudtrail is None  # not the standard profile


def test_the_nearest_unit_wins_and_an_account_wins_over_its_units(
    write_spec, baseline_files, load_ok
):
    files = _edit(baseline_files, "landingzone.yaml", "  plat: {}", "  plat:\n    baseline: none")
    files = _edit(
        files, "landingzone.yaml", "    unit: core\n", "    unit: core\n    baseline: sandbox\n"
    )
    spec = load_ok(write_spec(files)).spec
    assert assignment(spec, "prod").profile == "none"
    assert effective_profile(spec, "prod") is None
    assert assignment(spec, "sandbox").profile == "sandbox"  # plat/sandbox is nearer than plat
    assert assignment(spec, "audit").path == ("accounts", "audit", "baseline")


def test_overrides_merge_maps_and_replace_lists(write_spec, baseline_files, load_ok):
    override = (
        "    regions: [us-east-1]\n"
        "    baseline_overrides:\n"
        "      password_policy: {minimum_length: 20}\n"
        "      config: {rules: [root-account-mfa-enabled]}\n"
        "      budgets: {monthly: {limit_usd: 5000}}\n"
    )
    files = _edit(baseline_files, "landingzone.yaml", "    regions: [us-east-1]\n", override)
    spec = load_ok(write_spec(files)).spec
    prod = effective_profile(spec, "prod")
    assert prod.password_policy.minimum_length == 20
    assert prod.password_policy.require_symbols is True  # kept from the profile
    assert prod.config.rules == ["root-account-mfa-enabled"]  # lists replace
    assert prod.budgets["monthly"].limit_usd == 5000
    assert prod.budgets["monthly"].alerts[0].emails == ["ops@acme.example"]
    assert effective_profile(spec, "audit").password_policy.minimum_length == 14
    assert value_path(spec, "prod", ("password_policy", "minimum_length")) == (
        "accounts",
        "prod",
        "baseline_overrides",
        "password_policy",
        "minimum_length",
    )
    assert value_path(spec, "prod", ("password_policy", "require_symbols")) == (
        "baselines",
        "profiles",
        "standard",
        "password_policy",
        "require_symbols",
    )


def test_no_assignment_means_no_baseline(write_spec, baseline_files, load_ok):
    files = _edit(baseline_files, "landingzone.yaml", "  baseline: standard\n", "")
    spec = load_ok(write_spec(files)).spec
    assert assignment(spec, "prod") is None
    assert effective_profile(spec, "prod") is None
