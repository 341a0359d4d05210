"""The hand-off's choices, checked on the files (no Terraform needed): lz's tags by
default and the opt-in tag hand-over, the provider's major version, the emulator's
endpoint override, and `moved` blocks for units the spec renamed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from landingzone.export.stacks import Target
from landingzone.export.terraform import Estate, build_estate
from tests.export import gates
from tests.export.test_iam_export import EXAMPLES, inventory

ORGANIZATION = "live/management-us-west-2/organization"
NETWORK = "live/dev-us-west-2/network"


def provider(estate: Estate, stack: str) -> dict[str, Any]:
    doc = gates.parse_text(estate.files[f"{stack}/provider.tf"])
    return dict(doc["provider"][0]["aws"])


def pin(estate: Estate, stack: str) -> str:
    doc = gates.parse_text(estate.files[f"{stack}/versions.tf"])
    return str(doc["terraform"][0]["required_providers"][0]["aws"]["version"])


def test_by_default_terraform_keeps_lz_tags_and_created_by() -> None:
    estate = build_estate(inventory(EXAMPLES / "codewilling"))
    for root in estate.roots:
        aws = provider(estate, root.stack.path)
        assert aws["default_tags"][0]["tags"] == {"ManagedBy": "landingzone"}
        assert aws["ignore_tags"][0]["keys"] == ["CreatedBy"]
        variables = gates.parse_text(estate.files[f"{root.stack.path}/variables.tf"])
        assert not {"repo", "environment"} & {k for v in variables["variable"] for k in v}
    assert pin(estate, ORGANIZATION) == "~> 6.25"
    assert not any(path.endswith("endpoint_override.tf") for path in estate.files)


def test_handover_retags_for_terraform_only_when_asked() -> None:
    estate = build_estate(inventory(EXAMPLES / "codewilling"), Target(handover=True))
    tags = provider(estate, NETWORK)["default_tags"][0]["tags"]
    assert tags == {
        "Environment": "${var.environment}",
        "ManagedBy": "terraform",
        "Repo": "${var.repo}",
        "Stack": "network",
    }
    values = gates.parse_text(estate.files[f"{NETWORK}/terraform.tfvars"])
    assert (values["environment"], values["repo"]) == ("dev", "infra")


def test_the_provider_major_version_is_a_choice() -> None:
    estate = build_estate(inventory(EXAMPLES / "codewilling"), Target(provider_major=5))
    assert {pin(estate, root.stack.path) for root in estate.roots} == {"~> 5.100"}


def test_the_endpoint_override_points_provider_backend_and_remote_state_at_the_url() -> None:
    url = "http://127.0.0.1:4566"
    estate = build_estate(inventory(EXAMPLES / "codewilling"), Target(endpoint=url))
    for root in estate.roots:
        stack = root.stack.path
        override = gates.parse_text(estate.files[f"{stack}/endpoint_override.tf"])
        backend = gates.parse_text(estate.files[f"{stack}/backend.tf"])["terraform"][0]
        settings = backend["backend"][0]["s3"]
        overridden = override["terraform"][0]["backend"][0]["s3"]
        # An override replaces the whole backend block: every setting is repeated.
        assert {k: v for k, v in overridden.items() if k in settings} == settings
        assert set(overridden["endpoints"].values()) == {url}
        assert overridden["use_path_style"] is True
        aws = override["provider"][0]["aws"]
        assert {v for v in aws["endpoints"][0].values() if isinstance(v, str)} == {url}
        assert aws["http_proxy"] == url  # S3 Control's account-prefixed host names
        if root.reads:
            read = gates.parse_text(estate.files[f"{stack}/remote_state.tf"])
            labels = {labels[1] for labels, _ in gates.labelled(read, "data")}
            overrides = {labels[1]: body for labels, body in gates.labelled(override, "data")}
            assert set(overrides) == labels
            assert all(body["config"]["endpoints"]["s3"] == url for body in overrides.values())


def test_a_renamed_unit_is_moved_with_its_policy_attachments(tmp_path: Path) -> None:
    spec_dir = tmp_path / "codewilling"
    shutil.copytree(EXAMPLES / "codewilling", spec_dir)
    assert "moved.tf" not in {
        Path(p).name for p in build_estate(inventory(spec_dir)).files if ORGANIZATION in p
    }
    spec_file = spec_dir / "landingzone.yaml"
    text = spec_file.read_text().replace("  workloads:\n", "  apps:\n    moved_from: [workloads]\n")
    spec_file.write_text(text.replace("unit: workloads", "unit: apps"))

    estate = build_estate(inventory(spec_dir))

    moved = gates.parse_text(estate.files[f"{ORGANIZATION}/moved.tf"])["moved"]
    assert [(m["from"], m["to"]) for m in moved] == [
        (
            '${module.organization.aws_organizations_organizational_unit.level_1["workloads"]}',
            '${module.organization.aws_organizations_organizational_unit.level_1["apps"]}',
        ),
        (
            "${module.organization.aws_organizations_policy_attachment.this"
            '["protect-security-services@unit:workloads"]}',
            "${module.organization.aws_organizations_policy_attachment.this"
            '["protect-security-services@unit:apps"]}',
        ),
    ]
