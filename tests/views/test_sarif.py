"""`lz check --format sarif` and `lz access lint --format sarif`: SARIF 2.1.0 that code
scanning shows on the spec's lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from tests.views.conftest import Run

# The OASIS SARIF 2.1.0 schema (errata01), as published; see its "id".
SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())

ROOT = """\
import: [roles.yaml]
organization:
  name: acme
  home_region: us-east-1
  profile: management
accounts:
  sandbox:
    email: aws+sandbox@acme.example
policies:
  protect-trail:
    document:
      Version: "2012-10-17"
      Statement:
        - {Sid: ProtectTrail, Effect: Deny, Action: [cloudtrail:StopLoging], Resource: "*"}
state:
  account: management
checks:
  - name: the management account administers the sandbox
    principal: account:management
    action: iam:CreateRole
    resource: "arn:aws:iam::sandbox:role/new"
    expect: allow
  - name: administrators cannot stop CloudTrail in the sandbox
    principal: role:sandbox/OrganizationAccountAccessRole
    action: cloudtrail:StopLogging
    resource: "*"
    expect: deny
"""
ROLES = """\
roles:
  broad:
    deploy_to: {accounts: [sandbox]}
    trust:
      - accounts: [management]
    inline_policies:
      everything:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: "arn:aws:s3:::reports/*"
            Condition: {StringEquals: {s3:NoSuchKey: "x"}}
"""


@pytest.fixture
def spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "infra" / "landing-zone"
    directory.mkdir(parents=True)
    (directory / "landingzone.yaml").write_text(ROOT)
    (directory / "roles.yaml").write_text(ROLES)
    monkeypatch.chdir(tmp_path)  # a CI job runs at the repository's root
    return directory


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def results_by_rule(document: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for result in document["runs"][0]["results"]:
        found.setdefault(result["ruleId"], []).append(result)
    return found


def where(result: dict) -> tuple[str, int]:
    physical = result["locations"][0]["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]["startLine"]


def test_check_sarif_validates_and_points_at_the_failed_check_and_the_findings(
    run: Run, spec: Path
) -> None:
    result = run("check", spec, "--format", "sarif")
    assert result.code == 3, result.err  # a check failed: the documented exit code
    document = json.loads(result.out)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    rules = results_by_rule(document)
    (failed,) = rules["check-failed"]
    assert failed["level"] == "error"
    assert failed["message"]["text"].startswith(
        "administrators cannot stop CloudTrail in the sandbox: expected deny; counter-example"
    )
    root = spec / "landingzone.yaml"
    assert where(failed) == (
        "infra/landing-zone/landingzone.yaml",
        line_of(root, "administrators cannot stop CloudTrail"),
    )
    (scp,) = [r for r in rules["unknown-action"] if "SCP protect-trail" in r["message"]["text"]]
    assert scp["level"] == "warning"
    assert where(scp) == ("infra/landing-zone/landingzone.yaml", line_of(root, "protect-trail:"))
    roles = spec / "roles.yaml"
    (key,) = rules["unknown-condition-key"]
    assert key["level"] == "warning"
    assert where(key) == ("infra/landing-zone/roles.yaml", line_of(roles, "broad:"))
    driver = document["runs"][0]["tool"]["driver"]
    ids = [rule["id"] for rule in driver["rules"]]
    for found in document["runs"][0]["results"]:
        assert ids[found["ruleIndex"]] == found["ruleId"]


def test_lint_sarif_has_the_findings_only(run: Run, spec: Path) -> None:
    result = run("access", "lint", spec, "--format", "sarif")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    rules = results_by_rule(document)
    assert "check-failed" not in rules
    assert {"unknown-action", "scp-matches-nothing", "unknown-condition-key"} <= set(rules)


def test_a_clean_spec_gives_an_empty_valid_log(run: Run, spec: Path) -> None:
    (spec / "roles.yaml").write_text("roles: {}\n")
    (spec / "landingzone.yaml").write_text(
        ROOT.replace("StopLoging", "StopLogging").split("  - name: administrators")[0]
    )
    result = run("check", spec, "--format", "sarif")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    assert document["runs"][0]["results"] == []
    assert os.path.basename(document["$schema"]) == "sarif-schema-2.1.0.json"
