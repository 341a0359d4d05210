"""The latency control: every AWS call takes at least the configured round trip."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from typer.testing import CliRunner

import landingzone
from landingzone.cli import _register_commands
from landingzone.cli.app import app
from landingzone.emulator import Emulator
from tests.aws import Aws

SRC = str(Path(landingzone.__file__).resolve().parents[1])


def _seconds(call: Callable[[], object]) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


# Only lower bounds are asserted: the delay is there. How fast a run is stays out of tests.


def test_latency_is_configured_per_call_and_per_service(aws: Aws) -> None:
    config = aws.emulator.configure(latency={"ms": 120, "services": {"sts": 0}})
    assert config["latency"] == {"ms": 120.0, "services": {"sts": 0.0}}
    org = aws.client("organizations")
    started = time.monotonic()
    with pytest.raises(ClientError, match="AWSOrganizationsNotInUseException"):
        org.describe_organization()  # an AWS error is a round trip too
    assert time.monotonic() - started >= 0.12
    aws.emulator.reset()
    assert aws.emulator.config()["latency"] == {"ms": 0.0, "services": {}}


def test_a_service_latency_replaces_the_default_for_that_service(aws: Aws) -> None:
    aws.create_organization()
    aws.emulator.configure(latency={"ms": 0, "services": {"organizations": 150}})
    assert _seconds(aws.client("organizations").list_roots) >= 0.15


def test_negative_or_huge_latencies_are_refused_with_the_reason(emulator: Emulator) -> None:
    with pytest.raises(ValueError, match=r"latency\.ms"):
        emulator.configure(latency={"ms": -1})
    with pytest.raises(ValueError, match="s3: -5"):
        emulator.configure(latency={"services": {"s3": -5}})
    with pytest.raises(ValueError, match=r"latency\.ms"):
        emulator.configure(latency={"ms": 600_000})
    assert emulator.config()["latency"]["ms"] == 0.0


def test_sim_latency_flag_is_the_default_that_resets_keep() -> None:
    env = {**os.environ, "PYTHONPATH": SRC, "LZ_EMULATOR_LATENCY_MS": "35"}
    code = "import sys; from landingzone.cli import main; main(sys.argv[1:])"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "sim", "--port", "0", "--service-latency", "sts=5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        endpoint = process.stdout.readline().strip().split("=", 1)[1]
        for method, path in (("GET", "/_lz/emulator/config"), ("POST", "/moto-api/reset")):
            request = urllib.request.Request(endpoint + path, method=method)
            urllib.request.urlopen(request, timeout=30).read()
        with urllib.request.urlopen(endpoint + "/_lz/emulator/config", timeout=30) as response:
            latency = json.loads(response.read())["latency"]
        assert latency == {"ms": 35.0, "services": {"sts": 5.0}}
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "35 ms" in stderr


def test_a_malformed_service_latency_is_refused() -> None:
    _register_commands()
    result = CliRunner().invoke(app, ["sim", "--service-latency", "organizations"])
    assert result.exit_code != 0
    assert "SERVICE=MS" in result.output
