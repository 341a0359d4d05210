"""AWS Organizations: the organization, its root, units (OUs), accounts and policies of every type.

Policy attachments are attributes of their targets (`policies` on the root,
a unit or an account), compared by policy name. lz only ever attaches or
detaches the policies it manages (those in the spec or in its state);
FullAWSAccess and any policy lz does not know stay as they are.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.errors import AwsError
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import (
    Kind,
    ReadGroup,
    is_managed,
    minified,
    register,
    tag_dict,
    tag_list,
)
from landingzone.resources.org_snapshot import (
    POLICY_NAMES_KEY,
    OrgSnapshot,
    managed_policy_names,
    prefetch_tags,
    snapshot,
    tags_of,
)
from landingzone.resources.tagging import TagCalls

ORGANIZATIONS = "organizations"
ORGANIZATIONS_TAGS = TagCalls("tag_resource", "untag_resource", "ResourceId")
# Run options (`Settings.options`) the account kind reads; `graph.run_options` sets them.
REMOVED_ACCOUNTS_UNIT = "removed_accounts_unit"
ACCOUNT_CREATION_CONCURRENCY = "account_creation_concurrency"
DEFAULT_ACCOUNT_CREATION_CONCURRENCY = 5  # AWS's quota of concurrent CreateAccount requests


def _account_creation_slots(ctx: Context) -> threading.BoundedSemaphore:
    """The run's bound on account creations in flight (one semaphore per run)."""
    limit = int(
        ctx.settings.options.get(ACCOUNT_CREATION_CONCURRENCY, DEFAULT_ACCOUNT_CREATION_CONCURRENCY)
    )
    slots: threading.BoundedSemaphore = ctx.cached(
        "organizations:account_creation", lambda: threading.BoundedSemaphore(limit)
    )
    return slots


def _org(ctx: Context) -> Any:
    return ctx.client(ORGANIZATIONS)


def root_id(ctx: Context) -> str:
    """The organization root's ID (read once, then remembered)."""
    known = ctx.id_of("root")
    if known is None:
        known = str(call(_org(ctx).list_roots, resource="organization root")["Roots"][0]["Id"])
        ctx.set_id("root", known)
    return known


def parent_id(ctx: Context, unit: str, address: str) -> str:
    """The ID of a unit by path ("" is the root); an error if it does not exist yet."""
    if not unit:
        return root_id(ctx)
    found = ctx.id_of(f"unit:{unit}")
    if found is None:
        raise AwsError(f"unit {unit} does not exist yet", resource=address)
    return found


def sync_attachments(
    ctx: Context, target_id: str, address: str, want: list[str], have: list[str]
) -> None:
    """Attach and detach managed policies so a target has exactly `want` (by name)."""
    org = _org(ctx)
    for name in sorted(set(want) - set(have)):
        policy_id = ctx.id_of(f"policy:{name}")
        if policy_id is None:
            raise AwsError(f"policy {name} does not exist yet", resource=address)
        try:
            org.attach_policy(PolicyId=policy_id, TargetId=target_id)
        except ClientError as exc:
            if error_code(exc) != "DuplicatePolicyAttachmentException":  # already done
                raise aws_error(exc, resource=f"{address}: attach policy {name}") from exc
    for name in sorted(set(have) - set(want)):
        policy_id = ctx.id_of(f"policy:{name}")
        if policy_id is None:
            continue
        try:
            org.detach_policy(PolicyId=policy_id, TargetId=target_id)
        except ClientError as exc:
            if error_code(exc) != "PolicyNotAttachedException":
                raise aws_error(exc, resource=f"{address}: detach policy {name}") from exc


def sync_tags(ctx: Context, resource_id: str, address: str, changes: list[Change]) -> None:
    """Set and remove tags on an Organizations resource, on the keys lz owns."""
    ORGANIZATIONS_TAGS.retag(_org(ctx), resource_id, changes, resource=address)


def _target_found(
    ctx: Context,
    snap: OrgSnapshot,
    target_id: str,
    attrs: dict[str, Any],
    *,
    parent_id: str | None = None,
    with_tags: bool = True,
) -> Found:
    """A Found for a root, unit or account: attachments, tags and references."""
    managed = managed_policy_names(ctx)
    attrs["policies"] = snap.attached_names(target_id, managed)
    tags: dict[str, str] = {}
    if with_tags:
        tags = tags_of(ctx, target_id)
        attrs["tags"] = tags
    refs = set(snap.attached_ids(target_id, managed))
    if parent_id:
        refs.add(parent_id)
        attrs["parent_id"] = parent_id
    return Found(id=target_id, attrs=attrs, refs=frozenset(refs), managed=is_managed(tags))


# -- the organization ---------------------------------------------------------------


@register
class OrganizationKind(Kind):
    """The organization (feature set ALL) and the policy types enabled on its root."""

    name = "organization"
    service = ORGANIZATIONS
    deletable = False

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        snap = snapshot(ctx)
        if not snap.exists:
            return {}
        assert snap.org_id is not None
        found = Found(
            id=snap.org_id,
            attrs={"feature_set": snap.feature_set, "policy_types": sorted(snap.policy_types)},
            managed=True,
        )
        return {node.address: found for node in group.nodes}

    def same(self, attr: str, want: Any, have: Any) -> bool:
        if attr == "policy_types":  # lz enables what it needs, never disables others'
            return set(want) <= set(have or ())
        return super().same(attr, want, have)

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        org = _org(ctx)
        try:
            created = org.create_organization(FeatureSet=desired["feature_set"])
            org_id = created["Organization"]["Id"]
        except ClientError as exc:
            if error_code(exc) != "AlreadyInOrganizationException":
                raise aws_error(exc, resource=node.address) from exc
            org_id = org.describe_organization()["Organization"]["Id"]
        self._enable_types(ctx, desired["policy_types"], set())
        return Found(id=org_id, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        for change in changes:
            if change.attr == "feature_set":
                raise AwsError(
                    "the organization uses consolidated billing only; enable all features "
                    "(EnableAllFeatures, accepted by every member) before lz can manage it",
                    resource=node.address,
                )
        self._enable_types(ctx, desired["policy_types"], set(found.attrs["policy_types"]))
        return Found(id=found.id, attrs=dict(desired), managed=True)

    def _enable_types(self, ctx: Context, want: list[str], have: set[str]) -> None:
        org = _org(ctx)
        for policy_type in sorted(set(want) - have):
            try:
                org.enable_policy_type(RootId=root_id(ctx), PolicyType=policy_type)
            except ClientError as exc:
                if error_code(exc) != "PolicyTypeAlreadyEnabledException":
                    raise aws_error(exc, resource=f"root: enable {policy_type}") from exc


@register
class RootKind(Kind):
    """The organization root: the policies attached to it."""

    name = "root"
    service = ORGANIZATIONS
    deletable = False

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        snap = snapshot(ctx)
        if snap.root_id is None:
            return {}
        found = _target_found(ctx, snap, snap.root_id, {}, with_tags=False)
        return {node.address: replace_managed(found) for node in group.nodes}

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        the_root = root_id(ctx)
        sync_attachments(ctx, the_root, node.address, desired["policies"], [])
        return Found(id=the_root, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        sync_attachments(ctx, found.id, node.address, desired["policies"], found.attrs["policies"])
        return Found(id=found.id, attrs=dict(desired), managed=True)


def replace_managed(found: Found) -> Found:
    """The root is part of the organization lz manages, tagged or not."""
    return Found(id=found.id, attrs=found.attrs, refs=found.refs, managed=True)


# -- units --------------------------------------------------------------------------


@register
class UnitKind(Kind):
    """An organizational unit, by path. AWS cannot move an OU: a new parent is a replace."""

    name = "unit"
    service = ORGANIZATIONS
    taggable = True
    replace_attrs = frozenset({"parent"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        snap = snapshot(ctx)
        if not snap.exists:
            return {}
        matches = group.match(snap.units, lambda node: snap.unit_by_path(node.desired["path"]))
        prefetch_tags(ctx, [unit.id for unit in matches.values()])
        return {address: self._found(ctx, snap, unit.id) for address, unit in matches.items()}

    def _found(self, ctx: Context, snap: OrgSnapshot, unit_id: str) -> Found:
        unit = snap.units[unit_id]
        attrs = {"path": unit.path, "name": unit.name, "parent": snap.path_of(unit.parent_id)}
        return _target_found(ctx, snap, unit.id, attrs, parent_id=unit.parent_id)

    def diff(
        self, desired: Mapping[str, Any], found: Found, record: ResourceRecord | None
    ) -> list[Change]:
        # `path` follows from name and parent; showing it would say everything twice.
        return [c for c in super().diff(desired, found, record) if c.attr != "path"]

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        org = _org(ctx)
        parent = parent_id(ctx, desired["parent"], node.address)
        try:
            ou = org.create_organizational_unit(
                ParentId=parent,
                Name=desired["name"],
                Tags=tag_list(ctx.creation_tags(desired["tags"])),
            )["OrganizationalUnit"]
            ou_id = ou["Id"]
        except ClientError as exc:
            if error_code(exc) != "DuplicateOrganizationalUnitException":
                raise aws_error(exc, resource=node.address) from exc
            # Created by an earlier, interrupted run: find it and carry on.
            ou_id = self._child_named(ctx, parent, desired["name"], node.address)
            tagging = [Change("tags", {}, ctx.creation_tags(desired["tags"]))]
            sync_tags(ctx, ou_id, node.address, tagging)
        ctx.set_id(node.address, ou_id)
        sync_attachments(ctx, ou_id, node.address, desired["policies"], [])
        return Found(id=ou_id, attrs=dict(desired), managed=True)

    def _child_named(self, ctx: Context, parent_id: str, name: str, address: str) -> str:
        org = _org(ctx)
        paginator = org.get_paginator("list_organizational_units_for_parent")
        for page in paginator.paginate(ParentId=parent_id):
            for ou in page["OrganizationalUnits"]:
                if ou["Name"] == name:
                    return str(ou["Id"])
        raise AwsError("an OU of this name exists but cannot be found", resource=address)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        org = _org(ctx)
        changed = {c.attr for c in changes}
        if "name" in changed:
            call(
                org.update_organizational_unit,
                resource=node.address,
                OrganizationalUnitId=found.id,
                Name=desired["name"],
            )
        if "policies" in changed:
            sync_attachments(
                ctx, found.id, node.address, desired["policies"], found.attrs["policies"]
            )
        if "tags" in changed:
            sync_tags(ctx, found.id, node.address, changes)
        return Found(id=found.id, attrs=dict(desired), refs=found.refs, managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        try:
            _org(ctx).delete_organizational_unit(OrganizationalUnitId=record.id)
        except ClientError as exc:
            code = error_code(exc)
            if code == "OrganizationalUnitNotFoundException":
                return  # already gone
            error = aws_error(exc, resource=record.address)
            if code == "OrganizationalUnitNotEmptyException":
                error = AwsError(
                    "the unit still holds accounts or units that lz does not manage; "
                    "move them out first, then apply again",
                    aws_code=code,
                    resource=record.address,
                )
            raise error from exc


# -- accounts -----------------------------------------------------------------------


@register
class AccountKind(Kind):
    """A member account: created, adopted (by `id:` or e-mail), moved, tagged. Never deleted."""

    name = "account"
    service = ORGANIZATIONS
    taggable = True
    immutable_attrs = frozenset({"email", "name"})
    deletable = False

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        snap = snapshot(ctx)
        if not snap.exists:
            return {}
        matches: dict[str, str] = {}
        for node in group.nodes:
            account = self._match(ctx, snap, node, group.record_for(node.address))
            if account is not None:
                matches[node.address] = account.id
        matches.update({r.address: r.id for r in group.orphans if r.id in snap.accounts})
        prefetch_tags(ctx, matches.values())
        return {address: self._found(ctx, snap, acc_id) for address, acc_id in matches.items()}

    def _match(
        self, ctx: Context, snap: OrgSnapshot, node: Node, record: ResourceRecord | None
    ) -> Any:
        wanted_id = node.desired.get("id")
        if wanted_id:
            account = snap.accounts.get(wanted_id)
            if account is None:
                ctx.warn(
                    f"{node.address}: account {wanted_id} (`id:` in the spec) is not a member "
                    "of this organization; invite it first (lz will not create a new one)"
                )
            return account
        if record and record.id in snap.accounts:
            return snap.accounts[record.id]
        return snap.account_by_email(node.desired["email"])

    def _found(self, ctx: Context, snap: OrgSnapshot, account_id: str) -> Found:
        acc = snap.accounts[account_id]
        attrs: dict[str, Any] = {
            "name": acc.name,
            "email": acc.email,
            "unit": snap.path_of(acc.parent_id),
        }
        return _target_found(ctx, snap, acc.id, attrs, parent_id=acc.parent_id)

    def diff(
        self, desired: Mapping[str, Any], found: Found, record: ResourceRecord | None
    ) -> list[Change]:
        wanted = {k: v for k, v in desired.items() if k not in ("id", "close_on_removal")}
        changes = super().diff(wanted, found, record)
        for change in changes:  # e-mail case does not matter to AWS
            if change.attr == "email" and str(change.before).lower() == str(change.after).lower():
                changes.remove(change)
        return changes

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        if desired.get("id"):
            raise AwsError(
                f"account {desired['id']} is not a member of this organization; "
                "invite it first, or remove `id:` to create a new account",
                resource=node.address,
            )
        with _account_creation_slots(ctx):
            account_id = self._create_and_wait(ctx, node, desired)
        ctx.set_id(node.address, account_id)
        if desired["unit"]:
            self._move(ctx, node.address, account_id, root_id(ctx), desired["unit"])
        sync_attachments(ctx, account_id, node.address, desired["policies"], [])
        return Found(id=account_id, attrs=dict(desired), managed=True)

    def _create_and_wait(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> str:
        org = _org(ctx)
        deadline = time.monotonic() + ctx.settings.poll_timeout
        delay = ctx.settings.poll_interval
        # An interrupted earlier run may have started this creation: resume it.
        status = self._in_progress(ctx, desired["name"], node.address)
        while status is None:
            try:
                status = org.create_account(
                    Email=desired["email"],
                    AccountName=desired["name"],
                    RoleName=ctx.settings.access_role,
                    Tags=tag_list(ctx.creation_tags(desired["tags"])),
                )["CreateAccountStatus"]
            except ClientError as exc:
                # Too many creations in progress (across the organization): wait, retry.
                limited = exc.response.get("Reason") == "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED"
                if not limited or time.monotonic() > deadline:
                    raise aws_error(exc, resource=node.address) from exc
                time.sleep(delay)
                delay = min(delay * 1.5, 30.0)
        delay = ctx.settings.poll_interval
        while status["State"] == "IN_PROGRESS":
            if time.monotonic() > deadline:
                raise AwsError(
                    f"account creation {status['Id']} still in progress after "
                    f"{ctx.settings.poll_timeout:.0f}s; the next apply adopts it when done",
                    resource=node.address,
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 30.0)
            status = call(
                org.describe_create_account_status,
                resource=node.address,
                CreateAccountRequestId=status["Id"],
            )["CreateAccountStatus"]
        if status["State"] != "SUCCEEDED":
            reason = status.get("FailureReason", "UNKNOWN")
            if reason == "EMAIL_ALREADY_EXISTS":
                # An earlier (killed) run's creation of this very account finished
                # after this run read the organization: take it over. Someone else's
                # account with the e-mail stays an error: the plan said "create".
                existing = self._made_by_lz(ctx, desired, node.address)
                if existing is not None:
                    return existing
            raise AwsError(
                f"account creation failed: {reason}",
                aws_code=reason,
                resource=node.address,
            )
        return str(status["AccountId"])

    def _made_by_lz(self, ctx: Context, desired: Mapping[str, Any], address: str) -> str | None:
        """The ID of the account lz set out to create, if it exists now: the e-mail and
        name of `desired` and lz's ManagedBy tag (read now, not from the run's cache)."""
        email = desired["email"].lower()
        accounts = pages(_org(ctx), "list_accounts", "Accounts", resource=address)
        found = next((a for a in accounts if a["Email"].lower() == email), None)
        if found is None or found["Name"] != desired["name"]:
            return None
        tags = pages(
            _org(ctx), "list_tags_for_resource", "Tags", resource=address, ResourceId=found["Id"]
        )
        return str(found["Id"]) if is_managed(tag_dict(tags)) else None

    def _in_progress(self, ctx: Context, name: str, address: str) -> dict[str, Any] | None:
        """A creation of this account left in progress by an earlier run, if any.

        Read once per run: creations started by this run are never in it.
        """

        def read() -> list[dict[str, Any]]:
            return list(
                pages(
                    _org(ctx),
                    "list_create_account_status",
                    "CreateAccountStatuses",
                    resource=address,
                    States=["IN_PROGRESS"],
                )
            )

        statuses = ctx.cached("organizations:creations-in-progress", read)
        return next((s for s in statuses if s.get("AccountName") == name), None)

    def _move(self, ctx: Context, address: str, account_id: str, source: str, unit: str) -> None:
        destination = parent_id(ctx, unit, address)
        if destination == source:
            return
        try:
            _org(ctx).move_account(
                AccountId=account_id, SourceParentId=source, DestinationParentId=destination
            )
        except ClientError as exc:
            if error_code(exc) != "DuplicateAccountException":  # already there
                raise aws_error(exc, resource=f"{address}: move to {unit or 'root'}") from exc

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        changed = {c.attr for c in changes}
        if "unit" in changed:
            self._move(ctx, node.address, found.id, found.attrs["parent_id"], desired["unit"])
        if "policies" in changed:
            sync_attachments(
                ctx, found.id, node.address, desired["policies"], found.attrs["policies"]
            )
        if "tags" in changed:
            sync_tags(ctx, found.id, node.address, changes)
        return Found(id=found.id, attrs=dict(desired), refs=found.refs, managed=found.managed)

    def removal(self, ctx: Context, record: ResourceRecord, found: Found | None) -> tuple[str, str]:
        if found is None:
            return "forget", "no longer in the organization"
        if record.attrs.get("close_on_removal"):
            return "close", "leaves management and is closed (close_on_removal: true)"
        unit = ctx.settings.options.get(REMOVED_ACCOUNTS_UNIT)
        if unit:
            return "leave", f"leaves management: moved to unit {unit}"
        return "forget", "leaves management: stays where it is, lz forgets it"

    def remove(self, ctx: Context, record: ResourceRecord, action: str) -> None:
        org = _org(ctx)
        if action == "close":
            call(org.close_account, resource=record.address, AccountId=record.id)
            return
        if action == "leave":
            parents = call(org.list_parents, resource=record.address, ChildId=record.id)
            source = parents["Parents"][0]["Id"]
            self._move(
                ctx,
                record.address,
                record.id,
                source,
                ctx.settings.options.get(REMOVED_ACCOUNTS_UNIT) or "",
            )
            return
        super().remove(ctx, record, action)


# -- policies -----------------------------------------------------------------------


@register
class PolicyKind(Kind):
    """An Organizations policy (SCP, RCP, tag, backup, AI opt-out, declarative EC2);
    content compared semantically, updated in place."""

    name = "policy"
    service = ORGANIZATIONS
    taggable = True
    policy_attrs = frozenset({"document"})
    immutable_attrs = frozenset({"type"})  # AWS cannot change a policy's type

    def prepare(self, ctx: Context, nodes: list[Node], records: list[ResourceRecord]) -> None:
        # An external policy (Control Tower's guardrails) is read but never attached or
        # detached: like FullAWSAccess, it is not among the names lz manages.
        names = {n.name for n in nodes if not n.external} | {
            r.attrs.get("name", "") for r in records
        }
        ctx.share(POLICY_NAMES_KEY, frozenset(names - {""}))

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        snap = snapshot(ctx)
        if not snap.exists:
            return {}
        own = {pid: policy for pid, policy in snap.policies.items() if not policy.aws_managed}
        by_name = {policy.name: policy for policy in own.values()}
        matches = group.match(own, lambda node: by_name.get(node.desired["name"]))
        prefetch_tags(ctx, [policy.id for policy in matches.values()])
        return {address: self._found(ctx, snap, policy.id) for address, policy in matches.items()}

    def _found(self, ctx: Context, snap: OrgSnapshot, policy_id: str) -> Found:
        policy = snap.policies[policy_id]
        tags = tags_of(ctx, policy_id)
        attrs = {
            "name": policy.name,
            "description": policy.description,
            "type": policy.type,
            "document": policy.document,
            "tags": tags,
        }
        return Found(id=policy_id, attrs=attrs, managed=is_managed(tags))

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        org = _org(ctx)
        try:
            policy = org.create_policy(
                Name=desired["name"],
                Description=desired["description"],
                Type=desired["type"],
                Content=minified(desired["document"]),
                Tags=tag_list(ctx.creation_tags(desired["tags"])),
            )["Policy"]["PolicySummary"]
            policy_id = policy["Id"]
        except ClientError as exc:
            if error_code(exc) != "DuplicatePolicyException":
                raise aws_error(exc, resource=node.address) from exc
            # Created by an interrupted run: find it and bring it up to date.
            existing = [
                p
                for page in org.get_paginator("list_policies").paginate(Filter=desired["type"])
                for p in page["Policies"]
                if p["Name"] == desired["name"]
            ]
            policy_id = existing[0]["Id"]
            self._update_content(ctx, node.address, policy_id, desired)
        ctx.set_id(node.address, policy_id)
        return Found(id=policy_id, attrs=dict(desired), managed=True)

    def _update_content(
        self, ctx: Context, address: str, policy_id: str, desired: Mapping[str, Any]
    ) -> None:
        call(
            _org(ctx).update_policy,
            resource=address,
            PolicyId=policy_id,
            Name=desired["name"],
            Description=desired["description"],
            Content=minified(desired["document"]),
        )

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        changed = {c.attr for c in changes}
        if changed & {"name", "description", "document"}:
            self._update_content(ctx, node.address, found.id, desired)
        if "tags" in changed:
            sync_tags(ctx, found.id, node.address, changes)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        org = _org(ctx)
        try:
            targets = [
                t["TargetId"]
                for page in org.get_paginator("list_targets_for_policy").paginate(
                    PolicyId=record.id
                )
                for t in page["Targets"]
            ]
            for target in targets:  # attached to something lz does not manage
                org.detach_policy(PolicyId=record.id, TargetId=target)
            org.delete_policy(PolicyId=record.id)
        except ClientError as exc:
            if error_code(exc) == "PolicyNotFoundException":
                return
            raise aws_error(exc, resource=record.address) from exc
