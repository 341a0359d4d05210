"""GuardDuty for the whole organization, administered by the security account.

Per region of the security account:

- `guardduty_admin`: the security account designated as GuardDuty's
  delegated administrator (EnableOrganizationAdminAccount, from the
  management account, in the region; AWS also enables GuardDuty there).
  Read cost: ListOrganizationAdminAccounts. lz disables only a designation
  it made (`organization_admin.py`, shared with Security Hub).
- `guardduty_organization`: the administrator's organization configuration,
  which accounts GuardDuty enables by itself (`AutoEnableOrganizationMembers`).
  Read cost: ListDetectors and DescribeOrganizationConfiguration. Left as it
  is when it leaves the spec.
- `guardduty_members`: the spec's accounts as members of the administrator
  (CreateMembers; for accounts of the organization they are enabled at once,
  no invitation). Read cost: ListDetectors and ListMembers. lz owns only the
  members it added: accounts GuardDuty enabled by itself (auto-enable) or
  someone else added are not lz's and are never removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.errors import AwsError
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, located, register
from landingzone.resources.organization_admin import (
    OrganizationAdminKind,
    member_ids,
    owned_members,
)

NOT_ADMINISTRATOR = "BadRequestException"  # what GuardDuty answers a non-administrator


def detector_id(ctx: Context, account: str, region: str | None) -> str | None:
    """The GuardDuty detector of an account and region, if GuardDuty is on there."""
    client = ctx.client("guardduty", account, region)
    where = {"account": account, "region": region, "resource": "guardduty"}
    ids = call(client.list_detectors, **where)["DetectorIds"]
    return ids[0] if ids else None


def _require_detector(ctx: Context, node: Node) -> str:
    found = detector_id(ctx, node.account, node.region)
    if found is None:
        raise AwsError(
            "GuardDuty is not enabled in the security account in this region "
            "(its designation as delegated administrator enables it)",
            account=node.account,
            region=node.region,
            resource=node.address,
        )
    return found


@register
class GuardDutyAdminKind(OrganizationAdminKind):
    """The security account as GuardDuty's delegated administrator in one region."""

    name = "guardduty_admin"
    service = "guardduty"


@register
class GuardDutyOrganizationKind(Kind):
    """The delegated administrator's organization configuration in one region."""

    name = "guardduty_organization"
    service = "guardduty"
    deletable = False

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        if not group.nodes:
            return {}
        detector = detector_id(ctx, group.account, group.region)
        if detector is None:
            return {}
        client = ctx.client("guardduty", group.account, group.region)
        try:
            described = client.describe_organization_configuration(DetectorId=detector)
        except ClientError as exc:
            if error_code(exc) == NOT_ADMINISTRATOR:  # not designated yet
                return {}
            raise aws_error(exc, account=group.account, region=group.region) from exc
        attrs = {"auto_enable": described.get("AutoEnableOrganizationMembers", "NONE")}
        return {n.address: Found(id=detector, attrs=attrs) for n in group.nodes}

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        detector = _require_detector(ctx, node)
        self._write(ctx, node, detector, desired)
        return Found(id=detector, attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        self._write(ctx, node, found.id, desired)
        return Found(id=found.id, attrs=dict(desired))

    @staticmethod
    def _write(ctx: Context, node: Node, detector: str, desired: Mapping[str, Any]) -> None:
        client = ctx.client("guardduty", node.account, node.region)
        call(
            client.update_organization_configuration,
            DetectorId=detector,
            AutoEnableOrganizationMembers=desired["auto_enable"],
            **located(node),
        )

    def removal(self, ctx: Context, record: ResourceRecord, found: Found | None) -> tuple[str, str]:
        return "forget", "the organization configuration is left as it is"


@register
class GuardDutyMembersKind(Kind):
    """The accounts lz made members of the delegated administrator, in one region."""

    name = "guardduty_members"
    service = "guardduty"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        detector = detector_id(ctx, group.account, group.region)
        if detector is None:
            return {}
        client = ctx.client("guardduty", group.account, group.region)
        try:
            members = list(
                pages(
                    client, "list_members", "Members", DetectorId=detector, OnlyAssociated="false"
                )
            )
        except AwsError as exc:
            if exc.aws_code == NOT_ADMINISTRATOR:
                return {}
            raise
        enabled = {
            m["AccountId"]: m.get("Email", "")
            for m in members
            if m.get("RelationshipStatus") == "Enabled"
        }
        return {
            address: Found(id=detector, attrs={"members": ours})
            for address, ours in owned_members(group, enabled).items()
        }

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        detector = _require_detector(ctx, node)
        self._add(ctx, node, detector, desired["members"])
        return Found(id=detector, attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        have = member_ids(found.attrs.get("members"))
        self._add(ctx, node, found.id, desired["members"])
        gone = sorted(have - member_ids(desired["members"]))
        if gone:
            self._remove(ctx, node.account, node.region, found.id, gone, node.address)
        return Found(id=found.id, attrs=dict(desired))

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        members = sorted(member_ids(record.attrs.get("members")))
        if members:
            self._remove(ctx, record.account, record.region, record.id, members, record.address)

    @staticmethod
    def _add(ctx: Context, node: Node, detector: str, members: list[dict[str, str]]) -> None:
        client = ctx.client("guardduty", node.account, node.region)
        details = [{"AccountId": m["account_id"], "Email": m["email"]} for m in members]
        for start in range(0, len(details), 50):  # CreateMembers takes 50 accounts a call
            unprocessed = call(
                client.create_members,
                DetectorId=detector,
                AccountDetails=details[start : start + 50],
                **located(node),
            )["UnprocessedAccounts"]
            if unprocessed:
                reasons = "; ".join(f"{u['AccountId']}: {u['Result']}" for u in unprocessed)
                raise AwsError(
                    f"GuardDuty did not add these members: {reasons}",
                    account=node.account,
                    region=node.region,
                    resource=node.address,
                )

    @staticmethod
    def _remove(
        ctx: Context,
        account: str,
        region: str | None,
        detector: str,
        members: list[str],
        address: str,
    ) -> None:
        client = ctx.client("guardduty", account, region)
        where = {"account": account, "region": region, "resource": address}
        for start in range(0, len(members), 50):
            batch = members[start : start + 50]
            call(client.disassociate_members, DetectorId=detector, AccountIds=batch, **where)
            call(client.delete_members, DetectorId=detector, AccountIds=batch, **where)
