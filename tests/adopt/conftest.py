"""`lz` run in-process against the emulator, and the examples copied: as in tests/e2e.

`handmade_import` builds the hand-made organization (tests/adopt/handmade.py)
and imports it once per module; `lz_as_is` runs `lz` without resetting the
emulator, for the tests that only read what that import left.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from landingzone.adopt.run import run_import
from landingzone.emulator import Emulator
from tests.adopt.handmade import build
from tests.aws import Aws
from tests.e2e.conftest import Result, example, lz, runner  # noqa: F401

ALL_LAYERS = "roles,ci,network,baselines"


@pytest.fixture(scope="module")
def handmade_import(
    emulator_server: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """The hand-made organization, imported with every layer into a directory."""
    emulator_server.reset()
    saved = dict(os.environ)
    os.environ.update(emulator_server.env())
    os.environ.pop("AWS_PROFILE", None)
    try:
        build(Aws(emulator_server))
        out = tmp_path_factory.mktemp("handmade") / "imported"
        run_import(
            out,
            name="handmade",
            home_region="us-east-1",
            profile=None,
            endpoint_url=None,
            include=ALL_LAYERS.split(","),
        )
        yield out
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.fixture
def lz_as_is(
    handmade_import: Path,
    emulator_server: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Callable[..., Result]:
    """`lz ARGS...` against the emulator as the module's import left it (no reset)."""
    for key, value in emulator_server.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return runner(capsys)
