"""Malformed policies are errors that say what and where, never silent denies."""

from __future__ import annotations

from typing import Any

import pytest

from landingzone.access.errors import PolicyError
from landingzone.access.policy import PolicyKind, parse_policy

IDENTITY, RESOURCE, RCP, SCP = (
    PolicyKind.IDENTITY,
    PolicyKind.RESOURCE,
    PolicyKind.RCP,
    PolicyKind.SCP,
)


def statement(**fields: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"} | fields


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def trust(**fields: Any) -> dict[str, Any]:
    return {
        "Effect": "Allow",
        "Principal": {"AWS": "111122223333"},
        "Action": "sts:AssumeRole",
    } | fields


# (id, kind, document, statement label in the error or None, words the message must contain)
MALFORMED: list[tuple[str, PolicyKind, Any, str | None, str]] = [
    ("not an object", IDENTITY, ["Statement"], None, "a policy must be a JSON object"),
    ("no Statement", IDENTITY, {"Version": "2012-10-17"}, None, "the Statement element is missing"),
    (
        "unknown policy element",
        IDENTITY,
        {"Statements": []},
        None,
        "unknown policy element 'Statements'",
    ),
    (
        "bad Version",
        IDENTITY,
        {"Version": "2012-10-18", "Statement": []},
        None,
        "Version must be one of",
    ),
    ("Id not a string", RESOURCE, {"Id": 7, "Statement": []}, None, "Id must be a string"),
    ("statement not an object", IDENTITY, doc("Allow"), "#0", "a statement must be a JSON object"),
    ("Sid not a string", IDENTITY, doc(statement(Sid=3)), "#0", "Sid must be a string"),
    (
        "lower-case effect",
        IDENTITY,
        doc(statement(Sid="Read", Effect="allow")),
        '"Read" (#0)',
        'Effect must be "Allow" or "Deny"',
    ),
    (
        "missing effect",
        IDENTITY,
        doc(statement(), {"Action": "s3:*", "Resource": "*"}),
        "#1",
        "Effect must be",
    ),
    (
        "Action and NotAction",
        IDENTITY,
        doc(statement(Sid="Both", NotAction="s3:PutObject")),
        '"Both" (#0)',
        "cannot have both Action and NotAction",
    ),
    (
        "no action",
        IDENTITY,
        doc({"Effect": "Allow", "Resource": "*"}),
        "#0",
        "needs Action or NotAction",
    ),
    (
        "action not a string",
        IDENTITY,
        doc(statement(Action=["s3:GetObject", 7])),
        "#0",
        "Action values must be strings, got 7",
    ),
    ("empty action list", IDENTITY, doc(statement(Action=[])), "#0", "Action must not be empty"),
    (
        "action without service",
        IDENTITY,
        doc(statement(Action="GetObject")),
        "#0",
        "is not '*' or 'service:action'",
    ),
    (
        "Resource and NotResource",
        IDENTITY,
        doc(statement(NotResource="*")),
        "#0",
        "both Resource and NotResource",
    ),
    (
        "identity policy without resource",
        IDENTITY,
        doc({"Effect": "Allow", "Action": "s3:*"}),
        "#0",
        "needs Resource or NotResource",
    ),
    (
        "SCP without resource",
        SCP,
        doc({"Effect": "Allow", "Action": "*"}),
        "#0",
        "needs Resource or NotResource",
    ),
    (
        "resource not an ARN",
        IDENTITY,
        doc(statement(Resource="bucket/*")),
        "#0",
        "is not '*' or an ARN",
    ),
    (
        "resource with five segments",
        IDENTITY,
        doc(statement(Resource="arn:aws:iam::*")),
        "#0",
        "is not '*' or an ARN",
    ),
    (
        "resource not a string",
        IDENTITY,
        doc(statement(Resource={"arn": "x"})),
        "#0",
        "Resource values must be strings",
    ),
    (
        "Principal in an identity policy",
        IDENTITY,
        doc(statement(Principal="*")),
        "#0",
        "Principal is not allowed in an identity-based policy",
    ),
    (
        "NotPrincipal in an SCP",
        SCP,
        doc(statement(NotPrincipal="*")),
        "#0",
        "NotPrincipal is not allowed in an SCP",
    ),
    (
        "resource policy without principal",
        RESOURCE,
        doc(statement()),
        "#0",
        "needs exactly one of Principal or NotPrincipal",
    ),
    (
        "Principal and NotPrincipal",
        RESOURCE,
        doc(statement(Principal="*", NotPrincipal={"AWS": "111122223333"})),
        "#0",
        "needs exactly one of Principal or NotPrincipal",
    ),
    (
        "unknown principal type",
        RESOURCE,
        doc(trust(Principal={"Aws": "111122223333"})),
        "#0",
        "unknown principal type 'Aws'",
    ),
    (
        "principal not an object",
        RESOURCE,
        doc(trust(Principal="111122223333")),
        "#0",
        'must be "*" or an object',
    ),
    (
        "principal id not a string",
        RESOURCE,
        doc(trust(Principal={"AWS": [123]})),
        "#0",
        "Principal AWS values must be strings",
    ),
    (
        "partial wildcard principal",
        RESOURCE,
        doc(trust(Principal={"AWS": "arn:aws:iam::111122223333:role/ci-*"})),
        "#0",
        "wildcards cannot match part of a principal",
    ),
    (
        "RCP principal not *",
        RCP,
        doc(statement(Principal={"AWS": "111122223333"})),
        "#0",
        'an RCP statement must have "Principal": "*"',
    ),
    (
        "RCP with NotPrincipal",
        RCP,
        doc(statement(NotPrincipal="*")),
        "#0",
        'an RCP statement must have "Principal": "*"',
    ),
    (
        "unknown statement element",
        IDENTITY,
        doc(statement(Actions="s3:*")),
        "#0",
        "unknown statement element 'Actions'",
    ),
    (
        "unknown condition operator",
        IDENTITY,
        doc(statement(Sid="C", Condition={"StringEqual": {"k": "v"}})),
        '"C" (#0)',
        "unknown condition operator 'StringEqual'",
    ),
    (
        "condition value of wrong type",
        IDENTITY,
        doc(statement(Condition={"StringEquals": {"k": None}})),
        "#0",
        "values must be strings, numbers or booleans",
    ),
    (
        "bad CIDR",
        IDENTITY,
        doc(statement(Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/33"}})),
        "#0",
        "IpAddress aws:SourceIp",
    ),
    (
        "bad variable in a resource",
        IDENTITY,
        doc(statement(Resource="arn:aws:s3:::b/${aws:username")),
        "#0",
        "unterminated policy variable",
    ),
    (
        "the second statement is named",
        IDENTITY,
        doc(statement(), statement(Sid="Second", Effect="Permit")),
        '"Second" (#1)',
        "Effect must be",
    ),
]


@pytest.mark.parametrize(
    ("kind", "document", "where", "message"),
    [pytest.param(*row[1:], id=row[0]) for row in MALFORMED],
)
def test_malformed_policy(kind: PolicyKind, document: Any, where: str | None, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse_policy(document, kind=kind, label="team-policy")
    error = caught.value
    assert message in error.detail
    assert error.policy == "team-policy"
    assert error.statement == where
    assert str(error).startswith('policy "team-policy"')
    assert error.to_json()["code"] == "policy_invalid"


@pytest.mark.parametrize(
    ("kind", "document"),
    [
        (
            IDENTITY,
            {
                "Statement": {
                    "Effect": "Deny",
                    "NotAction": "iam:*",
                    "NotResource": "arn:aws:s3:::*",
                }
            },
        ),
        (IDENTITY, {"Version": "2008-10-17", "Statement": []}),
        (RESOURCE, {"Id": "key-policy", "Statement": [trust()]}),
        (
            RESOURCE,
            {
                "Statement": [
                    trust(Principal={"CanonicalUser": "79a59df9", "Service": ["a.amazonaws.com"]})
                ]
            },
        ),
        (RCP, doc(statement(Effect="Deny", Principal="*", Action="s3:*"))),
        (
            SCP,
            doc(
                statement(
                    Action="*",
                    Condition={"StringNotEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"}},
                )
            ),
        ),
    ],
)
def test_valid_policies_parse(kind: PolicyKind, document: Any) -> None:
    policy = parse_policy(document, kind=kind, label="ok")
    assert policy.kind is kind
    raw = document["Statement"]
    assert len(policy.statements) == (len(raw) if isinstance(raw, list) else 1)
