"""Condition operators, one table per family: (condition block, request context) -> holds?"""

from __future__ import annotations

import re
from typing import Any

import pytest

from landingzone.access.conditions import parse_conditions
from landingzone.access.context import Context

Row = tuple[str, dict[str, Any], dict[str, Any], bool]


def holds(block: dict[str, Any], context: dict[str, Any], *, variables: bool = True) -> bool:
    tests = parse_conditions(block, variables=variables)
    ctx = Context.from_json(context)
    return all(test.holds(ctx) for test in tests)


STRING: list[Row] = [
    ("equals", {"StringEquals": {"k": "prod"}}, {"k": "prod"}, True),
    ("equals is case-sensitive", {"StringEquals": {"k": "prod"}}, {"k": "Prod"}, False),
    ("equals has no wildcards", {"StringEquals": {"k": "pr*"}}, {"k": "prod"}, False),
    ("values are OR'ed", {"StringEquals": {"k": ["dev", "prod"]}}, {"k": "prod"}, True),
    ("not equals", {"StringNotEquals": {"k": "prod"}}, {"k": "dev"}, True),
    ("not equals: the value is listed", {"StringNotEquals": {"k": "prod"}}, {"k": "prod"}, False),
    (
        "not equals with several values: must match none",
        {"StringNotEquals": {"k": ["dev", "prod"]}},
        {"k": "prod"},
        False,
    ),
    ("equals ignore case", {"StringEqualsIgnoreCase": {"k": "PROD"}}, {"k": "prod"}, True),
    ("not equals ignore case", {"StringNotEqualsIgnoreCase": {"k": "PROD"}}, {"k": "prod"}, False),
    (
        "not equals ignore case: other",
        {"StringNotEqualsIgnoreCase": {"k": "PROD"}},
        {"k": "dev"},
        True,
    ),
    ("like *", {"StringLike": {"k": "home/*"}}, {"k": "home/bob/x"}, True),
    ("like * matches nothing too", {"StringLike": {"k": "home/*"}}, {"k": "home/"}, True),
    ("like ?", {"StringLike": {"k": "v?"}}, {"k": "v1"}, True),
    ("like ? is exactly one", {"StringLike": {"k": "v?"}}, {"k": "v10"}, False),
    ("like is case-sensitive", {"StringLike": {"k": "Home/*"}}, {"k": "home/x"}, False),
    ("like matches the whole value", {"StringLike": {"k": "home"}}, {"k": "home/x"}, False),
    ("not like", {"StringNotLike": {"k": "home/*"}}, {"k": "work/x"}, True),
    ("not like: matches", {"StringNotLike": {"k": "home/*"}}, {"k": "home/x"}, False),
    ("a number in the context compares as text", {"StringEquals": {"k": "10"}}, {"k": 10}, True),
    (
        "a boolean in the context compares as text",
        {"StringEquals": {"k": "true"}},
        {"k": True},
        True,
    ),
    ("a number in the policy compares as text", {"StringEquals": {"k": 10}}, {"k": "10"}, True),
]

MISSING: list[Row] = [
    ("missing: equals is false", {"StringEquals": {"k": "x"}}, {}, False),
    ("missing: like is false", {"StringLike": {"k": "*"}}, {}, False),
    ("missing: not equals is true", {"StringNotEquals": {"k": "x"}}, {}, True),
    ("missing: not like is true", {"StringNotLike": {"k": "x"}}, {}, True),
    ("missing: NotIpAddress is true", {"NotIpAddress": {"k": "10.0.0.0/8"}}, {}, True),
    ("missing: ArnNotLike is true", {"ArnNotLike": {"k": "arn:aws:s3:::*"}}, {}, True),
    ("missing: NumericNotEquals is true", {"NumericNotEquals": {"k": "1"}}, {}, True),
    ("missing: NumericLessThan is false", {"NumericLessThan": {"k": "1"}}, {}, False),
    ("missing: Bool is false", {"Bool": {"k": "false"}}, {}, False),
    ("missing: IfExists is true", {"StringEqualsIfExists": {"k": "x"}}, {}, True),
    ("present: IfExists tests the value", {"StringEqualsIfExists": {"k": "x"}}, {"k": "y"}, False),
    ("missing: negated IfExists is true", {"StringNotEqualsIfExists": {"k": "x"}}, {}, True),
    ("missing: NumericLessThanIfExists", {"NumericLessThanIfExists": {"k": "1"}}, {}, True),
    ("missing: BoolIfExists", {"BoolIfExists": {"k": "false"}}, {}, True),
    ("an empty list counts as missing", {"StringEquals": {"k": "x"}}, {"k": []}, False),
    (
        "keys ignore case",
        {"StringEquals": {"AWS:SourceVpc": "vpc-1"}},
        {"aws:sourcevpc": "vpc-1"},
        True,
    ),
]

NUMERIC: list[Row] = [
    ("equals", {"NumericEquals": {"s3:max-keys": "10"}}, {"s3:max-keys": 10}, True),
    ("equals: decimal", {"NumericEquals": {"k": "10"}}, {"k": "10.0"}, True),
    ("not equals", {"NumericNotEquals": {"k": "10"}}, {"k": 11}, True),
    ("not equals: equal", {"NumericNotEquals": {"k": "10"}}, {"k": 10}, False),
    ("less than", {"NumericLessThan": {"k": "10"}}, {"k": 9}, True),
    ("less than: equal", {"NumericLessThan": {"k": "10"}}, {"k": 10}, False),
    (
        "less than equals",
        {"NumericLessThanEquals": {"s3:max-keys": "10"}},
        {"s3:max-keys": "10"},
        True,
    ),
    ("less than equals: above", {"NumericLessThanEquals": {"k": "10"}}, {"k": 11}, False),
    ("greater than", {"NumericGreaterThan": {"k": "1.5"}}, {"k": 2}, True),
    ("greater than: equal", {"NumericGreaterThan": {"k": "2"}}, {"k": 2}, False),
    ("greater than equals", {"NumericGreaterThanEquals": {"k": "2"}}, {"k": 2}, True),
    ("greater than equals: below", {"NumericGreaterThanEquals": {"k": "2"}}, {"k": -3}, False),
    ("a policy number as JSON", {"NumericEquals": {"k": 3}}, {"k": "3"}, True),
    (
        "a non-numeric request value does not match",
        {"NumericEquals": {"k": "1"}},
        {"k": "one"},
        False,
    ),
    ("a boolean is not a number", {"NumericEquals": {"k": "1"}}, {"k": True}, False),
]

DATE: list[Row] = [
    (
        "greater than (docs: tokens issued in 2020)",
        {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
        {"aws:TokenIssueTime": "2020-06-30T12:00:00Z"},
        True,
    ),
    (
        "greater than: before",
        {"DateGreaterThan": {"aws:TokenIssueTime": "2020-01-01T00:00:01Z"}},
        {"aws:TokenIssueTime": "2019-12-31T23:59:59Z"},
        False,
    ),
    (
        "less than",
        {"DateLessThan": {"k": "2024-06-01T00:00:00Z"}},
        {"k": "2024-05-31T23:59:59Z"},
        True,
    ),
    (
        "less than: equal",
        {"DateLessThan": {"k": "2024-06-01T00:00:00Z"}},
        {"k": "2024-06-01T00:00:00Z"},
        False,
    ),
    (
        "less than equals: equal",
        {"DateLessThanEquals": {"k": "2024-06-01T00:00:00Z"}},
        {"k": "2024-06-01T00:00:00Z"},
        True,
    ),
    (
        "greater than equals",
        {"DateGreaterThanEquals": {"k": "2024-06-01"}},
        {"k": "2024-06-01T00:00:00Z"},
        True,
    ),
    (
        "equals across time zones",
        {"DateEquals": {"k": "2024-06-01T02:00:00+02:00"}},
        {"k": "2024-06-01T00:00:00Z"},
        True,
    ),
    (
        "not equals",
        {"DateNotEquals": {"k": "2024-06-01T00:00:00Z"}},
        {"k": "2024-06-02T00:00:00Z"},
        True,
    ),
    (
        "not equals: equal",
        {"DateNotEquals": {"k": "2024-06-01T00:00:00Z"}},
        {"k": "2024-06-01T00:00:00Z"},
        False,
    ),
    (
        "epoch in the policy",
        {"DateLessThan": {"aws:CurrentTime": "1717200000"}},
        {"aws:CurrentTime": "2024-05-31T00:00:00Z"},
        True,
    ),
    (
        "epoch in the request",
        {"DateGreaterThan": {"aws:EpochTime": "2024-06-01T00:00:00Z"}},
        {"aws:EpochTime": 1717200001},
        True,
    ),
    ("epoch equals ISO", {"DateEquals": {"k": "2024-06-01T00:00:00Z"}}, {"k": 1717200000}, True),
    (
        "a W3C year-month",
        {"DateGreaterThanEquals": {"k": "2024-06"}},
        {"k": "2024-06-01T00:00:00Z"},
        True,
    ),
    (
        "an unparsable request date does not match",
        {"DateLessThan": {"k": "2030-01-01"}},
        {"k": "tomorrow"},
        False,
    ),
]

BOOL_BINARY_IP: list[Row] = [
    ("bool true", {"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": True}, True),
    (
        "bool false",
        {"Bool": {"aws:SecureTransport": "false"}},
        {"aws:SecureTransport": "false"},
        True,
    ),
    (
        "bool mismatch",
        {"Bool": {"aws:SecureTransport": "false"}},
        {"aws:SecureTransport": True},
        False,
    ),
    ("bool ignores case", {"Bool": {"k": "TRUE"}}, {"k": "true"}, True),
    ("bool: JSON true in the policy", {"Bool": {"k": True}}, {"k": True}, True),
    (
        "binary equal",
        {"BinaryEquals": {"k": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
        {"k": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="},
        True,
    ),
    (
        "binary different",
        {"BinaryEquals": {"k": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}},
        {"k": "b3RoZXI="},
        False,
    ),
    (
        "binary: not base64 in the request",
        {"BinaryEquals": {"k": "b3RoZXI="}},
        {"k": "not base64!"},
        False,
    ),
    (
        "ip in range",
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"aws:SourceIp": "203.0.113.7"},
        True,
    ),
    (
        "ip out of range",
        {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
        {"aws:SourceIp": "203.0.114.7"},
        False,
    ),
    (
        "ip without prefix is /32",
        {"IpAddress": {"aws:SourceIp": "203.0.113.7"}},
        {"aws:SourceIp": "203.0.113.7"},
        True,
    ),
    (
        "ip without prefix: another address",
        {"IpAddress": {"aws:SourceIp": "203.0.113.7"}},
        {"aws:SourceIp": "203.0.113.8"},
        False,
    ),
    (
        "ipv6 in range",
        {"IpAddress": {"aws:SourceIp": "2001:DB8:1234:5678::/64"}},
        {"aws:SourceIp": "2001:db8:1234:5678::9"},
        True,
    ),
    (
        "ipv6 out of range",
        {"IpAddress": {"aws:SourceIp": "2001:DB8:1234:5678::/64"}},
        {"aws:SourceIp": "2001:db8:1234:9999::9"},
        False,
    ),
    (
        "mixed v4 and v6 ranges",
        {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}},
        {"aws:SourceIp": "2001:db8:1234:5678::1"},
        True,
    ),
    (
        "an ipv4 address is not in an ipv6 range",
        {"IpAddress": {"k": "::/0"}},
        {"k": "10.0.0.1"},
        False,
    ),
    (
        "not ip address",
        {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        {"aws:SourceIp": "203.0.113.7"},
        True,
    ),
    (
        "not ip address: inside",
        {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}},
        {"aws:SourceIp": "10.1.2.3"},
        False,
    ),
    (
        "an invalid request address does not match",
        {"IpAddress": {"k": "0.0.0.0/0"}},
        {"k": "localhost"},
        False,
    ),
]

SOURCE = "arn:aws:sns:eu-west-1:123456789012:topic-a"
STORE_DOCUMENT = (
    "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
)
ARN: list[Row] = [
    ("arn equals", {"ArnEquals": {"aws:SourceArn": SOURCE}}, {"aws:SourceArn": SOURCE}, True),
    (
        "arn equals takes wildcards like ArnLike",
        {"ArnEquals": {"aws:SourceArn": "arn:aws:sns:*:123456789012:*"}},
        {"aws:SourceArn": SOURCE},
        True,
    ),
    (
        "arn like",
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:eu-*:123456789012:topic-?"}},
        {"aws:SourceArn": SOURCE},
        True,
    ),
    (
        "arn like is case-sensitive",
        {"ArnLike": {"k": "arn:aws:sns:*:*:Topic-a"}},
        {"k": SOURCE},
        False,
    ),
    ("arn not like", {"ArnNotLike": {"k": "arn:aws:sns:*:999999999999:*"}}, {"k": SOURCE}, True),
    ("arn not equals: equal", {"ArnNotEquals": {"k": SOURCE}}, {"k": SOURCE}, False),
    (
        "docs: ArnLike checks each segment",
        {"ArnLike": {"k": "arn:aws:someservice:*:111122223333:finance/*"}},
        {"k": STORE_DOCUMENT},
        False,
    ),
    (
        "docs: StringLike matches across segments",
        {"StringLike": {"k": "arn:aws:someservice:*:111122223333:finance/*"}},
        {"k": STORE_DOCUMENT},
        True,
    ),
    (
        "a pattern with fewer than six segments matches nothing",
        {"ArnLike": {"k": "arn:aws:*"}},
        {"k": SOURCE},
        False,
    ),
    (
        "a request value that is not an ARN",
        {"ArnLike": {"k": "arn:aws:sns:*:*:*"}},
        {"k": "topic-a"},
        False,
    ),
]

NULL: list[Row] = [
    ("null true: missing", {"Null": {"aws:TokenIssueTime": "true"}}, {}, True),
    (
        "null true: present",
        {"Null": {"aws:TokenIssueTime": "true"}},
        {"aws:TokenIssueTime": "2024-01-01T00:00:00Z"},
        False,
    ),
    ("null false: present", {"Null": {"k": "false"}}, {"k": "x"}, True),
    ("null false: missing", {"Null": {"k": "false"}}, {}, False),
    ("null: an empty list is null", {"Null": {"k": "true"}}, {"k": []}, True),
    ("null: JSON booleans", {"Null": {"k": False}}, {"k": "x"}, True),
]

ATTRS = "dynamodb:Attributes"
TAG_KEYS = "aws:TagKeys"
SETS: list[Row] = [
    (
        "ForAllValues: a subset",
        {"ForAllValues:StringEquals": {ATTRS: ["ID", "Message", "Tags"]}},
        {ATTRS: ["Message", "Tags"]},
        True,
    ),
    (
        "ForAllValues: a value outside the set",
        {"ForAllValues:StringEquals": {ATTRS: ["PostDateTime", "Message", "Tags"]}},
        {ATTRS: ["PostDateTime", "UserName"]},
        False,
    ),
    ("ForAllValues: missing key is true", {"ForAllValues:StringEquals": {ATTRS: ["ID"]}}, {}, True),
    (
        "ForAllValues: empty list is true",
        {"ForAllValues:StringEquals": {ATTRS: ["ID"]}},
        {ATTRS: []},
        True,
    ),
    (
        "ForAllValues: a single value",
        {"ForAllValues:StringLike": {TAG_KEYS: "Created*"}},
        {TAG_KEYS: "CreatedBy"},
        True,
    ),
    (
        "ForAnyValue: one overlap",
        {"ForAnyValue:StringEquals": {ATTRS: ["ID", "PostDateTime"]}},
        {ATTRS: ["UserName", "Message", "PostDateTime"]},
        True,
    ),
    (
        "ForAnyValue: no overlap",
        {"ForAnyValue:StringEquals": {ATTRS: ["ID", "PostDateTime"]}},
        {ATTRS: ["UserName"]},
        False,
    ),
    ("ForAnyValue: missing key is false", {"ForAnyValue:StringEquals": {ATTRS: ["ID"]}}, {}, False),
    (
        "ForAnyValue: empty list is false",
        {"ForAnyValue:StringEquals": {ATTRS: ["ID"]}},
        {ATTRS: []},
        False,
    ),
    (
        "ForAnyValue IfExists: missing key is true",
        {"ForAnyValue:StringEqualsIfExists": {ATTRS: ["ID"]}},
        {},
        True,
    ),
    (
        "ForAllValues:StringNotLike: every value avoids the pattern",
        {"ForAllValues:StringNotLike": {TAG_KEYS: "key1*"}},
        {TAG_KEYS: ["key2:audit"]},
        True,
    ),
    (
        "ForAllValues:StringNotLike: a value matches",
        {"ForAllValues:StringNotLike": {TAG_KEYS: "key1*"}},
        {TAG_KEYS: ["key1:legal"]},
        False,
    ),
    (
        "ForAllValues:StringNotLike: missing key is true",
        {"ForAllValues:StringNotLike": {TAG_KEYS: "key1*"}},
        {},
        True,
    ),
    (
        "ForAnyValue:StringNotEquals: one value is not listed",
        {"ForAnyValue:StringNotEquals": {TAG_KEYS: ["team"]}},
        {TAG_KEYS: ["team", "cost-center"]},
        True,
    ),
    (
        "ForAnyValue:StringNotEquals: all values listed",
        {"ForAnyValue:StringNotEquals": {TAG_KEYS: ["team"]}},
        {TAG_KEYS: ["team"]},
        False,
    ),
    (
        "ForAnyValue:StringNotEquals: missing key is false",
        {"ForAnyValue:StringNotEquals": {TAG_KEYS: ["team"]}},
        {},
        False,
    ),
    (
        "no set operator: any request value may match",
        {"StringEquals": {TAG_KEYS: "team"}},
        {TAG_KEYS: ["cost", "team"]},
        True,
    ),
    (
        "no set operator, negated: no request value may match",
        {"StringNotEquals": {TAG_KEYS: "team"}},
        {TAG_KEYS: ["cost", "team"]},
        False,
    ),
    (
        "ForAnyValue with IpAddress",
        {"ForAnyValue:IpAddress": {"k": "10.0.0.0/8"}},
        {"k": ["192.0.2.1", "10.0.0.1"]},
        True,
    ),
]

COMBINATIONS: list[Row] = [
    (
        "docs: keys and operators are AND'ed",
        {
            "StringEqualsIgnoreCase": {
                "aws:PrincipalTag/department": ["finance", "hr", "legal"],
                "aws:PrincipalTag/role": ["audit", "security"],
            },
            "StringEquals": {"aws:PrincipalAccount": "123456789012"},
        },
        {
            "aws:PrincipalTag/department": "HR",
            "aws:PrincipalTag/role": "audit",
            "aws:PrincipalAccount": "123456789012",
        },
        True,
    ),
    (
        "docs: one key fails",
        {
            "StringEqualsIgnoreCase": {
                "aws:PrincipalTag/department": ["finance", "hr"],
                "aws:PrincipalTag/role": ["audit", "security"],
            }
        },
        {"aws:PrincipalTag/department": "HR", "aws:PrincipalTag/role": "dev"},
        False,
    ),
    (
        "docs: one operator fails",
        {
            "StringEqualsIgnoreCase": {"aws:PrincipalTag/role": "audit"},
            "StringEquals": {"aws:PrincipalAccount": "123456789012"},
        },
        {"aws:PrincipalTag/role": "audit", "aws:PrincipalAccount": "999999999999"},
        False,
    ),
    ("an empty condition block holds", {}, {}, True),
]

TEAM = "${aws:PrincipalTag/Team}"
VARIABLES: list[Row] = [
    (
        "variable equal",
        {"StringEquals": {"s3:ExistingObjectTag/Team": TEAM}},
        {"aws:PrincipalTag/Team": "blue", "s3:ExistingObjectTag/Team": "blue"},
        True,
    ),
    (
        "variable different",
        {"StringEquals": {"s3:ExistingObjectTag/Team": TEAM}},
        {"aws:PrincipalTag/Team": "blue", "s3:ExistingObjectTag/Team": "red"},
        False,
    ),
    (
        "docs: a variable without value does not equal",
        {"StringEquals": {"s3:ExistingObjectTag/Team": TEAM}},
        {"s3:ExistingObjectTag/Team": "blue"},
        False,
    ),
    (
        "docs: a variable without value: StringNotEquals holds",
        {"StringNotEquals": {"s3:ExistingObjectTag/Team": TEAM}},
        {"s3:ExistingObjectTag/Team": "blue"},
        True,
    ),
    (
        "variable in StringLike",
        {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}},
        {"aws:username": "bob", "s3:prefix": "home/bob/docs"},
        True,
    ),
    (
        "variable in StringLike: other user",
        {"StringLike": {"s3:prefix": "home/${aws:username}/*"}},
        {"aws:username": "bob", "s3:prefix": "home/alice/docs"},
        False,
    ),
    (
        "variable with default: value set",
        {"StringEquals": {"k": "${aws:PrincipalTag/team, 'none'}"}},
        {"aws:PrincipalTag/team": "x", "k": "x"},
        True,
    ),
    (
        "variable with default: value missing",
        {"StringEquals": {"k": "${aws:PrincipalTag/team, 'none'}"}},
        {"k": "none"},
        True,
    ),
    (
        "variable keys ignore case",
        {"StringEquals": {"k": "${AWS:USERNAME}"}},
        {"aws:username": "bob", "k": "bob"},
        True,
    ),
    ("${*} is a literal asterisk", {"StringLike": {"k": "a${*}"}}, {"k": "ab"}, False),
    ("${*} matches an asterisk", {"StringLike": {"k": "a${*}"}}, {"k": "a*"}, True),
    ("${?} is a literal question mark", {"StringLike": {"k": "why${?}"}}, {"k": "whyX"}, False),
    ("${?} matches a question mark", {"StringLike": {"k": "why${?}"}}, {"k": "why?"}, True),
    ("${$} is a dollar sign", {"StringEquals": {"k": "${$}{x}"}}, {"k": "${x}"}, True),
    (
        "a variable's value is not a wildcard",
        {"StringLike": {"k": "${aws:PrincipalTag/p}"}},
        {"aws:PrincipalTag/p": "*", "k": "abc"},
        False,
    ),
    (
        "variable in ArnLike",
        {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:${aws:PrincipalAccount}:*"}},
        {"aws:PrincipalAccount": "123456789012", "aws:SourceArn": SOURCE},
        True,
    ),
    (
        "variable in Bool",
        {"Bool": {"k": "${aws:PrincipalTag/flag}"}},
        {"aws:PrincipalTag/flag": "true", "k": True},
        True,
    ),
    (
        "a multivalued key is no variable",
        {"StringEquals": {"k": "${aws:TagKeys}"}},
        {"aws:TagKeys": ["a", "b"], "k": "a"},
        False,
    ),
]


def table(*groups: tuple[str, list[Row]]) -> list[Any]:
    rows = [
        pytest.param(*row[1:], id=f"{name}: {row[0]}") for name, group in groups for row in group
    ]
    assert len({row.id for row in rows}) == len(rows)
    return rows


@pytest.mark.parametrize(
    ("block", "context", "expected"),
    table(
        ("String", STRING),
        ("missing key", MISSING),
        ("Numeric", NUMERIC),
        ("Date", DATE),
        ("Bool/Binary/IP", BOOL_BINARY_IP),
        ("Arn", ARN),
        ("Null", NULL),
        ("set operators", SETS),
        ("combinations", COMBINATIONS),
        ("variables", VARIABLES),
    ),
)
def test_condition(block: dict[str, Any], context: dict[str, Any], expected: bool) -> None:
    assert holds(block, context) is expected


def test_variables_are_plain_text_without_version_2012() -> None:
    block = {"StringEquals": {"k": "${aws:username}"}}
    context = {"aws:username": "bob", "k": "${aws:username}"}
    assert holds(block, context, variables=False)
    assert not holds(block, context)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"StringEqualz": {"k": "x"}}, "unknown condition operator 'StringEqualz'"),
        (
            {"ForSomeValues:StringEquals": {"k": "x"}},
            "unknown condition set operator 'ForSomeValues'",
        ),
        ({"NullIfExists": {"k": "true"}}, "Null takes neither IfExists nor a set operator"),
        ({"ForAnyValue:Null": {"k": "true"}}, "Null takes neither IfExists nor a set operator"),
        ({"Null": {"k": "maybe"}}, "'maybe' is not true or false"),
        ({"NumericLessThan": {"k": "ten"}}, "'ten' is not a number"),
        ({"NumericEquals": {"k": "${aws:x}"}}, "is not a number"),
        ({"DateLessThan": {"k": "soon"}}, "is not an ISO 8601 date or epoch time"),
        ({"IpAddress": {"k": "10.0.0.300/8"}}, "IpAddress k"),
        ({"BinaryEquals": {"k": "%%%"}}, "'%%%' is not base64"),
        ({"Bool": {"k": "yes"}}, "'yes' is not true or false"),
        ({"StringEquals": {"k": []}}, "StringEquals k: no values"),
        ({"StringEquals": {"k": {"nested": "x"}}}, "values must be strings, numbers or booleans"),
        ({"StringEquals": {"k": [None]}}, "values must be strings, numbers or booleans"),
        ({"StringEquals": "k"}, "expected an object of keys"),
        ({"StringLike": {"k": "${aws:username"}}, "unterminated policy variable"),
        ({"StringLike": {"k": "${}"}}, "malformed policy variable"),
        ({"StringLike": {"k": "${a, b}"}}, "malformed policy variable"),
    ],
)
def test_malformed_condition(block: Any, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_conditions(block, variables=True)


def test_condition_must_be_an_object() -> None:
    with pytest.raises(ValueError, match="Condition must be an object"):
        parse_conditions(["StringEquals"], variables=True)
