"""The in-account override (`ci/in_account_override.tf`, what a CI job signing in with
its own account's deploy role copies into a stack) as Terraform itself reads it:
`terraform init` and `validate` of the stack with the override in place, and a real
`terraform init` of its backend against the emulator with the deploy role's own
session (through AssumeRoleWithWebIdentity), locking in the account's own table.

Skips where Terraform or the provider mirror is missing (tests/export/terraform_cli.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from landingzone.emulator import Emulator
from landingzone.export.in_account import in_account_files
from landingzone.export.stacks import IN_ACCOUNT_OVERRIDE, Target
from landingzone.export.terraform import build_estate
from tests.aws import Aws
from tests.export.conftest import run_lz
from tests.export.terraform_cli import Terraform, available
from tests.export.test_iam_export import EXAMPLES, inventory
from tests.export.test_state_buckets import bucket_per_account

pytestmark = [
    pytest.mark.terraform,
    pytest.mark.skipif(available() is not None, reason=f"Terraform cannot run: {available()}"),
]

PROD_NETWORK = "live/prod-us-east-1/network"


def exported(spec_dir: Path, out: Path) -> Path:
    """The export for hashicorp/aws 5.x and every stack's in-account override."""
    inv = inventory(spec_dir)
    estate = build_estate(inv, Target(provider_major=5))
    files = {
        **estate.files,
        **in_account_files(estate.roots, inv.backend, {r.stack.id for r in estate.roots}),
    }
    for path, text in files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(text)
    return out


def copy_in(stack: Path) -> None:
    """What the CI job does before `terraform init`."""
    shutil.copy(stack / IN_ACCOUNT_OVERRIDE, stack / Path(IN_ACCOUNT_OVERRIDE).name)


@pytest.mark.parametrize("layout", ["per_account", "per_account_bucket"])
def test_terraform_validates_a_stack_with_the_in_account_override(tmp_path: Path, layout: str):
    spec_dir = EXAMPLES / "coalition" if layout == "per_account" else bucket_per_account(tmp_path)
    out = exported(spec_dir, tmp_path / "out")
    stack = out / PROD_NETWORK
    copy_in(stack)
    terraform = Terraform(tmp_path / "tf", {})
    terraform.run(stack, "init", "-backend=false", "-input=false", "-no-color")
    result = terraform.run(stack, "validate", "-json", check=False)
    assert '"valid": true' in result.stdout, result.stdout + result.stderr


@pytest.mark.e2e
def test_the_deploy_role_keeps_its_state_in_its_accounts_bucket_and_table(
    tmp_path: Path, emulated: Emulator, capsys: pytest.CaptureFixture[str]
):
    emulated.reset()
    spec_dir = bucket_per_account(tmp_path)
    assert run_lz("apply", spec_dir, "--auto-approve", "--approve-protected") == 0
    out = tmp_path / "out"
    url = emulated.endpoint
    assert (
        run_lz(
            "export",
            "terraform",
            out,
            spec_dir,
            "--provider-major",
            "5",
            "--endpoint-override",
            url,
        )
        == 0
    )
    assert run_lz("export", "ci", out, spec_dir, "--github") == 0
    stack = out / PROD_NETWORK
    # The override replaces the backend (and its endpoints): the emulator's come from a
    # partial configuration, merged by attribute.
    endpoints = ", ".join(f'{s} = "{url}"' for s in ("s3", "dynamodb", "sts", "iam"))
    (tmp_path / "emulator.hcl").write_text(
        f"endpoints = {{ {endpoints} }}\nuse_path_style = true\n"
    )

    aws = Aws(emulated)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    session = boto3.client(
        "sts",
        endpoint_url=url,
        region_name="us-east-1",
        config=Config(signature_version=UNSIGNED),
    ).assume_role_with_web_identity(
        RoleArn=f"arn:aws:iam::{ids['prod']}:role/github-actions-prod",
        RoleSessionName="terraform-prod-us-east-1-network",
        WebIdentityToken="eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOngveTplbnZpcm9ubWVudDpwcm9kIn0.c2ln",
        DurationSeconds=900,
    )["Credentials"]
    terraform = Terraform(
        tmp_path / "tf",
        {
            "AWS_ACCESS_KEY_ID": session["AccessKeyId"],
            "AWS_SECRET_ACCESS_KEY": session["SecretAccessKey"],
            "AWS_SESSION_TOKEN": session["SessionToken"],
            "AWS_REGION": "us-east-1",
        },
    )
    init = ("init", "-input=false", "-no-color", f"-backend-config={tmp_path / 'emulator.hcl'}")
    # The committed backend assumes the access role, which trusts the management account.
    refused = terraform.run(stack, *init, check=False)
    assert refused.returncode != 0 and "AccessDenied" in refused.stderr, refused.stderr
    copy_in(stack)
    terraform.run(stack, *init, "-reconfigure")
    state = tmp_path / "empty.tfstate"
    state.write_text(
        json.dumps(
            {
                "version": 4,
                "terraform_version": "1.11.4",
                "serial": 1,
                "lineage": "8d3c1f1e-1b2a-4c5d-9e8f-0a1b2c3d4e5f",
                "outputs": {},
                "resources": [],
            }
        )
    )
    terraform.run(stack, "state", "push", "-lock=true", str(state))

    bucket = f"coalition-terraform-state-{ids['prod']}"
    key = "prod/us-east-1/network.tfstate"
    s3 = aws.client("s3", ids["prod"])
    pushed = json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())
    assert pushed["version"] == 4 and pushed["terraform_version"] == "1.11.4"
    items = aws.client("dynamodb", ids["prod"]).scan(TableName="coalition-terraform-locks")["Items"]
    assert {item["LockID"]["S"] for item in items} == {f"{bucket}/{key}-md5"}
