"""The semantic rules: each broken once against a valid spec, each at its file:line."""

from __future__ import annotations

import json

import botocore
import pytest


def _edit(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert old in files[name], f"{old!r} is not in {name}"
    return {**files, name: files[name].replace(old, new, 1)}


def _with_accounts(files: dict[str, str], extra: str) -> dict[str, str]:
    """`files` with more account entries (indented under `accounts:`) at line 12 on."""
    return {**files, "catalog/accounts.yaml": files["catalog/accounts.yaml"] + extra}


def test_the_base_spec_is_valid(write_spec, valid, load_ok):
    loaded = load_ok(write_spec({}, valid))
    assert sorted(loaded.spec.accounts) == ["dev", "shared"]


# --- accounts: e-mails, names ---------------------------------------------------------


def test_emails_are_unique_ignoring_case(write_spec, valid, problems_of):
    files = _with_accounts(valid, "  qa:\n    email: AWS+Dev@example.com\n")
    assert problems_of(write_spec(files)) == [
        'catalog/accounts.yaml:13: account "qa": e-mail "AWS+Dev@example.com" is already used '
        'by account "dev" (catalog/accounts.yaml:8)'
    ]


@pytest.mark.parametrize("email", ["dev.example.com", "dev@example", "a b@example.com", "a@b.c"])
def test_emails_are_well_formed(write_spec, valid, problems_of, email):
    files = _edit(valid, "catalog/accounts.yaml", "aws+dev@example.com", email)
    assert problems_of(write_spec(files)) == [
        f'catalog/accounts.yaml:8: account "dev": e-mail "{email}" is not a valid address '
        "(name@domain.tld, 6 to 64 characters: Organizations CreateAccount, Email)"
    ]


def test_account_names_are_unique_by_name_or_key(write_spec, valid, problems_of):
    files = _with_accounts(valid, "  dev2:\n    email: dev2@example.com\n    name: dev\n")
    assert problems_of(write_spec(files)) == [
        'catalog/accounts.yaml:14: account "dev2": name "dev" is already used by account "dev" '
        "(catalog/accounts.yaml:7)"
    ]


def test_account_names_fit_aws(write_spec, valid, problems_of):
    files = _with_accounts(valid, f"  qa:\n    email: qa@example.com\n    name: {'q' * 51}\n")
    assert problems_of(write_spec(files)) == [
        f'catalog/accounts.yaml:14: account "qa": name "{"q" * 51}" must be 1 to 50 printable '
        "ASCII characters"
    ]


def test_management_is_reserved_as_an_account_key(write_spec, valid, problems_of):
    files = _with_accounts(valid, "  management:\n    email: root@example.com\n")
    [problem] = problems_of(write_spec(files))
    assert problem.startswith(
        'catalog/accounts.yaml:12: account "management": "management" is reserved'
    )


# --- references ------------------------------------------------------------------------


def test_an_account_unit_must_exist(write_spec, valid, problems_of):
    files = _edit(valid, "catalog/accounts.yaml", "unit: plat", "unit: plat/workloads")
    assert problems_of(write_spec(files)) == [
        'catalog/accounts.yaml:9: account "dev": unit "plat/workloads" does not exist '
        "(units: core, plat, plat/sandbox)"
    ]


def test_a_close_unit_name_is_suggested(write_spec, valid, problems_of):
    files = _edit(valid, "catalog/accounts.yaml", "unit: plat", "unit: plat/sandbx")
    assert problems_of(write_spec(files)) == [
        'catalog/accounts.yaml:9: account "dev": unit "plat/sandbx" does not exist '
        '(did you mean "plat/sandbox"? units: core, plat, plat/sandbox)'
    ]


def test_parent_units_are_implied(write_spec, valid, load_ok):
    files = _edit(valid, "catalog/units.yaml", "  plat/sandbox: {}", "  apps/web/prod: {}")
    files = _edit(files, "catalog/accounts.yaml", "unit: plat", "unit: apps/web")
    assert load_ok(write_spec(files)).spec.accounts["dev"].unit == "apps/web"


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "landingzone.yaml",
            "policies: [deny-leave]",
            "policies: [deny-leav]",
            'landingzone.yaml:6: organization: policy "deny-leav" does not exist '
            '(did you mean "deny-leave"? policies: FullAWSAccess, deny-leave, protect)',
        ),
        (
            "catalog/units.yaml",
            "policies: [protect]",
            "policies: [guardrails]",
            'catalog/units.yaml:5: unit "plat": policy "guardrails" does not exist '
            "(policies: FullAWSAccess, deny-leave, protect)",
        ),
        (
            "catalog/accounts.yaml",
            "policies: [protect]",
            "policies: [protect, region-allowlist]",
            'catalog/accounts.yaml:11: account "dev": policy "region-allowlist" does not exist '
            "(policies: FullAWSAccess, deny-leave, protect)",
        ),
    ],
)
def test_referenced_policies_must_exist(write_spec, valid, problems_of, name, old, new, expected):
    assert problems_of(write_spec(_edit(valid, name, old, new))) == [expected]


def test_full_aws_access_may_be_referenced_without_declaring_it(write_spec, valid, load_ok):
    files = _edit(
        valid,
        "catalog/units.yaml",
        "  plat/sandbox: {}",
        "  plat/sandbox: {policies: [FullAWSAccess]}",
    )
    assert load_ok(write_spec(files)).spec.units["plat/sandbox"].policies == ["FullAWSAccess"]


def test_full_aws_access_cannot_be_declared(write_spec, valid, problems_of):
    files = _edit(valid, "catalog/policies.yaml", "  protect:", "  FullAWSAccess:")
    files = _edit(files, "catalog/units.yaml", "[protect]", "[FullAWSAccess]")
    files = _edit(files, "catalog/accounts.yaml", "[protect]", "[]")
    [problem] = problems_of(write_spec(files))
    assert problem.startswith('catalog/policies.yaml:9: policy "FullAWSAccess": the name is AWS\'s')


def test_a_policy_listed_twice(write_spec, valid, problems_of):
    files = _edit(valid, "catalog/accounts.yaml", "[protect]", "[protect, protect]")
    assert problems_of(write_spec(files)) == [
        'catalog/accounts.yaml:11: account "dev": policy "protect" is listed twice'
    ]


def test_the_state_account_must_exist(write_spec, valid, problems_of):
    files = _edit(valid, "landingzone.yaml", "account: shared", "account: shard")
    assert problems_of(write_spec(files)) == [
        'landingzone.yaml:8: state: account "shard" does not exist (did you mean "shared"? '
        'accounts: dev, shared; or "management" for the management account)'
    ]


def test_the_state_may_live_in_the_management_account(write_spec, valid, load_ok):
    files = _edit(valid, "landingzone.yaml", "account: shared", "account: management")
    assert load_ok(write_spec(files)).spec.state.account == "management"


def test_the_removed_accounts_unit_must_exist(write_spec, valid, problems_of, load_ok):
    files = _edit(
        valid, "landingzone.yaml", "  home_region:", "  removed_accounts_unit: gone\n  home_region:"
    )
    assert problems_of(write_spec(files)) == [
        'landingzone.yaml:5: organization: unit "gone" does not exist '
        "(units: core, plat, plat/sandbox)"
    ]
    files = _edit(files, "landingzone.yaml", "unit: gone", "unit: plat/sandbox")
    assert load_ok(write_spec(files)).spec.organization.removed_accounts_unit == "plat/sandbox"


# --- unit paths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("plat//x", 'a unit path is OU names separated by single "/", with none empty'),
        ("/plat", 'a unit path is OU names separated by single "/", with none empty'),
        ("a/b/c/d/e/f", "6 levels deep, over the limit of 5 (organization.quotas.ou_depth)"),
        (f"plat/{'x' * 129}", f'the OU name "{"x" * 20}..." is over 128 characters'),
    ],
)
def test_unit_paths(write_spec, valid, problems_of, path, message):
    files = _edit(valid, "catalog/units.yaml", "  plat/sandbox: {}", f"  {path}: {{}}")
    assert problems_of(write_spec(files)) == [f'catalog/units.yaml:6: unit "{path}": {message}']


def test_the_depth_limit_follows_the_quota(write_spec, valid, problems_of, load_ok):
    files = _edit(valid, "catalog/units.yaml", "  plat/sandbox: {}", "  a/b/c/d/e: {}")
    load_ok(write_spec(files))
    files = _edit(
        files, "landingzone.yaml", "  home_region:", "  quotas: {ou_depth: 3}\n  home_region:"
    )
    assert problems_of(write_spec(files)) == [
        'catalog/units.yaml:6: unit "a/b/c/d/e": 5 levels deep, over the limit of 3 '
        "(organization.quotas.ou_depth)"
    ]


def test_moved_from_names_old_paths_only(write_spec, valid, problems_of, load_ok):
    files = _edit(
        valid, "catalog/units.yaml", "  plat/sandbox: {}", "  plat/sandbox: {moved_from: [sandbox]}"
    )
    load_ok(write_spec(files))
    files = _edit(files, "catalog/units.yaml", "[sandbox]", "[core]")
    assert problems_of(write_spec(files)) == [
        'catalog/units.yaml:6: unit "plat/sandbox": moved_from "core" is also a unit of the '
        "spec; a unit cannot be moved away from a path that still exists"
    ]


def test_moved_from_is_claimed_once(write_spec, valid, problems_of):
    files = _edit(
        valid,
        "catalog/units.yaml",
        "  plat/sandbox: {}",
        "  plat/sandbox: {moved_from: [old]}\n  plat/x: {moved_from: [old]}",
    )
    assert problems_of(write_spec(files)) == [
        'catalog/units.yaml:7: unit "plat/x": moved_from "old" is already used by unit '
        '"plat/sandbox" (catalog/units.yaml:6)'
    ]


# --- policies ----------------------------------------------------------------------------


def _protect(document: dict) -> dict[str, str]:
    return {"policies/protect.json": json.dumps(document, indent=2)}


DENY = {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}


def test_an_scp_must_fit_the_character_quota(write_spec, valid, problems_of, load_ok):
    document = {"Version": "2012-10-17", "Statement": [dict(DENY)]}
    base = len(json.dumps(document, separators=(",", ":")))
    document["Statement"][0]["Sid"] = "x" * (5120 - base - len(',"Sid":""'))
    assert len(json.dumps(document, separators=(",", ":"))) == 5120
    load_ok(write_spec(_protect(document), valid))
    document["Statement"][0]["Sid"] += "x"
    assert problems_of(write_spec(_protect(document), valid)) == [
        'policies/protect.json:1: policy "protect": the document is 5121 characters minified, '
        "over the quota of 5120 (organization.quotas.scp_characters)"
    ]


@pytest.mark.parametrize(
    ("statement", "line", "message"),
    [
        ({**DENY, "Effect": "Block"}, 5, 'Effect must be "Allow" or "Deny", got "Block"'),
        (
            {"Effect": "Deny", "Resource": "*"},
            4,
            "a statement needs exactly one of Action or NotAction",
        ),
        ({**DENY, "NotAction": "iam:*"}, 4, "a statement needs exactly one of Action or NotAction"),
        (
            {"Effect": "Deny", "Action": "*"},
            4,
            "a statement needs exactly one of Resource or NotResource",
        ),
        ({**DENY, "Action": []}, 6, "Action must be a string or a non-empty list of strings"),
        (
            {**DENY, "Principal": "*"},
            8,
            "SCPs do not take Principal: they apply to the accounts below them",
        ),
        (
            {**DENY, "Actions": "s3:*"},
            8,
            'unknown key "Actions" in a statement (did you mean "Action"?)',
        ),
        ({**DENY, "Condition": "no"}, 8, "Condition must be a map"),
    ],
)
def test_an_scp_must_follow_the_policy_grammar(
    write_spec, valid, problems_of, statement, line, message
):
    document = {"Version": "2012-10-17", "Statement": [statement]}
    assert problems_of(write_spec(_protect(document), valid)) == [
        f'policies/protect.json:{line}: policy "protect": {message}'
    ]


def test_an_scp_version_and_statements(write_spec, valid, problems_of, load_ok):
    load_ok(write_spec(_protect({"Version": "2008-10-17", "Statement": DENY}), valid))
    assert problems_of(write_spec(_protect({"Version": "2012-10-18", "Statement": []}), valid)) == [
        'policies/protect.json:2: policy "protect": Version must be "2012-10-17" '
        '(or "2008-10-17"), got "2012-10-18"',
        'policies/protect.json:3: policy "protect": Statement must be a statement or a '
        "non-empty list of statements",
    ]


def test_policies_per_target_count_full_aws_access(write_spec, valid, problems_of, load_ok):
    deny = "{Version: '2012-10-17', Statement: {Effect: Deny, Action: '*', Resource: '*'}}"
    declared = "".join(f"  p{n}: {{document: {deny}}}\n" for n in range(1, 6))
    files = {**valid, "catalog/more.yaml": "policies:\n" + declared}
    # Four listed plus FullAWSAccess (named or not, it counts once) is the quota of 5.
    four = "[p1, p2, p3, p4, FullAWSAccess]"
    load_ok(write_spec(_edit(files, "catalog/accounts.yaml", "[protect]", four)))
    five = _edit(files, "catalog/accounts.yaml", "[protect]", "[p1, p2, p3, p4, p5]")
    assert problems_of(write_spec(five)) == [
        'catalog/accounts.yaml:11: account "dev": 6 policies would be attached (5 listed plus '
        "FullAWSAccess, which lz keeps attached), over the quota of 5 per target "
        "(organization.quotas.policies_per_target)"
    ]


# --- aliases and regions -------------------------------------------------------------------


@pytest.mark.parametrize("alias", ["ab", "Acme-shared", "-acme", "acme-", "acme--shared", "a" * 64])
def test_aliases_are_well_formed(write_spec, valid, problems_of, alias):
    files = _edit(valid, "catalog/accounts.yaml", "alias: acme-shared", f"alias: '{alias}'")
    assert problems_of(write_spec(files)) == [
        f'catalog/accounts.yaml:6: account "shared": alias "{alias}" must be 3 to 63 characters '
        'of a-z, 0-9 and "-", not starting or ending with "-" nor with "--" inside'
    ]


def test_aliases_are_unique(write_spec, valid, problems_of):
    files = _edit(
        valid, "catalog/accounts.yaml", "unit: plat\n", "unit: plat\n    alias: acme-shared\n"
    )
    assert problems_of(write_spec(files)) == [
        'catalog/accounts.yaml:10: account "dev": alias "acme-shared" is already used by '
        'account "shared" (catalog/accounts.yaml:6)'
    ]


def test_region_names(write_spec, valid, problems_of, load_ok):
    files = _edit(valid, "catalog/accounts.yaml", "eu-central-1", "ap-southeast-7")
    load_ok(write_spec(files))
    files = _edit(files, "catalog/accounts.yaml", "ap-southeast-7", "eu-central, us-gov-west-1")
    files = _edit(files, "landingzone.yaml", "account: shared", "account: shared\n  region: Oregon")
    problems = problems_of(write_spec(files))
    assert problems[:2] == [
        'catalog/accounts.yaml:10: accounts.dev.regions[1]: "eu-central" is not a region of '
        'partition aws (did you mean "eu-central-2"?); lz knows the regions botocore '
        f"{botocore.__version__} lists: a region newer than it needs a newer botocore",
        'catalog/accounts.yaml:10: accounts.dev.regions[2]: "us-gov-west-1" is a region of '
        "partition aws-us-gov, and the organization is in aws (organization.home_region); one "
        "organization stays in one partition",
    ]
    assert problems[2].startswith(
        'landingzone.yaml:9: state.region: "Oregon" is not a region of partition aws (regions: '
        "af-south-1, ap-east-1,"
    )


def test_an_unknown_home_region_is_refused_with_a_suggestion(write_spec, valid, problems_of):
    files = _edit(valid, "landingzone.yaml", "home_region: us-west-2", "home_region: us-east-9")
    assert problems_of(write_spec(files))[0].startswith(
        'landingzone.yaml:5: organization.home_region: "us-east-9" is not a region of partition '
        'aws (did you mean "us-east-2"?)'
    )


def test_regions_of_another_partition_are_valid_together(write_spec, valid, load_ok):
    files = _edit(valid, "catalog/accounts.yaml", "us-west-2, eu-central-1", "cn-north-1")
    files = _edit(
        files, "landingzone.yaml", "home_region: us-west-2", "home_region: cn-northwest-1"
    )
    load_ok(write_spec(files))
