"""Delegated administrators in AWS Organizations as AWS registers them.

moto 5.2.5 registers a delegated administrator for six service principals
only (not Security Hub, AWS Config or CloudTrail) and without trusted
access. While `refusals` is on, RegisterDelegatedAdministrator here:

- takes every service principal AWS lists as supporting a delegated
  administrator (`DELEGABLE_SERVICES`); any other is `InvalidInputException`;
- refuses the management account: `ConstraintViolationException`, Reason
  `CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR`;
- refuses a service whose trusted access is not enabled:
  `ConstraintViolationException`, Reason `SERVICE_ACCESS_NOT_ENABLED`
  ("Call the EnableAWSServiceAccess API first");
- refuses an account outside the organization (`AccountNotFoundException`)
  and one already registered for the service
  (`AccountAlreadyRegisteredException`).

ListDelegatedAdministrators filters by any of those principals. A
delegated administrator may call ListDelegatedAdministrators,
ListDelegatedServicesForAccount and ListAWSServiceAccessForOrganization
(answered from the management account's view, as in AWS); any other member
account gets `AccessDeniedException` (moto answered from the member's own,
empty, backend). The
backend extends `organizations_compat`'s (moto builds one Organizations
backend class), so install this module after that one.
"""

from __future__ import annotations

from typing import Any

from moto.core.utils import unix_time
from moto.organizations.exceptions import (
    AccountAlreadyRegisteredException,
    AccountNotFoundException,
    InvalidInputException,
)
from moto.organizations.models import FakeDelegatedAdministrator, organizations_backends

from landingzone.access.delegated_services import DELEGABLE_SERVICES
from landingzone.emulator.controls import refusing
from landingzone.emulator.organizations_compat import OrganizationsCompatBackend, refusal
from landingzone.emulator.patching import overrides, use_backend

UNRECOGNIZED = "You specified an unrecognized service principal."


class DelegationBackend(OrganizationsCompatBackend):
    """Organizations with AWS's rules for delegated administrators."""

    def _organization(self) -> DelegationBackend:
        """The backend that answers this account's organization-wide reads.

        The management account's own; for a delegated administrator, the
        management account's; any other member account is refused.
        """
        if self.org is not None or not refusing():
            return self
        entry = organizations_backends.master_accounts.get(self.account_id)
        if entry is None:
            return self  # in no organization: moto's AWSOrganizationsNotInUseException
        management = organizations_backends[entry[0]][entry[1]]
        assert isinstance(management, DelegationBackend)
        if any(admin.account.id == self.account_id for admin in management.admins):
            return management
        raise refusal(
            "AccessDeniedException",
            "You don't have permissions to access this resource: only the management account "
            "and delegated administrators may call this operation.",
        )

    @overrides
    def list_delegated_services_for_account(self, **kwargs: str) -> dict[str, Any]:
        """ListDelegatedServicesForAccount, also for a delegated administrator."""
        backend = self._organization()
        if backend is self:
            return super().list_delegated_services_for_account(**kwargs)
        return backend.list_delegated_services_for_account(**kwargs)

    @overrides
    def list_aws_service_access_for_organization(self) -> dict[str, Any]:
        """ListAWSServiceAccessForOrganization, also for a delegated administrator."""
        backend = self._organization()
        if backend is self:
            return super().list_aws_service_access_for_organization()
        return backend.list_aws_service_access_for_organization()

    def trusts(self, principal: str) -> bool:
        """Whether trusted access is enabled for a service principal."""
        return any(s["ServicePrincipal"] == principal for s in self.services)

    @overrides
    def register_delegated_administrator(self, **kwargs: str) -> None:
        """RegisterDelegatedAdministrator, refused as AWS refuses it."""
        if not refusing():
            super().register_delegated_administrator(**kwargs)
            return
        account_id, principal = kwargs["AccountId"], kwargs["ServicePrincipal"]
        if principal not in DELEGABLE_SERVICES:
            raise InvalidInputException(UNRECOGNIZED)
        if account_id == self.account_id:
            raise refusal(
                "ConstraintViolationException",
                "You cannot register master account/yourself as delegated administrator for "
                "your organization.",
                "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR",
            )
        if not self.trusts(principal):
            raise refusal(
                "ConstraintViolationException",
                f"You attempted to register a delegated administrator for {principal} before "
                "you enabled service access. Call the EnableAWSServiceAccess API first.",
                "SERVICE_ACCESS_NOT_ENABLED",
            )
        account = next((a for a in self.accounts if a.id == account_id), None)
        if account is None:
            raise AccountNotFoundException
        admin = next((a for a in self.admins if a.account.id == account_id), None)
        if admin is None:
            admin = FakeDelegatedAdministrator(account)
            self.admins.append(admin)
        if principal in admin.services:
            raise AccountAlreadyRegisteredException
        admin.services[principal] = {
            "ServicePrincipal": principal,
            "DelegationEnabledDate": unix_time(),
        }

    @overrides
    def list_delegated_administrators(self, **kwargs: str) -> dict[str, Any]:
        """ListDelegatedAdministrators, filtered by any principal AWS lets you delegate."""
        backend = self._organization()
        if backend is not self:
            return backend.list_delegated_administrators(**kwargs)
        principal = kwargs.get("ServicePrincipal")
        if not principal or not refusing():
            return super().list_delegated_administrators(**kwargs)
        if principal not in DELEGABLE_SERVICES:
            raise InvalidInputException(UNRECOGNIZED)
        admins = [admin.describe() for admin in self.admins if principal in admin.services]
        return {"DelegatedAdministrators": admins}


def install() -> None:
    """Make moto serve Organizations through this module (after `organizations_compat`)."""
    use_backend(organizations_backends, DelegationBackend)
