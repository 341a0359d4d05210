"""The organization as a security domain: trusted access and delegated administrators.

`service_access` is AWS service access ("trusted access") for one service
principal in Organizations, in the management account. Read cost: one
ListAWSServiceAccessForOrganization per run, shared by every node. lz never
disables trusted access: disabling it in Organizations does not clean up
what the service set up across the organization (AWS asks you to disable
the service's own organization features first), so a service that leaves
the spec is forgotten, left enabled.

`delegated_admin` is a member account registered as the delegated
administrator of one service. The node lives in that member account (its
changes need the account's approval when protected); the calls go to the
management account's Organizations. Read cost: ListDelegatedAdministrators
plus one ListDelegatedServicesForAccount per delegated administrator, once
per run. lz deregisters only a registration it made (state says `created`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.nodes import MANAGEMENT, Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, register

_WHERE = {"account": MANAGEMENT, "resource": "organization"}


def enabled_services(ctx: Context) -> frozenset[str]:
    """Service principals with trusted access enabled in the organization (read once a run)."""

    def list_enabled() -> frozenset[str]:
        client = ctx.client("organizations")
        found = pages(
            client,
            "list_aws_service_access_for_organization",
            "EnabledServicePrincipals",
            **_WHERE,
        )
        return frozenset(s["ServicePrincipal"] for s in found)

    return ctx.cached("org-service-access", list_enabled)


def delegated_admins(ctx: Context) -> Mapping[str, frozenset[str]]:
    """Service principal -> the account IDs registered as its delegated administrators."""

    def list_admins() -> Mapping[str, frozenset[str]]:
        client = ctx.client("organizations")
        by_service: dict[str, set[str]] = defaultdict(set)
        admins = pages(client, "list_delegated_administrators", "DelegatedAdministrators", **_WHERE)
        for admin in admins:
            services = pages(
                client,
                "list_delegated_services_for_account",
                "DelegatedServices",
                AccountId=admin["Id"],
                **_WHERE,
            )
            for service in services:
                by_service[service["ServicePrincipal"]].add(admin["Id"])
        return {service: frozenset(ids) for service, ids in by_service.items()}

    return ctx.cached("org-delegated-admins", list_admins)


@register
class ServiceAccessKind(Kind):
    """Trusted access for one AWS service in Organizations."""

    name = "service_access"
    service = "organizations"
    deletable = False

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        enabled = enabled_services(ctx)
        wanted = {n.address: n.desired["service"] for n in group.nodes}
        wanted.update({r.address: r.id for r in group.orphans})
        return {
            address: Found(id=service, attrs={"service": service})
            for address, service in wanted.items()
            if service in enabled
        }

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client("organizations")
        call(
            client.enable_aws_service_access,
            ServicePrincipal=desired["service"],
            account=MANAGEMENT,
            resource=node.address,
        )
        return Found(id=desired["service"], attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        return found  # the service principal is the resource: nothing else to change

    def removal(self, ctx: Context, record: ResourceRecord, found: Found | None) -> tuple[str, str]:
        if found is None:
            return "forget", "no longer enabled"
        return "forget", "trusted access is left enabled (lz never disables it)"


@register
class DelegatedAdminKind(Kind):
    """A member account registered as delegated administrator for one service."""

    name = "delegated_admin"
    service = "organizations"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        admins = delegated_admins(ctx)
        result: dict[str, Found] = {}
        for node in group.nodes:
            service, account_id = node.desired["service"], node.desired["account_id"]
            registered = admins.get(service, frozenset())
            if account_id in registered:
                result[node.address] = self._found(service, account_id)
            elif registered:
                others = ", ".join(sorted(registered))
                ctx.warn(
                    f"{node.address}: {service} is delegated to account {others}, not to "
                    f"{node.account}; AWS may refuse a second delegated administrator"
                )
        for record in group.orphans:
            service, _, account_id = record.id.partition("/")
            if account_id in admins.get(service, frozenset()):
                result[record.address] = self._found(service, account_id)
        return result

    @staticmethod
    def _found(service: str, account_id: str) -> Found:
        return Found(
            id=f"{service}/{account_id}", attrs={"service": service, "account_id": account_id}
        )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client("organizations")
        call(
            client.register_delegated_administrator,
            AccountId=desired["account_id"],
            ServicePrincipal=desired["service"],
            account=node.account,
            resource=node.address,
        )
        return self._found(desired["service"], desired["account_id"])

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        return found  # service and account are the resource: a change is a new node

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        service, _, account_id = record.id.partition("/")
        client = ctx.client("organizations")
        call(
            client.deregister_delegated_administrator,
            AccountId=account_id,
            ServicePrincipal=service,
            account=record.account,
            resource=record.address,
        )
