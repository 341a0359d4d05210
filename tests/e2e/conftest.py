"""Run `lz` as a user does, against the emulator, and copy examples where they can be changed."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from landingzone.cli import main
from landingzone.emulator import Emulator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass
class Result:
    """What one `lz` invocation did."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout as JSON."""
        return json.loads(self.out)


def runner(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """`lz ARGS...` in-process, with the environment as it is; returns a Result."""

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def lz(emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Call `lz ARGS...` in-process with the emulator's environment; returns a Result."""
    for key, value in emulator.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    return runner(capsys)


@pytest.fixture
def example(tmp_path: Path):
    """Copy an example into a temporary directory (apply writes `.lz/` beside the spec)."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(EXAMPLES / name, target)
        return target

    return copy
