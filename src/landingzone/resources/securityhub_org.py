"""AWS Security Hub for the whole organization, administered by the security account.

Per region where an account of the spec runs:

- `securityhub_admin`: the security account designated as Security Hub's
  administrator (EnableOrganizationAdminAccount from the management account;
  AWS also enables Security Hub in the security account there).
  `organization_admin.py`: read cost ListOrganizationAdminAccounts.
- `securityhub_organization`: the administrator's organization configuration
  (`AutoEnable` for new accounts, `AutoEnableStandards` DEFAULT or NONE).
  Read cost: DescribeOrganizationConfiguration. Left as it is when it leaves
  the spec.
- `securityhub_members`: the spec's other accounts as members (CreateMembers;
  accounts of the organization are enabled at once, without an invitation,
  and Security Hub is turned on in them). Read cost: ListMembers. lz owns
  only the members it added (`organization_admin.owned_members`).
- `securityhub_standards`: the standards the spec names, enabled in one
  account (BatchEnableStandards). Read cost: GetEnabledStandards. lz owns the
  standards the spec names and those it enabled before: standards enabled
  otherwise (AWS's defaults, by hand) are left alone, never disabled.

In the home region: `securityhub_aggregator`, the security account's finding
aggregator linking every region (CreateFindingAggregator, RegionLinkingMode
ALL_REGIONS). Read cost: ListFindingAggregators plus GetFindingAggregator.

None of these is taggable in AWS (the hub is, but AWS enables it here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, located, register
from landingzone.resources.organization_admin import (
    OrganizationAdminKind,
    claims,
    member_ids,
    owned_members,
)

SERVICE = "securityhub"
NOT_ON = "InvalidAccessException"  # Security Hub is off, or the account is not the administrator


def _where(account: str, region: str | None, resource: str) -> dict[str, Any]:
    return {"account": account, "region": region, "resource": resource}


@register
class SecurityHubAdminKind(OrganizationAdminKind):
    """The security account as Security Hub's administrator in one region."""

    name = "securityhub_admin"
    service = SERVICE
    account_field = "AccountId"
    status_field = "Status"


@register
class SecurityHubOrganizationKind(Kind):
    """The administrator's organization configuration in one region."""

    name = "securityhub_organization"
    service = SERVICE
    deletable = False

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        if not group.nodes:
            return {}
        client = ctx.client(SERVICE, group.account, group.region)
        try:
            described = call(
                client.describe_organization_configuration,
                **_where(group.account, group.region, "securityhub organization configuration"),
            )
        except AwsError as exc:
            if exc.aws_code == NOT_ON:  # not designated yet
                return {}
            raise
        attrs = {
            "auto_enable": bool(described.get("AutoEnable")),
            "auto_enable_standards": described.get("AutoEnableStandards", "DEFAULT"),
        }
        return {n.address: Found(id=n.account, attrs=attrs) for n in group.nodes}

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client(SERVICE, node.account, node.region)
        call(
            client.update_organization_configuration,
            AutoEnable=desired["auto_enable"],
            AutoEnableStandards=desired["auto_enable_standards"],
            **located(node),
        )
        return Found(id=node.account, attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        return self.create(ctx, node, desired)

    def removal(self, ctx: Context, record: ResourceRecord, found: Found | None) -> tuple[str, str]:
        return "forget", "the organization configuration is left as it is"


@register
class SecurityHubMembersKind(Kind):
    """The accounts lz made members of the Security Hub administrator, in one region."""

    name = "securityhub_members"
    service = SERVICE

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client(SERVICE, group.account, group.region)
        try:
            members = list(
                pages(
                    client,
                    "list_members",
                    "Members",
                    OnlyAssociated=False,
                    **_where(group.account, group.region, "securityhub members"),
                )
            )
        except AwsError as exc:
            if exc.aws_code == NOT_ON:
                return {}
            raise
        enabled = {
            m["AccountId"]: m.get("Email", "")
            for m in members
            if m.get("MemberStatus") == "Enabled"
        }
        return {
            address: Found(id=group.account, attrs={"members": ours})
            for address, ours in owned_members(group, enabled).items()
        }

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        self._add(ctx, node, desired["members"])
        return Found(id=node.account, attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        have = member_ids(found.attrs.get("members"))
        self._add(ctx, node, desired["members"])
        gone = sorted(have - member_ids(desired["members"]))
        if gone:
            self._remove(ctx, node.account, node.region, gone, node.address)
        return Found(id=found.id, attrs=dict(desired))

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        members = sorted(member_ids(record.attrs.get("members")))
        if members:
            self._remove(ctx, record.account, record.region, members, record.address)

    @staticmethod
    def _add(ctx: Context, node: Node, members: list[dict[str, str]]) -> None:
        client = ctx.client(SERVICE, node.account, node.region)
        details = [{"AccountId": m["account_id"], "Email": m["email"]} for m in members]
        for start in range(0, len(details), 50):  # CreateMembers takes 50 accounts a call
            unprocessed = call(
                client.create_members, AccountDetails=details[start : start + 50], **located(node)
            )["UnprocessedAccounts"]
            if unprocessed:
                reasons = "; ".join(
                    f"{u['AccountId']}: {u['ProcessingResult']}" for u in unprocessed
                )
                raise AwsError(
                    f"Security Hub did not add these members: {reasons}", **located(node)
                )

    @staticmethod
    def _remove(
        ctx: Context, account: str, region: str | None, members: list[str], address: str
    ) -> None:
        client = ctx.client(SERVICE, account, region)
        where = _where(account, region, address)
        for start in range(0, len(members), 50):
            batch = members[start : start + 50]
            call(client.disassociate_members, AccountIds=batch, **where)
            call(client.delete_members, AccountIds=batch, **where)


def _enabled_standards(ctx: Context, account: str, region: str | None, resource: str) -> Any:
    """StandardsArn -> subscription ARN of the account's enabled standards (None: hub off)."""
    client = ctx.client(SERVICE, account, region)
    try:
        subscriptions = pages(
            client,
            "get_enabled_standards",
            "StandardsSubscriptions",
            **_where(account, region, resource),
        )
        return {
            s["StandardsArn"]: s["StandardsSubscriptionArn"]
            for s in subscriptions
            if s.get("StandardsStatus") in ("READY", "PENDING", "INCOMPLETE")
        }
    except AwsError as exc:
        if exc.aws_code == NOT_ON:
            return None
        raise


@register
class SecurityHubStandardsKind(Kind):
    """The standards the spec names, enabled in one account and region."""

    name = "securityhub_standards"
    service = SERVICE

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        enabled = _enabled_standards(ctx, group.account, group.region, "securityhub standards")
        if enabled is None:
            return {}
        nodes = {n.address for n in group.nodes}
        result: dict[str, Found] = {}
        for address, owned in claims(group, "standards", lambda arns: set(arns or [])):
            ours = sorted(arn for arn in enabled if arn in owned)
            if ours or address in nodes:  # the hub is on: a node finds what it has
                result[address] = Found(id=group.account, attrs={"standards": ours})
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        self._enable(ctx, node, desired["standards"])
        return Found(id=node.account, attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        have, want = set(found.attrs.get("standards", [])), set(desired["standards"])
        self._enable(ctx, node, sorted(want - have))
        self._disable(ctx, node.account, node.region, sorted(have - want), node.address)
        return Found(id=found.id, attrs=dict(desired))

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        standards = list(record.attrs.get("standards", []))
        self._disable(ctx, record.account, record.region, standards, record.address)

    @staticmethod
    def _enable(ctx: Context, node: Node, standards: list[str]) -> None:
        if standards:
            client = ctx.client(SERVICE, node.account, node.region)
            call(
                client.batch_enable_standards,
                StandardsSubscriptionRequests=[{"StandardsArn": arn} for arn in standards],
                **located(node),
            )

    @staticmethod
    def _disable(
        ctx: Context, account: str, region: str | None, standards: list[str], address: str
    ) -> None:
        enabled = _enabled_standards(ctx, account, region, address) or {}
        subscriptions = [enabled[arn] for arn in standards if arn in enabled]
        if subscriptions:
            client = ctx.client(SERVICE, account, region)
            call(
                client.batch_disable_standards,
                StandardsSubscriptionArns=subscriptions,
                **_where(account, region, address),
            )


@register
class SecurityHubAggregatorKind(Kind):
    """The security account's cross-region finding aggregator, in the home region."""

    name = "securityhub_aggregator"
    service = SERVICE

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client(SERVICE, group.account, group.region)
        where = _where(group.account, group.region, "securityhub finding aggregators")
        try:
            listed = list(pages(client, "list_finding_aggregators", "FindingAggregators", **where))
        except AwsError as exc:
            if exc.aws_code == NOT_ON:
                return {}
            raise
        if not listed:
            return {}
        arn = listed[0]["FindingAggregatorArn"]  # AWS allows one per account
        found = call(client.get_finding_aggregator, FindingAggregatorArn=arn, **where)
        if found.get("FindingAggregationRegion") != group.region:
            return {}
        attrs = {"region_linking": found["RegionLinkingMode"], "regions": found.get("Regions", [])}
        addresses = [n.address for n in group.nodes]
        addresses += [r.address for r in group.orphans if r.id == arn]
        return {address: Found(id=arn, attrs=attrs) for address in addresses}

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client(SERVICE, node.account, node.region)
        arn = call(
            client.create_finding_aggregator,
            **self._linking(desired),
            **located(node),
        )["FindingAggregatorArn"]
        return Found(id=arn, attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = ctx.client(SERVICE, node.account, node.region)
        call(
            client.update_finding_aggregator,
            FindingAggregatorArn=found.id,
            **self._linking(desired),
            **located(node),
        )
        return Found(id=found.id, attrs=dict(desired))

    @staticmethod
    def _linking(desired: Mapping[str, Any]) -> dict[str, Any]:
        linking: dict[str, Any] = {"RegionLinkingMode": desired["region_linking"]}
        if desired["regions"]:
            linking["Regions"] = desired["regions"]
        return linking

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client(SERVICE, record.account, record.region)
        call(client.delete_finding_aggregator, FindingAggregatorArn=record.id, **located(record))
