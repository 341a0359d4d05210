"""moto finds a request's backend without listing its package directory every time."""

from __future__ import annotations

import os

import pytest
from moto import backends

from landingzone.emulator import Emulator
from tests.aws import Aws


def test_the_module_list_is_read_once(emulator: Emulator, monkeypatch: pytest.MonkeyPatch):
    guardduty = Aws(emulator).client("guardduty")
    guardduty.list_detectors()  # moto sets up the service's application once
    modules = list(backends.list_of_moto_modules())
    assert {"s3", "guardduty", "organizations"} <= set(modules)

    moto_dir = os.path.dirname(backends.__file__)
    listdir = os.listdir

    def no_listing(path: str) -> list[str]:
        assert os.path.realpath(path) != os.path.realpath(moto_dir), "moto listed itself again"
        return listdir(path)

    monkeypatch.setattr(os, "listdir", no_listing)
    assert list(backends.list_of_moto_modules()) == modules
    assert guardduty.list_detectors()["DetectorIds"] == []  # routed without listing
