"""Corpus: OIDC (GitHub, GitLab, Cognito) and SAML role trust, service principals."""

from __future__ import annotations

from typing import Any

import pytest

from .corpus import (
    ALLOWED,
    ASSUME,
    DENY_ALL_RCP,
    EXPLICIT,
    GITHUB,
    GITLAB,
    IMPLICIT,
    RCP_FULL,
    SAML,
    TARGET_ROLE,
    A,
    Case,
    check,
    grant,
    ids,
    policy,
    rcps,
)

GITHUB_AUD = "token.actions.githubusercontent.com:aud"
GITHUB_SUB = "token.actions.githubusercontent.com:sub"
MAIN = "repo:house/escort:ref:refs/heads/main"
FEATURE = "repo:house/escort:ref:refs/heads/feature/login"
WEB = "sts:AssumeRoleWithWebIdentity"


def github_trust(operator: str, sub: str) -> dict[str, Any]:
    """The trust policy GitHub documents: aud must be STS, sub is checked with `operator`."""
    condition: dict[str, dict[str, str]] = {"StringEquals": {GITHUB_AUD: "sts.amazonaws.com"}}
    condition.setdefault(operator, {})[GITHUB_SUB] = sub
    return policy(grant({"Federated": GITHUB}, WEB, Sid="GitHubDeploy", Condition=condition))


def oidc(
    provider: str, trust: dict[str, Any], claims: dict[str, Any], action: str = WEB
) -> dict[str, Any]:
    return {
        "principal": provider,
        "action": action,
        "resource": TARGET_ROLE,
        "context": claims,
        "resource_policy": trust,
    }


PROD_TRUST = github_trust("StringEquals", MAIN)
ORG_TRUST = github_trust("StringLike", "repo:house/*")
GITLAB_TRUST = policy(
    grant(
        {"Federated": GITLAB},
        WEB,
        Condition={
            "StringEquals": {"gitlab.com:aud": "https://gitlab.com"},
            "StringLike": {"gitlab.com:sub": "project_path:house/escort:ref_type:branch:ref:main"},
        },
    )
)
SAML_TRUST = policy(
    grant(
        {"Federated": SAML},
        "sts:AssumeRoleWithSAML",
        Condition={"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    )
)


def gitlab(sub: str) -> dict[str, Any]:
    return oidc(
        GITLAB, GITLAB_TRUST, {"gitlab.com:aud": "https://gitlab.com", "gitlab.com:sub": sub}
    )


def github(
    trust: dict[str, Any], sub: str | None, aud: str | None = "sts.amazonaws.com"
) -> dict[str, Any]:
    claims = {k: v for k, v in ((GITHUB_SUB, sub), (GITHUB_AUD, aud)) if v is not None}
    return oidc(GITHUB, trust, claims)


FEDERATION_CASES = [
    Case(
        "GitHub: main may assume the prod role",
        github(PROD_TRUST, MAIN),
        ALLOWED,
        statement="GitHubDeploy",
    ),
    Case(
        "GitHub: a feature branch may not assume the prod role",
        github(PROD_TRUST, FEATURE),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: a pull request may not assume the prod role",
        github(PROD_TRUST, "repo:house/escort:pull_request"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: another repository on main may not",
        github(PROD_TRUST, "repo:house/other:ref:refs/heads/main"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: a token without aud is refused",
        github(PROD_TRUST, MAIN, aud=None),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: a token for another audience is refused",
        github(PROD_TRUST, MAIN, aud="https://example.com"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: a token without sub is refused",
        github(PROD_TRUST, None),
        IMPLICIT,
        step="resource_policy",
    ),
    Case("GitHub: repo:ORG/* lets a feature branch in", github(ORG_TRUST, FEATURE), ALLOWED),
    Case(
        "GitHub: repo:ORG/* lets any repository of the org in",
        github(ORG_TRUST, "repo:house/other:environment:prod"),
        ALLOWED,
    ),
    Case(
        "GitHub: repo:ORG/* keeps other orgs out",
        github(ORG_TRUST, "repo:evil/escort:ref:refs/heads/main"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: StringEquals does not treat * as a wildcard",
        github(github_trust("StringEquals", "repo:house/*"), FEATURE),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: another identity provider is not trusted",
        oidc(GITLAB, PROD_TRUST, {GITHUB_SUB: MAIN, GITHUB_AUD: "sts.amazonaws.com"}),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: the trust allows only AssumeRoleWithWebIdentity",
        oidc(
            GITHUB, PROD_TRUST, {GITHUB_SUB: MAIN, GITHUB_AUD: "sts.amazonaws.com"}, action=ASSUME
        ),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitHub: an RCP applies to the role",
        github(PROD_TRUST, MAIN)
        | {"resource_control_policies": rcps([RCP_FULL, DENY_ALL_RCP]), "resource_account": A},
        EXPLICIT,
    ),
    Case(
        "GitLab: main of the project",
        gitlab("project_path:house/escort:ref_type:branch:ref:main"),
        ALLOWED,
    ),
    Case(
        "GitLab: a feature branch",
        gitlab("project_path:house/escort:ref_type:branch:ref:feature-x"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitLab: a tag named main",
        gitlab("project_path:house/escort:ref_type:tag:ref:main"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "GitLab: another project",
        gitlab("project_path:house/other:ref_type:branch:ref:main"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "SAML: the right audience",
        oidc(
            SAML,
            SAML_TRUST,
            {"SAML:aud": "https://signin.aws.amazon.com/saml"},
            action="sts:AssumeRoleWithSAML",
        ),
        ALLOWED,
    ),
    Case(
        "SAML: another audience",
        oidc(
            SAML,
            SAML_TRUST,
            {"SAML:aud": "https://example.com/saml"},
            action="sts:AssumeRoleWithSAML",
        ),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "SAML: another provider",
        oidc(
            f"arn:aws:iam::{A}:saml-provider/other",
            SAML_TRUST,
            {"SAML:aud": "https://signin.aws.amazon.com/saml"},
            action="sts:AssumeRoleWithSAML",
        ),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "a built-in web identity provider (Cognito)",
        oidc(
            "cognito-identity.amazonaws.com",
            policy(
                grant(
                    {"Federated": "cognito-identity.amazonaws.com"},
                    WEB,
                    Condition={
                        "StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-2:1234"},
                        "ForAnyValue:StringLike": {
                            "cognito-identity.amazonaws.com:amr": "unauthenticated"
                        },
                    },
                )
            ),
            {
                "cognito-identity.amazonaws.com:aud": "us-east-2:1234",
                "cognito-identity.amazonaws.com:amr": ["unauthenticated"],
            },
        ),
        ALLOWED,
    ),
    Case(
        "a service principal without a resource policy",
        {
            "principal": "cloudtrail.amazonaws.com",
            "action": "s3:PutObject",
            "resource": "arn:aws:s3:::trail-bucket/x",
        },
        IMPLICIT,
        step="resource_policy",
    ),
]


CASES = FEDERATION_CASES


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_corpus(case: Case) -> None:
    check(case)
