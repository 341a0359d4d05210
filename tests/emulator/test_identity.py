"""The printed credentials act as the management account; assumed roles as their accounts."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from landingzone.emulator import Emulator
from tests.aws import Aws

# The emulator answers with AWS's common errors (Throttling, AccessDenied) that the
# services' models do not list; moto warns about those on purpose-built errors.
pytestmark = pytest.mark.filterwarnings("ignore:Exception\\(EmulatorError\\):UserWarning")


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


def _assume(aws: Aws, role_arn: str) -> str:
    with pytest.raises(ClientError) as caught:
        aws.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="tests")
    return str(caught.value.response["Error"]["Code"])


def test_assume_role_needs_an_existing_role_that_trusts_the_caller(aws: Aws) -> None:
    aws.create_organization()
    member = aws.create_account("dev")
    assert _assume(aws, f"arn:aws:iam::{member}:role/NoSuchRole") == "AccessDenied"
    trust_other = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    aws.client("iam", account=member).create_role(
        RoleName="Partner", AssumeRolePolicyDocument=json.dumps(trust_other)
    )
    assert _assume(aws, f"arn:aws:iam::{member}:role/Partner") == "AccessDenied"
    aws.emulator.configure(refusals=False)
    aws.client("sts").assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/NoSuchRole", RoleSessionName="tests"
    )
