"""Helpers for spec tests: write spec files into a temporary directory, load them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from landingzone import ui
from landingzone.errors import SpecInvalid
from landingzone.spec.loader import LoadedSpec
from landingzone.validate import load_spec

# A small valid landing zone: the base that tests break one rule at a time.
_VALID = {
    "landingzone.yaml": """\
        import:
          - catalog/*.yaml
        organization:
          name: acme
          home_region: us-west-2
          policies: [deny-leave]
        state:
          account: shared
        """,
    "catalog/units.yaml": """\
        units:
          core:
            policies: [deny-leave]
          plat:
            policies: [protect]
          plat/sandbox: {}
        """,
    "catalog/accounts.yaml": """\
        accounts:
          shared:
            email: aws+shared@example.com
            unit: core
            id: "012345678901"
            alias: acme-shared
          dev:
            email: aws+dev@example.com
            unit: plat
            regions: [us-west-2, eu-central-1]
            policies: [protect]
        """,
    "catalog/policies.yaml": """\
        policies:
          deny-leave:
            document:
              Version: "2012-10-17"
              Statement:
                - Effect: Deny
                  Action: organizations:LeaveOrganization
                  Resource: "*"
          protect:
            file: ../policies/protect.json
        """,
    "policies/protect.json": """\
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Deny",
              "Action": ["cloudtrail:StopLogging", "guardduty:Delete*"],
              "Resource": "*"
            }
          ]
        }
        """,
}
VALID = {name: textwrap.dedent(text) for name, text in _VALID.items()}

WriteSpec = Callable[..., Path]


@pytest.fixture
def write_spec(tmp_path: Path) -> WriteSpec:
    """`write_spec({"name.yaml": text, ...}, base=None)`: write `base` and then
    `files` (dedented) into the test's directory; returns the directory."""

    def write(files: dict[str, str], base: dict[str, str] | None = None) -> Path:
        for name, text in {**(base or {}), **files}.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text))
        return tmp_path

    return write


@pytest.fixture
def valid() -> dict[str, str]:
    """The files of a small valid landing zone, to break one rule at a time."""
    return dict(VALID)


def _problems_of(path: Path) -> list[str]:
    with pytest.raises(SpecInvalid) as caught:
        load_spec(path)
    return [str(problem) for problem in caught.value.problems]


def _load_ok(path: Path) -> LoadedSpec:
    try:
        return load_spec(path)
    except SpecInvalid as exc:  # shown only when a test fails
        pytest.fail(str(exc))


@pytest.fixture
def problems_of() -> Callable[[Path], list[str]]:
    """Every problem `load_spec` reports, as `file:line: message`; fails if the spec loads."""
    return _problems_of


@pytest.fixture
def load_ok() -> Callable[[Path], LoadedSpec]:
    """Load a spec that must be valid; fails showing its problems if it is not."""
    return _load_ok


@pytest.fixture(autouse=True)
def _human_output() -> Iterator[None]:
    """Commands set the process-wide --json mode; start and end every test without it."""
    ui.mode.json = False
    yield
    ui.mode.json = False
