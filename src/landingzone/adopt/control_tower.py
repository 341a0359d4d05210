"""Control Tower's landing zone, as `lz import` recognises it: what it set up is external.

Control Tower says what it set up in its landing zone's manifest
(ListLandingZones and GetLandingZone, in the management account and the
home region; https://docs.aws.amazon.com/controltower/latest/userguide/lz-api-launch.html):
the Security OU (`organizationStructure.security.name`) with the log
archive (`centralizedLogging.accountId`) and audit (`securityRoles.accountId`)
accounts, and the Sandbox OU (`organizationStructure.sandbox.name`). Those
units and every account in them are written with `external: true`: lz reads
them and never moves, renames, tags or closes them, and imports none of
their baseline settings (Control Tower keeps those). Guardrail SCPs
(`aws-guardrails-*`), roles and stack sets are recognised by name
(`adopt/owners.py`). An organization whose guardrails say Control Tower is
there, but whose landing zone AWS does not show (no permission, or an older
landing zone), gets a report line saying what to mark by hand.

Calls: ListLandingZones, and GetLandingZone when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from landingzone.adopt.owners import CONTROL_TOWER, owner_of
from landingzone.adopt.read import LiveOrg
from landingzone.adopt.report import OWNED, UNREADABLE, Note
from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import MANAGEMENT

# The manifest's foundational OUs, and what each is for.
FOUNDATIONAL = {"security": "Security OU", "sandbox": "Sandbox OU"}
ACCOUNTS = {"centralizedLogging": "log archive account", "securityRoles": "audit account"}


@dataclass
class ControlTower:
    """What Control Tower set up, by resource ID, and the report's lines about it."""

    landing_zone: str | None = None  # its ARN
    version: str | None = None
    external: dict[str, str] = field(default_factory=dict)  # unit or account ID -> its role
    notes: list[Note] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The report header's line."""
        if self.landing_zone is None:
            return "none found"
        return f"landing zone {self.landing_zone} (version {self.version})"


def recognise(ctx: Context, live: LiveOrg, region: str) -> ControlTower:
    """The landing zone and what it set up (see the module docstring)."""
    found = ControlTower()
    guardrails = sorted(
        p.name for p in live.snap.policies.values() if owner_of(p.name) == CONTROL_TOWER
    )
    try:
        manifest = _manifest(ctx, region, found)
    except AwsError as exc:
        found.notes.append(
            Note(
                UNREADABLE,
                "Control Tower's landing zone (ListLandingZones, GetLandingZone)",
                f"{exc.aws_code or 'error'}: {exc}. Skipped: which OUs and accounts Control "
                "Tower set up; they are written as lz's, so mark them `external: true` by hand",
            )
        )
        return found
    if manifest is None:
        if guardrails:
            found.notes.append(
                Note(
                    OWNED,
                    "Control Tower (by its guardrail SCPs: " + ", ".join(guardrails[:3]) + ")",
                    f"AWS shows no landing zone in {region} (another home region, or a landing "
                    "zone the API does not show): its Security and Sandbox OUs and their "
                    "accounts are written as lz's; mark them `external: true` by hand",
                )
            )
        return found
    _mark(live, manifest, found)
    return found


def _manifest(ctx: Context, region: str, found: ControlTower) -> dict[str, Any] | None:
    client = ctx.client("controltower", MANAGEMENT, region)
    where = {"region": region, "resource": "controltower:landing zone"}
    zones = call(client.list_landing_zones, **where)["landingZones"]
    if not zones:
        return None
    found.landing_zone = zones[0]["arn"]
    detail = call(client.get_landing_zone, landingZoneIdentifier=zones[0]["arn"], **where)
    found.version = detail["landingZone"].get("version")
    manifest = detail["landingZone"].get("manifest")
    return manifest if isinstance(manifest, dict) else {}


def _mark(live: LiveOrg, manifest: dict[str, Any], found: ControlTower) -> None:
    """The foundational OUs and accounts of the manifest, and every account in those OUs."""
    snap = live.snap
    structure = manifest.get("organizationStructure") or {}
    for key, role in FOUNDATIONAL.items():
        name = (structure.get(key) or {}).get("name")
        unit = next(
            (u for u in snap.units.values() if u.name == name and u.parent_id == snap.root_id),
            None,
        )
        if unit is None:
            continue
        found.external[unit.id] = f"its {role}"
        for account in snap.accounts.values():
            if account.parent_id == unit.id or snap.path_of(account.parent_id).startswith(
                unit.path + "/"
            ):
                found.external.setdefault(account.id, f"an account in its {role}")
    for key, role in ACCOUNTS.items():
        account_id = str((manifest.get(key) or {}).get("accountId") or "")
        if account_id in snap.accounts and account_id != snap.management_account_id:
            found.external[account_id] = f"its {role}"
    for resource_id, role in sorted(found.external.items()):
        unit = snap.units.get(resource_id)
        what = (
            f"unit {unit.path}"
            if unit
            else f"account {snap.accounts[resource_id].name} ({resource_id})"
        )
        found.notes.append(
            Note(
                OWNED,
                what,
                f"Control Tower set it up as {role} ({found.landing_zone}); written with "
                "external: true (read, never changed), and none of its baseline settings "
                "imported",
            )
        )
