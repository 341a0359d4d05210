"""Lint rules, each on a policy that breaks it and a clean one that does not."""

from __future__ import annotations

from typing import Any

from landingzone.access.lint import lint
from tests.access_model import orgs


def rules(*nodes: Any, scp: list[dict[str, Any]] | None = None) -> dict[str, list[str]]:
    the_spec = orgs.spec(
        {"dev": None},
        policies={"guard": scp} if scp else None,
        root_policies=["guard"] if scp else [],
    )
    found: dict[str, list[str]] = {}
    for finding in lint(orgs.model(the_spec, *nodes)):
        found.setdefault(finding.rule, []).append(finding.message)
    return found


TRUST_DEV = [
    {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::{account_id:management}:root"},
        "Action": "sts:AssumeRole",
    }
]


def test_a_clean_organization_has_no_findings() -> None:
    scoped = orgs.role(
        "dev",
        "deploy",
        [
            orgs.web_identity_trust(
                orgs.GITHUB, "StringEquals", ["repo:a/b:ref:refs/heads/main"], "sts.amazonaws.com"
            )
        ],
        inline=[
            orgs.allow("s3:PutObject", "arn:aws:s3:::state/dev/*"),
            orgs.allow("ec2:Describe*", "*"),
        ],
    )
    scp = [{"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*"}]
    assert rules(scoped, orgs.provider("dev", orgs.GITHUB, ["sts.amazonaws.com"]), scp=scp) == {}


def test_mutating_actions_and_passrole_on_any_resource() -> None:
    broad = orgs.role(
        "dev", "broad", TRUST_DEV, inline=[orgs.allow(["ec2:*", "iam:PassRole"], "*")]
    )
    found = rules(broad)
    assert "ec2:AcceptAddressTransfer" in found["mutating-any-resource"][0]
    assert "in all)" in found["mutating-any-resource"][0]
    assert found["passrole-any-resource"]


def test_an_action_aws_authorizes_only_on_any_resource_is_not_a_finding_when_named() -> None:
    named = orgs.role(
        "dev", "zones", TRUST_DEV, inline=[orgs.allow("route53:CreateHostedZone", "*")]
    )
    assert "mutating-any-resource" not in rules(named)
    pattern = orgs.role("dev", "zones", TRUST_DEV, inline=[orgs.allow("route53:Create*", "*")])
    [message] = rules(pattern)["mutating-any-resource"]
    assert "route53:CreateHostedZone" in message  # the pattern reaches scopable ones too


def test_trusts_open_to_anyone_or_any_subject() -> None:
    anyone = orgs.role(
        "dev",
        "anyone",
        [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}],
    )
    no_sub = orgs.role(
        "dev",
        "no-sub",
        [
            {
                "Effect": "Allow",
                "Principal": {
                    "Federated": f"arn:aws:iam::{{account_id}}:oidc-provider/{orgs.GITHUB}"
                },
                "Action": "sts:AssumeRoleWithWebIdentity",
            }
        ],
    )
    star = orgs.role(
        "dev", "star", [orgs.web_identity_trust(orgs.GITLAB, "StringLike", ["project_path:*"], "x")]
    )
    found = rules(anyone, no_sub, star)
    assert len(found["trust-any-principal"]) == 1
    assert len(found["trust-any-subject"]) == 2
    assert any("project_path:*" in message for message in found["trust-any-subject"])


def test_misspelt_scp_actions_and_condition_keys() -> None:
    scp = [
        {"Sid": "Typo", "Effect": "Deny", "Action": "cloudtrial:StopLogging", "Resource": "*"},
        {
            "Sid": "Half",
            "Effect": "Deny",
            "Action": ["cloudtrail:StopLoging", "cloudtrail:DeleteTrail"],
            "Resource": "*",
        },
        {
            "Sid": "Key",
            "Effect": "Deny",
            "Action": "s3:PutObject",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"s3:x-amz-acll": "public-read", "s3:ExistingObjectTag/team": "a"}
            },
        },
    ]
    found = rules(scp=scp)
    assert len(found["scp-matches-nothing"]) == 1
    assert any('did you mean "cloudtrail:StopLogging"' in m for m in found["unknown-action"])
    assert any('"cloudtrial"' in m for m in found["unknown-action"])
    assert found["unknown-condition-key"] == ['condition key "s3:x-amz-acll" is not a key of s3']
