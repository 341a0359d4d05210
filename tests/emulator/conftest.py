"""Fixtures of the emulator's own tests."""

from __future__ import annotations

from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws


@pytest.fixture
def aws(emulator: Emulator) -> Aws:
    """Clients for a freshly reset emulator."""
    return Aws(emulator)


@pytest.fixture
def org(aws: Aws) -> Any:
    """An organization, as its management account's Organizations client."""
    aws.create_organization()
    return aws.client("organizations")


@pytest.fixture
def root(org: Any) -> str:
    """The organization's root ID."""
    return str(org.list_roots()["Roots"][0]["Id"])
