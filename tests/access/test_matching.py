"""Action, ARN and principal matching, and parsing of the caller's identifier."""

from __future__ import annotations

import pytest

from landingzone.access.errors import RequestError
from landingzone.access.matching import (
    PrincipalMatch,
    action_key,
    action_services,
    compile_actions,
    compile_arn,
    literal,
    principal_set,
)
from landingzone.access.principal import Principal, PrincipalKind


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("s3:GetObject", "s3:GetObject", True),
        ("s3:getobject", "S3:GETOBJECT", True),
        ("s3:Get*", "s3:GetObjectAcl", True),
        ("s3:*Object", "s3:PutObject", True),
        ("s3:*Object", "s3:PutObjectAcl", False),
        ("*", "iam:CreateUser", True),
        ("s3:*", "s3tables:GetTable", False),
        ("iam:*AccessKey*", "iam:CreateAccessKey", True),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetOObject", False),
        ("ec2:Describe.*", "ec2:DescribeVpcs", False),
    ],
)
def test_action_matching(pattern: str, action: str, expected: bool) -> None:
    assert compile_actions([pattern])(action_key(action)) is expected


def test_action_lists_match_any_pattern() -> None:
    matches = compile_actions(["s3:GetObject", "ec2:Describe*", "iam:*AccessKey*"])
    assert matches(action_key("EC2:DescribeVpcs"))
    assert matches(action_key("iam:UpdateAccessKey"))
    assert matches(action_key("s3:getobject"))
    assert not matches(action_key("s3:GetObjectAcl"))


@pytest.mark.parametrize(
    ("patterns", "services"),
    [
        (["s3:GetObject", "S3:Put*", "ec2:*"], frozenset({"s3", "ec2"})),
        (["*"], None),
        (["s3*:Get*"], None),
    ],
)
def test_action_services_index_statements(
    patterns: list[str], services: frozenset[str] | None
) -> None:
    assert action_services(patterns) == services


@pytest.mark.parametrize(
    ("pattern", "value", "expected"),
    [
        ("*", "anything at all", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b:c", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::Bucket/a", False),
        ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket/a", False),
        ("arn:aws:iam::*:role/x", "arn:aws:iam::111122223333:role/x", True),
        ("arn:aws:iam::*:role/x", "arn:aws:iam::111122223333:role/X", False),
        ("arn:*:iam::*:role/*", "arn:aws-cn:iam::111122223333:role/a/b", True),
        ("arn:aws:sqs:*:*:q", "arn:aws:sqs:eu-west-1:111122223333:q", True),
        ("arn:aws:*:eu-west-1:*:*", "arn:aws:sqs:eu-west-1:111122223333:q", True),
        ("arn:aws:*:eu-west-1:*:*", "arn:aws:sqs:us-east-1:111122223333:q", False),
        ("arn:aws:sqs:*:*:*", "arn:aws:sqs:eu-west-1:111122223333", False),
        ("arn:aws:sqs:*:*:*", "*", False),
        ("arn:aws:ec2:*:*:instance/i-??", "arn:aws:ec2:eu-west-1:1:instance/i-12", True),
        ("arn:aws:ec2:*:*:instance/i-??", "arn:aws:ec2:eu-west-1:1:instance/i-123", False),
        ("arn:aws:s3:::a.b", "arn:aws:s3:::aXb", False),
        ("arn:aws:s3:::a(b)", "arn:aws:s3:::a(b)", True),
    ],
)
def test_arn_matching(pattern: str, value: str, expected: bool) -> None:
    assert compile_arn(literal(pattern))(value) is expected


def test_arn_wildcards_stay_within_a_segment() -> None:
    match = compile_arn(literal("arn:aws:someservice:*:111122223333:finance/*"))
    crossing = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/doc"
    assert not match(crossing)
    assert match("arn:aws:someservice:us-east-2:111122223333:finance/doc")


def test_literal_pieces_do_not_act_as_wildcards() -> None:
    pieces = (("arn:aws:s3:::b/", True), ("*", False))
    assert compile_arn(pieces)("arn:aws:s3:::b/*")
    assert not compile_arn(pieces)("arn:aws:s3:::b/x")


@pytest.mark.parametrize(
    ("text", "kind", "account", "role", "arn"),
    [
        ("arn:aws:iam::111122223333:root", PrincipalKind.ROOT, "111122223333", None, None),
        (
            "arn:aws:iam::111122223333:user/ops/alice",
            PrincipalKind.USER,
            "111122223333",
            None,
            None,
        ),
        (
            "arn:aws:iam::111122223333:role/team/deploy",
            PrincipalKind.ROLE_SESSION,
            "111122223333",
            ("111122223333", "deploy"),
            "arn:aws:iam::111122223333:role/team/deploy",
        ),
        (
            "arn:aws:sts::111122223333:assumed-role/deploy/run-1",
            PrincipalKind.ROLE_SESSION,
            "111122223333",
            ("111122223333", "deploy"),
            "arn:aws:iam::111122223333:role/deploy",
        ),
        (
            "arn:aws:sts::111122223333:federated-user/carol",
            PrincipalKind.FEDERATED_USER,
            "111122223333",
            None,
            None,
        ),
        (
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
            PrincipalKind.FEDERATED,
            "111122223333",
            None,
            None,
        ),
        (
            "arn:aws:iam::111122223333:saml-provider/okta",
            PrincipalKind.FEDERATED,
            "111122223333",
            None,
            None,
        ),
        ("accounts.google.com", PrincipalKind.FEDERATED, None, None, None),
        ("cognito-identity.amazonaws.com", PrincipalKind.FEDERATED, None, None, None),
        ("cloudtrail.amazonaws.com", PrincipalKind.SERVICE, None, None, None),
    ],
)
def test_principal_parsing(
    text: str,
    kind: PrincipalKind,
    account: str | None,
    role: tuple[str, str] | None,
    arn: str | None,
) -> None:
    principal = Principal.parse(text)
    assert principal.kind is kind
    assert principal.account == account
    assert principal.role == role
    if arn is not None:
        assert principal.arn == arn


def test_service_linked_roles_are_recognised_by_path() -> None:
    slr = Principal.parse(
        "arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX"
    )
    assert slr.is_service_linked_role
    assert not Principal.parse(
        "arn:aws:iam::111122223333:role/service-role/x"
    ).is_service_linked_role
    assert not Principal.parse("arn:aws:sts::111122223333:assumed-role/x/s").is_service_linked_role


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:iam::111122223333:group/admins",
        "arn:aws:iam::1111:user/bob",
        "arn:aws:iam::111122223333:user/",
        "arn:aws:iam::111122223333:root/x",
        "arn:aws:sts::111122223333:assumed-role/only-role",
        "arn:aws:s3:::bucket",
        "arn:aws:iam",
        "bob",
        "*",
    ],
)
def test_unrecognised_principals_are_errors(text: str) -> None:
    with pytest.raises(RequestError, match="principal"):
        Principal.parse(text)


ROLE_SESSION = Principal.parse("arn:aws:sts::111122223333:assumed-role/deploy/run-1")
ROLE = Principal.parse("arn:aws:iam::111122223333:role/deploy")
USER = Principal.parse("arn:aws:iam::111122223333:user/alice")


@pytest.mark.parametrize(
    ("entries", "principal", "expected"),
    [
        ({"AWS": ["*"]}, USER, PrincipalMatch.DIRECT),
        ({"AWS": ["111122223333"]}, USER, PrincipalMatch.ACCOUNT),
        ({"AWS": ["arn:aws:iam::111122223333:root"]}, ROLE_SESSION, PrincipalMatch.ACCOUNT),
        ({"AWS": ["arn:aws:iam::111122223333:user/alice"]}, USER, PrincipalMatch.DIRECT),
        ({"AWS": ["arn:aws:iam::111122223333:role/deploy"]}, ROLE_SESSION, PrincipalMatch.ROLE),
        ({"AWS": ["arn:aws:iam::111122223333:role/ci/deploy"]}, ROLE, PrincipalMatch.ROLE),
        (
            {"AWS": ["arn:aws:sts::111122223333:assumed-role/deploy/run-1"]},
            ROLE_SESSION,
            PrincipalMatch.DIRECT,
        ),
        ({"AWS": ["arn:aws:sts::111122223333:assumed-role/deploy/run-2"]}, ROLE_SESSION, None),
        ({"AWS": ["arn:aws:iam::444455556666:role/deploy"]}, ROLE_SESSION, None),
        ({"AWS": ["444455556666"]}, USER, None),
        ({"AWS": ["arn:aws:iam::111122223333:user/Alice"]}, USER, None),
        ({"AWS": ["AROAEXAMPLEID"]}, ROLE, None),
        (
            {"Service": ["cloudtrail.amazonaws.com"]},
            Principal.parse("cloudtrail.amazonaws.com"),
            PrincipalMatch.DIRECT,
        ),
        ({"Service": ["cloudtrail.amazonaws.com"]}, Principal.parse("config.amazonaws.com"), None),
        ({"AWS": ["111122223333"]}, Principal.parse("config.amazonaws.com"), None),
        (
            {"Federated": ["accounts.google.com"]},
            Principal.parse("accounts.google.com"),
            PrincipalMatch.DIRECT,
        ),
        (
            {"CanonicalUser": ["79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"]},
            USER,
            None,
        ),
    ],
)
def test_principal_element_matching(
    entries: dict[str, list[str]], principal: Principal, expected: PrincipalMatch | None
) -> None:
    assert principal_set(entries).match(principal) is expected


@pytest.mark.parametrize(
    ("listed", "principal", "exempt"),
    [
        (["arn:aws:iam::111122223333:user/alice", "111122223333"], USER, True),
        (["arn:aws:iam::111122223333:user/alice"], USER, False),
        (["111122223333"], USER, False),
        (
            [
                "arn:aws:sts::111122223333:assumed-role/deploy/run-1",
                "arn:aws:iam::111122223333:role/deploy",
                "arn:aws:iam::111122223333:root",
            ],
            ROLE_SESSION,
            True,
        ),
        (["arn:aws:iam::111122223333:role/deploy", "111122223333"], ROLE_SESSION, False),
        (
            ["arn:aws:sts::111122223333:assumed-role/deploy/run-1", "111122223333"],
            ROLE_SESSION,
            False,
        ),
        (["arn:aws:iam::111122223333:role/deploy", "111122223333"], ROLE, True),
        (
            ["arn:aws:iam::111122223333:root"],
            Principal.parse("arn:aws:iam::111122223333:root"),
            True,
        ),
        (["*"], USER, True),
    ],
)
def test_not_principal_exempts_only_a_fully_listed_chain(
    listed: list[str], principal: Principal, exempt: bool
) -> None:
    assert principal_set({"AWS": listed}).names_whole_chain(principal) is exempt


def test_partial_principal_wildcards_are_rejected() -> None:
    with pytest.raises(ValueError, match="wildcards cannot match part of a principal"):
        principal_set({"AWS": ["arn:aws:iam::111122223333:role/*"]})
