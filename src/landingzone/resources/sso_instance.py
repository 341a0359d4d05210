"""What the IAM Identity Center kinds share: the instance, names to IDs, request status.

The organization's instance is read (ListInstances, once per run and
account), never created: Identity Center is enabled once, in the console.
Assignments and provisioning are asynchronous in AWS: `wait_request` polls a
request's status until it leaves IN_PROGRESS (bounded by `wait_for`), and a
FAILED request is an error naming its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import Node, ResourceRecord
from landingzone.resources.base import located
from landingzone.resources.ec2_kind import wait_for


@dataclass(frozen=True)
class Instance:
    """The organization's Identity Center instance as the administering account sees it."""

    arn: str
    store: str  # the identity store's ID


def sso_admin(ctx: Context, item: Node | ResourceRecord) -> Any:
    """The sso-admin client of the administering account, in the instance's region."""
    return ctx.client("sso-admin", item.account, item.region)


def identity_store(ctx: Context, item: Node | ResourceRecord) -> Any:
    """The identitystore client of the administering account, in the instance's region."""
    return ctx.client("identitystore", item.account, item.region)


def instance(ctx: Context, item: Node | ResourceRecord) -> Instance:
    """The instance (read once per run); an error naming the account when there is none."""

    def read() -> Instance:
        found = list(pages(sso_admin(ctx, item), "list_instances", "Instances", **located(item)))
        if not found:
            raise AwsError(
                "IAM Identity Center is not enabled for the organization here: enable it once "
                "in the console (management account), or make this account its delegated "
                "administrator (identity_center.account)",
                aws_code="NoInstance",
                account=item.account,
                region=item.region,
                resource=item.address,
            )
        return Instance(found[0]["InstanceArn"], found[0]["IdentityStoreId"])

    return ctx.cached(f"sso-instance:{item.account}:{item.region}", read)


def permission_sets(ctx: Context, item: Node | ResourceRecord) -> dict[str, dict[str, Any]]:
    """Every permission set of the instance by name (DescribePermissionSet answers)."""

    def read() -> dict[str, dict[str, Any]]:
        client, arn = sso_admin(ctx, item), instance(ctx, item).arn
        found = {}
        for set_arn in pages(client, "list_permission_sets", "PermissionSets", InstanceArn=arn):
            described = call(
                client.describe_permission_set,
                InstanceArn=arn,
                PermissionSetArn=set_arn,
                **located(item),
            )["PermissionSet"]
            found[described["Name"]] = described
        return found

    return ctx.cached(f"sso-permission-sets:{item.account}:{item.region}", read)


def holders(
    ctx: Context, item: Node | ResourceRecord, account_id: str, set_arn: str, *, fresh: bool = False
) -> list[dict[str, Any]]:
    """Who holds a permission set in an account (ListAccountAssignments), read once per run
    for the plan's reads (`fresh`: read again, for a change)."""

    def read() -> list[dict[str, Any]]:
        return list(
            pages(
                sso_admin(ctx, item),
                "list_account_assignments",
                "AccountAssignments",
                InstanceArn=instance(ctx, item).arn,
                AccountId=account_id,
                PermissionSetArn=set_arn,
                **located(item),
            )
        )

    if fresh:
        return read()
    return ctx.cached(f"sso-holders:{item.account}:{account_id}:{set_arn}", read)


def principal_id(ctx: Context, node: Node, kind: str, name: str, known: str | None) -> str:
    """The identity-store ID of a group (`known`: lz's own) or user, looked up by name."""
    if known:
        return known
    store = instance(ctx, node).store
    client = identity_store(ctx, node)
    if kind == "GROUP":
        attribute, method, key = "DisplayName", client.get_group_id, "GroupId"
    else:
        attribute, method, key = "UserName", client.get_user_id, "UserId"
    answer = call(
        method,
        IdentityStoreId=store,
        AlternateIdentifier={
            "UniqueAttribute": {"AttributePath": attribute, "AttributeValue": name}
        },
        **located(node),
    )
    return str(answer[key])


def principal_name(ctx: Context, item: Node | ResourceRecord, kind: str, principal: str) -> str:
    """The name of a group (DisplayName) or user (UserName) by its ID; the ID if unknown."""

    def read() -> str:
        store, client = instance(ctx, item).store, identity_store(ctx, item)
        try:
            if kind == "GROUP":
                answer = call(
                    client.describe_group, IdentityStoreId=store, GroupId=principal, **located(item)
                )
                return str(answer["DisplayName"])
            answer = call(
                client.describe_user, IdentityStoreId=store, UserId=principal, **located(item)
            )
            return str(answer["UserName"])
        except AwsError as exc:
            if exc.aws_code != "ResourceNotFoundException":
                raise
            return principal

    return ctx.cached(f"sso-principal:{item.account}:{kind}:{principal}", read)


def remove_assignment(
    ctx: Context, item: Node | ResourceRecord, what: str, **assignment: str
) -> None:
    """DeleteAccountAssignment (InstanceArn, TargetId, PermissionSetArn, PrincipalType,
    PrincipalId), then wait for it; an assignment gone already is no error (an
    `sso_assignment` delete and its set's repair may both remove one)."""
    client = sso_admin(ctx, item)
    try:
        started = call(
            client.delete_account_assignment,
            TargetType="AWS_ACCOUNT",
            **assignment,
            **located(item),
        )["AccountAssignmentDeletionStatus"]
    except AwsError as exc:
        if exc.aws_code != "ResourceNotFoundException":
            raise
        return
    wait_request(
        ctx,
        item,
        what,
        client.describe_account_assignment_deletion_status,
        "AccountAssignmentDeletionStatus",
        InstanceArn=assignment["InstanceArn"],
        AccountAssignmentDeletionRequestId=started["RequestId"],
    )


def wait_request(
    ctx: Context,
    item: Node | ResourceRecord,
    what: str,
    describe: Callable[..., Any],
    status_key: str,
    **ask: str,
) -> None:
    """Poll an asynchronous request's Describe...Status (`describe`, answering under
    `status_key`) until it is done; FAILED is an AwsError with its reason."""
    status: dict[str, Any] = {}

    def done() -> bool:
        status.update(call(describe, **ask, **located(item))[status_key])
        return status.get("Status") != "IN_PROGRESS"

    wait_for(ctx, what, done, resource=item.address)
    if status.get("Status") == "FAILED":
        raise AwsError(
            f"{what} failed: {status.get('FailureReason', 'no reason given')}",
            aws_code="RequestFailed",
            account=item.account,
            region=item.region,
            resource=item.address,
        )
