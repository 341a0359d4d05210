"""The examples' roles and CI federation, as their seeds describe them, checked with boto3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws

pytestmark = pytest.mark.e2e

GITHUB = "token.actions.githubusercontent.com"
REPO = "repo:your-org/coalition-builder"


def apply_example(lz: Any, example: Any, emulator: Emulator, name: str, region: str) -> Any:
    """Apply an example; returns (account IDs by name, IAM client factory)."""
    spec_dir: Path = example(name)
    result = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert result.code == 0, result.err
    aws = Aws(emulator, region=region)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    return ids, lambda account: aws.client("iam", ids[account])


def trust_of(iam: Any, role: str) -> dict[str, Any]:
    return dict(iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"])


def inline(iam: Any, role: str) -> dict[str, Any]:
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    return {n: iam.get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"] for n in names}


def test_coalition_github_oidc_roles_follow_seed_001(lz, example, emulator: Emulator):
    ids, iam = apply_example(lz, example, emulator, "coalition", "us-east-1")
    subjects = {
        "shared": [f"{REPO}:environment:shared", f"{REPO}:ref:refs/heads/main"],
        "prod": [f"{REPO}:environment:prod", f"{REPO}:ref:refs/heads/main"],
        "dev": [
            f"{REPO}:environment:dev",
            f"{REPO}:pull_request",
            f"{REPO}:ref:refs/heads/development",
        ],
    }
    accepter = f"arn:aws:iam::{ids['shared']}:role/vpc-peering-accepter"
    for env, allowed in subjects.items():
        provider = iam(env).get_open_id_connect_provider(
            OpenIDConnectProviderArn=f"arn:aws:iam::{ids[env]}:oidc-provider/{GITHUB}"
        )
        assert provider["ClientIDList"] == ["sts.amazonaws.com"]
        [statement] = trust_of(iam(env), f"github-actions-{env}")["Statement"]
        condition = statement["Condition"]["StringEquals"]
        assert condition[f"{GITHUB}:aud"] == "sts.amazonaws.com"
        assert sorted(condition[f"{GITHUB}:sub"]) == allowed
        policies = inline(iam(env), f"github-actions-{env}")
        statements = {s["Sid"]: s for s in policies["lz-profile-coalition"]["Statement"]}
        assert (
            f"arn:aws:iam::{ids[env]}:role/coalition-*"
            in (statements["IamPrefixedResources"]["Resource"])
        )
        # The seed's "truly global services", scoped: S3 to coalition-* buckets, Route 53
        # and API Gateway to their own resources; nothing changes anything on "*".
        assert statements["AccountlessResources"]["Action"] == ["s3:*", "route53:*", "apigateway:*"]
        assert statements["AccountlessResources"]["Resource"] == [
            "arn:aws:s3:::coalition-*",
            "arn:aws:route53:::*",
            "arn:aws:apigateway:us-east-1::*",
        ]
        broad = [s["Sid"] for s in statements.values() if s["Resource"] == "*"]
        assert broad == ["ServiceReadOnly", "IamReadOnly"]
        # sts:AssumeRole toward the shared account's peering accepter: prod and dev only.
        assume = policies.get("lz-assume-roles")
        if env == "shared":
            assert assume is None
        else:
            assert assume["Statement"][0]["Resource"] == [accepter]

    [statement] = trust_of(iam("shared"), "vpc-peering-accepter")["Statement"]
    assert sorted(statement["Principal"]["AWS"]) == sorted(
        [
            f"arn:aws:iam::{ids['dev']}:role/github-actions-dev",
            f"arn:aws:iam::{ids['prod']}:role/github-actions-prod",
        ]
    )


def test_cloudposse_terraform_admin_auditor_and_gitlab_deploy_role(lz, example, emulator: Emulator):
    ids, iam = apply_example(lz, example, emulator, "cloudposse", "us-east-1")
    automation = f"arn:aws:iam::{ids['core-auto']}:role/automation"
    for account in ("plat-prod", "plat-staging", "plat-dev", "plat-sandbox"):
        [statement] = trust_of(iam(account), "TerraformAdmin")["Statement"]
        assert statement["Principal"] == {"AWS": automation}
    for account in (name for name, id_ in ids.items() if id_ != emulator.management_account_id):
        [statement] = trust_of(iam(account), "auditor")["Statement"]
        assert statement["Principal"] == {"AWS": f"arn:aws:iam::{ids['core-security']}:root"}
        assert statement["Condition"] == {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    names = {r["RoleName"] for r in iam("core-auto").list_roles()["Roles"]}
    assert "TerraformAdmin" not in names  # only in plat accounts

    [statement] = trust_of(iam("plat-prod"), "gitlab-deploy-role")["Statement"]
    assert statement["Principal"] == {
        "Federated": f"arn:aws:iam::{ids['plat-prod']}:oidc-provider/gitlab.com"
    }
    # A feature branch cannot assume the production deploy role (seed 003).
    assert statement["Condition"] == {
        "StringEquals": {
            "gitlab.com:aud": "https://gitlab.com",
            "gitlab.com:sub": "project_path:acme/house-escort:ref_type:branch:ref:main",
        }
    }
    assume = inline(iam("core-auto"), "automation")["lz-assume-roles"]["Statement"][0]
    assert len(assume["Resource"]) == 4


def test_codewilling_runner_role_and_instance_profile(lz, example, emulator: Emulator):
    ids, iam = apply_example(lz, example, emulator, "codewilling", "us-west-2")
    shared = iam("shared-services")
    role = shared.get_role(RoleName="gitlab-runner")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "ec2.amazonaws.com"
    }
    tags = {t["Key"]: t["Value"] for t in role["Tags"]}
    assert tags["CreatedBy"] == Aws(emulator).client("sts").get_caller_identity()["Arn"]
    assert tags["Application"] == "gitlab-runner"
    profile = shared.get_instance_profile(InstanceProfileName="gitlab-runner")["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == ["gitlab-runner"]
    secret = inline(shared, "gitlab-runner")["runner"]["Statement"][0]["Resource"]
    assert secret == (
        f"arn:aws:secretsmanager:us-west-2:{ids['shared-services']}:secret:tailscale/gitlab-runner-*"
    )
