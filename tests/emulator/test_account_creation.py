"""CreateAccount is asynchronous, as in AWS: IN_PROGRESS first, the account afterwards."""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws


def _start(org: Any, name: str, email: str | None = None) -> dict[str, Any]:
    status = org.create_account(Email=email or f"{name}@example.com", AccountName=name)
    return dict(status["CreateAccountStatus"])


def _poll(org: Any, request_id: str) -> dict[str, Any]:
    return dict(
        org.describe_create_account_status(CreateAccountRequestId=request_id)["CreateAccountStatus"]
    )


def _account_names(org: Any) -> set[str]:
    return {a["Name"] for a in org.list_accounts()["Accounts"]}


def test_without_latency_an_account_exists_at_once(aws: Aws) -> None:
    aws.create_organization()
    org = aws.client("organizations")
    status = _start(org, "dev")
    assert status["State"] == "SUCCEEDED"
    assert _poll(org, status["Id"])["AccountId"] == status["AccountId"]
    assert "dev" in _account_names(org)


def test_an_account_is_in_progress_for_the_configured_polls(aws: Aws) -> None:
    aws.create_organization()
    aws.emulator.configure(account_creation={"polls": 2})
    org = aws.client("organizations")
    status = _start(org, "dev")
    assert status["State"] == "IN_PROGRESS" and "AccountId" not in status
    assert _poll(org, status["Id"])["State"] == "IN_PROGRESS"
    assert "dev" not in _account_names(org)
    assert _poll(org, status["Id"])["State"] == "IN_PROGRESS"
    done = _poll(org, status["Id"])
    assert done["State"] == "SUCCEEDED"
    assert done["CompletedTimestamp"] >= done["RequestedTimestamp"]
    assert "dev" in _account_names(org)
    member_sts = aws.client("sts", account=done["AccountId"])
    assert member_sts.get_caller_identity()["Account"] == done["AccountId"]


def test_an_account_is_in_progress_for_the_configured_time(aws: Aws) -> None:
    aws.create_organization()
    aws.emulator.configure(account_creation={"seconds": 0.3})
    org = aws.client("organizations")
    status = _start(org, "dev")
    assert _poll(org, status["Id"])["State"] == "IN_PROGRESS"
    time.sleep(0.35)
    assert "dev" in _account_names(org)  # completes without being polled
    assert _poll(org, status["Id"])["State"] == "SUCCEEDED"


def test_list_create_account_status_filters_by_state(aws: Aws) -> None:
    aws.create_organization()
    org = aws.client("organizations")
    _start(org, "done")
    aws.emulator.configure(account_creation={"polls": 5})
    pending = _start(org, "pending")
    in_progress = org.list_create_account_status(States=["IN_PROGRESS"])["CreateAccountStatuses"]
    assert [s["Id"] for s in in_progress] == [pending["Id"]]
    everything = org.list_create_account_status()["CreateAccountStatuses"]
    assert {s["AccountName"] for s in everything} == {"done", "pending"}


def test_an_email_in_use_fails_the_creation(aws: Aws) -> None:
    aws.create_organization()
    org = aws.client("organizations")
    _start(org, "dev", "team@example.com")
    failed = _start(org, "dev2", "TEAM@example.com")
    assert failed["State"] == "FAILED"
    assert failed["FailureReason"] == "EMAIL_ALREADY_EXISTS"
    assert "AccountId" not in failed
    assert _account_names(org) == {"master", "dev"}


def test_an_email_in_use_fails_only_when_the_creation_completes(aws: Aws) -> None:
    aws.create_organization()
    aws.emulator.configure(account_creation={"polls": 1})
    org = aws.client("organizations")
    first = _start(org, "one", "same@example.com")
    second = _start(org, "two", "same@example.com")
    assert second["State"] == "IN_PROGRESS"
    _poll(org, first["Id"])
    _poll(org, second["Id"])
    assert _poll(org, first["Id"])["State"] == "SUCCEEDED"
    assert _poll(org, second["Id"])["FailureReason"] == "EMAIL_ALREADY_EXISTS"


def test_too_many_creations_in_progress_are_refused(aws: Aws) -> None:
    aws.create_organization()
    aws.emulator.configure(account_creation={"polls": 1, "max_in_progress": 2})
    org = aws.client("organizations")
    first = _start(org, "a")
    _start(org, "b")
    with pytest.raises(ClientError) as caught:
        _start(org, "c")
    assert caught.value.response["Error"]["Code"] == "ConstraintViolationException"
    assert caught.value.response["Reason"] == "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED"
    _poll(org, first["Id"])
    _poll(org, first["Id"])
    assert _start(org, "c")["State"] == "IN_PROGRESS"


def test_an_unknown_request_id_is_not_found(aws: Aws) -> None:
    aws.create_organization()
    with pytest.raises(ClientError) as caught:
        _poll(aws.client("organizations"), "car-0123456789")
    assert caught.value.response["Error"]["Code"] == "CreateAccountStatusNotFoundException"
