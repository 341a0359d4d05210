"""One Terraform state bucket and lock table per account (`state.isolation:
per_account_bucket`, the Coalition text's layout) as lz applies it, checked with
boto3, proven by `lz check --live` and used by the export's backends.

coalition with `per_account_bucket`: shared, prod and dev each get
`coalition-terraform-state-<ID>` and `coalition-terraform-locks`; prod's and
dev's deploy roles read shared's bucket (`shared_reads`), nobody else's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws

pytestmark = pytest.mark.e2e

MEMBERS = ("dev", "prod", "shared")


def bucket_layout(spec_dir: Path) -> Path:
    """coalition with one bucket and lock table per account instead of isolated keys."""
    spec = spec_dir / "landingzone.yaml"
    text = spec.read_text()
    assert "  isolation: per_account\n" in text
    spec.write_text(text.replace("  isolation: per_account\n", "  isolation: per_account_bucket\n"))
    return spec_dir


def test_each_account_gets_its_own_state_bucket_and_lock_table(
    lz: Any, example: Any, emulator: Emulator, tmp_path: Path
):
    spec_dir = bucket_layout(example("coalition"))
    result = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert result.code == 0, result.err
    aws = Aws(emulator)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}

    for account in MEMBERS:
        s3 = aws.client("s3", ids[account])
        bucket = f"coalition-terraform-state-{ids[account]}"
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        assert rules["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        assert all(block.values()) and len(block) == 4
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        by_sid = {s["Sid"]: s for s in policy["Statement"]}
        assert by_sid["DenyInsecureTransport"]["Condition"] == {
            "Bool": {"aws:SecureTransport": "false"}
        }
        assert by_sid["StatePolicyGuard"]["Action"] == [
            "s3:PutBucketPolicy",
            "s3:DeleteBucketPolicy",
        ]
        role = f"arn:aws:iam::{ids[account]}:role/github-actions-{account}"
        sid = account.title()
        assert by_sid[f"StateWrite{sid}"]["Resource"] == f"arn:aws:s3:::{bucket}/{account}/*"
        assert by_sid[f"StateWrite{sid}"]["Condition"] == {"ArnEquals": {"aws:PrincipalArn": role}}
        table = aws.client("dynamodb", ids[account]).describe_table(
            TableName="coalition-terraform-locks"
        )["Table"]
        assert table["KeySchema"] == [{"AttributeName": "LockID", "KeyType": "HASH"}]
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    # Only shared's bucket names other accounts' roles, and only to read (shared_reads).
    shared = f"coalition-terraform-state-{ids['shared']}"
    policy = json.loads(aws.client("s3", ids["shared"]).get_bucket_policy(Bucket=shared)["Policy"])
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    assert by_sid["StateReadProd"]["Resource"] == [f"arn:aws:s3:::{shared}/shared/*"]
    assert by_sid["StateReadProd"]["Principal"] == {"AWS": f"arn:aws:iam::{ids['prod']}:root"}
    assert "StateWriteProd" not in by_sid and "StateReadOnlyProd" in by_sid
    prod_bucket = f"coalition-terraform-state-{ids['prod']}"
    prod_policy = aws.client("s3", ids["prod"]).get_bucket_policy(Bucket=prod_bucket)["Policy"]
    assert ids["dev"] not in prod_policy and ids["shared"] not in prod_policy

    # lz's own bucket keeps lz's state and the management account's stacks: members'
    # roles only read the organization stack's state there.
    lz_bucket = f"coalition-landingzone-state-{ids['shared']}"
    policy = json.loads(
        aws.client("s3", ids["shared"]).get_bucket_policy(Bucket=lz_bucket)["Policy"]
    )
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    organization = f"arn:aws:s3:::{lz_bucket}/management/us-east-1/organization.tfstate"
    assert by_sid["StateReadProd"]["Resource"] == [organization]
    assert "StateWriteProd" not in by_sid
    assert by_sid["StateWriteManagement"]["Resource"] == f"arn:aws:s3:::{lz_bucket}/management/*"

    # Each deploy role's own policy: its bucket's keys, the organization's state, shared's,
    # and its own lock table.
    grant = aws.client("iam", ids["prod"]).get_role_policy(
        RoleName="github-actions-prod", PolicyName="lz-state"
    )["PolicyDocument"]
    statements = {s["Sid"]: s for s in grant["Statement"]}
    assert statements["StateWrite"]["Resource"] == f"arn:aws:s3:::{prod_bucket}/prod/*"
    assert statements["StateRead"]["Resource"] == [
        f"arn:aws:s3:::{prod_bucket}/prod/*",
        organization,
        f"arn:aws:s3:::{shared}/shared/*",
    ]
    assert statements["StateLock"]["Resource"] == (
        f"arn:aws:dynamodb:us-east-1:{ids['prod']}:table/coalition-terraform-locks"
    )

    # What was applied is what lz check proves, read live.
    checked = lz("check", spec_dir, "--live", "--json")
    assert checked.code == 0, checked.err
    state = {c["name"]: c for c in checked.json()["checks"] if c["name"].startswith("state:")}
    assert "state: github-actions-prod (prod) cannot read or write other accounts' state" in state
    assert all(c["passed"] for c in state.values())
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0

    # The export keeps each account's stacks in its own bucket and table.
    out = tmp_path / "out"
    assert lz("export", "terraform", out, spec_dir).code == 0
    backend = (out / "live/prod-us-east-1/network/backend.tf").read_text()
    assert f'bucket         = "{prod_bucket}"' in backend
    assert 'dynamodb_table = "coalition-terraform-locks"' in backend
    assert f"arn:aws:iam::{ids['prod']}:role/OrganizationAccountAccessRole" in backend
    organization_backend = (out / "live/management-us-east-1/organization/backend.tf").read_text()
    assert f'bucket         = "{lz_bucket}"' in organization_backend
    imports = (out / "live/prod-us-east-1/state_backend/imports.tf").read_text()
    assert f'id = "{prod_bucket}"' in imports
    assert 'id = "coalition-terraform-locks"' in imports
