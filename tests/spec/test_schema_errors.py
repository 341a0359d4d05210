"""Schema errors read like the spec, at the line that caused them."""

from __future__ import annotations

ORG = "organization: {name: acme, home_region: us-west-2}\nstate: {account: management}\n"


def _account(*lines: str) -> dict[str, str]:
    """A root file whose account `dev` (line 4) has `lines` (from line 5 on)."""
    body = "".join(f"    {line}\n" for line in lines)
    return {"landingzone.yaml": ORG + "accounts:\n  dev:\n" + body}


def test_unknown_key_suggests_the_likely_one(write_spec, problems_of):
    root = write_spec(_account("email: dev@example.com", "emial: dev@example.com"))
    assert problems_of(root) == [
        'landingzone.yaml:6: unknown key "emial" in accounts.dev (did you mean "email"?)'
    ]


def test_unknown_key_without_a_likely_one_lists_the_allowed_keys(write_spec, problems_of):
    root = write_spec(_account("email: dev@example.com", "owner: me"))
    [problem] = problems_of(root)
    assert problem.startswith('landingzone.yaml:6: unknown key "owner" in accounts.dev (allowed: ')
    assert "email, unit, name, id" in problem


def test_unknown_top_level_key(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + "acounts: {}\n"})
    assert problems_of(root) == [
        'landingzone.yaml:3: unknown key "acounts" at the top level (did you mean "accounts"?)'
    ]


def test_an_unquoted_account_id_is_an_error_not_a_number(write_spec, problems_of):
    root = write_spec(_account("email: dev@example.com", "id: 012345678901"))
    assert problems_of(root) == [
        "landingzone.yaml:6: accounts.dev.id: expected a quoted string of 12 digits, "
        "got the number 12345678901 (put it in quotes)"
    ]


def test_a_quoted_account_id_must_be_12_digits(write_spec, problems_of):
    root = write_spec(_account("email: dev@example.com", "id: '1234'"))
    assert problems_of(root) == [
        'landingzone.yaml:6: accounts.dev.id: expected 12 digits, got the string "1234"'
    ]


def test_numbers_are_not_coerced_to_strings(write_spec, problems_of):
    root = write_spec(_account("email: dev@example.com", "tags: {CostCenter: 4711}"))
    assert problems_of(root) == [
        "landingzone.yaml:6: accounts.dev.tags.CostCenter: expected a string, "
        "got the number 4711 (put it in quotes)"
    ]


def test_a_string_is_not_a_boolean(write_spec, problems_of):
    root = write_spec(_account("email: dev@example.com", "protected: yes"))
    assert problems_of(root) == [
        'landingzone.yaml:6: accounts.dev.protected: expected true or false, got the string "yes"'
    ]


def test_a_missing_key_points_at_its_parent(write_spec, problems_of):
    root = write_spec(_account("unit: core"))
    assert problems_of(root) == ['landingzone.yaml:4: missing required key "email" in accounts.dev']


def test_a_missing_section_points_at_the_root_file(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": "organization: {name: acme, home_region: us-west-2}\n"})
    assert problems_of(root) == [
        'landingzone.yaml:1: missing required key "state" at the top level'
    ]


def test_a_value_outside_its_choices(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "organization: {name: acme, home_region: us-west-2, "
            "feature_set: CONSOLIDATED_BILLING}\nstate: {account: management}\n"
        }
    )
    assert problems_of(root) == [
        "landingzone.yaml:1: organization.feature_set: expected 'ALL', "
        'got the string "CONSOLIDATED_BILLING"'
    ]


def test_a_list_where_a_map_belongs(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + "units:\n  - core\n"})
    assert problems_of(root) == ["landingzone.yaml:3: units: expected a map, got a list"]


def test_a_policy_needs_a_document_or_a_file(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + "policies:\n  empty: {description: nothing}\n"})
    assert problems_of(root) == [
        "landingzone.yaml:4: policies.empty: a policy needs a `document` or a `file`"
    ]


def test_quota_bounds(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "organization:\n  name: acme\n  home_region: us-west-2\n"
            "  quotas: {ou_depth: 6}\nstate: {account: management}\n"
        }
    )
    [problem] = problems_of(root)
    assert problem.startswith("landingzone.yaml:4: organization.quotas.ou_depth: ")
    assert "less than or equal to 5" in problem
