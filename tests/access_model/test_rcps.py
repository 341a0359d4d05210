"""RCPs in the access model: `lz check` proves a data perimeter through an RCP, offline and live.

AWS: "Resource control policies (RCPs)"
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html):
RCPs apply to the resources of member accounts, whoever asks; RCPFullAWSAccess
is attached to every target once RCPs are enabled; they do not apply to
resources of the management account, to service-linked roles, or to
services that do not support them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.access.decide import decide
from landingzone.proofs.sources import offline_model
from landingzone.validate import load_spec
from tests.aws import Aws

PERIMETER = "no principal outside the organization can read the log archive"
ROOT_POLICIES = "  policies: [deny-leave-organization, data-perimeter, no-ai-training]"


def _detach_rcp(spec_dir: Path) -> None:
    root = spec_dir / "landingzone.yaml"
    text = root.read_text()
    assert ROOT_POLICIES in text
    root.write_text(text.replace(ROOT_POLICIES, "  policies: [deny-leave-organization]"))


def _checks(result: Any) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in result.json()["checks"]}


def test_the_rcp_proves_the_perimeter_offline(lz, example) -> None:  # type: ignore[no-untyped-def]
    spec_dir: Path = example("policy-types")
    result = lz("check", spec_dir, "--json")
    assert result.code == 0, result.out
    assert _checks(result)[PERIMETER]["passed"]


def test_without_the_rcp_the_check_fails_with_the_path_in(lz, example) -> None:  # type: ignore[no-untyped-def]
    spec_dir: Path = example("policy-types")
    _detach_rcp(spec_dir)
    result = lz("check", spec_dir, "--json")
    assert result.code == 3
    failed = _checks(result)[PERIMETER]
    assert not failed["passed"]
    assert "role:log-archive/auditor" in str(failed["counterexample"])


def test_the_model_chains_rcp_full_aws_access_and_the_rcp(example) -> None:  # type: ignore[no-untyped-def]
    model = offline_model(load_spec(example("policy-types")).spec)
    log_archive = model.ids.id_of("log-archive")
    chain = model.rcps_of(log_archive)
    assert chain is not None
    assert [p.label for p in chain[0].policies] == [
        "RCPFullAWSAccess",
        "data-perimeter",
    ]
    assert all(level.policies[0].label == "RCPFullAWSAccess" for level in chain)
    assert model.rcps_of(model.management_id) is None  # RCPs skip the management account


def test_organization_principals_pass_the_perimeter(example) -> None:  # type: ignore[no-untyped-def]
    """Inside the organization aws:PrincipalOrgID equals aws:ResourceOrgID: the RCP lets it pass."""
    model = offline_model(load_spec(example("policy-types")).spec)
    actor = model.actors["role:log-archive/OrganizationAccountAccessRole"]
    bucket = "arn:aws:s3:::perimeter-landingzone-state/landingzone/state.json"
    assert decide(model, actor, "s3:GetObject", bucket, {}).allowed


def test_rcps_do_not_reach_services_they_do_not_support(example) -> None:  # type: ignore[no-untyped-def]
    model = offline_model(load_spec(example("policy-types")).spec)
    outsider = model.actors["external:210987654321"]
    role = model.roles["role:log-archive/auditor"].arn
    denied = decide(model, outsider, "sts:AssumeRole", role, {})
    assert denied.decided_by is not None and denied.decided_by.policy == "data-perimeter"
    ec2 = decide(model, model.actors["role:log-archive/auditor"], "ec2:DescribeInstances", "*", {})
    assert any("RCPs do not apply to ec2" in note for note in ec2.notes)


@pytest.mark.e2e
def test_the_perimeter_holds_live_and_fails_once_the_rcp_is_detached_in_aws(  # type: ignore[no-untyped-def]
    lz, example, emulator
) -> None:
    spec_dir: Path = example("policy-types")
    assert lz("apply", spec_dir, "--auto-approve").code == 0
    live = lz("check", spec_dir, "--live", "--json")
    assert live.code == 0, live.out
    assert _checks(live)[PERIMETER]["passed"]

    org = Aws(emulator).client("organizations")
    rcp = next(
        p
        for p in org.list_policies(Filter="RESOURCE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "data-perimeter"
    )
    org.detach_policy(PolicyId=rcp["Id"], TargetId=org.list_roots()["Roots"][0]["Id"])
    detached = lz("check", spec_dir, "--live", "--json")
    assert detached.code == 3
    assert not _checks(detached)[PERIMETER]["passed"]
