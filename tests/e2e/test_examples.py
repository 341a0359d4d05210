"""Every example validates, applies to the emulator and re-plans with no changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from landingzone.validate import load_spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("name", ["codewilling", "coalition", "cloudposse"])
def test_example_applies_and_matches_the_spec(name: str, lz, example, emulator: Emulator):
    spec_dir: Path = example(name)
    spec = load_spec(spec_dir).spec
    aws = Aws(emulator, region=spec.organization.home_region)

    assert lz("validate", spec_dir).code == 0
    assert lz("plan", spec_dir, "--detailed-exitcode").code == 2
    applied = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    assert "Apply complete" in applied.err

    # Check with plain boto3: every account in its unit, with its SCPs and tags.
    accounts = aws.accounts()
    org = aws.client("organizations")
    for key, account in spec.accounts.items():
        found = accounts[account.name or key]
        assert found["Email"] == account.email
        assert aws.parent_path(found["Id"]) == (account.unit or "")
        assert set(account.policies) <= aws.policies_on(found["Id"])
        tags = {
            t["Key"]: t["Value"] for t in org.list_tags_for_resource(ResourceId=found["Id"])["Tags"]
        }
        assert tags["ManagedBy"] == "landingzone"
        assert {**spec.organization.tags, **account.tags}.items() <= tags.items()
    for path, unit in spec.units.items():
        assert set(unit.policies) <= aws.policies_on(aws.unit_id(path))
    root = org.list_roots()["Roots"][0]["Id"]
    assert set(spec.organization.policies) <= aws.policies_on(root)
    for name_, policy in spec.policies.items():
        summary = next(
            p
            for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
            if p["Name"] == name_
        )
        assert summary["Description"] == policy.description

    state_account = accounts[spec.state.account]["Id"]
    buckets = [b["Name"] for b in aws.client("s3", state_account).list_buckets()["Buckets"]]
    assert any(b.startswith(f"{spec.organization.name}-landingzone-state") for b in buckets)

    replan = lz("plan", spec_dir, "--detailed-exitcode")
    assert replan.code == 0, replan.err
    assert "No changes" in replan.err

    # The seeds' sentences hold, proven from the spec and from what now exists.
    for mode in ([], ["--live"]):
        checked = lz("check", spec_dir, *mode)
        assert checked.code == 0, checked.out + checked.err
        assert "0 failed" in checked.out + checked.err


def test_state_bucket_name_with_account_id_is_filled_in(lz, example, emulator: Emulator):
    spec_dir = example("coalition")
    assert lz("apply", spec_dir, "--auto-approve", "--approve-protected").code == 0
    aws = Aws(emulator, region="us-east-1")
    shared = aws.accounts()["shared"]["Id"]
    buckets = [b["Name"] for b in aws.client("s3", shared).list_buckets()["Buckets"]]
    assert f"coalition-landingzone-state-{shared}" in buckets
