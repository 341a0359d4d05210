"""AWS that cannot be reached, or an endpoint that is not AWS: one clear line, exit 1.

Each command runs as a user runs it (a process of its own), against a port
nothing listens on or a path of the emulator that answers with an HTML page.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from landingzone.aws.session import aws_error
from landingzone.emulator import Emulator

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "codewilling"
COMMANDS = {
    "plan": ["plan", str(EXAMPLE)],
    "apply": ["apply", str(EXAMPLE), "--auto-approve"],
    "export": ["export", "terraform", "OUT", str(EXAMPLE)],
    "drift": ["drift", str(EXAMPLE)],
}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run_all(env: dict[str, str], tmp_path: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every command at once (each waits out botocore's retries), as separate processes."""
    started = {
        name: subprocess.Popen(
            [sys.executable, "-c", "from landingzone.cli import main; main()"]
            + [str(tmp_path / "out") if arg == "OUT" else arg for arg in args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in COMMANDS.items()
    }
    results = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=180)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


def test_unreachable_aws_is_one_line_naming_endpoint_and_credentials(tmp_path: Path):
    url = f"http://127.0.0.1:{_closed_port()}"
    env = {
        **os.environ,
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
    }
    env.pop("AWS_PROFILE", None)
    for name, result in _run_all(env, tmp_path).items():
        assert result.returncode == 1, name
        assert "Traceback" not in result.stderr, name
        lines = result.stderr.strip().splitlines()
        assert lines == [lines[0]], f"{name}: {result.stderr}"
        assert lines[0].startswith(f"error: cannot reach AWS STS at {url}/ (AWS_ENDPOINT_URL)")
        assert "with credentials from the environment" in lines[0]
        assert "Connection refused" in lines[0]
    assert not (tmp_path / "out").exists()


def test_an_endpoint_answering_html_is_summarised_not_shown(emulator: Emulator):
    # A path of the emulator that is not an AWS API: a 404 HTML page.
    env = {**os.environ, **emulator.env()}
    env["AWS_ENDPOINT_URL"] = f"http://{emulator.host}:{emulator.port}/not-aws/"
    result = subprocess.run(
        [sys.executable, "-c", "from landingzone.cli import main; main()", "plan", str(EXAMPLE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 1
    assert "<" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "error: sts:GetCallerIdentity: HTTP 404 Not Found: the endpoint answered with an HTML "
        "page, not like AWS (check the endpoint URL, the region and any proxy)"
    )


def test_an_html_error_page_from_aws_calls_becomes_its_status(emulator: Emulator):
    # The emulator answers an API of a region it does not know with a 500 HTML page.
    client = boto3.client(
        "guardduty",
        region_name="us-east-9",
        endpoint_url=f"http://{emulator.host}:{emulator.port}",
        aws_access_key_id="AKIAEXAMPLE",
        aws_secret_access_key="secret",
    )
    with pytest.raises(Exception) as raised:
        client.list_detectors()
    error = aws_error(raised.value, account="111111111111", region="us-east-9", resource="detector")
    assert str(error) == (
        "detector: HTTP 500 Internal Server Error: the endpoint answered with an HTML page, not "
        "like AWS (check the endpoint URL, the region and any proxy) (account 111111111111, "
        "region us-east-9, resource detector)"
    )
    assert error.aws_code is None
