"""GuardDuty across an organization: the delegated administrator, its members, their findings.

moto 5.2.5 records EnableOrganizationAdminAccount and nothing else. Here, as
in AWS (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_organizations.html):

- EnableOrganizationAdminAccount, from the organization's management account
  only, for a member account: enables trusted access for GuardDuty in
  Organizations, registers the account as GuardDuty's delegated
  administrator there, and enables GuardDuty (a detector) in that account,
  in the caller's region. One administrator per region: another account is
  `BadRequestException`. DisableOrganizationAdminAccount undoes the region's.
- UpdateOrganizationConfiguration / DescribeOrganizationConfiguration
  (`AutoEnableOrganizationMembers`: ALL, NEW or NONE), by the region's
  delegated administrator only (`BadRequestException` otherwise).
- CreateMembers by the delegated administrator, for accounts of its
  organization: each becomes a member at once (RelationshipStatus
  `Enabled`, no invitation) with GuardDuty enabled in the region; other
  accounts come back in `UnprocessedAccounts`. ListMembers, GetMembers,
  DisassociateMembers, DeleteMembers; a member's GetAdministratorAccount
  names its administrator.
- CreateSampleFindings makes sample findings (ListFindings, GetFindings) and
  sends each as a "GuardDuty Finding" event to the account's default event
  bus and, for a member, to its administrator's too: "the administrator
  account receives the findings of its members" in EventBridge
  (https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html).
  The administrator's ListFindings includes its members' findings.

The backend and response extend `guardduty_compat`'s; install this module
after that one.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from typing import Any

import moto.guardduty.urls
from moto.guardduty.models import guardduty_backends
from moto.moto_api._internal import mock_random as random
from moto.organizations.exceptions import AccountAlreadyRegisteredException

from landingzone.emulator.controls import refusing
from landingzone.emulator.events_compat import publish_service_event
from landingzone.emulator.guardduty_compat import (
    TAGS_PATH,
    GuardDutyCompatBackend,
    GuardDutyCompatResponse,
)
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.patching import overrides, routes_to, use_backend
from landingzone.emulator.wire import EmulatorError

SERVICE = "guardduty.amazonaws.com"
SAMPLE_TYPE = "Recon:EC2/PortProbeUnprotectedPort"
_PATHS = (
    TAGS_PATH,
    "{0}/admin/disable$",
    "{0}/detector/(?P<detector_id>[^/]+)/admin$",
    "{0}/detector/(?P<detector_id>[^/]+)/member$",
    "{0}/detector/(?P<detector_id>[^/]+)/member/(?P<verb>get|delete|disassociate)$",
    "{0}/detector/(?P<detector_id>[^/]+)/findings$",
    "{0}/detector/(?P<detector_id>[^/]+)/findings/(?P<verb>get|create)$",
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _bad_request(message: str) -> EmulatorError:
    return EmulatorError("BadRequestException", f"The request is rejected because {message}.")


class GuardDutyOrgResponse(GuardDutyCompatResponse):
    """GuardDuty's API with the organization operations."""

    @property
    def org_backend(self) -> GuardDutyOrgBackend:
        """This caller's backend (the organization subclass)."""
        backend = self.guardduty_backend
        assert isinstance(backend, GuardDutyOrgBackend)
        return backend

    def _detector_id(self) -> str:
        return self.path.split("/detector/", 1)[1].split("/", 1)[0]

    @overrides
    def enable_organization_admin_account(self) -> str:
        """EnableOrganizationAdminAccount, as the management account."""
        self.org_backend.enable_admin(self._get_param("adminAccountId"))
        return "{}"

    def disable_organization_admin_account(self) -> str:
        """DisableOrganizationAdminAccount."""
        self.org_backend.disable_admin(self._get_param("adminAccountId"))
        return "{}"

    @overrides
    def get_administrator_account(self) -> str:
        """GetAdministratorAccount: the member's administrator, if any."""
        self.org_backend.get_detector(self._detector_id())
        administrator = self.org_backend.administrator
        if administrator is None:
            return "{}"
        return json.dumps(
            {"administrator": {"accountId": administrator, "relationshipStatus": "Enabled"}}
        )

    def update_organization_configuration(self) -> str:
        """UpdateOrganizationConfiguration."""
        auto_enable = self._get_param("autoEnableOrganizationMembers")
        if auto_enable is None:  # the older boolean form
            auto_enable = "NEW" if self._get_param("autoEnable") else "NONE"
        self.org_backend.administered(self._detector_id()).auto_enable = auto_enable
        return "{}"

    def describe_organization_configuration(self) -> str:
        """DescribeOrganizationConfiguration."""
        auto_enable = self.org_backend.administered(self._detector_id()).auto_enable
        return json.dumps(
            {
                "autoEnable": auto_enable != "NONE",
                "autoEnableOrganizationMembers": auto_enable,
                "memberAccountLimitReached": False,
            }
        )

    def create_members(self) -> str:
        """CreateMembers."""
        backend = self.org_backend.administered(self._detector_id())
        unprocessed = [
            {"accountId": detail["accountId"], "result": problem}
            for detail in self._get_param("accountDetails") or []
            if (problem := backend.add_member(detail["accountId"], detail.get("email", "")))
        ]
        return json.dumps({"unprocessedAccounts": unprocessed})

    def list_members(self) -> str:
        """ListMembers (one page)."""
        backend = self.org_backend
        backend.get_detector(self._detector_id())
        only_associated = self.querystring.get("onlyAssociated", ["true"])[0] != "false"
        members = [
            m
            for m in backend.members.values()
            if not only_associated or m["relationshipStatus"] == "Enabled"
        ]
        return json.dumps({"members": members})

    def get_members(self) -> str:
        """GetMembers."""
        backend = self.org_backend
        backend.get_detector(self._detector_id())
        wanted = self._get_param("accountIds") or []
        return json.dumps(
            {
                "members": [backend.members[a] for a in wanted if a in backend.members],
                "unprocessedAccounts": [
                    {"accountId": a, "result": "The account is not a member."}
                    for a in wanted
                    if a not in backend.members
                ],
            }
        )

    def disassociate_members(self) -> str:
        """DisassociateMembers: the relationship ends; the member stays listed as Removed."""
        backend = self.org_backend
        backend.get_detector(self._detector_id())
        for account_id in self._get_param("accountIds") or []:
            backend.end_membership(account_id, delete=False)
        return json.dumps({"unprocessedAccounts": []})

    def delete_members(self) -> str:
        """DeleteMembers."""
        backend = self.org_backend
        backend.get_detector(self._detector_id())
        for account_id in self._get_param("accountIds") or []:
            backend.end_membership(account_id, delete=True)
        return json.dumps({"unprocessedAccounts": []})

    def create_sample_findings(self) -> str:
        """CreateSampleFindings."""
        detector_id = self._detector_id()
        for finding_type in self._get_param("findingTypes") or [SAMPLE_TYPE]:
            self.org_backend.sample_finding(detector_id, finding_type)
        return "{}"

    def list_findings(self) -> str:
        """ListFindings: the account's own, and its members' for an administrator."""
        self.org_backend.get_detector(self._detector_id())
        return json.dumps({"findingIds": [f["id"] for f in self.org_backend.visible_findings()]})

    def get_findings(self) -> str:
        """GetFindings."""
        self.org_backend.get_detector(self._detector_id())
        wanted = set(self._get_param("findingIds") or [])
        found = [f for f in self.org_backend.visible_findings() if f["id"] in wanted]
        return json.dumps({"findings": found})


_ROUTES = routes_to(moto.guardduty.urls, GuardDutyOrgResponse, extra_paths=_PATHS)


class GuardDutyOrgBackend(GuardDutyCompatBackend):
    """GuardDuty with an organization's delegated administrator and members."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.auto_enable = "NONE"  # as the administrator: the organization configuration
        self.members: dict[str, dict[str, Any]] = {}  # as the administrator: by account ID
        self.administrator: str | None = None  # as a member: the administrator's account ID
        self.findings: list[dict[str, Any]] = []

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    def _peer(self, account_id: str) -> GuardDutyOrgBackend:
        backend = guardduty_backends[account_id][self.region_name]
        assert isinstance(backend, GuardDutyOrgBackend)
        return backend

    def ensure_detector(self) -> str:
        """The region's detector, created (enabled) if GuardDuty is not on yet."""
        if not self.detectors:
            return super().create_detector(True, "SIX_HOURS", {}, {}, [])
        return next(iter(self.detectors))

    # -- as the management account ----------------------------------------------------

    def enable_admin(self, admin_account_id: str) -> None:
        """EnableOrganizationAdminAccount."""
        view = OrganizationView.of(self.account_id)
        if refusing():
            if view is None or view.management_account_id != self.account_id:
                raise _bad_request("only the organization's management account can do this")
            if not view.has_account(admin_account_id):
                raise _bad_request(f"account {admin_account_id} is not in the organization")
            others = [a for a in self.admin_account_ids if a != admin_account_id]
            if others:
                raise _bad_request(
                    f"account {others[0]} is the GuardDuty delegated administrator already"
                )
        if view is not None:
            view.backend.enable_aws_service_access(ServicePrincipal=SERVICE)
            with contextlib.suppress(AccountAlreadyRegisteredException):  # registered already
                view.backend.register_delegated_administrator(
                    AccountId=admin_account_id, ServicePrincipal=SERVICE
                )
        self._peer(admin_account_id).ensure_detector()
        if admin_account_id not in self.admin_account_ids:
            super().enable_organization_admin_account(admin_account_id)

    def disable_admin(self, admin_account_id: str) -> None:
        """DisableOrganizationAdminAccount."""
        if admin_account_id not in self.admin_account_ids:
            raise _bad_request(f"account {admin_account_id} is not the delegated administrator")
        self.admin_account_ids.remove(admin_account_id)

    # -- as the delegated administrator ---------------------------------------------

    def administered(self, detector_id: str) -> GuardDutyOrgBackend:
        """This backend, when its account is the region's delegated administrator."""
        self.get_detector(detector_id)
        view = OrganizationView.of(self.account_id)
        management = self._peer(view.management_account_id) if view is not None else None
        if refusing() and (
            management is None or self.account_id not in management.admin_account_ids
        ):
            raise _bad_request(
                "the current account is not the GuardDuty delegated administrator account"
            )
        return self

    def add_member(self, account_id: str, email: str) -> str | None:
        """Make an account of the organization a member; the problem, if it cannot be."""
        view = OrganizationView.of(self.account_id)
        if account_id == self.account_id:
            return "The request is rejected because the account is the administrator itself."
        if view is None or not view.has_account(account_id):
            return "The request is rejected because the account is not in the organization."
        member = self._peer(account_id)
        detector_id = member.ensure_detector()
        member.administrator = self.account_id
        now = _now()
        self.members[account_id] = {
            "accountId": account_id,
            "detectorId": detector_id,
            "masterId": self.account_id,
            "administratorId": self.account_id,
            "email": email,
            "relationshipStatus": "Enabled",
            "invitedAt": now,
            "updatedAt": now,
        }
        return None

    def end_membership(self, account_id: str, *, delete: bool) -> None:
        """Disassociate (and with `delete`, forget) a member."""
        member = self.members.get(account_id)
        if member is None:
            return
        self._peer(account_id).administrator = None
        if delete:
            del self.members[account_id]
        else:
            member["relationshipStatus"] = "Removed"

    # -- findings -------------------------------------------------------------------

    def sample_finding(self, detector_id: str, finding_type: str) -> None:
        """A sample finding of this account, sent to its bus and its administrator's."""
        self.get_detector(detector_id)
        finding_id = random.get_random_hex(32)
        now = _now()
        finding = {
            "accountId": self.account_id,
            "arn": f"arn:{self.partition}:guardduty:{self.region_name}:{self.account_id}:"
            f"detector/{detector_id}/finding/{finding_id}",
            "createdAt": now,
            "updatedAt": now,
            "id": finding_id,
            "partition": self.partition,
            "region": self.region_name,
            "resource": {"resourceType": "Instance"},
            "schemaVersion": "2.0",
            "service": {
                "serviceName": "guardduty",
                "detectorId": detector_id,
                "additionalInfo": {"sample": True},
            },
            "severity": 5.0,
            "title": f"Sample finding of type {finding_type}",
            "description": f"A sample finding of type {finding_type}.",
            "type": finding_type,
        }
        self.findings.append(finding)
        for account_id in filter(None, (self.account_id, self.administrator)):
            publish_service_event(
                account_id, self.region_name, "aws.guardduty", "GuardDuty Finding", finding
            )

    def visible_findings(self) -> list[dict[str, Any]]:
        """This account's findings and, for an administrator, its members'."""
        found = list(self.findings)
        for account_id, member in self.members.items():
            if member["relationshipStatus"] == "Enabled":
                found += self._peer(account_id).findings
        return found


def install() -> None:
    """Make moto serve GuardDuty through this module (after `guardduty_compat`)."""
    use_backend(guardduty_backends, GuardDutyOrgBackend)
