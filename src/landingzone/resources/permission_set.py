"""IAM Identity Center permission sets, their policies, and provisioning them.

Read per permission set: DescribePermissionSet (all sets, once per run), its
AWS managed and customer managed policies, inline policy, permissions
boundary, tags, the accounts where it is provisioned but outdated, and the
assignments of the set in the accounts it is provisioned to.

A change to a set reaches the accounts only when it is provisioned again
(AWS keeps the old roles until then): after any change but tags, `update`
calls ProvisionPermissionSet for every provisioned account and waits for the
request. `provisioned` shows accounts still outdated (a change made by hand
and never provisioned). `assignments` lists who holds the set where; one
made by hand outside the spec shows in the plan, and apply removes it from a
set lz created (lz owns who holds the sets it made; the assignments it
declares are `sso_assignment` nodes).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import MANAGEMENT, Change, Found, Node, ResourceRecord
from landingzone.resources.base import (
    Kind,
    ReadGroup,
    is_managed,
    located,
    minified,
    register,
    tag_delta,
    tag_dict,
    tag_list,
)
from landingzone.resources.org_snapshot import tree
from landingzone.resources.sso_instance import (
    holders,
    instance,
    permission_sets,
    principal_name,
    remove_assignment,
    sso_admin,
    wait_request,
)

LATEST = "latest"
CHANGES_PROVISIONED = frozenset(
    {
        "description",
        "session_duration",
        "relay_state",
        "managed_policies",
        "customer_managed_policies",
        "inline_policy",
        "permissions_boundary",
        "provisioned",
    }
)


def _boundary(answer: Mapping[str, Any]) -> dict[str, Any]:
    if answer.get("ManagedPolicyArn"):
        return {"managed_policy": answer["ManagedPolicyArn"]}
    reference = answer.get("CustomerManagedPolicyReference") or {}
    return {
        "customer_managed_policy": {
            "name": reference.get("Name", ""),
            "path": reference.get("Path", "/"),
        }
    }


def _boundary_request(boundary: Mapping[str, Any]) -> dict[str, Any]:
    if "managed_policy" in boundary:
        return {"ManagedPolicyArn": boundary["managed_policy"]}
    reference = boundary["customer_managed_policy"]
    return {
        "CustomerManagedPolicyReference": {"Name": reference["name"], "Path": reference["path"]}
    }


def _reference(item: Mapping[str, Any]) -> dict[str, str]:
    return {"Name": item["name"], "Path": item["path"]}


def assignment_label(account: str, principal_type: str, principal: str) -> str:
    """How `assignments` names one: `ACCOUNT/group:NAME`."""
    return f"{account}/{principal_type.lower()}:{principal}"


def account_names(ctx: Context, labels: Any) -> dict[str, str]:
    """Account IDs to names: the spec's, for accounts named in assignment labels, else the
    organization's (its management account as `management`)."""
    org = tree(ctx)
    names = {account_id: account.name for account_id, account in org.accounts.items()}
    if org.management_account_id:
        names[org.management_account_id] = MANAGEMENT
    for label in labels:
        account = str(label).split("/", 1)[0]
        account_id = ctx.account_id(account)
        if account_id:
            names[account_id] = account
    return names


@register
class PermissionSetKind(Kind):
    """A permission set of the organization's Identity Center instance."""

    name = "permission_set"
    service = "sso-admin"
    taggable = True
    policy_attrs = frozenset({"inline_policy"})
    immutable_attrs = frozenset({"name"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        item = group.nodes[0] if group.nodes else group.orphans[0]
        sets = permission_sets(ctx, item)
        by_arn = {s["PermissionSetArn"]: s for s in sets.values()}
        matches = group.match(by_arn, lambda node: sets.get(node.desired["name"]))
        nodes = {n.address: n for n in group.nodes}
        return {
            address: self._found(ctx, item, described, nodes.get(address))
            for address, described in matches.items()
        }

    def _found(
        self, ctx: Context, item: Node | ResourceRecord, described: Mapping[str, Any], node: Any
    ) -> Found:
        client, arn = sso_admin(ctx, item), described["PermissionSetArn"]
        ask: dict[str, Any] = {
            "InstanceArn": instance(ctx, item).arn,
            "PermissionSetArn": arn,
            **located(item),
        }
        managed = pages(
            client, "list_managed_policies_in_permission_set", "AttachedManagedPolicies", **ask
        )
        references = pages(
            client,
            "list_customer_managed_policy_references_in_permission_set",
            "CustomerManagedPolicyReferences",
            **ask,
        )
        inline = call(client.get_inline_policy_for_permission_set, **ask).get("InlinePolicy")
        try:
            answer = call(client.get_permissions_boundary_for_permission_set, **ask)
            boundary: dict[str, Any] | None = _boundary(answer["PermissionsBoundary"])
        except AwsError as exc:
            if exc.aws_code != "ResourceNotFoundException":
                raise
            boundary = None
        tags = tag_dict(
            call(
                client.list_tags_for_resource,
                InstanceArn=ask["InstanceArn"],
                ResourceArn=arn,
                **located(item),
            ).get("Tags")
        )
        accounts = list(
            pages(client, "list_accounts_for_provisioned_permission_set", "AccountIds", **ask)
        )
        outdated = list(
            pages(
                client,
                "list_accounts_for_provisioned_permission_set",
                "AccountIds",
                ProvisioningStatus="LATEST_PERMISSION_SET_NOT_PROVISIONED",
                **ask,
            )
        )
        return Found(
            id=arn,
            attrs={
                "name": described["Name"],
                "description": described.get("Description") or "",
                "session_duration": described.get("SessionDuration") or "PT1H",
                "relay_state": described.get("RelayState") or None,
                "managed_policies": sorted(p["Arn"] for p in managed),
                "customer_managed_policies": [
                    {"name": r["Name"], "path": r.get("Path", "/")} for r in references
                ],
                "inline_policy": json.loads(inline) if inline else None,
                "permissions_boundary": boundary,
                "provisioned": LATEST if not outdated else f"outdated in {len(outdated)} accounts",
                "tags": tags,
                "assignments": self._assignments(ctx, item, ask, accounts, node),
            },
            managed=is_managed(tags),
        )

    def _assignments(
        self,
        ctx: Context,
        item: Node | ResourceRecord,
        ask: Mapping[str, Any],
        accounts: list[str],
        node: Node | None,
    ) -> list[str]:
        """Who holds the set, in the accounts it is provisioned to, by name."""
        names = account_names(ctx, node.desired["assignments"] if node else [])
        held = []
        for account_id in accounts:
            for found in holders(ctx, item, account_id, ask["PermissionSetArn"]):
                principal = principal_name(ctx, item, found["PrincipalType"], found["PrincipalId"])
                label = assignment_label(
                    names.get(account_id, account_id), found["PrincipalType"], principal
                )
                held.append(label)
        return sorted(held)

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = sso_admin(ctx, node)
        args: dict[str, Any] = {
            "InstanceArn": instance(ctx, node).arn,
            "Name": desired["name"],
            "SessionDuration": desired["session_duration"],
            "Tags": tag_list(ctx.creation_tags(desired["tags"])),
        }
        if desired["description"]:
            args["Description"] = desired["description"]
        if desired["relay_state"]:
            args["RelayState"] = desired["relay_state"]
        created = call(client.create_permission_set, **args, **located(node))
        arn = created["PermissionSet"]["PermissionSetArn"]
        empty: dict[str, Any] = {
            "managed_policies": [],
            "customer_managed_policies": [],
            "inline_policy": None,
            "permissions_boundary": None,
        }
        self._policies(ctx, node, arn, desired, empty)
        return Found(id=arn, attrs=dict(desired), managed=True)

    def _policies(
        self,
        ctx: Context,
        node: Node,
        arn: str,
        desired: Mapping[str, Any],
        have: Mapping[str, Any],
    ) -> None:
        """Make the set's policies and boundary those desired (from `have`)."""
        client = sso_admin(ctx, node)
        ask = {"InstanceArn": instance(ctx, node).arn, "PermissionSetArn": arn, **located(node)}
        want_managed, had_managed = set(desired["managed_policies"]), set(have["managed_policies"])
        for policy in sorted(had_managed - want_managed):
            call(client.detach_managed_policy_from_permission_set, ManagedPolicyArn=policy, **ask)
        for policy in sorted(want_managed - had_managed):
            call(client.attach_managed_policy_to_permission_set, ManagedPolicyArn=policy, **ask)
        want_refs = [_reference(r) for r in desired["customer_managed_policies"]]
        had_refs = [_reference(r) for r in have["customer_managed_policies"] or []]
        for reference in had_refs:
            if reference not in want_refs:
                call(
                    client.detach_customer_managed_policy_reference_from_permission_set,
                    CustomerManagedPolicyReference=reference,
                    **ask,
                )
        for reference in want_refs:
            if reference not in had_refs:
                call(
                    client.attach_customer_managed_policy_reference_to_permission_set,
                    CustomerManagedPolicyReference=reference,
                    **ask,
                )
        if desired["inline_policy"] != have["inline_policy"]:
            if desired["inline_policy"]:
                call(
                    client.put_inline_policy_to_permission_set,
                    InlinePolicy=minified(desired["inline_policy"]),
                    **ask,
                )
            else:
                call(client.delete_inline_policy_from_permission_set, **ask)
        if desired["permissions_boundary"] != have["permissions_boundary"]:
            if desired["permissions_boundary"]:
                call(
                    client.put_permissions_boundary_to_permission_set,
                    PermissionsBoundary=_boundary_request(desired["permissions_boundary"]),
                    **ask,
                )
            else:
                call(client.delete_permissions_boundary_from_permission_set, **ask)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = sso_admin(ctx, node)
        instance_arn = instance(ctx, node).arn
        place = located(node)
        changed = {c.attr for c in changes}
        if changed & {"description", "session_duration", "relay_state"}:
            args: dict[str, Any] = {"SessionDuration": desired["session_duration"]}
            if desired["description"]:
                args["Description"] = desired["description"]
            if desired["relay_state"]:
                args["RelayState"] = desired["relay_state"]
            call(
                client.update_permission_set,
                InstanceArn=instance_arn,
                PermissionSetArn=found.id,
                **args,
                **place,
            )
        self._policies(ctx, node, found.id, desired, found.attrs)
        to_set, to_remove = tag_delta(changes)
        if to_set:
            call(
                client.tag_resource,
                InstanceArn=instance_arn,
                ResourceArn=found.id,
                Tags=tag_list(to_set),
                **place,
            )
        if to_remove:
            call(
                client.untag_resource,
                InstanceArn=instance_arn,
                ResourceArn=found.id,
                TagKeys=to_remove,
                **place,
            )
        if "assignments" in changed and found.managed:
            self._remove_unmanaged(ctx, node, found, desired)
        if changed & CHANGES_PROVISIONED:
            self.provision(ctx, node, found.id)
        return Found(id=found.id, attrs={**found.attrs, **desired}, managed=found.managed)

    def provision(self, ctx: Context, node: Node, arn: str) -> None:
        """ProvisionPermissionSet to every account it is provisioned to, and wait for it."""
        client = sso_admin(ctx, node)
        instance_arn = instance(ctx, node).arn
        started = call(
            client.provision_permission_set,
            InstanceArn=instance_arn,
            PermissionSetArn=arn,
            TargetType="ALL_PROVISIONED_ACCOUNTS",
            **located(node),
        )["PermissionSetProvisioningStatus"]
        wait_request(
            ctx,
            node,
            f"provisioning permission set {node.desired['name']}",
            client.describe_permission_set_provisioning_status,
            "PermissionSetProvisioningStatus",
            InstanceArn=instance_arn,
            ProvisionPermissionSetRequestId=started["RequestId"],
        )

    def _remove_unmanaged(
        self, ctx: Context, node: Node, found: Found, desired: Mapping[str, Any]
    ) -> None:
        """Delete the set's assignments that are neither in the spec nor lz's to create."""
        wanted = set(desired["assignments"])
        client = sso_admin(ctx, node)
        instance_arn = instance(ctx, node).arn
        accounts = pages(
            client,
            "list_accounts_for_provisioned_permission_set",
            "AccountIds",
            InstanceArn=instance_arn,
            PermissionSetArn=found.id,
            **located(node),
        )
        names = account_names(ctx, wanted)
        for account_id in list(accounts):
            for held in holders(ctx, node, account_id, found.id, fresh=True):
                principal = principal_name(ctx, node, held["PrincipalType"], held["PrincipalId"])
                label = assignment_label(
                    names.get(account_id, account_id), held["PrincipalType"], principal
                )
                if label in wanted:
                    continue
                remove_assignment(
                    ctx,
                    node,
                    f"removing {label} from {desired['name']}",
                    InstanceArn=instance_arn,
                    TargetId=account_id,
                    PermissionSetArn=found.id,
                    PrincipalType=held["PrincipalType"],
                    PrincipalId=held["PrincipalId"],
                )

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(
            sso_admin(ctx, record).delete_permission_set,
            InstanceArn=instance(ctx, record).arn,
            PermissionSetArn=record.id,
            **located(record),
        )
