"""Account assignments: a group or user holds a permission set in one account.

Read: ListAccountAssignments per (account, permission set) of the group.
Create and delete are asynchronous in AWS; lz waits for each request's
status (CreateAccountAssignment also provisions the set to the account: the
`AWSReservedSSO_` role appears there). An assignment has no tags: lz knows
it made one from its state record, so removing one from the spec deletes
only what lz created. The ID is Terraform's import ID of
`aws_ssoadmin_account_assignment`:
`PRINCIPAL_ID,PRINCIPAL_TYPE,ACCOUNT_ID,AWS_ACCOUNT,PERMISSION_SET_ARN,INSTANCE_ARN`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord, address
from landingzone.resources.base import Kind, ReadGroup, located, register
from landingzone.resources.sso_group import group_id
from landingzone.resources.sso_instance import (
    holders,
    instance,
    permission_sets,
    principal_id,
    principal_name,
    remove_assignment,
    sso_admin,
    wait_request,
)


def assignment_id(principal: str, kind: str, account_id: str, set_arn: str, inst: str) -> str:
    """The assignment's ID (Terraform's import ID)."""
    return ",".join((principal, kind, account_id, "AWS_ACCOUNT", set_arn, inst))


@register
class SsoAssignmentKind(Kind):
    """A group or user assigned a permission set in one account."""

    name = "sso_assignment"
    service = "sso-admin"
    immutable_attrs = frozenset({"permission_set", "principal_type", "principal", "target"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        item = group.nodes[0] if group.nodes else group.orphans[0]
        sets = {name: s["PermissionSetArn"] for name, s in permission_sets(ctx, item).items()}
        result: dict[str, Found] = {}

        for node in group.nodes:
            desired = node.desired
            set_arn = sets.get(desired["permission_set"])
            account_id = ctx.account_id(desired["target"])
            if set_arn is None or account_id is None:
                continue
            for found in holders(ctx, item, account_id, set_arn):
                name = principal_name(ctx, item, found["PrincipalType"], found["PrincipalId"])
                if (
                    found["PrincipalType"] == desired["principal_type"]
                    and name == desired["principal"]
                ):
                    result[node.address] = self._found(ctx, item, found, dict(desired), set_arn)
        for record in group.orphans:
            principal, kind, account_id, _, set_arn, _ = record.id.split(",")
            for found in holders(ctx, item, account_id, set_arn):
                if (found["PrincipalId"], found["PrincipalType"]) == (principal, kind):
                    result[record.address] = self._found(ctx, item, found, record.attrs, set_arn)
        return result

    def _found(
        self,
        ctx: Context,
        item: Node | ResourceRecord,
        found: Mapping[str, Any],
        attrs: Mapping[str, Any],
        set_arn: str,
    ) -> Found:
        return Found(
            id=assignment_id(
                found["PrincipalId"],
                found["PrincipalType"],
                found["AccountId"],
                set_arn,
                instance(ctx, item).arn,
            ),
            attrs=dict(attrs),
            refs=frozenset({set_arn}),
        )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client, inst = sso_admin(ctx, node), instance(ctx, node).arn
        set_arn = ctx.id_of(address("permission_set", desired["permission_set"]))
        if set_arn is None:
            set_arn = permission_sets(ctx, node)[desired["permission_set"]]["PermissionSetArn"]
        kind = desired["principal_type"]
        known = ctx.id_of(address("sso_group", desired["principal"])) if kind == "GROUP" else None
        principal = principal_id(
            ctx, node, kind, desired["principal"], group_id(known) if known else None
        )
        account_id = ctx.require_account_id(desired["target"])
        started = call(
            client.create_account_assignment,
            InstanceArn=inst,
            TargetId=account_id,
            TargetType="AWS_ACCOUNT",
            PermissionSetArn=set_arn,
            PrincipalType=kind,
            PrincipalId=principal,
            **located(node),
        )["AccountAssignmentCreationStatus"]
        wait_request(
            ctx,
            node,
            f"assigning {desired['permission_set']} to {kind.lower()} {desired['principal']} "
            f"in {desired['target']}",
            client.describe_account_assignment_creation_status,
            "AccountAssignmentCreationStatus",
            InstanceArn=inst,
            AccountAssignmentCreationRequestId=started["RequestId"],
        )
        return Found(
            id=assignment_id(principal, kind, account_id, set_arn, inst),
            attrs=dict(desired),
            refs=frozenset({set_arn}),
        )

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        return found  # every attribute is immutable: a different one is another assignment

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        principal, kind, account_id, _, set_arn, inst = record.id.split(",")
        remove_assignment(
            ctx,
            record,
            f"removing assignment {record.address}",
            InstanceArn=inst,
            TargetId=account_id,
            PermissionSetArn=set_arn,
            PrincipalType=kind,
            PrincipalId=principal,
        )
