"""AssumeRoleWithWebIdentity as AWS answers it (emulator/sts_compat.py): into a role
that trusts an identity provider, for a duration between 900 s and the role's maximum."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from landingzone.emulator import Emulator
from tests.aws import NO_RETRIES, Aws

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmEvYjplbnZpcm9ubWVudDpwcm9kIn0.c2ln"


def oidc_role(aws: Aws, name: str, federated: bool = True) -> str:
    iam = aws.client("iam")
    if federated:
        principal = {
            "Federated": iam.create_open_id_connect_provider(
                Url=f"https://{name}.example", ClientIDList=["sts.amazonaws.com"]
            )["OpenIDConnectProviderArn"]
        }
        action = "sts:AssumeRoleWithWebIdentity"
    else:
        principal, action = {"Service": "ec2.amazonaws.com"}, "sts:AssumeRole"
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": principal, "Action": action}],
    }
    return str(
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    )


def assume(emulator: Emulator, role_arn: str, seconds: int = 900) -> Any:
    # No credentials: the token is the credential (the call is not signed).
    client = boto3.client(
        "sts",
        endpoint_url=emulator.env()["AWS_ENDPOINT_URL"],
        region_name="us-east-1",
        # No client-side validation: the emulator must refuse what AWS refuses.
        config=NO_RETRIES.merge(Config(signature_version=UNSIGNED, parameter_validation=False)),
    )
    return client.assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="ci", WebIdentityToken=TOKEN, DurationSeconds=seconds
    )


def test_a_role_trusting_an_identity_provider_gives_a_session(emulator: Emulator):
    role = oidc_role(Aws(emulator), "deploy")
    answer = assume(emulator, role)
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/deploy/ci")
    assert answer["Credentials"]["AccessKeyId"]


@pytest.mark.parametrize(
    ("name", "federated", "seconds", "code"),
    [
        ("missing", True, 900, "AccessDenied"),
        ("service-role", False, 900, "AccessDenied"),
        ("short", True, 600, "ValidationError"),
        ("long", True, 7200, "ValidationError"),  # over the role's default maximum (1 hour)
    ],
)
def test_aws_refuses_what_the_role_does_not_allow(
    emulator: Emulator, name: str, federated: bool, seconds: int, code: str
):
    aws = Aws(emulator)
    role = oidc_role(aws, name, federated)
    if name == "missing":  # a role that does not exist, in an account that does
        role = role.replace(":role/missing", ":role/gone")
    with pytest.raises(ClientError) as caught:
        assume(emulator, role, seconds)
    assert caught.value.response["Error"]["Code"] == code
