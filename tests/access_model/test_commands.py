"""`lz check`, `lz can`, `lz who-can`, `lz access lint`: offline, and live after apply."""

from __future__ import annotations

from pathlib import Path

import pytest

SPEC = """\
organization:
  name: acme
  home_region: us-east-1
  profile: management
units:
  workloads:
    policies: [protect-trail]
accounts:
  prod:
    email: aws+prod@acme.example
    unit: workloads
  sandbox:
    email: aws+sandbox@acme.example
policies:
  protect-trail:
    document:
      Version: "2012-10-17"
      Statement:
        - {Sid: ProtectTrail, Effect: Deny, Action: [cloudtrail:StopLogging], Resource: "*"}
state:
  account: management
checks:
  - name: administrators cannot stop CloudTrail in prod
    principal: role:prod/OrganizationAccountAccessRole
    action: cloudtrail:StopLogging
    resource: "*"
    expect: deny
  - name: the management account administers prod
    principal: account:management
    action: iam:CreateRole
    resource: "arn:aws:iam::prod:role/new"
    expect: allow
"""
BROKEN = """\
  - name: administrators cannot stop CloudTrail in the sandbox
    principal: role:sandbox/OrganizationAccountAccessRole
    action: cloudtrail:StopLogging
    resource: "*"
    expect: deny
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "landingzone.yaml").write_text(text)
    return tmp_path


def test_check_passes_and_exits_0(lz, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = lz("check", write(tmp_path, SPEC))
    assert result.code == 0, result.err
    assert "2 passed, 0 failed" in result.err


def test_a_failing_check_exits_3_with_its_counter_example(lz, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = lz("check", write(tmp_path, SPEC + BROKEN), "--json")
    assert result.code == 3
    document = result.json()
    assert document["passed"] is False
    failed = [c for c in document["checks"] if not c["passed"]]
    assert [c["name"] for c in failed] == ["administrators cannot stop CloudTrail in the sandbox"]
    counter = failed[0]["counterexample"]
    assert counter["principal"] == "role:sandbox/OrganizationAccountAccessRole"
    assert counter["decision"]["decision"] == "allowed"
    assert document["accounts"]["sandbox"]["synthetic"] is True
    human = lz("check", tmp_path)
    assert human.code == 3 and "FAIL" in human.err and "counter-example" in human.err


def test_a_check_on_a_role_the_spec_does_not_declare_is_a_validation_error(
    lz, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    extra = (
        "  - name: the deploy role cannot stop CloudTrail\n"
        "    principal: role:prod/github-actions-prod\n"
        "    action: cloudtrail:StopLoging\n"
        "    resource: role:nowhere/x\n"
        "    expect: deny\n"
    )
    result = lz("validate", write(tmp_path, SPEC + extra))
    assert result.code == 1
    assert "landingzone.yaml:" in result.err
    assert 'no role of the spec matches "role:prod/github-actions-prod"' in result.err
    assert 'did you mean "cloudtrail:StopLogging"' in result.err
    assert 'account "nowhere" is not declared' in result.err


def test_can_and_who_can_json(lz, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = write(tmp_path, SPEC)
    result = lz(
        "can",
        "account:management",
        "iam:CreateRole",
        "arn:aws:iam::{account_id:prod}:role/x",
        spec,
        "--json",
    )
    assert result.code == 0, result.err
    (answer,) = result.json()["answers"]
    assert answer["allowed"] is True
    assert [(h["from"], h["to"]) for h in answer["path"]] == [
        ("account:management", "role:prod/OrganizationAccountAccessRole")
    ]
    who = lz("who-can", "cloudtrail:StopLogging", "*", spec, "--json").json()
    keys = {p["principal"] for p in who["principals"]}
    assert "role:sandbox/OrganizationAccountAccessRole" in keys
    assert "role:prod/OrganizationAccountAccessRole" not in keys
    human = lz("can", "github:acme/infra@refs/heads/main", "sts:AssumeRole*", "role:prod/*", spec)
    assert human.code == 0 and "denied" in human.err


def test_lint_flags_a_misspelt_scp_action(lz, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = write(
        tmp_path,
        SPEC.replace("cloudtrail:StopLogging], Resource", "cloudtrail:StopLoging], Resource"),
    )
    result = lz("access", "lint", spec, "--json")
    assert result.code == 0
    rules = {f["rule"] for f in result.json()["lint"]}
    assert rules == {"unknown-action", "scp-matches-nothing"}


@pytest.mark.e2e
def test_checks_and_who_can_hold_live_after_apply(lz, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    spec = write(tmp_path, SPEC)
    applied = lz("apply", spec, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    result = lz("check", spec, "--live", "--json")
    assert result.code == 0, result.out
    document = result.json()
    assert document["source"] == "live"
    assert not any(a["synthetic"] for a in document["accounts"].values())
    who = lz("who-can", "cloudtrail:StopLogging", "*", spec, "--live", "--json").json()
    keys = {p["principal"] for p in who["principals"]}
    assert "role:sandbox/OrganizationAccountAccessRole" in keys
    assert "role:prod/OrganizationAccountAccessRole" not in keys
    broken = write(tmp_path, SPEC + BROKEN)
    assert lz("check", broken, "--live").code == 3
