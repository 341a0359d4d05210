"""The state journal: one small entry per change, folded into the state object, never lost."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.engine.state import StateDoc
from landingzone.errors import LzError
from landingzone.nodes import ResourceRecord
from landingzone.spec.schema import Spec
from tests.aws import Aws

pytestmark = pytest.mark.e2e

BUCKET = "acme-landingzone-state"
KEY = "landingzone/state.json"
SPEC: dict[str, Any] = {
    "organization": {"name": "acme", "home_region": "us-east-1"},
    "units": {"core": {}},
    "accounts": {"shared": {"email": "shared@acme.example", "unit": "core"}},
    "state": {"account": "shared"},
}


@pytest.fixture
def ws(emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """Open a workspace of the applied spec (a new one at each call, as a new run)."""
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    spec = Spec.model_validate(SPEC)

    def open_ws() -> workflow.Workspace:
        return workflow.open_workspace(spec, tmp_path, "test", poll_interval=0.01)

    first = open_ws()
    with workflow.locked(first, "apply"):
        assert workflow.run_apply(first, workflow.make_plan(first)).ok
    return open_ws


def bucket(emulator: Emulator) -> Any:
    aws = Aws(emulator)
    return aws.client("s3", aws.accounts()["shared"]["Id"])


def state_object(s3: Any) -> dict[str, Any]:
    return dict(json.loads(s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read()))


def entries(s3: Any) -> list[str]:
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix=KEY + ".journal/")
    return [o["Key"] for o in listed.get("Contents", [])]


def record(address: str) -> ResourceRecord:
    return ResourceRecord(
        address=address, kind="policy", id="p-" + address[-4:], account="management",
        region=None, created=True, attrs={"name": address},
    )  # fmt: skip


def test_an_apply_leaves_everything_in_the_state_object_and_no_entry(ws, emulator: Emulator):
    s3 = bucket(emulator)
    assert entries(s3) == []
    state = state_object(s3)
    assert {"account:shared", "unit:core"} <= set(state["resources"])
    assert state["journal_through"].startswith(KEY + ".journal/")


def test_each_change_is_one_small_entry_and_a_killed_run_loses_none(ws, emulator: Emulator):
    s3 = bucket(emulator)
    killed = ws()
    for i in range(5):  # five changes; the run dies before folding them in
        killed.store.journal(upsert=record(f"policy:p{i:03d}"))
    killed.store.journal(remove="policy:p001")
    written = entries(s3)
    assert len(written) == 6
    for key in written:  # an entry holds its change, not the whole state
        entry = json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())
        assert set(entry) == {"seq", "serial", "at", "by", "upsert", "remove"}
        assert len(json.dumps(entry)) < 1000
    assert "policy:p000" not in state_object(s3)["resources"]

    # A plan reads the entries, without writing anything.
    reader = ws()
    assert {"policy:p000", "policy:p004"} <= set(reader.store.doc.resources)
    assert "policy:p001" not in reader.store.doc.resources
    assert len(entries(s3)) == 6

    # The next apply folds them into the state object when it takes the lock.
    nxt = ws()
    with workflow.locked(nxt, "apply"):
        pass
    assert entries(s3) == []
    resources = state_object(s3)["resources"]
    assert {"policy:p000", "policy:p002", "policy:p004"} <= set(resources)
    assert "policy:p001" not in resources
    assert state_object(s3)["serial"] == reader.store.doc.serial  # saved plans stay fresh


def test_entries_already_folded_in_are_not_replayed(ws, emulator: Emulator):
    s3 = bucket(emulator)
    run = ws()
    run.store.journal(upsert=record("policy:gone"))
    run.store.journal(remove="policy:gone")
    run.store.compact()  # killed after the state PUT, before deleting: simulate by rewriting one
    folded = run.store.doc.journal_through
    s3.put_object(
        Bucket=BUCKET,
        Key=folded,
        Body=json.dumps({"seq": 1, "serial": 1, "upsert": asdict(record("policy:gone"))}),
    )
    assert "policy:gone" not in ws().store.doc.resources


def test_state_written_by_another_run_is_never_overwritten(ws, emulator: Emulator):
    s3 = bucket(emulator)
    run = ws()
    run.store.journal(upsert=record("policy:mine"))
    other = state_object(s3)
    other["updated_by"] = "another run"
    s3.put_object(Bucket=BUCKET, Key=KEY, Body=json.dumps(other).encode())
    with pytest.raises(LzError, match="written by another run"):
        run.store.compact()
    assert state_object(s3)["updated_by"] == "another run"
    assert len(entries(s3)) == 1  # the change is still in the journal


def test_a_spill_file_left_beside_remote_state_is_folded_in_then_deleted(
    ws, emulator: Emulator, tmp_path: Path
):
    s3 = bucket(emulator)
    spill = tmp_path / ".lz" / "state.json"  # killed between the upload and the delete
    spill.parent.mkdir(exist_ok=True)
    left = StateDoc(lineage="l", serial=1, resources={"policy:spilt": record("policy:spilt")})
    spill.write_text(json.dumps(left.to_json()))
    assert "policy:spilt" in ws().store.doc.resources
    nxt = ws()
    with workflow.locked(nxt, "apply"):
        pass
    assert not spill.exists()
    assert "policy:spilt" in state_object(s3)["resources"]
