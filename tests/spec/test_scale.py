"""A 100-account spec spread over 42 files (imports, globs, JSON policies) loads whole.

Its speed is measured by benchmarks/spec_load.py, not asserted here.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.spec_load import write_big_spec

from landingzone.validate import load_spec


def test_a_100_account_spec_in_42_files_loads_whole(tmp_path: Path) -> None:
    loaded = load_spec(write_big_spec(tmp_path, 100))
    assert len(loaded.spec.accounts) == 100
    assert len(loaded.files) == 42
    assert loaded.spec.accounts["a99"].unit == "u3/sub0"
    assert loaded.spec.policies["p3"].document["Statement"][7]["Sid"] == "S7"
