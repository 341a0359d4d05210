"""`lz validate` and `lz describe`, run through the real entry point."""

from __future__ import annotations

import json

import pytest
from ruamel.yaml import YAML

from landingzone.cli import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def _broken(valid: dict[str, str]) -> dict[str, str]:
    accounts = valid["catalog/accounts.yaml"].replace("unit: plat", "unit: plat/workloads")
    root = valid["landingzone.yaml"].replace("account: shared", "account: nobody")
    return {**valid, "catalog/accounts.yaml": accounts, "landingzone.yaml": root}


def test_validate_prints_a_summary_and_exits_0(write_spec, valid, capsys):
    code, out, err = _run(capsys, "validate", str(write_spec({}, valid)))
    assert code == 0
    assert out == ""
    assert err.strip() == "ok: 2 accounts, 3 units, 2 policies from 5 files"


def test_validate_prints_every_problem_and_exits_1(write_spec, valid, capsys):
    code, out, err = _run(capsys, "validate", str(write_spec(_broken(valid))))
    assert code == 1
    assert out == ""
    assert "the spec has 2 problems" in err
    assert 'catalog/accounts.yaml:9: account "dev": unit "plat/workloads" does not exist' in err
    assert 'landingzone.yaml:8: state: account "nobody" does not exist' in err


def test_validate_json(write_spec, valid, capsys):
    root = write_spec({}, valid)
    code, out, _ = _run(capsys, "validate", str(root), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["valid"] is True
    assert (report["accounts"], report["units"], report["policies"]) == (2, 3, 2)
    assert len(report["fingerprint"]) == 64


def test_validate_json_lists_the_problems(write_spec, valid, capsys):
    code, out, err = _run(capsys, "validate", str(write_spec(_broken(valid))), "--json")
    assert code == 1
    assert err == ""
    report = json.loads(out)
    assert report["valid"] is False
    assert [(p["file"], p["line"]) for p in report["problems"]] == [
        ("catalog/accounts.yaml", 9),
        ("landingzone.yaml", 8),
    ]


def test_describe_prints_the_resolved_spec_as_yaml(write_spec, valid, capsys):
    code, out, _ = _run(capsys, "describe", str(write_spec({}, valid)))
    assert code == 0
    resolved = YAML(typ="safe").load(out)
    assert resolved["state"]["bucket"] == "acme-landingzone-state"  # a default, filled
    assert resolved["accounts"]["shared"]["id"] == "012345678901"  # still a string
    assert resolved["policies"]["protect"]["document"]["Version"] == "2012-10-17"
    assert "#" not in out


def test_describe_with_provenance_annotates_every_value(write_spec, valid, capsys):
    code, out, _ = _run(capsys, "describe", str(write_spec({}, valid)), "--provenance")
    assert code == 0
    lines = [line.strip() for line in out.splitlines()]
    assert any(
        line.startswith("email: aws+dev@example.com") and line.endswith("# catalog/accounts.yaml:8")
        for line in lines
    )
    assert any(
        line.startswith("- guardduty:Delete*") and line.endswith("# policies/protect.json:6")
        for line in lines
    )
    assert any(line.startswith("access_role:") and line.endswith("# default") for line in lines)
    # The comments do not change the data.
    assert YAML(typ="safe").load(out)["accounts"]["dev"]["unit"] == "plat"


def test_describe_json_has_spec_and_provenance(write_spec, valid, capsys):
    code, out, _ = _run(capsys, "describe", str(write_spec({}, valid)), "--json")
    assert code == 0
    document = json.loads(out)
    assert document["spec"]["accounts"]["dev"]["email"] == "aws+dev@example.com"
    assert document["provenance"]["accounts.dev.email"] == "catalog/accounts.yaml:8"
    assert document["provenance"]["accounts.dev.regions[1]"] == "catalog/accounts.yaml:10"


def test_describe_an_invalid_spec_reports_the_problems(write_spec, valid, capsys):
    code, out, _ = _run(capsys, "describe", str(write_spec(_broken(valid))), "--json")
    assert code == 1
    error = json.loads(out)["error"]
    assert error["code"] == "spec_invalid"
    assert len(error["problems"]) == 2


@pytest.mark.parametrize("command", ["validate", "describe"])
def test_help_explains_with_an_example(capsys, command):
    code, out, _ = _run(capsys, command, "--help")
    assert code == 0
    assert "Example" in out
    assert f"lz {command} ./landingzone" in out
