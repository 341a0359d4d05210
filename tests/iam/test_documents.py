"""What roles and CI federation turn into: trust and permission documents, nodes."""

from __future__ import annotations

from typing import Any

import pytest

from landingzone.graph import build_graph
from landingzone.graph.iam_documents import GITHUB_THUMBPRINTS, iam_layout
from landingzone.nodes import Node
from landingzone.resources.base import canonical_policy
from tests.iam.conftest import edit


def _nodes(loaded: Any) -> dict[str, Node]:
    return {n.address: n for n in build_graph(loaded.spec) if n.address.split(":")[0] != "account"}


def _role(loaded: Any, account: str, name: str) -> dict[str, Any]:
    return dict(_nodes(loaded)[f"role:{account}/{name}"].desired)


def _same(a: Any, b: Any) -> bool:
    return bool(canonical_policy(a) == canonical_policy(b))


def test_a_role_goes_to_every_account_its_deploy_to_selects(write_spec, iam_files, load_ok):
    loaded = load_ok(write_spec(iam_files))
    roles = sorted((r.account, r.desired["name"]) for r in iam_layout(loaded.spec).roles)
    assert roles == [
        ("dev", "TerraformAdmin"),
        ("dev", "auditor"),
        ("prod", "TerraformAdmin"),
        ("prod", "auditor"),
        ("prod", "deploy-prod"),
        ("shared", "auditor"),
        ("shared", "automation"),
    ]


def test_a_role_reference_becomes_the_role_arn_with_an_account_placeholder(
    write_spec, iam_files, load_ok
):
    loaded = load_ok(write_spec(iam_files))
    admin = _role(loaded, "prod", "TerraformAdmin")
    assert admin["trust"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::{account_id:shared}:role/automation"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    assert admin["managed_policies"] == ["arn:aws:iam::aws:policy/AdministratorAccess"]


def test_role_references_use_the_referenced_roles_path(write_spec, iam_files, load_ok):
    files = edit(
        iam_files,
        "ci.yaml",
        "      provider: github\n",
        "      provider: github\n      path: /ci/\n",
    )
    admin = _role(load_ok(write_spec(files)), "dev", "TerraformAdmin")
    assert admin["trust"]["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::{account_id:shared}:role/ci/automation"
    }


def test_trust_conditions_accounts_ids_services_and_raw_conditions(write_spec, iam_files, load_ok):
    files = edit(
        iam_files,
        "roles.yaml",
        "      - accounts: [shared]\n        mfa: true\n",
        """\
      - accounts: [shared, "210987654321", management]
        external_id: audit-2024
        condition: {IpAddress: {"aws:SourceIp": "10.0.0.0/8"}}
      - services: [ec2.amazonaws.com]
""",
    )
    auditor = _role(load_ok(write_spec(files)), "dev", "auditor")
    assert _same(
        auditor["trust"],
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {
                        "AWS": [
                            "arn:aws:iam::210987654321:root",
                            "arn:aws:iam::{account_id:management}:root",
                            "arn:aws:iam::{account_id:shared}:root",
                        ]
                    },
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringEquals": {"sts:ExternalId": "audit-2024"},
                        "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                    },
                },
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                },
            ],
        },
    )


def test_mfa_is_required_with_multi_factor_auth_present(write_spec, iam_files, load_ok):
    auditor = _role(load_ok(write_spec(iam_files)), "prod", "auditor")
    statement = auditor["trust"]["Statement"][0]
    assert statement["Condition"] == {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    assert statement["Principal"] == {"AWS": "arn:aws:iam::{account_id:shared}:root"}


def test_a_github_deploy_role_trusts_exact_subjects_with_string_equals(
    write_spec, iam_files, load_ok
):
    deploy = _role(load_ok(write_spec(iam_files)), "prod", "deploy-prod")
    host = "token.actions.githubusercontent.com"
    assert deploy["trust"]["Statement"] == [
        {
            "Effect": "Allow",
            "Principal": {"Federated": f"arn:aws:iam::{{account_id}}:oidc-provider/{host}"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{host}:aud": "sts.amazonaws.com",
                    f"{host}:sub": "repo:acme/app:environment:prod",
                }
            },
        }
    ]


def test_wildcard_subjects_get_a_string_like_statement_of_their_own(write_spec, iam_files, load_ok):
    files = edit(
        iam_files,
        "ci.yaml",
        "        - repo:acme/app:environment:prod\n",
        "        - repo:acme/app:environment:prod\n"
        "        - repo:acme/app:ref:refs/heads/release-*\n"
        "        - repo:acme/app:ref:refs/tags/v?.*\n",
    )
    deploy = _role(load_ok(write_spec(files)), "prod", "deploy-prod")
    host = "token.actions.githubusercontent.com"
    conditions = [s["Condition"] for s in deploy["trust"]["Statement"]]
    # Two statements: a job matching either one gets in (one statement with both
    # operators would require a subject to match both).
    assert conditions == [
        {
            "StringEquals": {
                f"{host}:aud": "sts.amazonaws.com",
                f"{host}:sub": "repo:acme/app:environment:prod",
            }
        },
        {
            "StringEquals": {f"{host}:aud": "sts.amazonaws.com"},
            "StringLike": {
                f"{host}:sub": [
                    "repo:acme/app:ref:refs/heads/release-*",
                    "repo:acme/app:ref:refs/tags/v?.*",
                ]
            },
        },
    ]


def test_a_gitlab_provider_defaults_to_gitlab_com_and_its_url_as_audience(
    write_spec, iam_files, load_ok
):
    files = edit(iam_files, "ci.yaml", "      type: github\n", "      type: gitlab\n")
    files = edit(
        files,
        "ci.yaml",
        "        - repo:acme/app:environment:prod\n",
        "        - project_path:acme/app:ref_type:branch:ref:main\n",
    )
    files = edit(
        files,
        "ci.yaml",
        "        - repo:acme/infra:ref:refs/heads/main\n",
        "        - project_path:acme/infra:ref_type:branch:ref:main\n",
    )
    loaded = load_ok(write_spec(files))
    provider = _nodes(loaded)["oidc_provider:prod/gitlab.com"]
    assert provider.desired == {
        "url": "https://gitlab.com",
        "client_ids": ["https://gitlab.com"],
        "thumbprints": [],
        "tags": {"ManagedBy": "landingzone", "Repo": "infra"},
    }
    condition = _role(loaded, "prod", "deploy-prod")["trust"]["Statement"][0]["Condition"]
    assert condition == {
        "StringEquals": {
            "gitlab.com:aud": "https://gitlab.com",
            "gitlab.com:sub": "project_path:acme/app:ref_type:branch:ref:main",
        }
    }


def test_a_self_hosted_gitlab_is_named_by_its_host(write_spec, iam_files, load_ok):
    files = edit(
        iam_files,
        "ci.yaml",
        "      type: github\n",
        "      type: gitlab\n      url: https://git.acme.example\n      audiences: [aws]\n",
    )
    files = edit(
        files,
        "ci.yaml",
        "        - repo:acme/app:environment:prod\n",
        "        - project_path:acme/app:ref_type:tag:ref:v1\n",
    )
    files = edit(
        files,
        "ci.yaml",
        "        - repo:acme/infra:ref:refs/heads/main\n",
        "        - project_path:acme/infra:ref_type:branch:ref:main\n",
    )
    nodes = _nodes(load_ok(write_spec(files)))
    provider = nodes["oidc_provider:shared/git.acme.example"]
    assert provider.desired["url"] == "https://git.acme.example"
    assert provider.desired["client_ids"] == ["aws"]
    principal = nodes["role:shared/automation"].desired["trust"]["Statement"][0]["Principal"]
    assert principal == {"Federated": "arn:aws:iam::{account_id}:oidc-provider/git.acme.example"}


def test_the_github_provider_goes_where_its_deploy_roles_are(write_spec, iam_files, load_ok):
    nodes = _nodes(load_ok(write_spec(iam_files)))
    providers = {a: n for a, n in nodes.items() if n.kind == "oidc_provider"}
    assert sorted(providers) == [
        "oidc_provider:prod/token.actions.githubusercontent.com",
        "oidc_provider:shared/token.actions.githubusercontent.com",
    ]
    desired = providers["oidc_provider:prod/token.actions.githubusercontent.com"].desired
    assert desired["url"] == "https://token.actions.githubusercontent.com"
    assert desired["client_ids"] == ["sts.amazonaws.com"]
    assert desired["thumbprints"] == sorted(GITHUB_THUMBPRINTS)


def test_a_provider_can_be_deployed_to_more_accounts(write_spec, iam_files, load_ok):
    files = edit(
        iam_files,
        "ci.yaml",
        "      type: github\n",
        "      type: github\n      deploy_to: {accounts: [dev]}\n",
    )
    nodes = _nodes(load_ok(write_spec(files)))
    assert "oidc_provider:dev/token.actions.githubusercontent.com" in nodes


def test_a_permission_profile_follows_the_scoping_tables(write_spec, iam_files, load_ok):
    deploy = _role(load_ok(write_spec(iam_files)), "prod", "deploy-prod")
    assert list(deploy["inline_policies"]) == ["lz-profile-app"]
    statements = {s["Sid"]: s for s in deploy["inline_policies"]["lz-profile-app"]["Statement"]}
    assert statements["ServiceReadOnly"]["Action"] == ["ec2:Describe*", "ec2:Get*", "ec2:List*"]
    assert statements["ServiceReadOnly"]["Resource"] == "*"
    assert statements["IamReadOnly"]["Action"] == ["iam:Get*", "iam:List*"]
    assert statements["IamPrefixedResources"]["Resource"] == [
        "arn:aws:iam::{account_id}:role/acme-*",
        "arn:aws:iam::{account_id}:policy/acme-*",
        "arn:aws:iam::{account_id}:instance-profile/acme-*",
        "arn:aws:iam::{account_id}:oidc-provider/*",
    ]
    assert "iam:PassRole" in statements["IamPrefixedResources"]["Action"]
    assert statements["AccountRegionalResources"] == {
        "Sid": "AccountRegionalResources",
        "Effect": "Allow",
        "Action": ["lambda:*"],
        "Resource": ["arn:aws:lambda:us-east-1:{account_id}:*"],
    }
    # S3's ARNs carry no account: its grant is scoped to the prefix's buckets and objects
    assert statements["AccountlessResources"]["Action"] == ["s3:*"]
    assert statements["AccountlessResources"]["Resource"] == ["arn:aws:s3:::acme-*"]
    assert not [
        s
        for s in statements.values()
        if s["Resource"] == "*"
        and s["Sid"]
        not in (
            "ServiceReadOnly",
            "IamReadOnly",
        )
    ]
    assert "AccountGlobalResources" not in statements  # no global_services


def test_accountless_services_are_scoped_to_their_own_resources_in_the_accounts_regions(
    write_spec, iam_files, load_ok
):
    files = edit(
        iam_files, "ci.yaml", "unscoped_services: [s3]", "unscoped_services: [route53, apigateway]"
    )
    deploy = _role(load_ok(write_spec(files)), "prod", "deploy-prod")
    statements = {s["Sid"]: s for s in deploy["inline_policies"]["lz-profile-app"]["Statement"]}
    assert statements["AccountlessResources"]["Resource"] == [
        "arn:aws:route53:::*",
        "arn:aws:apigateway:us-east-1::*",
    ]


def test_regional_grants_cover_every_region_of_the_account(write_spec, iam_files, load_ok):
    files = edit(
        iam_files,
        "landingzone.yaml",
        "    tags: {Environment: prod}\n",
        "    tags: {Environment: prod}\n    regions: [us-east-1, eu-west-1]\n",
    )
    deploy = _role(load_ok(write_spec(files)), "prod", "deploy-prod")
    statements = {s["Sid"]: s for s in deploy["inline_policies"]["lz-profile-app"]["Statement"]}
    assert statements["AccountRegionalResources"]["Resource"] == [
        "arn:aws:lambda:us-east-1:{account_id}:*",
        "arn:aws:lambda:eu-west-1:{account_id}:*",
    ]


def test_assume_roles_grants_sts_assume_role_on_those_roles_only(write_spec, iam_files, load_ok):
    loaded = load_ok(write_spec(iam_files))
    automation = _role(loaded, "shared", "automation")
    assert automation["inline_policies"] == {
        "lz-assume-roles": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AssumeRoles",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": [
                        "arn:aws:iam::{account_id:dev}:role/TerraformAdmin",
                        "arn:aws:iam::{account_id:prod}:role/TerraformAdmin",
                    ],
                }
            ],
        }
    }
    # No assume_roles: no sts statement at all.
    deploy = _role(loaded, "prod", "deploy-prod")
    assert "lz-assume-roles" not in deploy["inline_policies"]


def test_account_placeholders_fill_per_account(write_spec, iam_files, load_ok):
    files = edit(
        iam_files,
        "roles.yaml",
        "  auditor:\n",
        '  auditor:\n    name: "{account}-auditor"\n    description: "Audits {account}"\n',
    )
    nodes = _nodes(load_ok(write_spec(files)))
    assert nodes["role:dev/dev-auditor"].desired["description"] == "Audits dev"
    assert nodes["role:prod/prod-auditor"].name == "prod-auditor"


def test_role_nodes_carry_tags_protection_and_dependencies(write_spec, iam_files, load_ok):
    nodes = _nodes(load_ok(write_spec(iam_files)))
    admin = nodes["role:prod/TerraformAdmin"]
    assert admin.kind == "iam_role"
    assert admin.account == "prod"
    assert admin.region is None
    assert admin.protected  # prod
    assert not nodes["role:dev/TerraformAdmin"].protected
    assert admin.desired["tags"] == {"ManagedBy": "landingzone", "Repo": "infra"}
    assert admin.depends_on == {"account:prod", "account:shared", "role:shared/automation"}
    deploy = nodes["role:prod/deploy-prod"]
    assert "oidc_provider:prod/token.actions.githubusercontent.com" in deploy.depends_on
    assert admin.desired["max_session_duration"] == 3600
    assert admin.desired["path"] == "/"
    assert admin.desired["permissions_boundary"] is None


def test_an_instance_profile_holds_its_role(write_spec, iam_files, load_ok):
    files = edit(
        iam_files, "roles.yaml", "  auditor:\n", "  auditor:\n    instance_profile: true\n"
    )
    profile = _nodes(load_ok(write_spec(files)))["instance_profile:dev/auditor"]
    assert profile.desired == {
        "name": "auditor",
        "path": "/",
        "role": "auditor",
        "tags": {"ManagedBy": "landingzone", "Repo": "infra"},
    }
    assert "role:dev/auditor" in profile.depends_on


@pytest.mark.parametrize(
    ("written", "arn"),
    [
        ("ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
        ("service-role/AWSConfigRole", "arn:aws:iam::aws:policy/service-role/AWSConfigRole"),
        ("arn:aws:iam::{account_id}:policy/acme-x", "arn:aws:iam::{account_id}:policy/acme-x"),
    ],
)
def test_managed_policies_are_arns_or_aws_managed_names(
    write_spec, iam_files, load_ok, written, arn
):
    files = edit(iam_files, "roles.yaml", "[AdministratorAccess]", f'["{written}"]')
    assert _role(load_ok(write_spec(files)), "dev", "TerraformAdmin")["managed_policies"] == [arn]
