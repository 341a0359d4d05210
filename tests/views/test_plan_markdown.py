"""`lz plan --format markdown` / `-o plan.md`: a plan fit for a pull-request comment."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from landingzone.engine.plan import Operation, Plan
from landingzone.nodes import Change
from landingzone.views.plan_markdown import LIMIT, PROTECTED, plan_markdown
from tests.e2e.conftest import EXAMPLES


def _plan(operations: list[Operation]) -> Plan:
    return Plan(operations=operations, nodes=[], state_serial=0, state_lineage="x")


def test_changes_are_grouped_by_account_with_protected_ones_flagged() -> None:
    plan = _plan(
        [
            Operation(
                "create", "account:prod", "account", "prod", "management", None, protected=True
            ),
            Operation(
                "update",
                "password_policy:prod",
                "password_policy",
                "prod",
                "prod",
                None,
                changes=[Change("minimum_length", 14, 16)],
                protected=True,
            ),
            Operation("create", "vpc:dev/us-east-1/dev", "vpc", "dev", "dev", "us-east-1"),
        ]
    )
    text = plan_markdown(plan, "acme")
    assert text.startswith("### lz plan: organization `acme`")
    assert "**Plan: 2 to create, 1 to update.**" in text
    assert f"> {PROTECTED}: 2 change(s)" in text
    sections = re.split(r"^#### ", text, flags=re.M)[1:]
    assert [s.split("\n")[0] for s in sections] == ["management (organization-wide)", "dev", "prod"]
    prod = sections[2]
    assert f"- `~ update` `password_policy:prod`** {PROTECTED}**" not in prod  # one space
    assert f"- `~ update` `password_policy:prod` **{PROTECTED}**" in prod
    assert "\n\n<details><summary>What changes (1 operations)</summary>\n\n```diff\n" in prod
    assert "minimum_length: 14 → 16" in prod
    assert "- `+ create` `vpc:dev/us-east-1/dev` in us-east-1" in sections[1]
    # the counts table: one row per account
    assert "| prod |  | 1 | 1 |" in text


def test_no_changes_says_so() -> None:
    assert "**No changes.**" in plan_markdown(_plan([]), "acme")


def test_a_huge_plan_keeps_every_operation_and_drops_the_details() -> None:
    ops = [
        Operation(
            "update",
            f"unit:u{n}",
            "unit",
            f"u{n}",
            "management",
            None,
            changes=[Change("tags", {"a": "x" * 200}, {"a": "y" * 200})],
        )
        for n in range(400)
    ]
    text = plan_markdown(_plan(ops), "acme")
    assert len(text) <= LIMIT + 200
    assert all(f"`unit:u{n}`" in text for n in range(400))
    assert "<details>" not in text and "Attribute changes left out" in text


@pytest.mark.e2e
def test_plan_prints_markdown_and_writes_plan_md(lz, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "coalition"
    shutil.copytree(EXAMPLES / "coalition", spec)
    result = lz("plan", spec, "--format", "markdown")
    assert result.code == 0, result.err
    assert result.out.startswith("### lz plan: organization `coalition`")
    assert "#### prod" in result.out and f"`account:prod` **{PROTECTED}**" in result.out
    assert "Plan:" not in result.err  # the text plan is not printed as well
    out = tmp_path / "plan.md"
    written = lz("plan", spec, "-o", out)
    assert written.code == 0, written.err
    assert out.read_text().startswith("### lz plan: organization `coalition`")
    assert "Wrote the markdown plan" in written.err and "Plan:" in written.err
