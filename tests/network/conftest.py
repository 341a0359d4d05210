"""Fixtures of the networking tests: the spec helpers of tests/spec."""

from __future__ import annotations

from tests.spec.conftest import _human_output, load_ok, problems_of, valid, write_spec

__all__ = ["_human_output", "load_ok", "problems_of", "valid", "write_spec"]
