"""Every Organizations policy type exports to aws_organizations_policy with its type,
its attachments, and import blocks whose IDs plain boto3 finds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.access.org_policy_types import POLICY_TYPES
from landingzone.emulator import Emulator
from landingzone.validate import load_spec
from tests.aws import Aws
from tests.export import gates
from tests.export.conftest import applied_copy, run_lz

pytestmark = pytest.mark.e2e


def _stack_values(stack: Path) -> dict[str, Any]:
    """The organization module's arguments, wherever the stack writes them."""
    values: dict[str, Any] = {}
    for path in [*stack.glob("*.tf"), *stack.glob("*.tfvars")]:
        doc = gates.parse(path)
        values.update(doc if path.suffix == ".tfvars" else {})
        for module in doc.get("module", []):
            for body in module.values():
                values.update(body)
    return values


def test_policies_of_every_type_export_with_type_attachments_and_imports(
    emulated: Emulator, tmp_path: Path
) -> None:
    emulated.reset()
    spec_dir = applied_copy("policy-types", tmp_path)
    assert run_lz("export", "terraform", tmp_path / "repo", spec_dir) == 0
    spec = load_spec(spec_dir).spec
    stack = next(s for s in gates.root_modules(tmp_path / "repo") if s.name == "organization")

    values = _stack_values(stack)
    assert set(values["enabled_policy_types"]) == {t.aws for t in POLICY_TYPES.values()}
    for name, policy in spec.policies.items():
        assert values["policies"][name]["type"] == POLICY_TYPES[policy.type].aws

    aws = Aws(emulated, region=spec.organization.home_region)
    org = aws.client("organizations")
    ids = {
        p["Name"]: p["Id"]
        for kind in POLICY_TYPES.values()
        for p in org.list_policies(Filter=kind.aws)["Policies"]
    }
    root = org.list_roots()["Roots"][0]["Id"]
    targets = {
        "root": root,
        "unit:workloads": aws.unit_id("workloads"),
        "account:log-archive": aws.accounts()["log-archive"]["Id"],
    }
    imported = {
        (type_, key): id_
        for to, id_ in gates.imports(stack)
        for _, type_, _, key in [gates.split_address(to)]
    }
    for name in spec.policies:
        assert imported[("aws_organizations_policy", name)] == ids[name]
    attachments = {
        f"{name}@{target}"
        for target, names in (
            ("root", spec.organization.policies),
            ("unit:workloads", spec.units["workloads"].policies),
            ("account:log-archive", spec.accounts["log-archive"].policies),
        )
        for name in names
    }
    for key in attachments:
        policy, _, target = key.partition("@")
        assert imported[("aws_organizations_policy_attachment", key)] == (
            f"{targets[target]}:{ids[policy]}"
        )
    assert gates.import_problems(stack) == []
