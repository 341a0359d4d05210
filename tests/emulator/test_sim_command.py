"""`lz sim`: runs in the foreground, prints the environment, stops on Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from typer.testing import CliRunner

import landingzone
from landingzone.cli import _register_commands
from landingzone.cli.app import app

SRC = str(Path(landingzone.__file__).resolve().parents[1])


def _lz(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    code = "import sys; from landingzone.cli import main; main(sys.argv[1:])"
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def sim() -> Iterator[subprocess.Popen[str]]:
    process = _lz("sim", "--port", "0", "--management-account-id", "111122223333")
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def _exports(process: subprocess.Popen[str]) -> dict[str, str]:
    assert process.stdout is not None
    exports = {}
    while len(exports) < 5:
        line = process.stdout.readline()
        assert line.startswith("export "), line
        name, value = line.removeprefix("export ").strip().split("=", 1)
        exports[name] = value
    return exports


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_sim_prints_the_environment_and_stops_on_a_signal(
    sim: subprocess.Popen[str], stop_signal: int
) -> None:
    exports = _exports(sim)
    assert set(exports) == {
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3_CONTROL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
    }
    sts = boto3.client(
        "sts",
        endpoint_url=exports["AWS_ENDPOINT_URL"],
        region_name=exports["AWS_DEFAULT_REGION"],
        aws_access_key_id=exports["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=exports["AWS_SECRET_ACCESS_KEY"],
    )
    assert sts.get_caller_identity()["Account"] == "111122223333"
    sim.send_signal(stop_signal)
    _, stderr = sim.communicate(timeout=10)
    assert sim.returncode == 0
    assert "lz plan examples/codewilling" in stderr
    assert "stopped" in stderr


def test_sim_reports_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        process = _lz("sim", "--port", str(taken.getsockname()[1]))
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "cannot listen on 127.0.0.1" in stderr


def test_sim_refuses_a_malformed_account_id() -> None:
    _register_commands()
    result = CliRunner().invoke(app, ["sim", "--management-account-id", "42"])
    assert result.exit_code != 0
    assert "12 digits" in result.output


def test_sim_help_teaches_how_to_use_it() -> None:
    _register_commands()
    result = CliRunner().invoke(app, ["sim", "--help"])
    assert result.exit_code == 0
    for words in ("export", "--management-account-id", "Ctrl-C", "/_lz/emulator/config"):
        assert words in result.output
