"""The views of what exists (`--live`), and the page `lz up` leaves behind."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.views.conftest import Run, parse_mermaid
from tests.views.test_sarif import SCHEMA

pytestmark = pytest.mark.e2e


def test_live_views_draw_what_exists_not_what_the_spec_says(  # type: ignore[no-untyped-def]
    lz, example, emulator: Emulator
) -> None:
    spec = example("coalition")
    applied = lz("apply", spec, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    aws = Aws(emulator)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    # someone detaches the workloads guard rail by hand
    org = aws.client("organizations")
    policy = next(
        p["Id"]
        for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
        if p["Name"] == "deny-disable-audit"
    )
    org.detach_policy(PolicyId=policy, TargetId=aws.unit_id("workloads"))

    live = lz("graph", "org", spec, "--live")
    assert live.code == 0, live.err
    chart = parse_mermaid(live.out)
    assert "(live)" in live.out.splitlines()[0]
    for name in ("shared", "prod", "dev"):
        assert ids[name] in chart.label(chart.find(name))  # real IDs, read from AWS
    assert "deny-disable-audit" not in chart.label(chart.find("OU workloads"))
    offline = parse_mermaid(lz("graph", "org", spec).out)
    assert "SCP: deny-disable-audit" in offline.label(offline.find("OU workloads"))

    network = parse_mermaid(lz("graph", "network", spec, "--live").out)
    pairs = {
        (network.label(a).split("\n")[0], network.label(b).split("\n")[0], label)
        for a, b, label in network.edges
    }
    assert ("VPC dev", "VPC shared", "peering dev-shared") in pairs
    access = lz("graph", "access", spec, "--live")
    assert access.code == 0, access.err
    assert "github-actions-prod" in access.out

    # the hand-detached guard rail breaks the checks that rely on it: code scanning says so
    findings = lz("check", spec, "--live", "--format", "sarif")
    assert findings.code == 3, findings.err
    document = json.loads(findings.out)
    jsonschema.Draft4Validator(SCHEMA).validate(document)
    failed = {
        r["message"]["text"].split(":")[0]: r["locations"][0]["physicalLocation"]
        for r in document["runs"][0]["results"]
        if r["ruleId"] == "check-failed"
    }
    assert set(failed) == {
        "SCPs deny disabling CloudTrail even to prod's administrators",
        "SCPs deny disabling CloudTrail even to dev's administrators",
    }
    checks = spec / "catalog" / "checks.yaml"
    where = failed["SCPs deny disabling CloudTrail even to dev's administrators"]
    assert where["artifactLocation"]["uri"].endswith("coalition/catalog/checks.yaml")
    assert where["region"]["startLine"] == next(
        n for n, line in enumerate(checks.read_text().splitlines(), 1) if "dev's admin" in line
    )


def test_up_leaves_a_page_of_what_it_built(run: Run, tmp_path: Path) -> None:
    spec = tmp_path / "tiny"
    spec.mkdir()
    (spec / "landingzone.yaml").write_text(
        "organization: {name: tiny, home_region: us-east-1}\n"
        "units: {workloads: {}}\n"
        "accounts:\n"
        "  dev: {email: aws+dev@tiny.example, unit: workloads}\n"
        "state: {account: management}\n"
    )
    saved = dict(os.environ)  # `lz up` points this process at its own emulator
    try:
        result = run("up", spec)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert result.code == 0, result.err
    page = spec / ".lz" / "landingzone.html"
    assert str(page) in result.err.replace("\n", "")
    text = page.read_text()
    assert 'data-key="account:dev"' in text and "Organization tiny (live)" in text
