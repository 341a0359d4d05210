"""One botocore client per service and region serves every account.

Building a client costs ~10 ms of CPU, and a baselined organization reads a
dozen services in every account: sharing the client is what keeps a plan of
50 accounts from spending seconds on client construction. What must not
change with it: each account's calls are made with that account's
credentials, and are counted for that account."""

from __future__ import annotations

import pytest

from landingzone.aws.session import CredentialSource, Sessions
from landingzone.emulator import Emulator
from tests.aws import Aws


@pytest.fixture
def sessions(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Sessions:
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    return Sessions(
        credentials=CredentialSource(None, "test"),
        home_region="us-east-1",
        access_role="OrganizationAccountAccessRole",
    )


def test_each_account_calls_as_itself_through_one_shared_client(
    emulator: Emulator, sessions: Sessions
) -> None:
    aws = Aws(emulator)
    aws.create_organization()
    dev, prod = aws.create_account("dev"), aws.create_account("prod")
    management = sessions.management_account_id

    clients = {account: sessions.client("sts", account) for account in (None, dev, prod)}
    callers = {
        account: client.get_caller_identity()["Account"] for account, client in clients.items()
    }

    assert callers == {None: management, dev: dev, prod: prod}
    assert clients[dev].meta is clients[prod].meta is clients[None].meta  # one client
    counted = {
        account for (account, service, op) in sessions.counter.calls if op == "GetCallerIdentity"
    }
    assert {dev, prod} <= counted


def test_pages_and_writes_of_a_member_land_in_that_member(
    emulator: Emulator, sessions: Sessions
) -> None:
    aws = Aws(emulator)
    aws.create_organization()
    dev, prod = aws.create_account("dev"), aws.create_account("prod")

    sessions.client("iam", dev).create_role(RoleName="only-in-dev", AssumeRolePolicyDocument="{}")
    roles = {
        account: {
            role["RoleName"]
            for page in sessions.client("iam", account).get_paginator("list_roles").paginate()
            for role in page["Roles"]
        }
        for account in (dev, prod)
    }

    assert "only-in-dev" in roles[dev]
    assert "only-in-dev" not in roles[prod]
    plain = {r["RoleName"] for r in aws.client("iam", dev).list_roles()["Roles"]}
    assert "only-in-dev" in plain
    assert sessions.counter.calls[(prod, "iam", "ListRoles")] >= 1
