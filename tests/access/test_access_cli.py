"""`lz access simulate` through `landingzone.cli.main`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from landingzone.cli import main

from .corpus import ADMIN, request


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    captured = capsys.readouterr()
    output = json.loads(captured.out) if captured.out.strip() else None
    return int(exited.value.code or 0), output, captured.err


def write(tmp_path: Path, document: Any) -> str:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_one_request_prints_one_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output, _ = run(
        ["access", "simulate", "--request", write(tmp_path, request(identity_policies=ADMIN))],
        capsys,
    )
    assert code == 0
    assert output["decision"] == "allowed"
    assert output["decided_by"]["policy"] == "identity_policies[0]"


def test_a_list_prints_an_array_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = [request(), request(identity_policies=ADMIN), request(action="s3:PutObject")]
    code, output, _ = run(["access", "simulate", "--request", write(tmp_path, requests)], capsys)
    assert code == 0
    assert [item["decision"] for item in output] == [
        "implicitly_denied",
        "allowed",
        "implicitly_denied",
    ]


def test_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(request(identity_policies=ADMIN))))
    code, output, _ = run(["access", "simulate", "--request", "-"], capsys)
    assert code == 0
    assert output["decision"] == "allowed"


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (request(surprise=1), "unknown request key 'surprise'"),
        (
            request(identity_policies=[{"Statement": {"Effect": "Allow", "Action": "s3:*"}}]),
            "needs Resource or NotResource",
        ),
    ],
)
def test_malformed_input_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], document: Any, message: str
) -> None:
    code, output, err = run(["access", "simulate", "--request", write(tmp_path, document)], capsys)
    assert code == 1
    assert output is None
    assert message in err


def test_invalid_json_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    code, _, err = run(["access", "simulate", "--request", str(path)], capsys)
    assert code == 1
    assert "not valid JSON" in err


def test_missing_file_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["access", "simulate", "--request", str(tmp_path / "nope.json")], capsys)
    assert code == 1
    assert "cannot read request file" in err


def test_missing_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(["access", "simulate"], capsys)
    assert code == 64


def test_a_batch_with_a_bad_request_prints_every_answer_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    requests = [request(identity_policies=ADMIN), request(surprise=1)]
    code, output, _ = run(["access", "simulate", "--request", write(tmp_path, requests)], capsys)
    assert code == 1
    assert output[0]["decision"] == "allowed"
    assert "unknown request key 'surprise'" in output[1]["error"]["message"]
