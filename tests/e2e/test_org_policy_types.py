"""Every Organizations policy type: applied, checked with plain boto3, drift-checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.access.org_policy_types import POLICY_TYPES
from landingzone.emulator import Emulator
from landingzone.validate import load_spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e


def _attached(org: Any, target: str, policy_type: str) -> set[str]:
    found = org.list_policies_for_target(TargetId=target, Filter=policy_type)["Policies"]
    return {p["Name"] for p in found}


def test_every_policy_type_applies_and_matches_the_spec(lz, example, emulator: Emulator) -> None:
    spec_dir: Path = example("policy-types")
    spec = load_spec(spec_dir).spec
    applied = lz("apply", spec_dir, "--auto-approve")
    assert applied.code == 0, applied.err

    aws = Aws(emulator, region=spec.organization.home_region)
    org = aws.client("organizations")
    root = org.list_roots()["Roots"][0]
    enabled = {t["Type"] for t in root["PolicyTypes"] if t["Status"] == "ENABLED"}
    assert {t.aws for t in POLICY_TYPES.values()} <= enabled

    for name, policy in spec.policies.items():
        kind = POLICY_TYPES[policy.type].aws
        summary = next(p for p in org.list_policies(Filter=kind)["Policies"] if p["Name"] == name)
        described = org.describe_policy(PolicyId=summary["Id"])["Policy"]
        assert described["PolicySummary"]["Type"] == kind
        assert described["PolicySummary"]["Description"] == policy.description
        assert json.loads(described["Content"]) == policy.document

    accounts = aws.accounts()
    targets = {
        root["Id"]: spec.organization.policies,
        aws.unit_id("workloads"): spec.units["workloads"].policies,
        accounts["log-archive"]["Id"]: spec.accounts["log-archive"].policies,
    }
    for target, names in targets.items():
        for name in names:
            kind = POLICY_TYPES[spec.policies[name].type].aws
            assert name in _attached(org, target, kind), (target, name)
    # AWS's own RCP stays attached beside the spec's.
    assert "RCPFullAWSAccess" in _attached(org, root["Id"], "RESOURCE_CONTROL_POLICY")

    replan = lz("plan", spec_dir, "--detailed-exitcode")
    assert replan.code == 0, replan.err


def test_a_changed_tag_policy_and_a_detached_rcp_are_drift(lz, example, emulator: Emulator) -> None:
    spec_dir: Path = example("policy-types")
    assert lz("apply", spec_dir, "--auto-approve").code == 0
    org = Aws(emulator).client("organizations")
    tags = next(p for p in org.list_policies(Filter="TAG_POLICY")["Policies"])
    changed = {"tags": {"costcenter": {"tag_key": {"@@assign": "CostCentre"}}}}
    org.update_policy(PolicyId=tags["Id"], Content=json.dumps(changed))
    rcp = next(
        p
        for p in org.list_policies(Filter="RESOURCE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "data-perimeter"
    )
    root = org.list_roots()["Roots"][0]["Id"]
    org.detach_policy(PolicyId=rcp["Id"], TargetId=root)

    drift = lz("plan", spec_dir, "--detailed-exitcode")
    assert drift.code == 2, drift.err
    assert "policy:cost-tags" in drift.err
    assert "data-perimeter" in drift.err

    assert lz("apply", spec_dir, "--auto-approve").code == 0
    assert "data-perimeter" in _attached(org, root, "RESOURCE_CONTROL_POLICY")
    content = org.describe_policy(PolicyId=tags["Id"])["Policy"]["Content"]
    assert json.loads(content)["tags"]["costcenter"]["tag_key"] == {"@@assign": "CostCenter"}
