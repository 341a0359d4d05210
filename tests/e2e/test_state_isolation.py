"""State isolation (`state.isolation: per_account`) as lz applies it, checked with boto3,
and as `lz check` proves it over the applied policies.

coalition keeps Terraform's state in the shared account's bucket; each account's
deploy roles may read and write only their account's keys (and read the
organization stack's and the shared account's state).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws

pytestmark = pytest.mark.e2e


def test_the_state_bucket_grants_each_deploy_role_only_its_accounts_keys(
    lz: Any, example: Any, emulator: Emulator
):
    spec_dir = example("coalition")
    result = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert result.code == 0, result.err
    aws = Aws(emulator)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    bucket = f"coalition-landingzone-state-{ids['shared']}"
    policy = json.loads(aws.client("s3", ids["shared"]).get_bucket_policy(Bucket=bucket)["Policy"])
    by_sid = {s.get("Sid"): s for s in policy["Statement"]}
    prod_role = f"arn:aws:iam::{ids['prod']}:role/github-actions-prod"
    prod_plan = f"arn:aws:iam::{ids['prod']}:role/github-actions-plan"
    arn = f"arn:aws:s3:::{bucket}"
    organization = f"{arn}/management/us-east-1/organization.tfstate"

    write = by_sid["StateWriteProd"]
    assert write["Effect"] == "Allow"
    assert write["Principal"] == {"AWS": f"arn:aws:iam::{ids['prod']}:root"}
    assert write["Resource"] == f"{arn}/prod/*"
    assert write["Condition"] == {"ArnEquals": {"aws:PrincipalArn": prod_role}}

    read = by_sid["StateReadProd"]
    assert read["Resource"] == [f"{arn}/prod/*", organization, f"{arn}/shared/*"]
    assert sorted(read["Condition"]["ArnEquals"]["aws:PrincipalArn"]) == [prod_plan, prod_role]

    # Everything else is denied to prod's roles, whatever their own policies say.
    deny = by_sid["StateIsolationProd"]
    assert deny["Effect"] == "Deny" and deny["Principal"] == "*"
    assert deny["NotResource"] == read["Resource"]
    assert by_sid["StateReadOnlyProd"]["Condition"] == {
        "ArnEquals": {"aws:PrincipalArn": prod_plan}
    }
    assert sorted(s for s in by_sid if s and s.endswith("Dev")) == [
        "StateIsolationDev",
        "StateListDev",
        "StateReadDev",
        "StateReadOnlyDev",
        "StateWriteDev",
    ]

    # Each deploy role's own policy grants the same keys (cross-account access needs both).
    iam = aws.client("iam", ids["prod"])
    grant = iam.get_role_policy(RoleName="github-actions-prod", PolicyName="lz-state")
    statements = {s["Sid"]: s for s in grant["PolicyDocument"]["Statement"]}
    assert statements["StateWrite"]["Resource"] == f"{arn}/prod/*"
    assert statements["StateRead"]["Resource"] == read["Resource"]
    plan = iam.get_role_policy(RoleName="github-actions-plan", PolicyName="lz-state")
    assert "StateWrite" not in {s["Sid"] for s in plan["PolicyDocument"]["Statement"]}

    # What was applied is what lz check proves: read live, every state check holds.
    checked = lz("check", spec_dir, "--live", "--json")
    assert checked.code == 0, checked.err
    state = [c for c in checked.json()["checks"] if c["name"].startswith("state:")]
    assert {c["name"] for c in state} >= {
        "state: github-actions-prod (prod) cannot read or write other accounts' state",
        "state: the plan role github-actions-plan (prod) cannot write its account's state",
    }
    assert all(c["passed"] for c in state)
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 0
