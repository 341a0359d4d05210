"""Roles and CI federation applied to the emulator, checked in each account with plain boto3."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from landingzone.graph import build_graph
from landingzone.resources.base import canonical_policy
from landingzone.validate import load_spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e

GITHUB = "token.actions.githubusercontent.com"
GITHUB_THUMBPRINTS = [
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
    "6938fd4d98bab03faadb97b34396831e3780aea1",
]
GITLAB_THUMBPRINT = "b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a"
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
RUNNER_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "Cache",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::acme-runner-cache/*",
        }
    ],
}

SPEC = {
    "landingzone.yaml": """\
        import: [roles.yaml, ci.yaml]
        organization:
          name: acme
          home_region: us-east-1
          tags: {Repo: infra}
        units:
          core: {}
          workloads: {}
        accounts:
          shared:
            email: aws+shared@acme.example
            unit: core
          prod:
            email: aws+prod@acme.example
            unit: workloads
            tags: {Environment: prod}
          dev:
            email: aws+dev@acme.example
            unit: workloads
            tags: {Environment: dev}
        state:
          account: shared
        """,
    "roles.yaml": """\
        roles:
          TerraformAdmin:
            description: Terraform from the automation role only
            deploy_to: {units: [workloads]}
            trust:
              - roles: ["shared:automation"]
            managed_policies: [AdministratorAccess]
            max_session_duration: 7200
          auditor:
            path: /audit/
            deploy_to: {accounts: [prod, dev]}
            trust:
              - accounts: [shared]
                mfa: true
            managed_policies: [ReadOnlyAccess]
            permissions_boundary: ReadOnlyAccess
            tags: {Purpose: audit}
          runner:
            deploy_to: {accounts: [shared]}
            trust:
              - services: [ec2.amazonaws.com]
            instance_profile: true
            inline_policies:
              cache:
                Version: "2012-10-17"
                Statement:
                  - Sid: Cache
                    Effect: Allow
                    Action: [s3:GetObject, s3:PutObject]
                    Resource: arn:aws:s3:::acme-runner-cache/*
        """,
    "ci.yaml": """\
        ci:
          providers:
            github:
              type: github
            gitlab:
              type: gitlab
              thumbprints: [B3DD7606D2B5A8B4A13771DBECC9EE1CECAFA38A]
          profiles:
            app:
              prefix: acme
              iam: true
              read_services: [ec2]
              regional_services: [lambda]
              unscoped_services: [s3]
          deploy_roles:
            automation:
              provider: gitlab
              deploy_to: {accounts: [shared]}
              subjects: ["project_path:acme/infra:ref_type:branch:ref:main"]
              assume_roles: ["prod:TerraformAdmin", "dev:TerraformAdmin"]
            github-actions-prod:
              provider: github
              deploy_to: {accounts: [prod]}
              subjects:
                - repo:acme/app:environment:prod
                - repo:acme/app:ref:refs/heads/main
                - repo:acme/app:ref:refs/tags/v*
              profile: app
        """,
}


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    for name, text in SPEC.items():
        (tmp_path / name).write_text(textwrap.dedent(text))
    return tmp_path


@pytest.fixture
def applied(lz: Any, spec_dir: Path, emulator: Emulator) -> dict[str, Any]:
    """Apply the spec; returns the account IDs by name and IAM clients per account name."""
    result = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert result.code == 0, result.err
    aws = Aws(emulator)
    ids = {name: a["Id"] for name, a in aws.accounts().items()}
    return {"ids": ids, "iam": {name: aws.client("iam", ids[name]) for name in ids}}


def same(a: Any, b: Any) -> bool:
    return bool(canonical_policy(a) == canonical_policy(b))


def tags_of(iam: Any, role: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=role)["Tags"]}


def inline(iam: Any, role: str) -> dict[str, Any]:
    names = iam.list_role_policies(RoleName=role)["PolicyNames"]
    return {n: iam.get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"] for n in names}


def attached(iam: Any, role: str) -> list[str]:
    policies = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    return sorted(p["PolicyArn"] for p in policies)


def test_roles_are_created_in_every_account_with_trust_policies_and_tags(
    applied: dict[str, Any], lz: Any, spec_dir: Path
):
    ids, iam = applied["ids"], applied["iam"]
    for account in ("prod", "dev"):
        role = iam[account].get_role(RoleName="TerraformAdmin")["Role"]
        assert same(
            role["AssumeRolePolicyDocument"],
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ids['shared']}:role/automation"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
        )
        assert role["Description"] == "Terraform from the automation role only"
        assert role["MaxSessionDuration"] == 7200
        assert attached(iam[account], "TerraformAdmin") == [ADMIN]
        tags = tags_of(iam[account], "TerraformAdmin")
        assert tags["ManagedBy"] == "landingzone"
        assert tags["Repo"] == "infra"
        assert tags["CreatedBy"].startswith("arn:aws:iam::")

        auditor = iam[account].get_role(RoleName="auditor")["Role"]
        assert auditor["Path"] == "/audit/"
        assert auditor["PermissionsBoundary"]["PermissionsBoundaryArn"] == READ_ONLY
        assert auditor["MaxSessionDuration"] == 3600
        assert same(
            auditor["AssumeRolePolicyDocument"],
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ids['shared']}:root"},
                        "Action": "sts:AssumeRole",
                        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}},
                    }
                ],
            },
        )
        assert attached(iam[account], "auditor") == [READ_ONLY]
        assert tags_of(iam[account], "auditor")["Purpose"] == "audit"

    # Roles go only where deploy_to says.
    names = {r["RoleName"] for r in iam["shared"].list_roles()["Roles"]}
    assert {"runner", "automation"} <= names
    assert not names & {"TerraformAdmin", "auditor"}

    runner = iam["shared"].get_role(RoleName="runner")["Role"]
    assert runner["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "ec2.amazonaws.com"
    }
    assert same(inline(iam["shared"], "runner")["cache"], RUNNER_POLICY)
    profile = iam["shared"].get_instance_profile(InstanceProfileName="runner")["InstanceProfile"]
    assert [r["RoleName"] for r in profile["Roles"]] == ["runner"]
    assert {t["Key"]: t["Value"] for t in profile["Tags"]}["ManagedBy"] == "landingzone"

    replan = lz("plan", spec_dir, "--detailed-exitcode")
    assert replan.code == 0, replan.err
    assert "No changes" in replan.err


def with_ids(value: Any, ids: dict[str, str], account: str) -> Any:
    """A desired value of the spec with account placeholders replaced by the real IDs."""
    text = re.sub(
        r"\{account_id(?::([^}]+))?\}", lambda m: ids[m.group(1) or account], json.dumps(value)
    )
    return json.loads(text)


def test_every_role_matches_the_spec(applied: dict[str, Any], spec_dir: Path):
    ids, iam = applied["ids"], applied["iam"]
    roles = [n for n in build_graph(load_spec(spec_dir).spec) if n.kind == "iam_role"]
    assert len(roles) == 7
    for node in roles:
        want = with_ids(dict(node.desired), ids, node.account)
        client = iam[node.account]
        role = client.get_role(RoleName=want["name"])["Role"]
        assert same(role["AssumeRolePolicyDocument"], want["trust"]), node.address
        policies = inline(client, want["name"])
        assert sorted(policies) == sorted(want["inline_policies"]), node.address
        for name, document in want["inline_policies"].items():
            assert same(policies[name], document), (node.address, name)
        assert attached(client, want["name"]) == want["managed_policies"], node.address
        boundary = role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        assert boundary == want["permissions_boundary"], node.address
        assert role["MaxSessionDuration"] == want["max_session_duration"], node.address
        assert role["Path"] == want["path"], node.address
        assert role.get("Description", "") == want["description"], node.address
        assert want["tags"].items() <= tags_of(client, want["name"]).items(), node.address


def test_ci_providers_and_deploy_roles(applied: dict[str, Any]):
    ids, iam = applied["ids"], applied["iam"]
    github = f"arn:aws:iam::{ids['prod']}:oidc-provider/{GITHUB}"
    provider = iam["prod"].get_open_id_connect_provider(OpenIDConnectProviderArn=github)
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]
    assert sorted(provider["ThumbprintList"]) == GITHUB_THUMBPRINTS
    assert {t["Key"]: t["Value"] for t in provider["Tags"]}["ManagedBy"] == "landingzone"
    gitlab = f"arn:aws:iam::{ids['shared']}:oidc-provider/gitlab.com"
    provider = iam["shared"].get_open_id_connect_provider(OpenIDConnectProviderArn=gitlab)
    assert provider["ClientIDList"] == ["https://gitlab.com"]
    assert provider["ThumbprintList"] == [GITLAB_THUMBPRINT]
    # Providers only where a deploy role needs them.
    assert iam["dev"].list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
    listed = iam["prod"].list_open_id_connect_providers()["OpenIDConnectProviderList"]
    assert [p["Arn"] for p in listed] == [github]

    role = iam["prod"].get_role(RoleName="github-actions-prod")["Role"]
    assert same(
        role["AssumeRolePolicyDocument"],
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": github},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {
                            f"{GITHUB}:aud": "sts.amazonaws.com",
                            f"{GITHUB}:sub": [
                                "repo:acme/app:environment:prod",
                                "repo:acme/app:ref:refs/heads/main",
                            ],
                        }
                    },
                },
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": github},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    "Condition": {
                        "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
                        "StringLike": {f"{GITHUB}:sub": "repo:acme/app:ref:refs/tags/v*"},
                    },
                },
            ],
        },
    )
    policies = inline(iam["prod"], "github-actions-prod")
    assert list(policies) == ["lz-profile-app"]
    statements = {s["Sid"]: s for s in policies["lz-profile-app"]["Statement"]}
    assert statements["AccountRegionalResources"]["Resource"] == [
        f"arn:aws:lambda:us-east-1:{ids['prod']}:*"
    ]
    assert (
        f"arn:aws:iam::{ids['prod']}:role/acme-*" in statements["IamPrefixedResources"]["Resource"]
    )
    for statement in statements.values():  # only read actions and s3 on "*"
        if statement["Resource"] == "*":
            assert all(
                a.split(":")[1].startswith(("Describe", "Get", "List")) or a == "s3:*"
                for a in statement["Action"]
            )

    automation = inline(iam["shared"], "automation")
    assert same(
        automation["lz-assume-roles"],
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "AssumeRoles",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": [
                        f"arn:aws:iam::{ids['dev']}:role/TerraformAdmin",
                        f"arn:aws:iam::{ids['prod']}:role/TerraformAdmin",
                    ],
                }
            ],
        },
    )
    trust = iam["shared"].get_role(RoleName="automation")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Condition"] == {
        "StringEquals": {
            "gitlab.com:aud": "https://gitlab.com",
            "gitlab.com:sub": "project_path:acme/infra:ref_type:branch:ref:main",
        }
    }


def test_drift_is_detected_and_repaired(applied: dict[str, Any], lz: Any, spec_dir: Path):
    ids, iam = applied["ids"], applied["iam"]
    widened = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ids['dev']}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam["prod"].update_assume_role_policy(
        RoleName="TerraformAdmin", PolicyDocument=json.dumps(widened)
    )
    iam["prod"].detach_role_policy(RoleName="auditor", PolicyArn=READ_ONLY)
    iam["prod"].attach_role_policy(RoleName="auditor", PolicyArn=ADMIN)
    iam["dev"].delete_role_permissions_boundary(RoleName="auditor")
    iam["shared"].delete_role_policy(RoleName="runner", PolicyName="cache")
    iam["shared"].put_role_policy(
        RoleName="runner", PolicyName="extra", PolicyDocument=json.dumps(RUNNER_POLICY)
    )
    iam["dev"].update_role(RoleName="TerraformAdmin", MaxSessionDuration=43200)
    iam["dev"].untag_role(RoleName="TerraformAdmin", TagKeys=["Repo"])
    iam["dev"].tag_role(RoleName="TerraformAdmin", Tags=[{"Key": "Owner", "Value": "ops"}])
    github = f"arn:aws:iam::{ids['prod']}:oidc-provider/{GITHUB}"
    iam["prod"].delete_open_id_connect_provider(OpenIDConnectProviderArn=github)
    gitlab = f"arn:aws:iam::{ids['shared']}:oidc-provider/gitlab.com"
    iam["shared"].add_client_id_to_open_id_connect_provider(
        OpenIDConnectProviderArn=gitlab, ClientID="anyone"
    )

    plan = lz("plan", spec_dir, "--detailed-exitcode", "--json")
    assert plan.code == 2, plan.err
    operations = {op["address"]: op for op in plan.json()["operations"]}
    assert {a: op["action"] for a, op in operations.items()} == {
        "role:prod/TerraformAdmin": "update",
        "role:prod/auditor": "update",
        "role:dev/auditor": "update",
        "role:shared/runner": "update",
        "role:dev/TerraformAdmin": "update",
        f"oidc_provider:prod/{GITHUB}": "create",
        "oidc_provider:shared/gitlab.com": "update",
    }
    changed = {a: {c["attr"] for c in op["changes"]} for a, op in operations.items()}
    assert changed["role:prod/TerraformAdmin"] == {"trust"}
    assert changed["role:prod/auditor"] == {"managed_policies"}
    assert changed["role:dev/auditor"] == {"permissions_boundary"}
    assert changed["role:shared/runner"] == {"inline_policies"}
    assert changed["role:dev/TerraformAdmin"] == {"max_session_duration", "tags"}

    # A reviewer sees what a trust change does, line by line.
    shown = lz("plan", spec_dir).err
    assert f'-        "AWS": "arn:aws:iam::{ids["dev"]}:root"' in shown
    assert f'+        "AWS": "arn:aws:iam::{ids["shared"]}:role/automation"' in shown

    applied_again = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied_again.code == 0, applied_again.err
    trust = iam["prod"].get_role(RoleName="TerraformAdmin")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {
        "AWS": f"arn:aws:iam::{ids['shared']}:role/automation"
    }
    assert attached(iam["prod"], "auditor") == [READ_ONLY]
    boundary = iam["dev"].get_role(RoleName="auditor")["Role"]["PermissionsBoundary"]
    assert boundary["PermissionsBoundaryArn"] == READ_ONLY
    assert list(inline(iam["shared"], "runner")) == ["cache"]
    admin = iam["dev"].get_role(RoleName="TerraformAdmin")["Role"]
    assert admin["MaxSessionDuration"] == 7200
    tags = tags_of(iam["dev"], "TerraformAdmin")
    assert tags["Repo"] == "infra"
    assert tags["Owner"] == "ops"  # not lz's: left alone
    provider = iam["prod"].get_open_id_connect_provider(OpenIDConnectProviderArn=github)
    assert provider["ClientIDList"] == ["sts.amazonaws.com"]
    provider = iam["shared"].get_open_id_connect_provider(OpenIDConnectProviderArn=gitlab)
    assert provider["ClientIDList"] == ["https://gitlab.com"]

    replan = lz("plan", spec_dir, "--detailed-exitcode")
    assert replan.code == 0, replan.err


def test_a_role_removed_from_the_spec_is_deleted_with_its_policies_and_profile(
    applied: dict[str, Any], lz: Any, spec_dir: Path
):
    iam = applied["iam"]
    roles = spec_dir / "roles.yaml"
    text = roles.read_text()
    roles.write_text(text[: text.index("  runner:")])
    ci = spec_dir / "ci.yaml"
    ci.write_text(ci.read_text().replace("    gitlab:\n", "    gitlab-old:\n", 1))
    ci.write_text(ci.read_text().replace("provider: gitlab\n", "provider: github\n", 1))
    ci.write_text(
        ci.read_text().replace(
            "project_path:acme/infra:ref_type:branch:ref:main",
            "repo:acme/infra:ref:refs/heads/main",
        )
    )
    ci.write_text(ci.read_text().replace("    gitlab-old:\n      type: gitlab\n", "", 1))
    ci.write_text(ci.read_text().replace("      thumbprints: [B3DD", "      #", 1))

    plan = lz("plan", spec_dir, "--json")
    assert plan.code == 0, plan.err
    actions = {op["address"]: op["action"] for op in plan.json()["operations"]}
    assert actions["role:shared/runner"] == "delete"
    assert actions["instance_profile:shared/runner"] == "delete"
    assert actions["oidc_provider:shared/gitlab.com"] == "delete"
    assert actions[f"oidc_provider:shared/{GITHUB}"] == "create"
    assert actions["role:shared/automation"] == "update"

    result = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert result.code == 0, result.err
    shared = iam["shared"]
    names = {r["RoleName"] for r in shared.list_roles()["Roles"]}
    assert "runner" not in names
    assert shared.list_instance_profiles()["InstanceProfiles"] == []
    hosts = [
        p["Arn"].rsplit("/", 1)[-1]
        for p in shared.list_open_id_connect_providers()["OpenIDConnectProviderList"]
    ]
    assert hosts == [GITHUB]


def test_a_role_that_exists_already_is_adopted_and_never_deleted(
    lz: Any, spec_dir: Path, emulator: Emulator
):
    assert lz("apply", spec_dir, "--auto-approve", "--approve-protected").code == 0
    aws = Aws(emulator)
    dev = aws.client("iam", aws.accounts()["dev"]["Id"])
    ec2_trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ec2.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    dev.create_role(RoleName="legacy", AssumeRolePolicyDocument=json.dumps(ec2_trust))
    roles = spec_dir / "roles.yaml"
    roles.write_text(
        roles.read_text()
        + "  legacy:\n"
        + "    deploy_to: {accounts: [dev]}\n"
        + "    trust:\n"
        + "      - services: [lambda.amazonaws.com]\n"
    )
    plan = lz("plan", spec_dir, "--json")
    actions = {op["address"]: op["action"] for op in plan.json()["operations"]}
    assert actions == {"role:dev/legacy": "adopt"}
    assert lz("apply", spec_dir, "--auto-approve", "--approve-protected").code == 0
    trust = dev.get_role(RoleName="legacy")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}

    roles.write_text(roles.read_text()[: roles.read_text().index("  legacy:")])
    plan = lz("plan", spec_dir, "--json")
    actions = {op["address"]: op["action"] for op in plan.json()["operations"]}
    assert actions == {"role:dev/legacy": "forget"}
    assert lz("apply", spec_dir, "--auto-approve", "--approve-protected").code == 0
    assert dev.get_role(RoleName="legacy")["Role"]["RoleName"] == "legacy"
