"""The organization layer end to end: apply a spec to the emulator, check with plain boto3."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.engine.plan import Plan
from landingzone.errors import LockHeld
from landingzone.spec.schema import Spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e

DENY_LEAVE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"}],
}


def base_spec(**changes: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "organization": {"name": "acme", "home_region": "us-west-2", "tags": {"Repo": "infra"}},
        "units": {"core": {"policies": ["deny-leave"]}, "plat/sandbox": {}},
        "accounts": {
            "shared": {"email": "shared@acme.example", "unit": "core"},
            "dev": {
                "email": "dev@acme.example",
                "unit": "plat",
                "policies": ["deny-leave"],
                "tags": {"Environment": "dev"},
            },
        },
        "policies": {"deny-leave": {"description": "no leaving", "document": DENY_LEAVE}},
        "state": {"account": "shared"},
    }
    spec.update(changes)
    return spec


@pytest.fixture
def lz(emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    """Plan and apply a spec (a dict) against the emulator, as `lz apply` does."""
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)

    class Runner:
        root = tmp_path

        def workspace(self, spec: dict[str, Any]) -> workflow.Workspace:
            return workflow.open_workspace(
                Spec.model_validate(spec), tmp_path, "test", poll_interval=0.01
            )

        def plan(self, spec: dict[str, Any]) -> Plan:
            return workflow.make_plan(self.workspace(spec))

        def apply(self, spec: dict[str, Any]) -> workflow.ApplyResult:
            ws = self.workspace(spec)
            with workflow.locked(ws, "apply"):
                result = workflow.run_apply(ws, workflow.make_plan(ws))
            assert result.ok, result.to_json()
            return result

    return Runner()


def test_apply_builds_the_organization_and_a_second_plan_is_empty(lz: Any, emulator: Emulator):
    spec = base_spec()
    lz.apply(spec)
    aws = Aws(emulator, region="us-west-2")

    accounts = aws.accounts()
    assert {"shared", "dev"} <= set(accounts)
    assert aws.parent_path(accounts["shared"]["Id"]) == "core"
    assert aws.parent_path(accounts["dev"]["Id"]) == "plat"
    assert aws.parent_path(aws.unit_id("plat/sandbox")) == "plat"
    assert "deny-leave" in aws.policies_on(aws.unit_id("core"))
    assert "deny-leave" in aws.policies_on(accounts["dev"]["Id"])
    assert "deny-leave" not in aws.policies_on(aws.unit_id("plat"))

    org = aws.client("organizations")
    tags = {
        t["Key"]: t["Value"]
        for t in org.list_tags_for_resource(ResourceId=accounts["dev"]["Id"])["Tags"]
    }
    assert tags["ManagedBy"] == "landingzone"
    assert tags["Repo"] == "infra"
    assert tags["Environment"] == "dev"
    assert tags["CreatedBy"].startswith("arn:aws:")
    root = org.list_roots()["Roots"][0]
    assert {"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"} in root["PolicyTypes"]

    assert lz.plan(spec).operations == []


def test_state_backend_is_secured_and_records_what_lz_created(lz: Any, emulator: Emulator):
    lz.apply(base_spec())
    aws = Aws(emulator, region="us-west-2")
    shared = aws.accounts()["shared"]["Id"]
    s3 = aws.client("s3", shared)
    bucket = "acme-landingzone-state"
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    deny = policy["Statement"][0]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}

    table = aws.client("dynamodb", shared).describe_table(TableName="acme-landingzone-locks")
    assert table["Table"]["KeySchema"] == [{"AttributeName": "LockID", "KeyType": "HASH"}]
    assert table["Table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"

    state = json.loads(s3.get_object(Bucket=bucket, Key="landingzone/state.json")["Body"].read())
    records = state["resources"]
    assert records["account:dev"]["id"] == aws.accounts()["dev"]["Id"]
    assert records["account:dev"]["created"] is True
    assert records["unit:core"]["id"] == aws.unit_id("core")
    assert not (lz.root / ".lz" / "state.json").exists()  # the bootstrap spill was uploaded


def test_drift_is_detected_and_repaired(lz: Any, emulator: Emulator):
    spec = base_spec()
    lz.apply(spec)
    aws = Aws(emulator, region="us-west-2")
    org = aws.client("organizations")
    accounts = aws.accounts()
    policy_id = next(
        p["Id"]
        for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "deny-leave"
    )
    # Out-of-band changes: a detached SCP, a moved account, an edited policy.
    org.detach_policy(PolicyId=policy_id, TargetId=aws.unit_id("core"))
    org.move_account(
        AccountId=accounts["dev"]["Id"],
        SourceParentId=aws.unit_id("plat"),
        DestinationParentId=aws.unit_id("plat/sandbox"),
    )
    edited = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
    }
    org.update_policy(PolicyId=policy_id, Content=json.dumps(edited))

    plan = lz.plan(spec)
    changes = {(op.address, c.attr) for op in plan.operations for c in op.changes}
    assert ("unit:core", "policies") in changes
    assert ("account:dev", "unit") in changes
    assert ("policy:deny-leave", "document") in changes
    dev_move = next(c for op in plan.operations for c in op.changes if c.attr == "unit")
    assert (dev_move.before, dev_move.after) == ("plat/sandbox", "plat")

    lz.apply(spec)
    assert "deny-leave" in aws.policies_on(aws.unit_id("core"))
    assert aws.parent_path(accounts["dev"]["Id"]) == "plat"
    content = json.loads(org.describe_policy(PolicyId=policy_id)["Policy"]["Content"])
    assert content == DENY_LEAVE
    assert lz.plan(spec).operations == []


def test_policy_json_order_and_whitespace_cause_no_diff(lz: Any, emulator: Emulator):
    spec = base_spec()
    lz.apply(spec)
    aws = Aws(emulator, region="us-west-2")
    org = aws.client("organizations")
    policy_id = next(
        p["Id"]
        for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "deny-leave"
    )
    reordered = (
        '{ "Statement" : [ { "Resource": ["*"], "Action": ["organizations:LeaveOrganization"],'
        '  "Effect": "Deny" } ],\n  "Version": "2012-10-17" }'
    )
    org.update_policy(PolicyId=policy_id, Content=reordered)
    assert lz.plan(spec).operations == []


def test_spec_changes_move_tag_detach_and_delete_only_what_lz_created(lz: Any, emulator: Emulator):
    lz.apply(base_spec())
    aws = Aws(emulator, region="us-west-2")
    org = aws.client("organizations")
    # Something lz did not create: an OU and an SCP made by hand.
    root = org.list_roots()["Roots"][0]["Id"]
    handmade = org.create_organizational_unit(ParentId=root, Name="handmade")
    handmade_id = handmade["OrganizationalUnit"]["Id"]

    changed = base_spec(
        units={"core": {}, "plat": {"tags": {"Tier": "platform"}}},
        policies={},
    )
    changed["accounts"]["dev"]["policies"] = []
    changed["accounts"]["dev"]["unit"] = "core"
    plan = lz.plan(changed)
    actions = {op.address: op.action for op in plan.operations}
    assert actions["unit:plat/sandbox"] == "delete"
    assert actions["policy:deny-leave"] == "delete"
    assert actions["account:dev"] == "update"
    assert "unit:handmade" not in actions

    lz.apply(changed)
    accounts = aws.accounts()
    assert aws.parent_path(accounts["dev"]["Id"]) == "core"
    names = {p["Name"] for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]}
    assert "deny-leave" not in names
    units = {
        u["Name"]: u["Id"]
        for u in org.list_organizational_units_for_parent(ParentId=aws.unit_id("plat"))[
            "OrganizationalUnits"
        ]
    }
    assert "sandbox" not in units
    plat_tags = {
        t["Key"]: t["Value"]
        for t in org.list_tags_for_resource(ResourceId=aws.unit_id("plat"))["Tags"]
    }
    assert plat_tags["Tier"] == "platform"
    assert org.describe_organizational_unit(OrganizationalUnitId=handmade_id)
    assert lz.plan(changed).operations == []


def test_removed_account_is_never_deleted(lz: Any, emulator: Emulator):
    spec = base_spec()
    lz.apply(spec)
    aws = Aws(emulator, region="us-west-2")
    dev_id = aws.accounts()["dev"]["Id"]
    without_dev = base_spec()
    del without_dev["accounts"]["dev"]
    plan = lz.plan(without_dev)
    op = next(o for o in plan.operations if o.address == "account:dev")
    assert op.action == "forget"
    assert "leaves management" in op.note
    lz.apply(without_dev)
    assert aws.accounts()["dev"]["Id"] == dev_id
    assert aws.accounts()["dev"]["Status"] == "ACTIVE"


def test_removed_account_moves_to_the_removed_accounts_unit(lz: Any, emulator: Emulator):
    spec = base_spec()
    spec["organization"]["removed_accounts_unit"] = "core"
    lz.apply(spec)
    aws = Aws(emulator, region="us-west-2")
    dev_id = aws.accounts()["dev"]["Id"]
    del spec["accounts"]["dev"]
    op = next(o for o in lz.plan(spec).operations if o.address == "account:dev")
    assert op.action == "leave"
    lz.apply(spec)
    assert aws.parent_path(dev_id) == "core"


def test_existing_account_with_same_email_is_adopted_not_duplicated(lz: Any, emulator: Emulator):
    aws = Aws(emulator, region="us-west-2")
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    existing = org.create_account(Email="dev@acme.example", AccountName="dev")
    existing_id = existing["CreateAccountStatus"]["AccountId"]

    spec = base_spec()
    plan = lz.plan(spec)
    assert {op.address: op.action for op in plan.operations}["account:dev"] == "adopt"
    lz.apply(spec)
    matching = [a for a in aws.accounts().values() if a["Email"] == "dev@acme.example"]
    assert [a["Id"] for a in matching] == [existing_id]

    # lz adopted it, it did not create it: removing it from the spec only forgets it.
    del spec["accounts"]["dev"]
    assert next(o for o in lz.plan(spec).operations if o.address == "account:dev").action == (
        "forget"
    )


def test_unit_rename_with_moved_from_is_an_update_not_delete_and_create(
    lz: Any, emulator: Emulator
):
    spec = base_spec()
    lz.apply(spec)
    aws = Aws(emulator, region="us-west-2")
    sandbox_id = aws.unit_id("plat/sandbox")
    renamed = base_spec(
        units={
            "core": {"policies": ["deny-leave"]},
            "plat/playground": {"moved_from": ["plat/sandbox"]},
        }
    )
    plan = lz.plan(renamed)
    ops = {op.address: op for op in plan.operations}
    assert ops["unit:plat/playground"].action == "update"
    assert [(c.attr, c.before, c.after) for c in ops["unit:plat/playground"].changes] == [
        ("name", "sandbox", "playground")
    ]
    assert "unit:plat/sandbox" not in ops
    lz.apply(renamed)
    assert aws.unit_id("plat/playground") == sandbox_id
    assert lz.plan(renamed).operations == []


def test_unit_moved_to_another_parent_is_replaced_and_its_accounts_follow(
    lz: Any, emulator: Emulator
):
    spec = base_spec()
    spec["accounts"]["dev"]["unit"] = "plat/sandbox"
    lz.apply(spec)
    aws = Aws(emulator, region="us-west-2")
    old_id = aws.unit_id("plat/sandbox")
    moved = base_spec(
        units={
            "core": {"policies": ["deny-leave"]},
            "plat": {},
            "core/sandbox": {"moved_from": ["plat/sandbox"]},
        }
    )
    moved["accounts"]["dev"]["unit"] = "core/sandbox"
    actions = {op.address: op.action for op in lz.plan(moved).operations}
    assert actions["unit:core/sandbox"] == "replace"
    assert actions["unit:core/sandbox#replaced"] == "delete"
    lz.apply(moved)
    dev_id = aws.accounts()["dev"]["Id"]
    assert aws.parent_path(dev_id) == "core/sandbox"
    org = aws.client("organizations")
    remaining = {
        u["Id"]
        for u in org.list_organizational_units_for_parent(ParentId=aws.unit_id("plat"))[
            "OrganizationalUnits"
        ]
    }
    assert old_id not in remaining
    assert lz.plan(moved).operations == []


def test_second_writer_fails_at_once_naming_the_holder(lz: Any, emulator: Emulator):
    spec = base_spec()
    lz.apply(spec)
    first = lz.workspace(spec)
    held = workflow.take_lock(first, "apply examples/acme")
    second = lz.workspace(spec)
    with pytest.raises(LockHeld) as raised:
        workflow.take_lock(second, "apply")
    message = str(raised.value)
    assert "apply examples/acme" in message
    assert held.info.id in message
    assert "since" in message
    assert "lease runs out" in message
    held.release()
    workflow.take_lock(second, "apply").release()
