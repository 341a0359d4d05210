"""Fixtures of the emulator's own tests."""

from __future__ import annotations

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws


@pytest.fixture
def aws(emulator: Emulator) -> Aws:
    """Clients for a freshly reset emulator."""
    return Aws(emulator)
