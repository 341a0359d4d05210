"""Values AWS would refuse are refused by `lz validate` first, at file:line, citing the limit."""

from __future__ import annotations

import types
from typing import Union, get_args, get_origin

import pytest

from landingzone.spec.limits import BUDGET_AMOUNT, TAGGING, UNIQUE_LISTS
from landingzone.spec.schema_errors import _shape_at
from landingzone.validate.limits import TAGGED

ORG = "organization: {name: acme, home_region: us-west-2}\nstate: {account: management}\n"
ACCOUNT = "accounts:\n  dev:\n    email: aws+dev@example.com\n"
CONTROL = "AWS refuses control characters in names, tags and addresses, and lz in every string"


def _account_tags(tags: str) -> str:
    return ORG + ACCOUNT + f"    tags: {tags}\n"


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        (
            "{" + "k" * 200 + ": v}",
            f'tag key "{"k" * 37}..." is 200 characters, over AWS\'s limit of 128 characters in '
            f"a tag key ({TAGGING})",
        ),
        (
            "{Team: " + "v" * 300 + "}",
            'tag "Team": the value is 300 characters (placeholders filled at their longest), '
            f"over AWS's limit of 256 characters in a tag value ({TAGGING})",
        ),
        (
            "{Url: 'https://example.com/{account}/" + "v" * 200 + "'}",
            'tag "Url": the value is 271 characters (placeholders filled at their longest), '
            f"over AWS's limit of 256 characters in a tag value ({TAGGING})",
        ),
        (
            "{'aws:owner': me}",
            f'tag key "aws:owner": the prefix "aws:" is reserved for AWS ({TAGGING})',
        ),
        (
            "{Owner: 'me!'}",
            'tag "Owner": the value may hold only letters, numbers, spaces and _ . : / = + - @ '
            f"({TAGGING})",
        ),
        ("{ManagedBy: me}", 'tag key "ManagedBy" is one lz sets itself on everything it creates'),
    ],
)
def test_a_tag_aws_would_refuse(write_spec, problems_of, tags, message):
    root = write_spec({"landingzone.yaml": _account_tags(tags)})
    assert problems_of(root) == [f"landingzone.yaml:6: accounts.dev: {message}"]


def test_tags_with_placeholders_and_unicode_letters_are_fine(write_spec, load_ok):
    tags = "{Dashboard: 'https://grafana.example.com/{account_id}', Équipe: 'données @ été'}"
    load_ok(write_spec({"landingzone.yaml": _account_tags(tags)}))


def test_too_many_tags_counts_the_organizations_and_lzs_own(write_spec, problems_of):
    org_tags = ", ".join(f"o{i}: x" for i in range(10))
    own_tags = ", ".join(f"a{i}: x" for i in range(40))
    root = write_spec(
        {
            "landingzone.yaml": "organization: {name: acme, home_region: us-west-2, tags: {"
            + org_tags
            + "}}\nstate: {account: management}\n"
            + _account_tags("{" + own_tags + "}").removeprefix(ORG)
        }
    )
    assert problems_of(root) == [
        "landingzone.yaml:6: accounts.dev: 52 tags on its resources (50 from the spec with "
        "organization.tags, 2 that lz adds: ManagedBy, CreatedBy), over AWS's limit of 50 "
        f"tags per resource ({TAGGING})"
    ]


def test_sixty_tags_on_the_organization_are_too_many(write_spec, problems_of):
    tags = ", ".join(f"t{i}: x" for i in range(60))
    root = write_spec(
        {
            "landingzone.yaml": "organization: {name: acme, home_region: us-west-2, tags: {"
            + tags
            + "}}\nstate: {account: management}\n"
        }
    )
    assert problems_of(root) == [
        "landingzone.yaml:1: organization: 62 tags on its resources (60 from the spec, 2 that "
        f"lz adds: ManagedBy, CreatedBy), over AWS's limit of 50 tags per resource ({TAGGING})"
    ]


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("email", '"aws+dev\\0@example.com"'),
        ("name", '"dev\\x1b[31m"'),
        ("tags", '{Team: "a\\0b"}'),
    ],
)
def test_control_characters_are_refused_anywhere(write_spec, problems_of, where, text):
    spec = ORG + "accounts:\n  dev:\n"
    spec += "" if where == "email" else "    email: aws+dev@example.com\n"
    spec += f"    {where}: {text}\n"
    root = write_spec({"landingzone.yaml": spec})
    problems = problems_of(root)
    path = "accounts.dev.email" if where == "email" else f"accounts.dev.{where}"
    if where == "tags":
        path += ".Team"
    character = "U+001B" if where == "name" else "U+0000"
    assert (
        f"landingzone.yaml:{5 if where == 'email' else 6}: {path}: the value holds the control "
        f"character {character}; {CONTROL}"
    ) in problems


def test_a_control_character_in_a_key_is_refused(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + 'units:\n  "core\\0": {}\n'})
    assert (
        "landingzone.yaml:4: units.core\\x00: the key holds the control character U+0000; "
        + CONTROL
    ) in problems_of(root)


def test_a_region_listed_twice_is_a_problem_not_a_crash(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "organization:\n  name: acme\n  home_region: us-east-1\n"
            "  regions: [us-east-1, us-east-1]\nstate: {account: management}\n"
            + ACCOUNT
            + "    regions:\n      - eu-west-1\n      - eu-west-1\n"
        }
    )
    assert problems_of(root) == [
        'landingzone.yaml:4: organization.regions[1]: "us-east-1" is listed twice (first at '
        "landingzone.yaml:4); list each once",
        'landingzone.yaml:11: accounts.dev.regions[1]: "eu-west-1" is listed twice (first at '
        "landingzone.yaml:10); list each once",
    ]


def _scp(statement: str) -> str:
    return (
        ORG
        + "policies:\n  p:\n    document:\n      Version: '2012-10-17'\n      Statement:\n"
        + f"        - {statement}\n"
    )


GRAMMAR = "AWS's IAM JSON policy grammar"


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            "{Effect: Deny, Action: 'not an action', Resource: '*'}",
            f'Action "not an action" is not "*" or "service:Action" ({GRAMMAR})',
        ),
        (
            "{Effect: Deny, Action: ['s3:Get Object'], Resource: '*'}",
            f'Action "s3:Get Object" is not "*" or "service:Action" ({GRAMMAR})',
        ),
        (
            "{Sid: 'deny all, please!', Effect: Deny, Action: 's3:*', Resource: '*'}",
            f'Sid "deny all, please!" may hold only ASCII letters and digits ({GRAMMAR})',
        ),
        (
            "{Effect: Deny, Action: 's3:*', Resource: ''}",
            'Resource "" is not "*" or an ARN (arn:partition:service:region:account:resource)',
        ),
        (
            "{Effect: Deny, Action: 's3:*', Resource: [my-bucket]}",
            'Resource "my-bucket" is not "*" or an ARN '
            "(arn:partition:service:region:account:resource)",
        ),
        (
            "{Effect: Deny, Action: 's3:*', Resource: '*', Condition: {StringEquals: []}}",
            "Condition StringEquals must map condition keys to values",
        ),
        (
            "{Effect: Deny, Action: 's3:*', Resource: '*', "
            "Condition: {StringEquals: {'aws:RequestedRegion': []}}}",
            "Condition StringEquals aws:RequestedRegion: a value is a string, number or "
            "true/false, or a non-empty list of them",
        ),
    ],
)
def test_scp_grammar_aws_would_refuse(write_spec, problems_of, statement, message):
    root = write_spec({"landingzone.yaml": _scp(statement)})
    assert problems_of(root) == [f'landingzone.yaml:8: policy "p": {message}']


def test_an_inline_role_policy_with_a_bad_sid_is_refused(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + ACCOUNT
            + "roles:\n  reader:\n    deploy_to: {accounts: [dev]}\n"
            + "    trust: [{accounts: [management]}]\n"
            + "    inline_policies:\n      read:\n        Version: '2012-10-17'\n"
            + "        Statement:\n          - Sid: read-the-bucket\n            Effect: Allow\n"
            + "            Action: s3:GetObject\n            Resource: 'arn:aws:s3:::b/*'\n"
        }
    )
    assert problems_of(root) == [
        'landingzone.yaml:11: role "reader": inline policy "read": Sid "read-the-bucket" may hold '
        f"only ASCII letters and digits ({GRAMMAR})"
    ]


def _budget(amount: str) -> str:
    return (
        "organization: {name: acme, home_region: us-west-2, baseline: std}\n"
        "state: {account: management}\n"
        + ACCOUNT
        + "baselines:\n  profiles:\n    std:\n      budgets:\n"
        + f"        monthly: {{limit_usd: {amount}}}\n"
    )


@pytest.mark.parametrize(
    ("amount", "shown"), [(".nan", "nan"), (".inf", "inf"), ("1e100", "1e+100"), ("-5", "-5")]
)
def test_budget_amounts_aws_would_refuse(write_spec, problems_of, amount, shown):
    root = write_spec({"landingzone.yaml": _budget(amount)})
    assert problems_of(root) == [
        f'landingzone.yaml:10: profile "std": budget "monthly": limit_usd must be more than 0 '
        f"and at most {BUDGET_AMOUNT.cite()}, got {shown}"
    ]


def test_names_aws_would_refuse(write_spec, problems_of):
    name = "p" * 129
    root = write_spec(
        {
            "landingzone.yaml": "organization: {name: acme, home_region: us-west-2}\n"
            "state: {account: management, bucket: '{org}_State', lock_table: 'my locks', key: '"
            + "k" * 1025
            + "'}\n"
            + f"policies:\n  {name}:\n    description: '{'d' * 513}'\n"
            + "    document: {Version: '2012-10-17', Statement: {Effect: Deny, Action: 's3:*', "
            "Resource: '*'}}\n"
        }
    )
    assert problems_of(root) == [
        'landingzone.yaml:2: state: bucket "acme_State" is not a valid S3 bucket name (3 to 63 '
        'characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit; S3 '
        "bucket naming rules)",
        "landingzone.yaml:2: state: key is 1025 bytes; it must be 1 to AWS's limit of 1,024 bytes "
        "in an object key (S3 object key naming rules)",
        'landingzone.yaml:2: state: lock_table "my locks" must be 3 to 255 characters of letters, '
        "digits, _ . and - (DynamoDB CreateTable, TableName)",
        f'landingzone.yaml:4: policy "{name[:40]}...": the name is over AWS\'s limit of 128 '
        "characters in a policy name (Organizations CreatePolicy, Name)",
        f'landingzone.yaml:5: policy "{name}": the description is 513 characters, over AWS\'s '
        "limit of 512 characters in a policy description (Organizations CreatePolicy, "
        "Description)",
    ]


def _list_type(shape: object) -> bool:
    if get_origin(shape) in (Union, types.UnionType):
        return any(_list_type(arg) for arg in get_args(shape))
    return get_origin(shape) is list


@pytest.mark.parametrize("pattern", UNIQUE_LISTS, ids=".".join)
def test_every_list_checked_for_repeats_is_a_list_of_the_schema(pattern):
    shape, _ = _shape_at(tuple("x" if key == "*" else key for key in pattern))
    assert _list_type(shape), f"{pattern} is not a list in the schema"


@pytest.mark.parametrize(("section", "added", "strict"), TAGGED, ids=lambda v: str(v))
def test_every_tagged_section_has_tags_in_the_schema(section, added, strict):
    shape, _ = _shape_at((*section, "x", "tags"))
    assert get_origin(shape) is dict
