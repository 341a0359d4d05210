"""A member account designated as a security service's administrator, per region,
and the accounts lz made its members.

GuardDuty and Security Hub each have their own EnableOrganizationAdminAccount
(from the management account, in one region; AWS also turns the service on
in that account there), ListOrganizationAdminAccounts and
DisableOrganizationAdminAccount, differing only in how the list names the
account. `OrganizationAdminKind` is the kind for both: a subclass names the
service and reads its list's fields. Read cost: ListOrganizationAdminAccounts
per region. lz disables only a designation it made.

`owned_members` is how both services' member kinds decide which members are
lz's: those the spec names now or lz added before (its state record says so);
members the service enabled by itself (auto-enable) or someone else added are
never lz's, so never removed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.nodes import MANAGEMENT, Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, located


def member_ids(members: Any) -> set[str]:
    """The account IDs of a `members` attribute."""
    return {m["account_id"] for m in members or []}


def claims(
    group: ReadGroup, attr: str, ids: Callable[[Any], set[str]]
) -> list[tuple[str, set[str]]]:
    """(address, what lz owns) for each node and orphaned record of the group.

    A node owns what it wants now (`ids` of its desired `attr`) and what its
    state record lists (lz set it before); an orphaned record what it lists.
    """
    found = []
    for node in group.nodes:
        record = group.record_for(node.address)
        before = ids(record.attrs.get(attr)) if record else set()
        found.append((node.address, ids(node.desired[attr]) | before))
    found += [(r.address, ids(r.attrs.get(attr))) for r in group.orphans]
    return found


def owned_members(group: ReadGroup, enabled: Mapping[str, str]) -> dict[str, list[dict[str, str]]]:
    """The enabled members (account ID -> e-mail) that are lz's, by address of the group
    (`claims`); addresses owning none are left out."""
    result: dict[str, list[dict[str, str]]] = {}
    for address, owned in claims(group, "members", member_ids):
        ours = [
            {"account_id": account_id, "email": email}
            for account_id, email in sorted(enabled.items())
            if account_id in owned
        ]
        if ours:
            result[address] = ours
    return result


class OrganizationAdminKind(Kind):
    """Base class: the security account as a service's administrator in one region."""

    # The fields of an entry of ListOrganizationAdminAccounts' `AdminAccounts`.
    account_field = "AdminAccountId"
    status_field = "AdminStatus"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client(self.service, MANAGEMENT, group.region)
        admins = pages(
            client,
            "list_organization_admin_accounts",
            "AdminAccounts",
            account=MANAGEMENT,
            region=group.region,
            resource=f"{self.service} administrators",
        )
        enabled = {a[self.account_field] for a in admins if a.get(self.status_field) == "ENABLED"}
        wanted = {n.address: n.desired["account_id"] for n in group.nodes}
        wanted.update({r.address: r.id for r in group.orphans})
        return {
            address: Found(id=account_id, attrs={"account_id": account_id})
            for address, account_id in wanted.items()
            if account_id in enabled
        }

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client(self.service, MANAGEMENT, node.region)
        call(
            client.enable_organization_admin_account,
            AdminAccountId=desired["account_id"],
            **located(node),
        )
        return Found(id=desired["account_id"], attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        return found  # the account is the resource: another account is another node

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client(self.service, MANAGEMENT, record.region)
        call(client.disable_organization_admin_account, AdminAccountId=record.id, **located(record))
