"""The log archive's policies as exported name every trail lz lets deliver: the
organization trail of the security section too (cloudposse's first Terraform plan of
core-audit's baseline removed its CloudTrail statements from the bucket and the key)."""

from __future__ import annotations

from landingzone.export.terraform import build_estate
from tests.export.gates import parse_text
from tests.export.test_iam_export import EXAMPLES, inventory

ARCHIVE = "live/core-audit-us-east-1/baseline"


def test_the_organization_trail_may_deliver_to_the_log_archive():
    estate = build_estate(inventory(EXAMPLES / "cloudposse"))
    tfvars = parse_text(estate.files[f"{ARCHIVE}/terraform.tfvars"])
    assert {"account": "management", "name": "acme-organization-trail"} in tfvars["log_trails"]
    # The management account's ID is read from the organization stack, never a literal.
    main = estate.files[f"{ARCHIVE}/main.tf"]
    assert (
        "log_management_account_id = "
        "data.terraform_remote_state.organization.outputs.management_account_id"
    ) in main
    module = estate.files["modules/baseline/main.tf"]
    assert "merge(var.log_account_ids, { management = var.log_management_account_id })" in module
