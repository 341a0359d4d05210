"""Plain boto3 clients against the emulator, for checking results independently of lz."""

from __future__ import annotations

from typing import Any

import boto3

from landingzone.emulator import Emulator


class Aws:
    """boto3 clients for the management account or, by assume-role, a member account."""

    def __init__(self, emulator: Emulator, region: str = "us-west-2"):
        env = emulator.env()
        self.endpoint = env["AWS_ENDPOINT_URL"]
        self.region = region
        self.keys = {
            "aws_access_key_id": env["AWS_ACCESS_KEY_ID"],
            "aws_secret_access_key": env["AWS_SECRET_ACCESS_KEY"],
        }

    def client(self, service: str, account_id: str | None = None, region: str | None = None) -> Any:
        """A client in the management account, or in `account_id` via its access role."""
        keys: dict[str, str] = dict(self.keys)
        if account_id is not None:
            creds = self.client("sts").assume_role(
                RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole",
                RoleSessionName="test-check",
            )["Credentials"]
            keys = {
                "aws_access_key_id": creds["AccessKeyId"],
                "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"],
            }
        return boto3.client(
            service, endpoint_url=self.endpoint, region_name=region or self.region, **keys
        )

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
