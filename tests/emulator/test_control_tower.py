"""AWS Control Tower's landing zone API, which moto lacks: what a landing zone says."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

MANIFEST = {
    "governedRegions": ["us-east-1"],
    "organizationStructure": {"security": {"name": "Security"}, "sandbox": {"name": "Sandbox"}},
    "centralizedLogging": {"accountId": "111111111111", "enabled": True},
    "securityRoles": {"accountId": "222222222222"},
}


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_a_landing_zone_is_listed_and_read_back_with_its_manifest(aws: Aws):
    aws.create_organization()
    control_tower = aws.client("controltower")
    assert control_tower.list_landing_zones()["landingZones"] == []
    arn = control_tower.create_landing_zone(version="3.3", manifest=MANIFEST)["arn"]
    assert control_tower.list_landing_zones()["landingZones"] == [{"arn": arn}]
    detail = control_tower.get_landing_zone(landingZoneIdentifier=arn)["landingZone"]
    assert (detail["status"], detail["version"], detail["manifest"]) == ("ACTIVE", "3.3", MANIFEST)
    assert _refused(control_tower.create_landing_zone, version="3.3", manifest=MANIFEST) == (
        "ConflictException"
    )
    control_tower.delete_landing_zone(landingZoneIdentifier=arn)
    assert _refused(control_tower.get_landing_zone, landingZoneIdentifier=arn) == (
        "ResourceNotFoundException"
    )


def test_only_the_management_account_may_call_it(aws: Aws):
    aws.create_organization()
    member = aws.create_account("member")
    assert _refused(aws.client("controltower", member).list_landing_zones) == (
        "AccessDeniedException"
    )
