"""Import blocks carry the real IDs: checked against the emulator with plain boto3."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from landingzone.validate import load_spec
from tests.aws import Aws
from tests.export import gates
from tests.export.conftest import ALL_EXAMPLES, applied_copy, run_lz

pytestmark = pytest.mark.e2e

IAM_TYPES = {
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile",
    "aws_iam_openid_connect_provider",
}


# Stacks whose imports tests/export/stack_ids/<stack>.py checks, by stack name.
STACK_CHECKS = {
    path.stem: importlib.import_module(f"tests.export.stack_ids.{path.stem}").expected_id
    for path in sorted((Path(__file__).parent / "stack_ids").glob("[a-z]*.py"))
}


def expected_ids(aws: Aws, spec_dir: Path) -> Callable[..., str]:
    """The ID plain boto3 finds for a resource type, name, key (and stack, for IAM)."""
    spec = load_spec(spec_dir).spec
    org = aws.client("organizations")
    accounts = {key: aws.accounts()[a.name or key]["Id"] for key, a in spec.accounts.items()}
    accounts["management"] = aws.emulator.management_account_id  # its baseline's stacks
    policies = {
        p["Name"]: p["Id"] for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
    }
    root = org.list_roots()["Roots"][0]["Id"]
    state_account = accounts.get(spec.state.account)

    def target_id(target: str) -> str:
        kind, _, name = target.partition(":")
        return {"root": lambda: root, "unit": lambda: aws.unit_id(name)}.get(
            kind, lambda: accounts[name]
        )()

    def bucket(name: str) -> str:
        aws.client("s3", state_account).head_bucket(Bucket=name)  # it exists there
        return name

    def table(name: str) -> str:
        ddb = aws.client(
            "dynamodb", state_account, spec.state.region or spec.organization.home_region
        )
        return str(ddb.describe_table(TableName=name)["Table"]["TableName"])

    def iam_id(type_: str, key: str, stack: Path) -> str:
        """IAM is per account: look in the stack's own (live/<account>-<region>/iam)."""
        account = stack.parent.name.removesuffix(f"-{spec.organization.home_region}")
        iam = aws.client("iam", None if account == "management" else accounts[account])
        if type_ == "aws_iam_role":
            return str(iam.get_role(RoleName=key)["Role"]["RoleName"])
        if type_ == "aws_iam_role_policy":
            role, _, policy = key.partition(":")
            got = iam.get_role_policy(RoleName=role, PolicyName=policy)
            return f"{got['RoleName']}:{got['PolicyName']}"
        if type_ == "aws_iam_role_policy_attachment":
            role, _, policy = key.partition("/")
            attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
            arns = [p["PolicyArn"] for p in attached if p["PolicyName"] == policy]
            assert len(arns) == 1, (key, attached)
            return f"{role}/{arns[0]}"
        if type_ == "aws_iam_instance_profile":
            profile = iam.get_instance_profile(InstanceProfileName=key)["InstanceProfile"]
            assert [r["RoleName"] for r in profile["Roles"]] == [key]  # its role, same name
            return str(profile["InstanceProfileName"])
        if type_ == "aws_iam_openid_connect_provider":
            listed = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
            arns = [p["Arn"] for p in listed if p["Arn"].endswith(f":oidc-provider/{key}")]
            assert len(arns) == 1, (key, listed)
            return str(arns[0])
        raise AssertionError(f"no check for {type_}")

    def expected(
        type_: str, name: str, key: str | None, id_: str, stack: Path | None = None
    ) -> str:
        if stack is not None and stack.name in STACK_CHECKS:
            assert key is not None
            return STACK_CHECKS[stack.name](aws, accounts, type_, key, stack)
        if type_ == "aws_organizations_organization":
            return str(org.describe_organization()["Organization"]["Id"])
        if type_ == "aws_organizations_organizational_unit":
            assert key is not None and name == f"level_{key.count('/') + 1}"
            return aws.unit_id(key)
        if type_ == "aws_organizations_account":
            return accounts[str(key)]
        if type_ == "aws_organizations_policy":
            return policies[str(key)]
        if type_ == "aws_organizations_policy_attachment":
            policy, _, target = str(key).partition("@")
            assert policy in aws.policies_on(target_id(target))
            return f"{target_id(target)}:{policies[policy]}"
        if type_.startswith("aws_s3_bucket"):
            return bucket(id_)
        if type_ == "aws_dynamodb_table":
            return table(id_)
        if type_ in IAM_TYPES:
            assert stack is not None and key is not None
            return iam_id(type_, key, stack)
        raise AssertionError(f"no check for {type_}")

    return expected  # type: ignore[return-value]


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_import_id_is_the_resource_that_exists(name: str, emulated: Emulator, tmp_path: Path):
    emulated.reset()
    spec_dir = applied_copy(name, tmp_path)
    assert run_lz("export", "terraform", tmp_path / "repo", spec_dir) == 0
    aws = Aws(emulated, region=load_spec(spec_dir).spec.organization.home_region)
    expected = expected_ids(aws, spec_dir)
    checked = 0
    for stack in gates.root_modules(tmp_path / "repo"):
        for to, id_ in gates.imports(stack):
            _, type_, resource, key = gates.split_address(to)
            assert id_ == expected(type_, resource, key, id_, stack), to
            checked += 1
    spec = load_spec(spec_dir).spec
    assert checked >= 1 + len(spec.accounts) + len(spec.policies) + 6
    imports_text = "".join(p.read_text() for p in (tmp_path / "repo").rglob("imports.tf"))
    assert "Not applied" not in imports_text  # everything lz made is imported
