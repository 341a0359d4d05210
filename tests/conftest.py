"""Shared fixtures: one embedded AWS per test worker, reset before every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from landingzone.emulator import Emulator


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[Emulator]:
    """The emulator process-wide for this worker (started once: it takes ~1 s)."""
    with Emulator() as emu:
        yield emu


@pytest.fixture
def emulator(emulator_server: Emulator) -> Emulator:
    """A freshly reset emulator: no organization, no accounts, nothing."""
    emulator_server.reset()
    return emulator_server
