"""Security Hub across the organization, checked with plain boto3 from the security account."""

from __future__ import annotations

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
      securityhub:
        standards: [aws-foundational-security-best-practices, cis-aws-foundations-benchmark]
        auto_enable_standards: NONE
    """
# AWS's default standard that designating the administrator enables there (not lz's).
AWS_DEFAULT = ":ruleset/cis-aws-foundations-benchmark/v/1.2.0"
STANDARDS = (
    "standards/aws-foundational-security-best-practices/v/1.0.0",
    "standards/cis-aws-foundations-benchmark/v/3.0.0",
)


def _standards(aws: Aws, account_id: str, region: str) -> set[str]:
    client = aws.client("securityhub", account_id, region)
    return {
        s["StandardsArn"].split("::", 1)[1]
        for s in client.get_enabled_standards()["StandardsSubscriptions"]
    }


def test_security_hub_is_administered_by_the_security_account_and_repaired(
    lz: Any, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz", SECURITY)
    assert lz("apply", directory, *APPLY).code == 0
    aws = Aws(emulator, region=spec.HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    security = ids["security"]

    for region, members in (
        (spec.HOME, {"logs", "dev", "prod"}),
        (spec.OTHER, {"dev"}),
    ):
        management = aws.client("securityhub", region=region)
        admins = management.list_organization_admin_accounts()["AdminAccounts"]
        assert admins == [{"AccountId": security, "Status": "ENABLED"}]
        hub = aws.client("securityhub", security, region)
        configuration = hub.describe_organization_configuration()
        assert (configuration["AutoEnable"], configuration["AutoEnableStandards"]) == (True, "NONE")
        listed = hub.list_members()["Members"]
        assert {(m["AccountId"], m["MemberStatus"]) for m in listed} == {
            (ids[name], "Enabled") for name in members
        }
        assert _standards(aws, security, region) == {*STANDARDS, AWS_DEFAULT}
        for name in members:
            assert _standards(aws, ids[name], region) == set(STANDARDS), (name, region)
    delegated = aws.client("organizations").list_delegated_administrators(
        ServicePrincipal="securityhub.amazonaws.com"
    )["DelegatedAdministrators"]
    assert [a["Id"] for a in delegated] == [security]

    # One aggregator in the home region links every region: a finding in dev's
    # other region shows in the security account's home region.
    hub = aws.client("securityhub", security, spec.HOME)
    (listed,) = hub.list_finding_aggregators()["FindingAggregators"]
    aggregator = hub.get_finding_aggregator(FindingAggregatorArn=listed["FindingAggregatorArn"])
    assert (aggregator["FindingAggregationRegion"], aggregator["RegionLinkingMode"]) == (
        spec.HOME,
        "ALL_REGIONS",
    )
    dev = ids["dev"]
    aws.client("securityhub", dev, spec.OTHER).batch_import_findings(
        Findings=[
            {
                "SchemaVersion": "2018-10-08",
                "Id": "open-port",
                "ProductArn": f"arn:aws:securityhub:{spec.OTHER}:{dev}:product/{dev}/default",
                "GeneratorId": "e2e",
                "AwsAccountId": dev,
                "Types": ["Software and Configuration Checks"],
                "CreatedAt": "2026-01-01T00:00:00Z",
                "UpdatedAt": "2026-01-01T00:00:00Z",
                "Severity": {"Label": "HIGH"},
                "Title": "open port",
                "Description": "a finding in a member account's other region",
                "Resources": [{"Type": "AwsAccount", "Id": f"AWS::::Account:{dev}"}],
            }
        ]
    )
    assert [f["Id"] for f in hub.get_findings()["Findings"]] == ["open-port"]
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    # By hand: the designation in the other region is removed, a standard is
    # disabled in prod, the aggregator deleted. The plan shows each; apply repairs.
    aws.client("securityhub", region=spec.OTHER).disable_organization_admin_account(
        AdminAccountId=security
    )
    prod = aws.client("securityhub", ids["prod"], spec.HOME)
    cis = next(
        s["StandardsSubscriptionArn"]
        for s in prod.get_enabled_standards()["StandardsSubscriptions"]
        if "cis-aws" in s["StandardsArn"]
    )
    prod.batch_disable_standards(StandardsSubscriptionArns=[cis])
    hub.delete_finding_aggregator(FindingAggregatorArn=listed["FindingAggregatorArn"])
    operations = {
        op["address"]: op["action"] for op in lz("plan", directory, "--json").json()["operations"]
    }
    assert operations == {
        f"securityhub_admin:security/{spec.OTHER}": "create",
        # unreadable until the account is the administrator again: written again
        f"securityhub_organization:security/{spec.OTHER}": "create",
        f"securityhub_standards:prod/{spec.HOME}": "update",
        f"securityhub_aggregator:security/{spec.HOME}": "create",
    }
    assert lz("drift", directory).code == 2
    assert lz("apply", directory, *APPLY).code == 0
    assert _standards(aws, ids["prod"], spec.HOME) == set(STANDARDS)
    assert aws.client("securityhub", region=spec.OTHER).list_organization_admin_accounts()[
        "AdminAccounts"
    ] == [{"AccountId": security, "Status": "ENABLED"}]
    assert len(hub.list_finding_aggregators()["FindingAggregators"]) == 1
    assert lz("plan", directory, "--detailed-exitcode").code == 0

    # A standard leaves the spec: lz disables it where it enabled it, and only
    # it (AWS's default in the security account stays).
    spec.write(directory, SECURITY.replace(", cis-aws-foundations-benchmark", ""))
    assert lz("apply", directory, *APPLY).code == 0
    assert _standards(aws, security, spec.HOME) == {STANDARDS[0], AWS_DEFAULT}
    for name in ("logs", "dev", "prod"):
        assert _standards(aws, ids[name], spec.HOME) == {STANDARDS[0]}
    assert lz("plan", directory, "--detailed-exitcode").code == 0
