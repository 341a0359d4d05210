"""AWS Control Tower's landing zone API, which moto 5.2.5 lacks entirely: a minimal service.

Served beside moto (`EmulatorApp` hands it the requests signed for
`controltower`), in AWS's REST-JSON shapes. It keeps what a landing zone
*says*, so that tools reading one (`lz import`) can be tested; it does not
build what Control Tower builds (no OUs, accounts, trails or guardrails:
tests make those by hand). As in AWS
(https://docs.aws.amazon.com/controltower/latest/APIReference/API_CreateLandingZone.html,
`GetLandingZone`, `ListLandingZones`, `DeleteLandingZone`; the manifest:
https://docs.aws.amazon.com/controltower/latest/userguide/lz-api-launch.html):

- Only the management account of an organization may call it; any other
  caller is `AccessDeniedException`.
- CreateLandingZone with `version` and `manifest` (kept as given: its
  `organizationStructure` names the Security and Sandbox OUs,
  `centralizedLogging.accountId` the log archive, `securityRoles.accountId`
  the audit account); one landing zone per organization (a second is
  `ConflictException`); status ACTIVE at once, drift status IN_SYNC.
- GetLandingZone by ARN (`ResourceNotFoundException` for an unknown one),
  ListLandingZones (at most one), DeleteLandingZone.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from landingzone.emulator.constants import PARTITION
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.wire import (
    AwsCall,
    EmulatorError,
    json_answer,
    not_emulated,
    request_region,
)

SERVICE = "controltower"
Answer = tuple[int, dict[str, str], bytes]


@dataclass
class LandingZone:
    """The landing zone of one organization."""

    arn: str
    version: str
    manifest: dict[str, Any]

    def detail(self) -> dict[str, Any]:
        """GetLandingZone's `landingZone`."""
        return {
            "arn": self.arn,
            "version": self.version,
            "latestAvailableVersion": self.version,
            "manifest": self.manifest,
            "status": "ACTIVE",
            "driftStatus": {"status": "IN_SYNC"},
        }


# management account ID -> its landing zone; cleared on reset.
_LANDING_ZONES: dict[str, LandingZone] = {}


def reset() -> None:
    """Forget every landing zone (after moto's reset)."""
    _LANDING_ZONES.clear()


def _management(account_id: str) -> str:
    view = OrganizationView.of(account_id)
    if view is None or view.management_account_id != account_id:
        raise EmulatorError(
            "AccessDeniedException",
            "AWS Control Tower's landing zone API is called from the management account "
            "of an organization",
        )
    return account_id


def _create(account_id: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
    management = _management(account_id)
    if management in _LANDING_ZONES:
        raise EmulatorError("ConflictException", "A landing zone already exists")
    manifest = body.get("manifest")
    if not isinstance(manifest, dict) or not body.get("version"):
        raise EmulatorError("ValidationException", "version and manifest are required")
    arn = f"arn:{PARTITION}:controltower:{region}:{management}:landingzone/{uuid.uuid4().hex[:16]}"
    _LANDING_ZONES[management] = LandingZone(arn, str(body["version"]), manifest)
    return {"arn": arn, "operationIdentifier": str(uuid.uuid4())}


def _named(account_id: str, body: dict[str, Any]) -> LandingZone:
    found = _LANDING_ZONES.get(_management(account_id))
    if found is None or found.arn != body.get("landingZoneIdentifier"):
        raise EmulatorError("ResourceNotFoundException", "The landing zone does not exist")
    return found


def _get(account_id: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"landingZone": _named(account_id, body).detail()}


def _list(account_id: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
    found = _LANDING_ZONES.get(_management(account_id))
    return {"landingZones": [{"arn": found.arn}] if found else []}


def _delete(account_id: str, region: str, body: dict[str, Any]) -> dict[str, Any]:
    _named(account_id, body)
    del _LANDING_ZONES[account_id]
    return {"operationIdentifier": str(uuid.uuid4())}


_OPERATIONS: dict[str, Callable[[str, str, dict[str, Any]], dict[str, Any]]] = {
    "CreateLandingZone": _create,
    "GetLandingZone": _get,
    "ListLandingZones": _list,
    "DeleteLandingZone": _delete,
}


def answer(call: AwsCall, environ: dict[str, Any]) -> Answer:
    """Status, headers and body of a Control Tower request."""
    operation = call.operation_model.name if call.operation_model else ""
    handler = _OPERATIONS.get(operation)
    if handler is None or call.operation_model is None:
        return not_emulated(operation)
    raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    region = request_region(environ) or "us-east-1"
    return json_answer(call, lambda: handler(call.key.account, region, json.loads(raw or b"{}")))
