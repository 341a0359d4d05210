"""Plain boto3 clients against the emulator, as an AWS user would make them.

Tests check results with these, independently of lz's own readers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from landingzone.emulator import Emulator
from landingzone.emulator.identity import Identity

# No client-side retries: a test sees every error the emulator returns.
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


@dataclass
class Aws:
    """Clients for the management account, member accounts (through assumed roles) and
    standalone accounts outside the organization (with their own keys)."""

    emulator: Emulator
    region: str = "us-east-1"
    standalone: dict[str, Identity] = field(default_factory=dict)
    _clients: dict[tuple[str, str | None, str | None], Any] = field(default_factory=dict)

    def outsider(self, account_id: str) -> str:
        """An AWS account of another customer: its own IAM user and key, no organization."""
        identity = Identity.for_account(account_id)
        identity.install()
        self.standalone[account_id] = identity
        return account_id

    def client(self, service: str, account: str | None = None, region: str | None = None) -> Any:
        """A client acting as `account` (default: the management account), made once."""
        key = (service, account, region)
        if key not in self._clients:
            self._clients[key] = self._new_client(service, account, region)
        return self._clients[key]

    def _new_client(self, service: str, account: str | None, region: str | None) -> Any:
        env = self.emulator.env()
        credentials: dict[str, str] = {
            "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
        }
        if account in self.standalone:
            credentials = {
                "aws_access_key_id": self.standalone[account].access_key_id,
                "aws_secret_access_key": self.standalone[account].secret_access_key,
            }
        elif account is not None and account != self.emulator.management_account_id:
            assumed = self.client("sts").assume_role(
                RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                RoleSessionName="tests",
            )["Credentials"]
            credentials = {
                "aws_access_key_id": assumed["AccessKeyId"],
                "aws_secret_access_key": assumed["SecretAccessKey"],
                "aws_session_token": assumed["SessionToken"],
            }
        # S3 Control has an endpoint of its own (see Emulator.s3_control_endpoint).
        endpoint = env[
            "AWS_ENDPOINT_URL_S3_CONTROL" if service == "s3control" else "AWS_ENDPOINT_URL"
        ]
        return boto3.client(
            service,
            endpoint_url=endpoint,
            region_name=region or self.region,
            config=NO_RETRIES,
            **credentials,
        )

    def create_organization(self) -> str:
        """Create the organization (all features); returns the root id."""
        org = self.client("organizations")
        org.create_organization(FeatureSet="ALL")
        return str(org.list_roots()["Roots"][0]["Id"])

    def create_account(self, name: str) -> str:
        """Create a member account (no creation latency configured); returns its id."""
        status = self.client("organizations").create_account(
            Email=f"{name}@example.com", AccountName=name
        )["CreateAccountStatus"]
        assert status["State"] == "SUCCEEDED", status
        return str(status["AccountId"])

    def accounts(self) -> dict[str, dict[str, Any]]:
        """Member accounts by name."""
        org = self.client("organizations")
        found = {}
        for page in org.get_paginator("list_accounts").paginate():
            for account in page["Accounts"]:
                found[account["Name"]] = account
        return found

    def parent_path(self, child_id: str) -> str:
        """The OU path of an account or OU ("" for the root)."""
        org = self.client("organizations")
        parts: list[str] = []
        current = child_id
        while True:
            parent = org.list_parents(ChildId=current)["Parents"][0]
            if parent["Type"] == "ROOT":
                return "/".join(reversed(parts))
            parts.append(
                org.describe_organizational_unit(OrganizationalUnitId=parent["Id"])[
                    "OrganizationalUnit"
                ]["Name"]
            )
            current = parent["Id"]

    def policies_on(self, target_id: str) -> set[str]:
        """Names of the SCPs attached to a target."""
        org = self.client("organizations")
        return {
            p["Name"]
            for p in org.list_policies_for_target(
                TargetId=target_id, Filter="SERVICE_CONTROL_POLICY"
            )["Policies"]
        }

    def unit_id(self, path: str) -> str:
        """The ID of the OU at a path."""
        org = self.client("organizations")
        parent = org.list_roots()["Roots"][0]["Id"]
        for name in path.split("/"):
            units = org.list_organizational_units_for_parent(ParentId=parent)["OrganizationalUnits"]
            parent = next(u["Id"] for u in units if u["Name"] == name)
        return parent
