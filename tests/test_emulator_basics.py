"""The embedded AWS answers like AWS: an account's credentials see only that account."""

from __future__ import annotations

import boto3

from landingzone.emulator import Emulator


def test_assumed_role_credentials_belong_to_the_member_account(emulator: Emulator) -> None:
    env = emulator.env()
    kw = {
        "endpoint_url": env["AWS_ENDPOINT_URL"],
        "region_name": "us-west-2",
        "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
    }
    org = boto3.client("organizations", **kw)
    org.create_organization(FeatureSet="ALL")
    created = org.create_account(Email="dev@example.com", AccountName="dev")
    member = created["CreateAccountStatus"]["AccountId"]
    creds = boto3.client("sts", **kw).assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole",
        RoleSessionName="test",
    )["Credentials"]
    member_sts = boto3.client(
        "sts",
        endpoint_url=kw["endpoint_url"],
        region_name="us-west-2",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assert member_sts.get_caller_identity()["Account"] == member
