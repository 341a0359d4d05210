"""The organization's IAM Access Analyzer: applied, repaired, its findings in `lz check --live`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import security_spec as spec

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")
SECURITY = """\
    security:
      account: security
      access_analyzer: {}
    """
NAME = f"{spec.ORG}-organization"
OUTSIDER = "111122223333"


def test_the_organization_analyzer_finds_external_access_for_lz_check(
    lz: Any, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz", SECURITY)
    assert lz("apply", directory, *APPLY).code == 0
    aws = Aws(emulator, region=spec.HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    security = ids["security"]
    for region in (spec.HOME, spec.OTHER):
        analyzer = aws.client("accessanalyzer", security, region).get_analyzer(analyzerName=NAME)
        assert analyzer["analyzer"]["type"] == "ORGANIZATION"
        assert analyzer["analyzer"]["tags"]["ManagedBy"] == "landingzone"
    delegated = aws.client("organizations").list_delegated_administrators(
        ServicePrincipal="access-analyzer.amazonaws.com"
    )["DelegatedAdministrators"]
    assert [a["Id"] for a in delegated] == [security]
    assert lz("plan", directory, "--detailed-exitcode").code == 0
    assert lz("check", directory, "--live").code == 0

    # A role in dev that an account outside the organization may assume: a failing check.
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OUTSIDER}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    aws.client("iam", ids["dev"]).create_role(
        RoleName="vendor-access", AssumeRolePolicyDocument=json.dumps(trust)
    )
    checked = lz("check", directory, "--live", "--json")
    assert checked.code == 3
    document = checked.json()
    assert document["passed"] is False
    resources = {(f["resource"], f["owner"]) for f in document["external_access"]}
    assert resources == {(f"arn:aws:iam::{ids['dev']}:role/vendor-access", ids["dev"])}
    text = lz("check", directory, "--live")
    assert "external access: arn:aws:iam::" in text.err and "vendor-access" in text.err
    # Code scanning sees it too: an error at the analyzer's line in the spec.
    sarif = lz("check", directory, "--live", "--format", "sarif")
    assert sarif.code == 3
    found = [r for r in json.loads(sarif.out)["runs"][0]["results"] if r["level"] == "error"]
    # (a role is global: the analyzer of each of the spec's two regions finds it)
    assert [r["ruleId"] for r in found] == ["external-access"] * len(document["external_access"])
    assert all("vendor-access" in r["message"]["text"] for r in found)
    where = found[0]["locations"][0]["physicalLocation"]
    lines = (directory / where["artifactLocation"]["uri"].split("/")[-1]).read_text().splitlines()
    assert "access_analyzer" in lines[where["region"]["startLine"] - 1]

    # Archived in Access Analyzer (intended), it no longer fails.
    client = aws.client("accessanalyzer", security, spec.HOME)
    arn = client.get_analyzer(analyzerName=NAME)["analyzer"]["arn"]
    for finding in document["external_access"]:
        regional = aws.client("accessanalyzer", security, finding["region"])
        regional_arn = regional.get_analyzer(analyzerName=NAME)["analyzer"]["arn"]
        regional.update_findings(analyzerArn=regional_arn, ids=[finding["id"]], status="ARCHIVED")
    assert lz("check", directory, "--live").code == 0

    # Deleted by hand: the plan shows it, apply puts it back.
    client.delete_analyzer(analyzerName=NAME)
    operations = {
        op["address"]: op["action"] for op in lz("plan", directory, "--json").json()["operations"]
    }
    assert operations == {f"access_analyzer:security/{spec.HOME}/{NAME}": "create"}
    assert lz("apply", directory, *APPLY).code == 0
    assert client.get_analyzer(analyzerName=NAME)["analyzer"]["arn"] == arn
    assert lz("plan", directory, "--detailed-exitcode").code == 0
