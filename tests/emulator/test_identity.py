"""The printed credentials act as the management account; assumed roles as their accounts."""

from __future__ import annotations

import boto3
import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws


def test_env_credentials_belong_to_the_management_account(aws: Aws) -> None:
    identity = aws.client("sts").get_caller_identity()
    assert identity["Account"] == "123456789012"
    assert identity["Arn"] == "arn:aws:iam::123456789012:user/lz-sim-admin"
    assert aws.emulator.env()["AWS_ACCESS_KEY_ID"] == "AKIA123456789012LZSM"


def test_the_management_account_owns_the_organization(aws: Aws) -> None:
    aws.create_organization()
    organization = aws.client("organizations").describe_organization()["Organization"]
    assert organization["MasterAccountId"] == "123456789012"


def test_identity_survives_reset(aws: Aws) -> None:
    aws.create_organization()
    aws.emulator.reset()
    assert aws.client("sts").get_caller_identity()["Account"] == "123456789012"
    aws.create_organization()


def test_a_chosen_management_account_and_its_members() -> None:
    with Emulator(management_account_id="210987654321") as emulator:
        aws = Aws(emulator)
        assert emulator.env()["AWS_ACCESS_KEY_ID"] == "AKIA210987654321LZSM"
        assert aws.client("sts").get_caller_identity()["Account"] == "210987654321"
        aws.create_organization()
        member = aws.create_account("dev")
        assert aws.client("sts", account=member).get_caller_identity()["Account"] == member
        organization = aws.client("organizations", account=member).describe_organization()
        assert organization["Organization"]["MasterAccountId"] == "210987654321"
        emulator.reset()
        assert aws.client("sts").get_caller_identity()["Account"] == "210987654321"


def test_an_account_id_has_twelve_digits() -> None:
    with pytest.raises(ValueError, match="12 digits"):
        Emulator(management_account_id="1234")


def test_env_works_as_process_environment(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in aws.emulator.env().items():
        monkeypatch.setenv(name, value)
    assert boto3.client("sts").get_caller_identity()["Account"] == "123456789012"
