"""The IAM stacks (roles, instance profiles, OIDC providers) and the roles CI pipelines use.

Built from the examples' specs with a made-up inventory (no emulator): what
the files say, which import IDs come from which records, and which role each
stack's CI jobs assume.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from landingzone.export.ci import ci_stacks
from landingzone.export.inventory import Inventory
from landingzone.export.roles import template
from landingzone.export.terraform import Estate, build_estate
from landingzone.graph import build_graph
from landingzone.nodes import ResourceRecord
from landingzone.validate import load_spec
from tests.export.gates import parse_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
MANAGEMENT_ID = "999999999999"


def account_id(number: int) -> str:
    return f"{100000000000 + number:012d}"


def inventory(spec_dir: Path, records: dict[str, ResourceRecord] | None = None) -> Inventory:
    """The spec's nodes; every account exists (made-up IDs), plus `records`."""
    spec = load_spec(spec_dir).spec
    found = {
        f"account:{name}": ResourceRecord(
            f"account:{name}", "account", account_id(i), "management", None, True
        )
        for i, name in enumerate(spec.accounts)
    }
    found.update(records or {})
    return Inventory(
        spec=spec,
        nodes=build_graph(spec),
        records=found,
        management_account_id=MANAGEMENT_ID,
        repo=spec.organization.tags.get("Repo") or spec.organization.name,
    )


def record(address: str, kind: str, id_: str, account: str, **attrs: Any) -> ResourceRecord:
    return ResourceRecord(address, kind, id_, account, None, True, attrs)


def literal(text: str) -> str:
    """A string as Terraform reads it from python-hcl2's source form (escapes undone)."""
    return text.replace('\\"', '"').replace("$${", "${").replace("%%{", "%{")


def tfvars(estate: Estate, stack: str) -> dict[str, Any]:
    return dict(parse_text(estate.files[f"{stack}/terraform.tfvars"]))


def test_template_names_accounts_and_providers_and_escapes_policy_variables():
    arn = "arn:aws:iam::{account_id}:oidc-provider/gitlab.com"
    text = (
        '{"a":"arn:aws:iam::{account_id:core-auto}:role/x","b":"{account_id}",'
        f'"c":"{arn}","d":"${{aws:username}}","e":"%{{x}}"}}'
    )
    assert template(text, {arn: "gitlab.com"}) == (
        '{"a":"arn:aws:iam::${account_ids["core-auto"]}:role/x","b":"${account_id}",'
        '"c":"${oidc_provider_arns["gitlab.com"]}","d":"$${aws:username}","e":"%%{x}"}'
    )


def test_roles_and_providers_go_to_each_accounts_iam_stack_without_other_accounts_ids():
    estate = build_estate(inventory(EXAMPLES / "cloudposse"))
    stacks = {r.stack.path: r.modules for r in estate.roots}
    assert stacks["live/core-auto-us-east-1/iam"] == ["ci_federation", "roles"]
    assert stacks["live/plat-dev-us-east-1/iam"] == ["roles"]
    auto = "live/core-auto-us-east-1/iam"
    main = estate.files[f"{auto}/main.tf"]
    assert "iam_oidc_provider_arns    = module.ci_federation.oidc_provider_arns" in main
    assert "data.terraform_remote_state.organization.outputs.account_ids\n" in main
    automation = tfvars(estate, auto)["iam_roles"]["automation"]
    assert '"Federated":"${oidc_provider_arns["gitlab.com"]}"' in literal(automation["trust"])
    assume = literal(automation["inline_policies"]["lz-assume-roles"])
    assert 'arn:aws:iam::${account_ids["plat-prod"]}:role/TerraformAdmin' in assume
    assert tfvars(estate, auto)["oidc_providers"]["gitlab.com"]["client_ids"] == [
        "https://gitlab.com"
    ]
    for root in estate.roots:  # no member account's ID is written into any IAM stack's values
        if root.stack.stack == "iam":
            text = estate.files[f"{root.stack.path}/terraform.tfvars"]
            assert "1000000000" not in text and MANAGEMENT_ID not in text, root.stack.path
    dev = tfvars(estate, "live/plat-dev-us-east-1/iam")
    assert dev["iam_oidc_provider_arns"] == {}
    assert dev["iam_roles"]["TerraformAdmin"]["managed_policies"] == {
        "AdministratorAccess": "arn:aws:iam::aws:policy/AdministratorAccess"
    }
    assert dev["iam_roles"]["auditor"]["permissions_boundary"] == (
        "arn:aws:iam::aws:policy/ReadOnlyAccess"
    )


def _imports(estate: Estate, stack: str) -> dict[str, str]:
    doc = parse_text(estate.files[f"{stack}/imports.tf"])
    return {i["to"].strip("${}"): i["id"] for i in doc.get("import", [])}


def test_import_ids_are_terraforms_and_what_lz_has_not_made_is_pending():
    auto = account_id(5)  # core-auto, the sixth account of cloudposse
    role_arn = f"arn:aws:iam::{auto}:role/automation"
    provider_arn = f"arn:aws:iam::{auto}:oidc-provider/gitlab.com"
    auditor = f"arn:aws:iam::{auto}:role/auditor"
    records = {
        "role:core-auto/automation": record(
            "role:core-auto/automation",
            "iam_role",
            role_arn,
            "core-auto",
            inline_policies={"lz-assume-roles": {}},
            managed_policies=[],
        ),
        "role:core-auto/auditor": record(  # lz has not attached SecurityAudit yet
            "role:core-auto/auditor",
            "iam_role",
            auditor,
            "core-auto",
            inline_policies={},
            managed_policies=["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        ),
        "oidc_provider:core-auto/gitlab.com": record(
            "oidc_provider:core-auto/gitlab.com", "oidc_provider", provider_arn, "core-auto"
        ),
    }
    estate = build_estate(inventory(EXAMPLES / "cloudposse", records))
    stack = "live/core-auto-us-east-1/iam"
    assert _imports(estate, stack) == {
        'module.ci_federation.aws_iam_openid_connect_provider.this["gitlab.com"]': provider_arn,
        'module.roles.aws_iam_role.this["automation"]': "automation",
        'module.roles.aws_iam_role_policy.this["automation:lz-assume-roles"]': (
            "automation:lz-assume-roles"
        ),
        'module.roles.aws_iam_role.this["auditor"]': "auditor",
        'module.roles.aws_iam_role_policy_attachment.this["auditor/ReadOnlyAccess"]': (
            "auditor/arn:aws:iam::aws:policy/ReadOnlyAccess"
        ),
    }
    assert (stack, "policy attachment auditor/SecurityAudit") in estate.pending
    assert (stack, "role:core-auto/automation") not in estate.pending
    assert ("live/plat-dev-us-east-1/iam", "role:plat-dev/TerraformAdmin") in estate.pending


def test_an_instance_profile_is_imported_by_name_and_holds_its_role():
    arn = "arn:aws:iam::{}:instance-profile/gitlab-runner"
    address = "instance_profile:shared-services/gitlab-runner"
    records = {address: record(address, "instance_profile", arn.format(account_id(0)), "x")}
    estate = build_estate(inventory(EXAMPLES / "codewilling", records))
    stack = "live/shared-services-us-west-2/iam"
    assert _imports(estate, stack) == {
        'module.roles.aws_iam_instance_profile.this["gitlab-runner"]': "gitlab-runner"
    }
    assert tfvars(estate, stack)["iam_instance_profiles"]["gitlab-runner"]["role"] == (
        "gitlab-runner"
    )
    main = parse_text(estate.files["modules/roles/main.tf"])
    profile = next(
        r["aws_iam_instance_profile"]["this"]
        for r in main["resource"]
        if "aws_iam_instance_profile" in r
    )
    assert profile["role"] == "${aws_iam_role.this[each.value.role].name}"


# -- which role CI assumes -------------------------------------------------------------

MANAGEMENT_ROLE = """
    terraform-management:
      description: Terraform in the management account, this repository only
      provider: github
      deploy_to: {accounts: [management]}
      subjects:
        - repo:your-org/coalition:environment:management
        - repo:your-org/coalition:pull_request
      managed_policies: [AdministratorAccess]
"""


def coalition_with(tmp_path: Path, role: str = "") -> Path:
    """coalition without its `ci.pipeline` (the convention's rules), plus a deploy role."""
    spec_dir = tmp_path / "coalition"
    shutil.copytree(EXAMPLES / "coalition", spec_dir)
    ci = spec_dir / "catalog" / "ci.yaml"
    text = ci.read_text()
    start, end = text.index("  pipeline:\n"), text.index("  deploy_roles:\n")
    ci.write_text(text[:start] + text[end:] + role)
    return spec_dir


def roles_by_stack(spec_dir: Path, platform: str) -> dict[str, tuple[str, str]]:
    inv = inventory(spec_dir)
    stacks = ci_stacks(build_estate(inv), inv, platform)  # type: ignore[arg-type]
    return {s.path: (s.roles.plan, s.roles.apply) for s in stacks}


def convention(environment: str) -> tuple[str, str]:
    base = f"arn:aws:iam::{MANAGEMENT_ID}:role/coalition-terraform"
    return f"{base}-plan", f"{base}-{environment}"


def test_without_a_pipeline_member_deploy_roles_cannot_run_stacks_so_ci_uses_the_convention(
    tmp_path: Path,
):
    # coalition's github-actions-* trust its repository, but live in member accounts
    # (github-actions-management trusts your-org/coalition-builder, not the Repo tag).
    spec_dir = coalition_with(tmp_path)
    for platform in ("github", "gitlab"):
        found = roles_by_stack(spec_dir, platform)
        assert found["live/management-us-east-1/organization"] == convention("management")
        assert found["live/prod-us-east-1/iam"] == convention("prod")
        assert found["bootstrap"] == convention("shared")


def test_a_management_deploy_role_trusting_this_repository_runs_the_management_stacks(
    tmp_path: Path,
):
    spec_dir = coalition_with(tmp_path, MANAGEMENT_ROLE)
    role = f"arn:aws:iam::{MANAGEMENT_ID}:role/terraform-management"
    github = roles_by_stack(spec_dir, "github")
    assert github["live/management-us-east-1/organization"] == (role, role)
    assert github["live/management-us-east-1/iam"] == (role, role)  # the role's own stack
    assert github["live/dev-us-east-1/iam"] == convention("dev")
    assert github["bootstrap"] == convention("shared")  # the state account is a member
    # GitLab tokens come from GitLab's provider, which this role does not trust.
    assert roles_by_stack(spec_dir, "gitlab")["live/management-us-east-1/organization"] == (
        convention("management")
    )


@pytest.mark.parametrize(
    ("change", "plan_fits", "apply_fits"),
    [
        (("      managed_policies: [AdministratorAccess]\n", ""), False, False),  # no permissions
        (("your-org/coalition:", "your-org/other:"), False, False),  # another repository
        (("        - repo:your-org/coalition:pull_request\n", ""), False, True),  # no plans
        (("environment:management", "environment:prod"), True, False),  # another environment
    ],
)
def test_a_deploy_role_is_used_only_for_the_jobs_it_can_run(
    tmp_path: Path, change: tuple[str, str], plan_fits: bool, apply_fits: bool
):
    spec_dir = coalition_with(tmp_path, MANAGEMENT_ROLE.replace(*change))
    role = f"arn:aws:iam::{MANAGEMENT_ID}:role/terraform-management"
    plan, apply = roles_by_stack(spec_dir, "github")["live/management-us-east-1/organization"]
    assert (plan == role, apply == role) == (plan_fits, apply_fits)
    assert plan == role or plan == convention("management")[0]
    assert apply == role or apply == convention("management")[1]
