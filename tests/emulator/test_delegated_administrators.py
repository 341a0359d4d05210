"""Delegated administrators are registered as AWS registers them (delegation_compat)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws


def _refused(call: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return dict(caught.value.response)


@pytest.fixture
def org(aws: Aws) -> Any:
    aws.create_organization()
    return aws.client("organizations")


def test_security_hub_config_and_cloudtrail_take_a_delegated_administrator(
    aws: Aws, org: Any
) -> None:
    security = aws.create_account("security")
    for principal in ("securityhub.amazonaws.com", "config.amazonaws.com"):
        org.enable_aws_service_access(ServicePrincipal=principal)
        org.register_delegated_administrator(AccountId=security, ServicePrincipal=principal)
    listed = org.list_delegated_administrators(ServicePrincipal="securityhub.amazonaws.com")
    assert [a["Id"] for a in listed["DelegatedAdministrators"]] == [security]
    services = org.list_delegated_services_for_account(AccountId=security)["DelegatedServices"]
    assert {s["ServicePrincipal"] for s in services} == {
        "securityhub.amazonaws.com",
        "config.amazonaws.com",
    }


def test_registration_needs_trusted_access_first(aws: Aws, org: Any) -> None:
    security = aws.create_account("security")
    error = _refused(
        org.register_delegated_administrator,
        AccountId=security,
        ServicePrincipal="guardduty.amazonaws.com",
    )
    assert error["Error"]["Code"] == "ConstraintViolationException"
    assert error["Reason"] == "SERVICE_ACCESS_NOT_ENABLED"
    assert org.list_delegated_administrators()["DelegatedAdministrators"] == []


def test_the_management_account_and_unknown_services_are_refused(aws: Aws, org: Any) -> None:
    security = aws.create_account("security")
    org.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    management = _refused(
        org.register_delegated_administrator,
        AccountId=aws.emulator.management_account_id,
        ServicePrincipal="guardduty.amazonaws.com",
    )
    assert management["Reason"] == "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR"
    org.enable_aws_service_access(ServicePrincipal="ram.amazonaws.com")  # trusted, not delegable
    unknown = _refused(
        org.register_delegated_administrator,
        AccountId=security,
        ServicePrincipal="ram.amazonaws.com",
    )
    assert unknown["Error"]["Code"] == "InvalidInputException"


def test_an_account_is_registered_once_per_service(aws: Aws, org: Any) -> None:
    security = aws.create_account("security")
    org.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    org.register_delegated_administrator(
        AccountId=security, ServicePrincipal="guardduty.amazonaws.com"
    )
    again = _refused(
        org.register_delegated_administrator,
        AccountId=security,
        ServicePrincipal="guardduty.amazonaws.com",
    )
    assert again["Error"]["Code"] == "AccountAlreadyRegisteredException"
    outsider = _refused(
        org.register_delegated_administrator,
        AccountId="999999999999",
        ServicePrincipal="guardduty.amazonaws.com",
    )
    assert outsider["Error"]["Code"] == "AccountNotFoundException"


def test_with_refusals_off_moto_registers_without_trusted_access(aws: Aws, org: Any) -> None:
    aws.emulator.configure(refusals=False)
    security = aws.create_account("security")
    org.register_delegated_administrator(
        AccountId=security, ServicePrincipal="guardduty.amazonaws.com"
    )
    listed = org.list_delegated_administrators()["DelegatedAdministrators"]
    assert [a["Id"] for a in listed] == [security]


def test_a_delegated_administrator_sees_the_organization_other_members_do_not(
    aws: Aws, org: Any
) -> None:
    security = aws.create_account("security")
    dev = aws.create_account("dev")
    org.enable_aws_service_access(ServicePrincipal="guardduty.amazonaws.com")
    org.register_delegated_administrator(
        AccountId=security, ServicePrincipal="guardduty.amazonaws.com"
    )
    own = aws.client("organizations", security)
    admins = own.list_delegated_administrators(ServicePrincipal="guardduty.amazonaws.com")
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [security]
    services = own.list_delegated_services_for_account(AccountId=security)["DelegatedServices"]
    assert [s["ServicePrincipal"] for s in services] == ["guardduty.amazonaws.com"]
    enabled = own.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    assert [s["ServicePrincipal"] for s in enabled] == ["guardduty.amazonaws.com"]
    other = aws.client("organizations", dev)
    refused = _refused(other.list_delegated_administrators)
    assert refused["Error"]["Code"] == "AccessDeniedException"
