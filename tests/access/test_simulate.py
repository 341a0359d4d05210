"""The JSON interface: request validation, named policies, lists, explanations."""

from __future__ import annotations

from typing import Any

import pytest

from landingzone.access import RequestError, simulate
from landingzone.access.simulate import load_json

from .corpus import ADMIN, DENY_ALL, FULL, MGMT, SLR, A, allow, deny, grant, levels, policy, request


def test_a_list_in_gives_a_list_out_in_order() -> None:
    results = simulate(
        [
            request(identity_policies=ADMIN),
            request(),
            request(identity_policies=[policy(deny("*"))]),
        ]
    )
    assert [r["decision"] for r in results] == ["allowed", "implicitly_denied", "explicitly_denied"]


def test_an_empty_list_gives_an_empty_list() -> None:
    assert simulate([]) == []


def test_the_issue_example_request_is_accepted() -> None:
    example = {
        "principal": "arn:aws:iam::111122223333:role/deploy",
        "action": "s3:PutObject",
        "resource": "arn:aws:s3:::state-bucket/prod/terraform.tfstate",
        "resource_account": "444455556666",
        "context": {"aws:SourceIp": "203.0.113.7", "aws:TagKeys": ["team"]},
        "identity_policies": [{"Version": "2012-10-17", "Statement": []}],
        "permission_boundaries": [],
        "session_policy": None,
        "resource_policy": None,
        "service_control_policies": [
            {"target": "r-root", "policies": []},
            {"target": "ou-plat", "policies": []},
            {"target": "111122223333", "policies": []},
        ],
        "resource_control_policies": [],
    }
    result = simulate(example)
    assert result["decision"] == "implicitly_denied"
    assert result["missing_allow_at"] == {
        "step": "service_control_policies",
        "level": "r-root",
        "policy": None,
        "closest": None,
        "failed_condition": None,
    }
    assert set(result) == {
        "decision",
        "explanation",
        "decided_by",
        "missing_allow_at",
        "matched_statements",
        "notes",
        "warnings",
    }


def test_named_policies_label_explanations() -> None:
    result = simulate(
        request(
            identity_policies=[
                {"name": "deploy-permissions", "document": policy(allow("s3:*", Sid="StateAccess"))}
            ],
            service_control_policies=levels(
                ("r-root", [FULL]),
                (
                    "ou-plat",
                    [
                        FULL,
                        {
                            "name": "no-state-reads",
                            "document": policy(deny("s3:GetObject", Sid="NoReads")),
                        },
                    ],
                ),
            ),
        )
    )
    assert result["decided_by"] == {
        "policy": "no-state-reads",
        "kind": "scp",
        "statement": "NoReads",
        "index": 0,
        "effect": "Deny",
        "level": "ou-plat",
        "principal_match": None,
    }
    assert result["explanation"] == (
        'explicitly denied by statement "NoReads" (#0) of SCP "no-state-reads" '
        "(attached to ou-plat)"
    )
    matched = [(m["policy"], m["statement"], m["level"]) for m in result["matched_statements"]]
    assert matched == [
        ("FullAWSAccess", "#0", "r-root"),
        ("FullAWSAccess", "#0", "ou-plat"),
        ("no-state-reads", "NoReads", "ou-plat"),
        ("deploy-permissions", "StateAccess", None),
    ]


def test_unnamed_policies_are_labelled_by_their_place() -> None:
    result = simulate(
        request(
            identity_policies=[policy(allow("ec2:*")), policy(allow("s3:GetObject"))],
            service_control_policies=levels(("r-root", [policy(allow("*"))])),
        )
    )
    assert result["decided_by"]["policy"] == "identity_policies[1]"
    assert (
        result["explanation"]
        == 'allowed by statement #0 of identity-based policy "identity_policies[1]"'
    )
    assert result["matched_statements"][0]["policy"] == "service_control_policies[0].policies[0]"


def test_implicit_deny_names_the_scp_level() -> None:
    result = simulate(
        request(
            "ec2:RunInstances",
            "*",
            identity_policies=ADMIN,
            service_control_policies=levels(
                ("r-root", [FULL]),
                ("ou-plat", [{"name": "s3-only", "document": policy(allow("s3:*"))}]),
            ),
        )
    )
    assert (
        result["explanation"]
        == "implicitly denied: no SCP attached to ou-plat allows ec2:RunInstances on *"
    )
    assert result["decided_by"] is None


def test_implicit_deny_names_the_boundary() -> None:
    result = simulate(
        request(
            identity_policies=ADMIN,
            permission_boundaries=[{"name": "ec2-boundary", "document": policy(allow("ec2:*"))}],
        )
    )
    assert result["missing_allow_at"] == {
        "step": "permission_boundaries",
        "level": None,
        "policy": "ec2-boundary",
        "closest": None,
        "failed_condition": None,
    }
    assert (
        'permissions boundary "ec2-boundary" does not allow s3:GetObject' in result["explanation"]
    )


def test_cross_account_allow_names_both_sides() -> None:
    result = simulate(
        request(
            resource_account="444455556666",
            identity_policies=[
                {"name": "caller", "document": policy(allow("s3:GetObject", Sid="Read"))}
            ],
            resource_policy={
                "name": "bucket",
                "document": policy(grant({"AWS": A}, "s3:GetObject", Sid="Share")),
            },
        )
    )
    assert result["decision"] == "allowed"
    assert result["decided_by"]["policy"] == "bucket"
    assert result["decided_by"]["principal_match"] == "account"
    assert 'statement "Read" (#0) of identity-based policy "caller"' in result["explanation"]
    assert 'statement "Share" (#0) of resource-based policy "bucket"' in result["explanation"]


def test_exemptions_are_noted() -> None:
    management = simulate(
        request(
            identity_policies=ADMIN,
            management_account=A,
            service_control_policies=levels(("r-root", [DENY_ALL])),
        )
    )
    linked = simulate(
        request(
            principal=SLR,
            identity_policies=ADMIN,
            management_account=MGMT,
            service_control_policies=levels(("r-root", [DENY_ALL])),
        )
    )
    assert management["notes"] == [
        "service_control_policies not applied: the caller is in the management account"
    ]
    assert linked["notes"] == [
        "service_control_policies not applied: the caller is a service-linked role"
    ]
    for result in (management, linked):
        assert result["decision"] == "allowed"
        assert [m["kind"] for m in result["matched_statements"]] == ["identity"]


def test_an_implicit_deny_names_the_closest_statement_and_its_failed_condition() -> None:
    provider = f"arn:aws:iam::{A}:oidc-provider/token.actions.githubusercontent.com"
    trust = policy(
        grant({"AWS": A}, "sts:AssumeRole", Sid="Admins"),
        grant(
            {"Federated": provider},
            "sts:AssumeRoleWithWebIdentity",
            Sid="GitHubMain",
            Condition={
                "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {
                    "token.actions.githubusercontent.com:sub": "repo:house/escort:*:main"
                },
            },
        ),
    )
    result = simulate(
        {
            "principal": provider,
            "action": "sts:AssumeRoleWithWebIdentity",
            "resource": f"arn:aws:iam::{A}:role/prod-deploy",
            "context": {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": "repo:house/escort:ref:refs/heads/dev",
            },
            "resource_policy": {"name": "prod-trust", "document": trust},
        }
    )
    missing = result["missing_allow_at"]
    assert missing["closest"]["statement"] == "GitHubMain"
    assert missing["failed_condition"] == "StringLike token.actions.githubusercontent.com:sub"
    assert result["explanation"] == (
        "implicitly denied: the role trust policy does not allow "
        f"{provider} (federated) sts:AssumeRoleWithWebIdentity on "
        f'arn:aws:iam::{A}:role/prod-deploy; closest: statement "GitHubMain" (#1) of '
        'resource-based policy "prod-trust", whose condition StringLike '
        "token.actions.githubusercontent.com:sub does not hold"
    )


def test_the_closest_statement_at_an_scp_level() -> None:
    regions = policy(
        allow("*", Sid="EuOnly", Condition={"StringEquals": {"aws:RequestedRegion": "eu-west-1"}})
    )
    result = simulate(
        request(
            identity_policies=ADMIN,
            context={"aws:RequestedRegion": "us-east-1"},
            service_control_policies=levels(("r-root", [FULL]), ("ou-eu", [regions])),
        )
    )
    missing = result["missing_allow_at"]
    assert missing["level"] == "ou-eu"
    assert missing["closest"]["statement"] == "EuOnly"
    assert missing["closest"]["level"] == "ou-eu"
    assert missing["failed_condition"] == "StringEquals aws:RequestedRegion"


def test_trust_policy_denial_says_so() -> None:
    result = simulate(
        request("sts:AssumeRole", f"arn:aws:iam::{A}:role/admin", identity_policies=ADMIN)
    )
    assert result["explanation"].startswith(
        "implicitly denied: the role trust policy does not allow"
    )


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not a request", "a request must be a JSON object"),
        ({"action": "s3:GetObject", "resource": "*"}, "request key 'principal' must be a string"),
        (request(extra=1), "unknown request key 'extra'"),
        (request(principal="arn:aws:iam::111122223333:group/devs"), "is not a root, user, role"),
        (request(action="s3:Get*"), "action 's3:Get*' is not 'service:Action' (no wildcards)"),
        (request(action="GetObject"), "is not 'service:Action'"),
        (request(resource="bucket/key"), "resource 'bucket/key' is not '*' or an ARN"),
        (request(resource_account="1234"), "resource_account '1234' is not a 12-digit account id"),
        (
            request(management_account=1),
            "request key 'management_account' must be a string or null",
        ),
        (request(context=["aws:SourceIp"]), "context must be an object"),
        (request(context={"k": {"nested": 1}}), "values must be strings, numbers, booleans"),
        (request(context={"k": None}), "values must be strings, numbers, booleans"),
        (request(context={"aws:SourceIp": "1.2.3.4", "AWS:SOURCEIP": "1.2.3.4"}), "is given twice"),
        (request(identity_policies={"Statement": []}), "identity_policies must be a list"),
        (
            request(identity_policies=[{"name": "x", "document": {"Statement": []}, "tags": 1}]),
            "a named policy is",
        ),
        (
            request(identity_policies=[{"name": "", "document": {"Statement": []}}]),
            "a named policy is",
        ),
        (
            request(service_control_policies=[{"target": "r-root"}]),
            'must be {"target": "...", "policies": [...]}',
        ),
        (
            request(service_control_policies=[{"target": "", "policies": []}]),
            "target must be a non-empty string",
        ),
        (
            request(service_control_policies={"r-root": []}),
            "service_control_policies must be a list",
        ),
        (
            request(principal="cloudtrail.amazonaws.com", identity_policies=ADMIN),
            "identity_policies cannot apply to principal 'cloudtrail.amazonaws.com'",
        ),
        (
            request(principal=f"arn:aws:iam::{A}:user/bob", session_policy=policy(allow("*"))),
            "session_policy cannot apply to principal",
        ),
        (
            request(principal=f"arn:aws:iam::{A}:root", permission_boundaries=ADMIN),
            "permission_boundaries cannot apply",
        ),
        (
            request(identity_policies=[policy(allow("*", Effect="Permit"))]),
            'policy "identity_policies[0]", statement #0',
        ),
    ],
)
def test_malformed_requests_are_errors(document: Any, message: str) -> None:
    with pytest.raises(Exception) as caught:
        simulate(document)
    assert message in str(caught.value)
    assert getattr(caught.value, "exit_code", None) == 1


def test_errors_in_a_list_answer_in_place_and_name_the_request() -> None:
    """One bad request of a batch answers with its own error; the others are evaluated."""
    results = simulate([request(), request(extra=True), request(identity_policies=ADMIN)])
    assert results[0]["decision"] == "implicitly_denied"
    assert results[1] == {
        "error": {
            "code": "request_invalid",
            "message": results[1]["error"]["message"],
        }
    }
    assert results[1]["error"]["message"].startswith("request[1]: unknown request key 'extra'")
    assert results[2]["decision"] == "allowed"


def test_duplicate_json_keys_are_errors() -> None:
    with pytest.raises(RequestError, match="duplicate key 'Effect'"):
        load_json('{"Statement": {"Effect": "Allow", "Effect": "Deny"}}', "request.json")


def test_invalid_json_names_the_place() -> None:
    with pytest.raises(RequestError, match=r"request.json: not valid JSON: .*\(line 2, column 1\)"):
        load_json('{"principal":\n}', "request.json")
