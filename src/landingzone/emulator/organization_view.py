"""Read-only questions about AWS Organizations that other services' compatibility code asks."""

from __future__ import annotations

from dataclasses import dataclass

from moto.organizations.models import OrganizationsBackend, organizations_backends

from landingzone.emulator.constants import PARTITION


@dataclass(frozen=True)
class OrganizationView:
    """The organization an account belongs to, seen from its management backend."""

    backend: OrganizationsBackend

    @classmethod
    def of(cls, account_id: str) -> OrganizationView | None:
        """The organization of `account_id` (management or member), if any."""
        backend = organizations_backends[account_id][PARTITION]
        if backend.org is None:
            management = organizations_backends.master_accounts.get(account_id)
            if management is None:
                return None
            backend = organizations_backends[management[0]][management[1]]
        return cls(backend) if backend.org is not None else None

    @property
    def arn(self) -> str:
        """The organization's ARN."""
        assert self.backend.org is not None
        return self.backend.org.arn

    @property
    def management_account_id(self) -> str:
        """The management account's id."""
        return self.backend.account_id

    def has_account(self, account_id: str) -> bool:
        """Whether the account is in the organization."""
        return any(account.id == account_id for account in self.backend.accounts)

    def ou_arn_exists(self, ou_arn: str) -> bool:
        """Whether an OU with this ARN is in the organization."""
        return any(ou.arn == ou_arn and ou.type != "ROOT" for ou in self.backend.ou)

    def accounts_under(self, ou_arn: str) -> set[str]:
        """Accounts in the OU with this ARN or any OU below it."""
        parents = {ou.id for ou in self.backend.ou if ou.arn == ou_arn}
        while True:
            below = {ou.id for ou in self.backend.ou if ou.parent_id in parents} - parents
            if not below:
                break
            parents |= below
        return {account.id for account in self.backend.accounts if account.parent_id in parents}

    def account_ids(self) -> set[str]:
        """Every account of the organization, the management account included."""
        return {account.id for account in self.backend.accounts} | {self.management_account_id}

    @property
    def organization_id(self) -> str:
        """The organization's ID (o-...)."""
        assert self.backend.org is not None
        return str(self.backend.org.id)

    def delegates(self, account_id: str, service_principal: str) -> bool:
        """Whether the account is a registered delegated administrator of the service."""
        return any(
            admin.account.id == account_id and service_principal in admin.services
            for admin in self.backend.admins
        )

    def trusts(self, service_principal: str) -> bool:
        """Whether trusted access is enabled for a service (EnableAWSServiceAccess)."""
        return any(s["ServicePrincipal"] == service_principal for s in self.backend.services)
