"""Apply an example to the emulator and export it, as a user would, through the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from landingzone.cli import main
from landingzone.emulator import Emulator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ALL_EXAMPLES = ("codewilling", "coalition", "cloudposse")

Run = Callable[..., int]


def run_lz(*args: str | Path) -> int:
    """`lz ARGS...` in-process; the exit code."""
    try:
        main([str(a) for a in args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture(scope="module")
def emulated(emulator_server: Emulator) -> Iterator[Emulator]:
    """The worker's emulator, with its environment set for this module's tests."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in emulator_server.env().items():
            patch.setenv(key, value)
        patch.delenv("AWS_PROFILE", raising=False)
        yield emulator_server


def applied_copy(name: str, target: Path) -> Path:
    """A copy of an example under `target`, applied to the (freshly reset) emulator."""
    spec_dir = target / "spec" / name
    shutil.copytree(EXAMPLES / name, spec_dir)
    assert run_lz("apply", spec_dir, "--auto-approve", "--approve-protected") == 0
    return spec_dir
