"""The compatibility layer installs once, survives resets and fails loudly on a changed moto."""

from __future__ import annotations

from typing import Any

import moto.organizations.urls
import pytest
from botocore.exceptions import ClientError
from moto.organizations.models import organizations_backends
from moto.ram.responses import ResourceAccessManagerResponse

from landingzone.emulator import Emulator, compat
from landingzone.emulator.delegation_compat import DelegationBackend
from landingzone.emulator.patching import MotoInternalsChanged, overrides, routes_to, use_backend
from tests.aws import Aws


def test_a_method_moto_no_longer_has_fails_the_install(emulator: Emulator) -> None:
    class Renamed(DelegationBackend):
        @overrides
        def create_acount(self, **kwargs: Any) -> None:
            """A typo, or a method moto renamed."""

    with pytest.raises(MotoInternalsChanged, match="create_acount"):
        use_backend(organizations_backends, Renamed)
    assert organizations_backends.backend is DelegationBackend


def test_responses_must_extend_the_class_moto_routes_to() -> None:
    with pytest.raises(MotoInternalsChanged, match="OrganizationsResponse"):
        routes_to(moto.organizations.urls, ResourceAccessManagerResponse)


def test_installing_again_and_resetting_keep_the_behaviour(aws: Aws) -> None:
    compat.install()
    aws.emulator.reset()
    root = aws.create_organization()
    org = aws.client("organizations")
    org.create_organizational_unit(ParentId=root, Name="core")
    with pytest.raises(ClientError) as caught:
        org.create_organizational_unit(ParentId=root, Name="core")
    assert caught.value.response["Error"]["Code"] == "DuplicateOrganizationalUnitException"
