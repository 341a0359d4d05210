"""An account whose creation (started by a killed run) finished after this run read
the organization: CreateAccount fails with EMAIL_ALREADY_EXISTS, and lz takes over
the account it made instead of failing, so the next apply converges without a
person. Someone else's account with the e-mail stays an error
(tests/e2e/test_apply_robustness.py)."""

from __future__ import annotations

import pytest

from landingzone.aws.context import Context, Settings
from landingzone.aws.session import CredentialSource, Sessions
from landingzone.emulator import Emulator
from landingzone.nodes import Node
from landingzone.resources.base import kind
from tests.aws import Aws


@pytest.fixture
def ctx(emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Context:
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    sessions = Sessions(
        credentials=CredentialSource(None, "test"),
        home_region="us-east-1",
        access_role="OrganizationAccountAccessRole",
    )
    settings = Settings("acme", "us-east-1", "OrganizationAccountAccessRole")
    settings.poll_interval = 0.01
    return Context(sessions=sessions, settings=settings)


def account_node(name: str, email: str) -> Node:
    desired = {"name": name, "email": email, "unit": "", "policies": [], "tags": {}}
    return Node(address=f"account:{name}", kind="account", name=name, desired=desired)


def test_an_account_created_meanwhile_is_adopted_not_refused(emulator: Emulator, ctx: Context):
    aws = Aws(emulator)
    aws.create_organization()
    # The killed run's creation, finished after this run read the organization: lz's
    # name, e-mail and ManagedBy tag.
    existing = aws.client("organizations").create_account(
        Email="dev@example.com",
        AccountName="dev",
        Tags=[{"Key": "ManagedBy", "Value": "landingzone"}],
    )["CreateAccountStatus"]["AccountId"]
    node = account_node("dev", "dev@example.com")

    found = kind("account").create(ctx, node, node.desired)

    assert found.id == existing
    assert [a["Id"] for a in aws.accounts().values() if a["Email"] == "dev@example.com"] == [
        existing
    ]
