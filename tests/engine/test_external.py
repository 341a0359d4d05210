"""What lz did not create stays someone else's: no ManagedBy on what lz adopted, and
`external: true` resources are read, never created, changed or deleted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.engine.test_org_lifecycle import DENY_LEAVE, base_spec
from tests.engine.test_org_lifecycle import lz as lz  # the fixture

pytestmark = pytest.mark.e2e


def _tags(aws: Aws, resource_id: str) -> dict[str, str]:
    found = aws.client("organizations").list_tags_for_resource(ResourceId=resource_id)["Tags"]
    return {t["Key"]: t["Value"] for t in found}


def test_an_adopted_account_gets_the_specs_tags_but_never_managed_by(lz: Any, emulator: Emulator):
    aws = Aws(emulator, region="us-west-2")
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    dev_id = org.create_account(Email="dev@acme.example", AccountName="dev")["CreateAccountStatus"][
        "AccountId"
    ]

    lz.apply(base_spec())
    tags = _tags(aws, dev_id)
    assert tags["Environment"] == "dev" and tags["Repo"] == "infra"
    assert "ManagedBy" not in tags  # lz did not create it: it must never look deletable
    assert _tags(aws, aws.accounts()["shared"]["Id"])["ManagedBy"] == "landingzone"
    assert lz.plan(base_spec()).operations == []


def test_an_external_policy_is_read_never_attached_detached_or_changed(lz: Any, emulator: Emulator):
    lz.apply(base_spec())
    aws = Aws(emulator, region="us-west-2")
    org = aws.client("organizations")
    theirs = org.create_policy(
        Name="aws-guardrails-x",
        Description="theirs",
        Type="SERVICE_CONTROL_POLICY",
        Content=json.dumps(DENY_LEAVE),
    )["Policy"]["PolicySummary"]["Id"]
    core = aws.unit_id("core")
    org.attach_policy(PolicyId=theirs, TargetId=core)

    spec = base_spec()
    spec["policies"]["aws-guardrails-x"] = {
        "description": "another description",
        "document": {**DENY_LEAVE, "Statement": []},
        "external": True,
    }
    spec["accounts"]["dev"]["policies"] = ["deny-leave", "aws-guardrails-x"]  # not attached
    plan = lz.plan(spec)
    assert plan.operations == []
    assert plan.external == ["policy:aws-guardrails-x"]
    assert "aws-guardrails-x" in aws.policies_on(core)


def test_an_external_unit_that_is_missing_is_a_warning_never_a_create(lz: Any):
    lz.apply(base_spec())
    spec = base_spec()
    spec["units"]["ct-managed"] = {"external": True}
    plan = lz.plan(spec)
    assert plan.operations == []
    assert any("unit:ct-managed: external" in w and "missing" in w for w in plan.warnings)


def test_a_resource_marked_external_leaves_state_and_stays_in_aws(lz: Any, emulator: Emulator):
    lz.apply(base_spec())
    spec = base_spec()
    spec["units"]["plat/sandbox"] = {"external": True}
    plan = lz.plan(spec)
    assert [(op.action, op.address) for op in plan.operations] == [("forget", "unit:plat/sandbox")]
    lz.apply(spec)
    assert Aws(emulator, region="us-west-2").unit_id("plat/sandbox")
    assert lz.plan(spec).operations == []
