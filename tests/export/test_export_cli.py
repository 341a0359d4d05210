"""`lz export`: deterministic output, minimal re-exports, resources not applied yet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.export import gates
from tests.export.conftest import applied_copy, run_lz

pytestmark = pytest.mark.e2e


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    """Content and mtime of every file under `root`."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def codewilling(emulated: Emulator, tmp_path: Path) -> Path:
    emulated.reset()
    return applied_copy("codewilling", tmp_path)


def test_exporting_twice_gives_identical_files_and_touches_none(codewilling: Path, tmp_path: Path):
    out = tmp_path / "repo"
    assert run_lz("export", "terraform", out, codewilling) == 0
    assert run_lz("export", "ci", out, codewilling, "--github") == 0
    first = snapshot(out)
    assert run_lz("export", "terraform", out, codewilling) == 0
    assert run_lz("export", "ci", out, codewilling, "--github") == 0
    assert snapshot(out) == first
    other = tmp_path / "other"
    assert run_lz("export", "terraform", other, codewilling) == 0
    assert run_lz("export", "ci", other, codewilling, "--github") == 0
    assert {k: v[0] for k, v in snapshot(other).items()} == {k: v[0] for k, v in first.items()}


def test_a_spec_change_rewrites_only_the_files_it_must_and_says_what_is_not_applied(
    codewilling: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "repo"
    assert run_lz("export", "terraform", out, codewilling) == 0
    before = snapshot(out)
    spec = codewilling / "landingzone.yaml"
    spec.write_text(
        spec.read_text().replace(
            "accounts:\n",
            "accounts:\n  qa:\n    email: aws+qa@codewilling.example\n    unit: workloads\n",
        )
    )
    capsys.readouterr()
    assert run_lz("export", "terraform", out, codewilling, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    stack = "live/management-us-west-2/organization"
    archive = "live/shared-services-us-west-2/baseline"  # its log bucket lets qa's Config deliver
    assert sorted(report["files"]["changed"]) == [
        f"{stack}/imports.tf",
        f"{stack}/terraform.tfvars",
        f"{archive}/terraform.tfvars",
    ]
    created = report["files"]["created"]
    assert created and all(path.startswith("live/qa-us-west-2/baseline/") for path in created)
    assert report["files"]["removed"] == []
    not_applied = {(item["stack"], item["resource"]) for item in report["not_applied"]}
    assert (stack, "account:qa") in not_applied
    assert {s for s, _ in not_applied} == {stack, "live/qa-us-west-2/baseline"}
    after = snapshot(out)
    rewritten = {k for k in before if after[k] != before[k]} - {".lz-export.json"}  # lz's list
    assert rewritten == set(report["files"]["changed"])
    assert set(after) - set(before) == set(created)
    imports = (out / stack / "imports.tf").read_text()
    assert "- account:qa" in imports
    assert 'aws_organizations_account.this["qa"]' not in imports
    assert 'qa = {\n    name              = "qa"' in (out / stack / "terraform.tfvars").read_text()


def test_export_ci_needs_a_platform(codewilling: Path, tmp_path: Path):
    assert run_lz("export", "ci", tmp_path / "repo", codewilling) == 64


def test_export_before_the_state_account_exists_is_a_clear_error(
    emulated: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    emulated.reset()
    spec_dir = Path(__file__).resolve().parents[2] / "examples" / "codewilling"
    assert run_lz("export", "terraform", tmp_path / "repo", spec_dir) == 1
    assert "state account shared-services does not exist yet" in capsys.readouterr().err
    assert not (tmp_path / "repo").exists()


def test_stacks_are_listed_in_the_order_a_first_apply_takes(
    emulated: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    emulated.reset()
    spec_dir = applied_copy("cloudposse", tmp_path)  # organization, networks, a transit gateway
    out = tmp_path / "repo"
    capsys.readouterr()
    assert run_lz("export", "terraform", out, spec_dir, "--json") == 0
    stacks = json.loads(capsys.readouterr().out)["stacks"]
    position = {stack: i for i, stack in enumerate(stacks)}
    by_key = {gates.state_key(out / stack): stack for stack in stacks}
    reads = [(stack, by_key[key]) for stack in stacks for key in gates.reads(out / stack)]
    assert len(reads) > len(stacks)  # most stacks read others: the order is tested
    assert [(s, r) for s, r in reads if position[r] > position[s]] == []
