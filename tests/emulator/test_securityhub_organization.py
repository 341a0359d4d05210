"""Security Hub across an organization: administrator, members, standards, finding aggregation."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

HOME, OTHER = "us-east-1", "eu-west-1"
FSBP = f"arn:aws:securityhub:{HOME}::standards/aws-foundational-security-best-practices/v/1.0.0"
CIS = f"arn:aws:securityhub:{HOME}::standards/cis-aws-foundations-benchmark/v/3.0.0"


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


@pytest.fixture
def accounts(aws: Aws) -> dict[str, str]:
    aws.create_organization()
    return {name: aws.create_account(name) for name in ("security", "dev", "prod")}


def test_the_management_account_designates_the_administrator_per_region(
    aws: Aws, accounts: dict[str, str]
) -> None:
    security = accounts["security"]
    hub = aws.client("securityhub", region=HOME)
    hub.enable_organization_admin_account(AdminAccountId=security)
    org = aws.client("organizations")
    enabled = org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert "securityhub.amazonaws.com" in {s["ServicePrincipal"] for s in enabled}
    admins = org.list_delegated_administrators(ServicePrincipal="securityhub.amazonaws.com")
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [security]
    # Security Hub is on in the administrator's account, in that region only.
    assert aws.client("securityhub", security, HOME).describe_hub()["HubArn"]
    other_region = aws.client("securityhub", security, OTHER).describe_hub
    assert _refused(other_region) == "InvalidAccessException"
    listed = hub.list_organization_admin_accounts()["AdminAccounts"]
    assert listed == [{"AccountId": security, "Status": "ENABLED"}]
    assert (
        aws.client("securityhub", region=OTHER).list_organization_admin_accounts()["AdminAccounts"]
        == []
    )
    # One administrator per region; a member cannot designate one.
    refused = _refused(hub.enable_organization_admin_account, AdminAccountId=accounts["dev"])
    assert refused == "InvalidInputException"
    member = aws.client("securityhub", accounts["dev"], HOME).enable_organization_admin_account
    assert _refused(member, AdminAccountId=accounts["dev"]) == "AccessDeniedException"
    hub.disable_organization_admin_account(AdminAccountId=security)
    assert hub.list_organization_admin_accounts()["AdminAccounts"] == []


def test_the_administrator_configures_the_organization_and_adds_members(
    aws: Aws, accounts: dict[str, str]
) -> None:
    security, dev = accounts["security"], accounts["dev"]
    aws.client("securityhub", region=HOME).enable_organization_admin_account(
        AdminAccountId=security
    )
    hub = aws.client("securityhub", security, HOME)
    hub.update_organization_configuration(AutoEnable=True, AutoEnableStandards="NONE")
    described = hub.describe_organization_configuration()
    assert (described["AutoEnable"], described["AutoEnableStandards"]) == (True, "NONE")
    not_admin = aws.client("securityhub", dev, HOME).describe_organization_configuration
    assert _refused(not_admin) == "InvalidAccessException"

    unprocessed = hub.create_members(
        AccountDetails=[{"AccountId": dev}, {"AccountId": "111122223333"}]
    )["UnprocessedAccounts"]
    assert [u["AccountId"] for u in unprocessed] == ["111122223333"]
    members = hub.list_members()["Members"]
    assert [(m["AccountId"], m["MemberStatus"]) for m in members] == [(dev, "Enabled")]
    # The member's hub is on, without standards (AutoEnableStandards NONE).
    member = aws.client("securityhub", dev, HOME)
    assert member.describe_hub()["HubArn"].endswith(f":{dev}:hub/default")
    assert member.get_enabled_standards()["StandardsSubscriptions"] == []

    hub.disassociate_members(AccountIds=[dev])
    assert hub.list_members()["Members"] == []
    assert hub.list_members(OnlyAssociated=False)["Members"][0]["MemberStatus"] == "Removed"
    hub.delete_members(AccountIds=[dev])
    assert hub.list_members(OnlyAssociated=False)["Members"] == []


def test_standards_are_enabled_and_disabled_by_arn(aws: Aws, accounts: dict[str, str]) -> None:
    hub = aws.client("securityhub", accounts["dev"], HOME)
    refused = _refused(
        hub.batch_enable_standards, StandardsSubscriptionRequests=[{"StandardsArn": FSBP}]
    )
    assert refused == "InvalidAccessException"  # Security Hub is not on
    hub.enable_security_hub(EnableDefaultStandards=False)
    names = {s["Name"] for s in hub.describe_standards()["Standards"]}
    assert "CIS AWS Foundations Benchmark v3.0.0" in names
    enabled = hub.batch_enable_standards(
        StandardsSubscriptionRequests=[{"StandardsArn": FSBP}, {"StandardsArn": CIS}]
    )["StandardsSubscriptions"]
    assert {s["StandardsArn"] for s in enabled} == {FSBP, CIS}
    subscriptions = hub.get_enabled_standards()["StandardsSubscriptions"]
    assert {s["StandardsStatus"] for s in subscriptions} == {"READY"}
    unknown = f"arn:aws:securityhub:{HOME}::standards/no-such-standard/v/1.0.0"
    refused = _refused(
        hub.batch_enable_standards, StandardsSubscriptionRequests=[{"StandardsArn": unknown}]
    )
    assert refused == "InvalidInputException"
    cis = next(s["StandardsSubscriptionArn"] for s in enabled if s["StandardsArn"] == CIS)
    hub.batch_disable_standards(StandardsSubscriptionArns=[cis])
    left = hub.get_enabled_standards()["StandardsSubscriptions"]
    assert [s["StandardsArn"] for s in left] == [FSBP]


def test_the_finding_aggregator_links_regions_into_one(aws: Aws, accounts: dict[str, str]) -> None:
    security, dev = accounts["security"], accounts["dev"]
    for region in (HOME, OTHER):
        aws.client("securityhub", region=region).enable_organization_admin_account(
            AdminAccountId=security
        )
        aws.client("securityhub", security, region).create_members(
            AccountDetails=[{"AccountId": dev}]
        )
    hub = aws.client("securityhub", security, HOME)
    created = hub.create_finding_aggregator(RegionLinkingMode="ALL_REGIONS")
    arn = created["FindingAggregatorArn"]
    assert created["FindingAggregationRegion"] == HOME
    assert hub.list_finding_aggregators()["FindingAggregators"] == [{"FindingAggregatorArn": arn}]
    again = _refused(hub.create_finding_aggregator, RegionLinkingMode="ALL_REGIONS")
    assert again == "LimitExceededException"
    # A member's finding in the other region shows in the administrator's home region.
    finding = {
        "SchemaVersion": "2018-10-08",
        "Id": "finding-1",
        "ProductArn": f"arn:aws:securityhub:{OTHER}:{dev}:product/{dev}/default",
        "GeneratorId": "test",
        "AwsAccountId": dev,
        "Types": ["Software and Configuration Checks"],
        "CreatedAt": "2026-01-01T00:00:00Z",
        "UpdatedAt": "2026-01-01T00:00:00Z",
        "Severity": {"Label": "HIGH"},
        "Title": "a finding",
        "Description": "a finding in a member account",
        "Resources": [{"Type": "AwsAccount", "Id": f"AWS::::Account:{dev}"}],
    }
    aws.client("securityhub", dev, OTHER).batch_import_findings(Findings=[finding])
    assert [f["Id"] for f in hub.get_findings()["Findings"]] == ["finding-1"]

    hub.update_finding_aggregator(
        FindingAggregatorArn=arn, RegionLinkingMode="SPECIFIED_REGIONS", Regions=[HOME]
    )
    assert hub.get_finding_aggregator(FindingAggregatorArn=arn)["Regions"] == [HOME]
    assert hub.get_findings()["Findings"] == []
    hub.delete_finding_aggregator(FindingAggregatorArn=arn)
    assert hub.list_finding_aggregators()["FindingAggregators"] == []
