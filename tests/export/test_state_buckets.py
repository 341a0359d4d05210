"""One Terraform state bucket and lock table per account (`state.isolation:
per_account_bucket`), offline: the spec's rules, each stack's backend and remote
states, the in-account override CI copies in, and the roles CI then uses.

Built from coalition with the layout switched, with a made-up inventory (no
emulator), and read back as Terraform reads the files (tests/e2e/test_state_buckets.py
applies it).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from landingzone.errors import SpecInvalid
from landingzone.export.ci import ci_stacks
from landingzone.export.in_account import in_account_override
from landingzone.export.terraform import build_estate
from landingzone.validate import load_spec
from tests.export.gates import parse_text
from tests.export.test_iam_export import EXAMPLES, MANAGEMENT_ID, inventory

PROD_NETWORK = "live/prod-us-east-1/network"
ORG_STACK = "live/management-us-east-1/organization"


def bucket_per_account(tmp_path: Path, extra: str = "") -> Path:
    spec_dir = tmp_path / "coalition"
    shutil.copytree(EXAMPLES / "coalition", spec_dir)
    spec = spec_dir / "landingzone.yaml"
    text = spec.read_text()
    assert "  isolation: per_account\n" in text
    layout = "  isolation: per_account_bucket\n" + extra
    spec.write_text(text.replace("  isolation: per_account\n", layout))
    return spec_dir


def backend_of(files: dict[str, str], stack: str) -> dict:
    (terraform,) = parse_text(files[f"{stack}/backend.tf"])["terraform"]
    return terraform["backend"][0]["s3"]


def test_each_member_accounts_stacks_keep_their_state_in_its_own_bucket(tmp_path: Path):
    inv = inventory(bucket_per_account(tmp_path))
    estate = build_estate(inv)
    prod, shared = inv.account_id("prod"), inv.account_id("shared")
    settings = backend_of(estate.files, PROD_NETWORK)
    assert settings["bucket"] == f"coalition-terraform-state-{prod}"
    assert settings["dynamodb_table"] == "coalition-terraform-locks"
    assert settings["key"] == "prod/us-east-1/network.tfstate"
    assert settings["assume_role"] == {
        "role_arn": f"arn:aws:iam::{prod}:role/OrganizationAccountAccessRole"
    }
    # The management account's stacks stay in lz's bucket, in the state account.
    organization = backend_of(estate.files, ORG_STACK)
    assert organization["bucket"] == f"coalition-landingzone-state-{shared}"
    assert organization["dynamodb_table"] == "coalition-landingzone-locks"
    # Remote states read each stack where it keeps its state.
    remote = parse_text(estate.files["live/prod-us-east-1/peering/remote_state.tf"])
    buckets = {
        body["config"]["key"]: body["config"]["bucket"]
        for data in remote["data"]
        for body in data["terraform_remote_state"].values()
    }
    assert buckets == {
        "management/us-east-1/organization.tfstate": f"coalition-landingzone-state-{shared}",
        "prod/us-east-1/network.tfstate": f"coalition-terraform-state-{prod}",
        "shared/us-east-1/network.tfstate": f"coalition-terraform-state-{shared}",
    }
    # Each account's bucket and table are a stack of their own, imported by name.
    stack = "live/prod-us-east-1/state_backend"
    assert backend_of(estate.files, stack)["bucket"] == f"coalition-terraform-state-{prod}"
    assert "modules/state_backend/main.tf" in estate.files
    assert "bootstrap/backend.tf" in estate.files


def test_ci_locks_in_the_accounts_own_table_with_its_own_role(tmp_path: Path):
    inv = inventory(bucket_per_account(tmp_path))
    estate = build_estate(inv)
    root = next(r for r in estate.roots if r.stack.path == PROD_NETWORK)
    parsed = parse_text(in_account_override(root, inv.backend))
    (terraform,) = parsed["terraform"]
    settings = terraform["backend"][0]["s3"]
    assert settings["bucket"] == f"coalition-terraform-state-{inv.account_id('prod')}"
    assert settings["dynamodb_table"] == "coalition-terraform-locks"
    assert "use_lockfile" not in settings and "assume_role" not in settings
    stacks = {s.path: s for s in ci_stacks(estate, inv, "github")}
    prod = stacks[PROD_NETWORK]
    assert prod.roles.apply == f"arn:aws:iam::{inv.account_id('prod')}:role/github-actions-prod"
    assert prod.roles.apply_in_account and prod.roles.plan_in_account
    management = stacks[ORG_STACK]
    assert management.roles.apply == f"arn:aws:iam::{MANAGEMENT_ID}:role/github-actions-management"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            '  account_bucket: "{org}-terraform-state"\n',
            r'landingzone\.yaml:\d+: state\.account_bucket: "coalition-terraform-state" must '
            r"contain \{account_id\}: S3 bucket names are global",
        ),
        (
            '  account_bucket: "{org}-Terraform-{account_id}"\n',
            r'landingzone\.yaml:\d+: state\.account_bucket: "coalition-Terraform-\{account_id\}" '
            r"is not a valid S3 bucket name once filled",
        ),
        (
            '  account_lock_table: "tf"\n',
            r'landingzone\.yaml:\d+: state\.account_lock_table: "tf" must be 3 to 255 characters',
        ),
    ],
)
def test_the_account_names_are_checked_at_their_line(tmp_path: Path, extra: str, message: str):
    with pytest.raises(SpecInvalid) as caught:
        load_spec(bucket_per_account(tmp_path, extra))
    assert re.search(message, str(caught.value)), str(caught.value)
