"""AWS Security Hub across an organization: administrator, members, standards, aggregation.

moto 5.2.5 enables a hub, records one administrator per organization (in a
class attribute that survives a reset, for every region at once), keeps the
organization configuration there too, and adds members without checking
them; it has no standards, no finding aggregator, and no
ListOrganizationAdminAccounts. Here, as in AWS
(https://docs.aws.amazon.com/securityhub/latest/userguide/designate-orgs-admin-account.html,
https://docs.aws.amazon.com/securityhub/latest/userguide/accounts-orgs-auto-enable.html):

- EnableOrganizationAdminAccount, from the management account only, for an
  account of the organization, in the caller's region: enables trusted
  access for Security Hub in Organizations, registers the account as its
  delegated administrator there, and enables Security Hub in that account
  and region (with the default standards). One administrator per region:
  another account is `InvalidInputException`. ListOrganizationAdminAccounts
  and DisableOrganizationAdminAccount.
- UpdateOrganizationConfiguration / DescribeOrganizationConfiguration
  (`AutoEnable`, `AutoEnableStandards` DEFAULT or NONE), by the region's
  administrator only (`InvalidAccessException` otherwise), kept per region.
- CreateMembers by the administrator for accounts of its organization: each
  is a member at once (`MemberStatus` Enabled), with Security Hub enabled in
  the member's region (the default standards when `AutoEnableStandards` is
  DEFAULT); other accounts come back in `UnprocessedAccounts`. ListMembers,
  GetMembers, DisassociateMembers, DeleteMembers.
- DescribeStandards (the catalogue of `access/securityhub_standards.py`),
  GetEnabledStandards, BatchEnableStandards (an unknown standard is
  `InvalidInputException`), BatchDisableStandards; all need Security Hub
  enabled in the account and region (`InvalidAccessException`, as AWS).
- CreateFindingAggregator (one per account: a second is
  `LimitExceededException`), ListFindingAggregators, GetFindingAggregator,
  UpdateFindingAggregator, DeleteFindingAggregator
  (https://docs.aws.amazon.com/securityhub/latest/userguide/finding-aggregation.html).
  The aggregation region is where it was created; `RegionLinkingMode`
  ALL_REGIONS, ALL_REGIONS_EXCEPT_SPECIFIED or SPECIFIED_REGIONS.
- GetFindings by an administrator includes its members' findings, and in
  the aggregation region those of the linked regions.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

import moto.securityhub.urls
from moto.moto_api._internal import mock_random as random
from moto.organizations.exceptions import AccountAlreadyRegisteredException
from moto.securityhub.models import SecurityHubBackend, securityhub_backends
from moto.securityhub.responses import SecurityHubResponse

from landingzone.access.securityhub_standards import (
    DEFAULT_STANDARDS,
    STANDARDS,
    standard_arn,
    standard_of_arn,
    subscription_arn,
)
from landingzone.emulator.controls import refusing
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.patching import overrides, routes_to, use_backend
from landingzone.emulator.wire import EmulatorError

SERVICE = "securityhub.amazonaws.com"
LINKING_MODES = ("ALL_REGIONS", "ALL_REGIONS_EXCEPT_SPECIFIED", "SPECIFIED_REGIONS")
_PATHS = (
    "{0}/organization/admin$",
    "{0}/organization/admin/disable$",
    "{0}/members/(?P<verb>disassociate|delete)$",
    "{0}/standards$",
    "{0}/standards/(?P<verb>get|register|deregister)$",
    "{0}/findingAggregator/(?P<verb>create|list|update)$",
    "{0}/findingAggregator/(?P<verb>get|delete)/(?P<arn>.+)$",
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _invalid_input(message: str) -> EmulatorError:
    return EmulatorError("InvalidInputException", message)


def _not_subscribed() -> EmulatorError:
    return EmulatorError("InvalidAccessException", "Account is not subscribed to AWS Security Hub")


class SecurityHubCompatResponse(SecurityHubResponse):
    """Security Hub's API with the organization, standards and aggregation operations."""

    @property
    def compat_backend(self) -> SecurityHubCompatBackend:
        """This caller's backend (the compatibility subclass)."""
        backend = self.securityhub_backend
        assert isinstance(backend, SecurityHubCompatBackend)
        return backend

    def _param(self, name: str) -> Any:
        return (json.loads(self.body) if self.body else {}).get(name)

    # -- administrator and organization configuration ------------------------------

    @overrides
    def enable_organization_admin_account(self) -> str:
        """EnableOrganizationAdminAccount, as the management account."""
        admin = self._param("AdminAccountId")
        self.compat_backend.enable_admin(admin)
        return json.dumps({"AdminAccountId": admin})

    def disable_organization_admin_account(self) -> str:
        """DisableOrganizationAdminAccount."""
        self.compat_backend.disable_admin(self._param("AdminAccountId"))
        return "{}"

    def list_organization_admin_accounts(self) -> str:
        """ListOrganizationAdminAccounts (one page)."""
        admins = self.compat_backend.admin_account_ids
        return json.dumps(
            {"AdminAccounts": [{"AccountId": a, "Status": "ENABLED"} for a in admins]}
        )

    @overrides
    def update_organization_configuration(self) -> str:
        """UpdateOrganizationConfiguration."""
        backend = self.compat_backend.administrator_here()
        standards = self._param("AutoEnableStandards")
        if standards not in (None, "DEFAULT", "NONE"):
            raise _invalid_input("AutoEnableStandards must be DEFAULT or NONE.")
        backend.auto_enable = bool(self._param("AutoEnable"))
        if standards is not None:
            backend.auto_enable_standards = standards
        return "{}"

    @overrides
    def describe_organization_configuration(self) -> str:
        """DescribeOrganizationConfiguration."""
        backend = self.compat_backend.administrator_here()
        return json.dumps(
            {
                "AutoEnable": backend.auto_enable,
                "MemberAccountLimitReached": False,
                "AutoEnableStandards": backend.auto_enable_standards,
                "OrganizationConfiguration": {"ConfigurationType": "LOCAL", "Status": "ENABLED"},
            }
        )

    # -- members ------------------------------------------------------------------

    @overrides
    def create_members(self) -> str:
        """CreateMembers."""
        backend = self.compat_backend.administrator_here()
        unprocessed = [
            {"AccountId": detail.get("AccountId", ""), "ProcessingResult": problem}
            for detail in self._param("AccountDetails") or []
            if (problem := backend.add_member(detail.get("AccountId", ""), detail.get("Email")))
        ]
        return json.dumps({"UnprocessedAccounts": unprocessed})

    @overrides
    def list_members(self) -> str:
        """ListMembers (one page)."""
        only_associated = self.querystring.get("OnlyAssociated", ["true"])[0] != "false"
        members = [
            m
            for m in self.compat_backend.member_records.values()
            if not only_associated or m["MemberStatus"] == "Enabled"
        ]
        return json.dumps({"Members": members})

    @overrides
    def get_members(self) -> str:
        """GetMembers."""
        records = self.compat_backend.member_records
        wanted = self._param("AccountIds") or []
        return json.dumps(
            {
                "Members": [records[a] for a in wanted if a in records],
                "UnprocessedAccounts": [
                    {"AccountId": a, "ProcessingResult": "The account is not a member."}
                    for a in wanted
                    if a not in records
                ],
            }
        )

    def disassociate_members(self) -> str:
        """DisassociateMembers: the relationship ends; the member stays listed as Removed."""
        for account_id in self._param("AccountIds") or []:
            self.compat_backend.end_membership(account_id, delete=False)
        return "{}"

    def delete_members(self) -> str:
        """DeleteMembers."""
        for account_id in self._param("AccountIds") or []:
            self.compat_backend.end_membership(account_id, delete=True)
        return json.dumps({"UnprocessedAccounts": []})

    # -- standards ----------------------------------------------------------------

    def describe_standards(self) -> str:
        """DescribeStandards."""
        backend = self.compat_backend
        return json.dumps(
            {
                "Standards": [
                    {
                        "StandardsArn": standard_arn(backend.partition, backend.region_name, s),
                        "Name": title,
                        "EnabledByDefault": s in DEFAULT_STANDARDS,
                    }
                    for s, title in STANDARDS.items()
                ]
            }
        )

    def get_enabled_standards(self) -> str:
        """GetEnabledStandards."""
        backend = self.compat_backend.subscribed()
        wanted = set(self._param("StandardsSubscriptionArns") or [])
        found = [
            s
            for s in backend.subscriptions.values()
            if not wanted or s["StandardsSubscriptionArn"] in wanted
        ]
        return json.dumps({"StandardsSubscriptions": found})

    def batch_enable_standards(self) -> str:
        """BatchEnableStandards."""
        backend = self.compat_backend.subscribed()
        requests = self._param("StandardsSubscriptionRequests") or []
        standards = [standard_of_arn(r.get("StandardsArn", "")) for r in requests]
        for request, standard in zip(requests, standards, strict=True):
            if standard is None:
                raise _invalid_input(f"Invalid StandardsArn: {request.get('StandardsArn')}")
        return json.dumps(
            {"StandardsSubscriptions": [backend.subscribe(s) for s in standards if s]}
        )

    def batch_disable_standards(self) -> str:
        """BatchDisableStandards."""
        backend = self.compat_backend.subscribed()
        removed = [
            backend.subscriptions.pop(arn)
            for arn in self._param("StandardsSubscriptionArns") or []
            if arn in backend.subscriptions
        ]
        for subscription in removed:
            subscription["StandardsStatus"] = "DELETING"
        return json.dumps({"StandardsSubscriptions": removed})

    # -- finding aggregator -------------------------------------------------------

    def _aggregator_arn(self) -> str:
        return unquote(self.path.split("/findingAggregator/", 1)[1].split("/", 1)[1])

    def create_finding_aggregator(self) -> str:
        """CreateFindingAggregator."""
        aggregator = self.compat_backend.create_aggregator(
            self._param("RegionLinkingMode"), self._param("Regions") or []
        )
        return json.dumps(aggregator)

    def list_finding_aggregators(self) -> str:
        """ListFindingAggregators."""
        found = self.compat_backend.aggregators()
        return json.dumps({"FindingAggregators": [{"FindingAggregatorArn": a} for a in found]})

    def get_finding_aggregator(self) -> str:
        """GetFindingAggregator."""
        return json.dumps(self.compat_backend.aggregator(self._aggregator_arn()))

    def update_finding_aggregator(self) -> str:
        """UpdateFindingAggregator."""
        backend = self.compat_backend
        aggregator = backend.aggregator(self._param("FindingAggregatorArn") or "")
        aggregator.update(backend.linking(self._param("RegionLinkingMode"), self._param("Regions")))
        return json.dumps(aggregator)

    def delete_finding_aggregator(self) -> str:
        """DeleteFindingAggregator."""
        arn = self._aggregator_arn()
        self.compat_backend.aggregator(arn)
        del self.compat_backend.account_aggregators()[arn]
        return "{}"

    # -- findings -----------------------------------------------------------------

    @overrides
    def get_findings(self) -> str:
        """GetFindings: the account's own, its members', and the linked regions'."""
        return json.dumps({"Findings": self.compat_backend.visible_findings()})


_ROUTES = routes_to(moto.securityhub.urls, SecurityHubCompatResponse, extra_paths=_PATHS)


class SecurityHubCompatBackend(SecurityHubBackend):
    """Security Hub with per-region administrators, members, standards and aggregation."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.admin_account_ids: list[str] = []  # as the management account, in this region
        self.auto_enable = False  # as the administrator: the organization configuration
        self.auto_enable_standards = "DEFAULT"
        self.member_records: dict[str, dict[str, Any]] = {}  # as the administrator
        self.administrator: str | None = None  # as a member: the administrator's account ID
        self.subscriptions: dict[str, dict[str, Any]] = {}  # subscription ARN -> subscription
        # As the account's aggregation region: aggregator ARN -> GetFindingAggregator's answer.
        self.finding_aggregators: dict[str, dict[str, Any]] = {}

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    def _peer(self, account_id: str, region: str | None = None) -> SecurityHubCompatBackend:
        backend = securityhub_backends[account_id][region or self.region_name]
        assert isinstance(backend, SecurityHubCompatBackend)
        return backend

    def enable_hub(self, standards: bool) -> None:
        """Security Hub on in this account and region (as EnableSecurityHub does)."""
        if not self.enabled:
            super().enable_security_hub(enable_default_standards=standards)
            if standards:
                for standard in DEFAULT_STANDARDS:
                    self.subscribe(standard)

    @overrides
    def enable_security_hub(
        self, enable_default_standards: bool = True, tags: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """EnableSecurityHub, with the default standards unless told otherwise."""
        if self.enabled and refusing():
            raise EmulatorError("ResourceConflictException", "Account is already subscribed.")
        self.enable_hub(enable_default_standards)
        self.tags = tags or {}
        return {}

    def subscribed(self) -> SecurityHubCompatBackend:
        """This backend, when Security Hub is on in its account and region."""
        if not self.enabled:
            raise _not_subscribed()
        return self

    def subscribe(self, standard: str) -> dict[str, Any]:
        """Subscribe this account to a standard (by ID); the subscription."""
        arn = subscription_arn(self.partition, self.region_name, self.account_id, standard)
        return self.subscriptions.setdefault(
            arn,
            {
                "StandardsSubscriptionArn": arn,
                "StandardsArn": standard_arn(self.partition, self.region_name, standard),
                "StandardsInput": {},
                "StandardsStatus": "READY",
            },
        )

    # -- as the management account ------------------------------------------------

    def enable_admin(self, admin_account_id: str) -> None:
        """EnableOrganizationAdminAccount."""
        view = OrganizationView.of(self.account_id)
        if refusing():
            if view is None or view.management_account_id != self.account_id:
                raise EmulatorError(
                    "AccessDeniedException",
                    "Only the organization's management account can designate the "
                    "Security Hub administrator account.",
                )
            if not view.has_account(admin_account_id) or admin_account_id == self.account_id:
                raise _invalid_input(
                    f"The account {admin_account_id} is not a member of the organization."
                )
            others = [a for a in self.admin_account_ids if a != admin_account_id]
            if others:
                raise _invalid_input(
                    f"Account {others[0]} is already the Security Hub administrator account."
                )
        if view is not None:
            view.backend.enable_aws_service_access(ServicePrincipal=SERVICE)
            with contextlib.suppress(AccountAlreadyRegisteredException):  # registered already
                view.backend.register_delegated_administrator(
                    AccountId=admin_account_id, ServicePrincipal=SERVICE
                )
        self._peer(admin_account_id).enable_hub(standards=True)
        if admin_account_id not in self.admin_account_ids:
            self.admin_account_ids.append(admin_account_id)

    def disable_admin(self, admin_account_id: str) -> None:
        """DisableOrganizationAdminAccount."""
        if admin_account_id not in self.admin_account_ids:
            raise _invalid_input(f"Account {admin_account_id} is not the administrator account.")
        self.admin_account_ids.remove(admin_account_id)

    # -- as the administrator -------------------------------------------------------

    def administrator_here(self) -> SecurityHubCompatBackend:
        """This backend, when its account is the region's Security Hub administrator."""
        view = OrganizationView.of(self.account_id)
        management = self._peer(view.management_account_id) if view is not None else None
        if refusing() and (
            management is None or self.account_id not in management.admin_account_ids
        ):
            raise EmulatorError(
                "InvalidAccessException",
                "The current account is not the Security Hub administrator account.",
            )
        return self

    def add_member(self, account_id: str, email: str | None) -> str | None:
        """Make an account of the organization a member; the problem, if it cannot be."""
        view = OrganizationView.of(self.account_id)
        if account_id == self.account_id:
            return "The account is the administrator account itself."
        if view is None or not view.has_account(account_id):
            return "The account is not in the organization."
        member = self._peer(account_id)
        member.enable_hub(standards=self.auto_enable_standards == "DEFAULT")
        member.administrator = self.account_id
        now = _now()
        self.member_records[account_id] = {
            "AccountId": account_id,
            "Email": email or "",
            "MasterId": self.account_id,
            "AdministratorId": self.account_id,
            "MemberStatus": "Enabled",
            "InvitedAt": now,
            "UpdatedAt": now,
        }
        return None

    def end_membership(self, account_id: str, *, delete: bool) -> None:
        """Disassociate (and with `delete`, forget) a member."""
        record = self.member_records.get(account_id)
        if record is None:
            return
        self._peer(account_id).administrator = None
        if delete:
            del self.member_records[account_id]
        else:
            record["MemberStatus"] = "Removed"

    # -- finding aggregation --------------------------------------------------------

    def account_aggregators(self) -> dict[str, dict[str, Any]]:
        """The account's finding aggregators (in any region), by ARN: the region's dict
        they live in, found through every region's backend of the account."""
        for backend in securityhub_backends[self.account_id].values():
            assert isinstance(backend, SecurityHubCompatBackend)
            if backend.finding_aggregators:
                return backend.finding_aggregators
        return self.finding_aggregators

    def aggregators(self) -> list[str]:
        """The ARNs of the account's finding aggregators."""
        return list(self.account_aggregators())

    def aggregator(self, arn: str) -> dict[str, Any]:
        """One finding aggregator of the account, by ARN."""
        found = self.account_aggregators().get(arn)
        if found is None:
            raise EmulatorError("ResourceNotFoundException", f"Finding aggregator {arn} not found")
        return found

    def linking(self, mode: str | None, regions: list[str] | None) -> dict[str, Any]:
        """RegionLinkingMode and Regions, checked as AWS does."""
        if mode not in LINKING_MODES:
            raise _invalid_input(f"RegionLinkingMode must be one of {', '.join(LINKING_MODES)}.")
        if mode == "ALL_REGIONS" and regions:
            raise _invalid_input("Regions must be empty when RegionLinkingMode is ALL_REGIONS.")
        return {"RegionLinkingMode": mode, "Regions": list(regions or [])}

    def create_aggregator(self, mode: str | None, regions: list[str]) -> dict[str, Any]:
        """CreateFindingAggregator in this region."""
        self.subscribed()
        if self.account_aggregators():
            raise EmulatorError(
                "LimitExceededException", "The account already has a finding aggregator."
            )
        arn = (
            f"arn:{self.partition}:securityhub:{self.region_name}:{self.account_id}:"
            f"finding-aggregator/{random.uuid4()}"
        )
        self.finding_aggregators[arn] = {
            "FindingAggregatorArn": arn,
            "FindingAggregationRegion": self.region_name,
            **self.linking(mode, regions),
        }
        return self.finding_aggregators[arn]

    def linked_regions(self) -> list[str]:
        """The regions whose findings this region aggregates (itself included)."""
        aggregators = list(self.finding_aggregators.values())
        if not aggregators:
            return [self.region_name]
        linking = aggregators[0]
        regions = set(securityhub_backends[self.account_id])  # where the account has a hub
        if linking["RegionLinkingMode"] == "SPECIFIED_REGIONS":
            regions = set(linking["Regions"])
        elif linking["RegionLinkingMode"] == "ALL_REGIONS_EXCEPT_SPECIFIED":
            regions -= set(linking["Regions"])
        return sorted(regions | {self.region_name})

    def visible_findings(self) -> list[dict[str, Any]]:
        """This account's findings and its members', in this and the linked regions."""
        self.subscribed()
        found: list[dict[str, Any]] = []
        for region in self.linked_regions():
            here = self._peer(self.account_id, region)
            accounts = [self.account_id] + [
                a for a, m in here.member_records.items() if m["MemberStatus"] == "Enabled"
            ]
            for account_id in accounts:
                found += [f.as_dict() for f in self._peer(account_id, region).findings]
        return found


def install() -> None:
    """Make moto serve Security Hub through this module."""
    use_backend(securityhub_backends, SecurityHubCompatBackend)
