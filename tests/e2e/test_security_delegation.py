"""The security account as delegated administrator: apply, drift, repair, removal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import security_spec as spec

pytestmark = pytest.mark.e2e
APPLY = ("--auto-approve", "--approve-protected")


def _apply(lz: Any, directory: Path) -> None:
    result = lz("apply", directory, *APPLY)
    assert result.code == 0, result.err


def _delegated(aws: Aws, account_id: str) -> set[str]:
    org = aws.client("organizations")
    services = org.list_delegated_services_for_account(AccountId=account_id)["DelegatedServices"]
    return {s["ServicePrincipal"] for s in services}


def _operations(lz: Any, directory: Path) -> dict[str, dict[str, Any]]:
    plan = lz("plan", directory, "--json")
    assert plan.code == 0, plan.err
    return {op["address"]: op for op in plan.json()["operations"]}


def test_the_security_account_becomes_delegated_administrator(
    lz, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz")
    _apply(lz, directory)
    aws = Aws(emulator, region=spec.HOME)
    security = aws.accounts()["security"]["Id"]

    org = aws.client("organizations")
    enabled = {
        s["ServicePrincipal"]
        for s in org.list_aws_service_access_for_organization()["EnabledServicePrincipals"]
    }
    assert set(spec.DELEGATED) <= enabled
    assert _delegated(aws, security) == set(spec.DELEGATED)
    # Seen from the security account itself: it administers GuardDuty for the organization.
    own = aws.client("organizations", security)
    admins = own.list_delegated_administrators(ServicePrincipal="guardduty.amazonaws.com")
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [security]

    replan = lz("plan", directory, "--detailed-exitcode")
    assert replan.code == 0, replan.err


def test_a_deregistered_administrator_shows_in_plan_and_apply_registers_it_again(
    lz, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz")
    _apply(lz, directory)
    aws = Aws(emulator, region=spec.HOME)
    security = aws.accounts()["security"]["Id"]
    aws.client("organizations").deregister_delegated_administrator(
        AccountId=security, ServicePrincipal="securityhub.amazonaws.com"
    )

    drift = lz("drift", directory)
    assert drift.code == 2
    address = "delegated_admin:security/securityhub.amazonaws.com"
    operations = _operations(lz, directory)
    assert operations[address]["action"] == "create"
    assert operations[address]["note"] == "deleted outside lz: recreating"

    _apply(lz, directory)
    assert _delegated(aws, security) == set(spec.DELEGATED)
    assert lz("plan", directory, "--detailed-exitcode").code == 0


def test_removal_deregisters_what_lz_registered_and_keeps_trusted_access(
    lz, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz")
    _apply(lz, directory)
    aws = Aws(emulator, region=spec.HOME)
    security = aws.accounts()["security"]["Id"]

    spec.write(
        directory, security="security:\n  account: security\n  delegated_services: [guardduty]\n"
    )
    operations = _operations(lz, directory)
    for principal in ("securityhub.amazonaws.com", "config.amazonaws.com"):
        assert operations[f"delegated_admin:security/{principal}"]["action"] == "delete"
        assert operations[f"service_access:{principal}"]["action"] == "forget"
    _apply(lz, directory)
    assert _delegated(aws, security) == {"guardduty.amazonaws.com"}
    enabled = {
        s["ServicePrincipal"]
        for s in aws.client("organizations").list_aws_service_access_for_organization()[
            "EnabledServicePrincipals"
        ]
    }
    assert set(spec.DELEGATED) <= enabled


def test_an_administrator_registered_by_hand_is_adopted_and_left_on_removal(
    lz, tmp_path: Path, emulator: Emulator
):
    directory = spec.write(tmp_path / "lz", security="security:\n  account: security\n")
    _apply(lz, directory)
    aws = Aws(emulator, region=spec.HOME)
    security = aws.accounts()["security"]["Id"]
    org = aws.client("organizations")
    org.enable_aws_service_access(ServicePrincipal="inspector2.amazonaws.com")
    org.register_delegated_administrator(
        AccountId=security, ServicePrincipal="inspector2.amazonaws.com"
    )

    spec.write(
        directory, security="security:\n  account: security\n  delegated_services: [inspector2]\n"
    )
    address = "delegated_admin:security/inspector2.amazonaws.com"
    assert _operations(lz, directory)[address]["action"] == "adopt"
    _apply(lz, directory)

    spec.write(directory, security="security:\n  account: security\n")
    operations = _operations(lz, directory)
    assert operations[address]["action"] == "forget"
    _apply(lz, directory)
    assert _delegated(aws, security) == {"inspector2.amazonaws.com"}
