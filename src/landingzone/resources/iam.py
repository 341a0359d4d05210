"""IAM in member accounts: roles (`iam_role`), instance profiles (`instance_profile`)
and OIDC identity providers (`oidc_provider`).

Reads are batched per account: roles with two paged calls
(GetAccountAuthorizationDetails for trust, inline and attached policies,
boundary and tags; ListRoles for description and maximum session duration);
instance profiles with one paged ListInstanceProfiles plus one Get (for the
tags) per profile lz tracks; OIDC providers with ListOpenIDConnectProviders
plus one Get per provider lz tracks.

IAM is eventually consistent: a role or provider created a moment ago may not
yet be accepted as a principal in another role's trust policy, so writing a
trust policy is retried for a while on "Invalid principal in policy".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import (
    Kind,
    ReadGroup,
    canonical_policy,
    is_managed,
    register,
    tag_dict,
    tag_list,
)
from landingzone.resources.tagging import TagCalls
from landingzone.spec.iam_schema import DEFAULT_MAX_SESSION

# Waits (seconds) before retrying a trust policy AWS does not accept yet.
PROPAGATION_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0)
_PAGE = {"PageSize": 1000}


ROLE_TAGS = TagCalls("tag_role", "untag_role", "RoleName")
PROFILE_TAGS = TagCalls("tag_instance_profile", "untag_instance_profile", "InstanceProfileName")
OIDC_PROVIDER_TAGS = TagCalls(
    "tag_open_id_connect_provider", "untag_open_id_connect_provider", "OpenIDConnectProviderArn"
)


def _where(account: str, resource: str) -> dict[str, Any]:
    return {"account": account, "region": None, "resource": resource}


def _unless_gone(fn: Callable[..., Any], **kwargs: Any) -> None:
    """Call `fn`; a resource already gone (NoSuchEntity) is what a delete wants."""
    try:
        call(fn, **kwargs)
    except AwsError as exc:
        if exc.aws_code != "NoSuchEntity":
            raise


def _propagated(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call `fn`, retrying while IAM does not know a principal of the trust policy yet."""
    delays = iter(PROPAGATION_DELAYS)
    while True:
        try:
            return call(fn, **kwargs)
        except AwsError as exc:
            unknown_principal = exc.aws_code == "MalformedPolicyDocument" and (
                "Invalid principal" in str(exc)
            )
            delay = next(delays, None)
            if delay is None or not unknown_principal:
                raise
        time.sleep(delay)


def _principal_refs(trust: Any) -> frozenset[str]:
    """The roles and OIDC providers a trust policy names (it points at them)."""
    found: set[str] = set()
    document = canonical_policy(trust)
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    for statement in statements:
        principal = statement.get("Principal")
        if not isinstance(principal, dict):
            continue
        for value in principal.values():
            for arn in value if isinstance(value, list) else [value]:
                if isinstance(arn, str) and (":role/" in arn or ":oidc-provider/" in arn):
                    found.add(arn)
    return frozenset(found)


def _record_name(record: ResourceRecord | None) -> str | None:
    """A role's or profile's name from its state record (ID = ARN; the name ends it)."""
    return record.id.rsplit("/", 1)[-1] if record else None


def _lookup(group: ReadGroup, existing: Mapping[str, Any]) -> Iterable[tuple[str, Any]]:
    """(address, what exists) for every node and orphan of the group found in
    `existing` (keyed by lower-case name): by the state record's ID first."""
    wanted = [
        (n.address, _record_name(group.record_for(n.address)) or n.desired["name"])
        for n in group.nodes
    ]
    wanted += [(r.address, _record_name(r) or "") for r in group.orphans]
    for address, name in wanted:
        item = existing.get(name.lower())
        if item is not None:
            yield address, item


@register
class RoleKind(Kind):
    """An IAM role: trust, managed and inline policies, boundary, session length, tags."""

    name = "iam_role"
    service = "iam"
    taggable = True
    policy_attrs = frozenset({"trust"})
    immutable_attrs = frozenset({"path"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        iam = ctx.client("iam", group.account)
        where = _where(group.account, "iam roles")
        details = {
            r["RoleName"].lower(): r
            for r in pages(
                iam,
                "get_account_authorization_details",
                "RoleDetailList",
                Filter=["Role"],
                PaginationConfig=_PAGE,
                **where,
            )
        }
        if not details:
            return {}
        listed = {
            r["RoleName"].lower(): r
            for r in pages(iam, "list_roles", "Roles", PaginationConfig=_PAGE, **where)
        }
        return {
            address: _role_found(detail, listed.get(detail["RoleName"].lower(), {}))
            for address, detail in _lookup(group, details)
        }

    def same(self, attr: str, want: Any, have: Any) -> bool:
        if attr == "inline_policies":
            return _canonical_policies(want) == _canonical_policies(have)
        return super().same(attr, want, have)

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        iam = ctx.client("iam", node.account)
        where = _where(node.account, node.address)
        kwargs: dict[str, Any] = {
            "RoleName": desired["name"],
            "Path": desired["path"],
            "AssumeRolePolicyDocument": json.dumps(desired["trust"]),
            "MaxSessionDuration": desired["max_session_duration"],
            "Tags": tag_list(ctx.creation_tags(desired["tags"])),
        }
        if desired["description"]:
            kwargs["Description"] = desired["description"]
        if desired["permissions_boundary"]:
            kwargs["PermissionsBoundary"] = desired["permissions_boundary"]
        try:
            arn = _propagated(iam.create_role, **kwargs, **where)["Role"]["Arn"]
        except AwsError as exc:
            if exc.aws_code != "EntityAlreadyExists":
                raise
            return self._take_over(ctx, node, desired)  # an interrupted earlier run
        for policy in desired["managed_policies"]:
            call(iam.attach_role_policy, RoleName=desired["name"], PolicyArn=policy, **where)
        for name, document in desired["inline_policies"].items():
            call(
                iam.put_role_policy,
                RoleName=desired["name"],
                PolicyName=name,
                PolicyDocument=json.dumps(document),
                **where,
            )
        return Found(
            id=arn, attrs=dict(desired), refs=_principal_refs(desired["trust"]), managed=True
        )

    def _take_over(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        group = ReadGroup(self.name, node.account, None, nodes=[node])
        found = self.read(ctx, group)[node.address]
        return self.update(ctx, node, desired, found, self.diff(desired, found, None))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        iam = ctx.client("iam", node.account)
        where = _where(node.account, node.address)
        role = desired["name"]
        changed = {c.attr for c in changes}
        if "trust" in changed:
            _propagated(
                iam.update_assume_role_policy,
                RoleName=role,
                PolicyDocument=json.dumps(desired["trust"]),
                **where,
            )
        if changed & {"description", "max_session_duration"}:
            call(
                iam.update_role,
                RoleName=role,
                Description=desired["description"],
                MaxSessionDuration=desired["max_session_duration"],
                **where,
            )
        if "permissions_boundary" in changed:
            if desired["permissions_boundary"]:
                call(
                    iam.put_role_permissions_boundary,
                    RoleName=role,
                    PermissionsBoundary=desired["permissions_boundary"],
                    **where,
                )
            else:
                _unless_gone(iam.delete_role_permissions_boundary, RoleName=role, **where)
        if "managed_policies" in changed:
            want = set(desired["managed_policies"])
            have = set(found.attrs.get("managed_policies") or [])
            for policy in sorted(want - have):
                call(iam.attach_role_policy, RoleName=role, PolicyArn=policy, **where)
            for policy in sorted(have - want):
                _unless_gone(iam.detach_role_policy, RoleName=role, PolicyArn=policy, **where)
        if "inline_policies" in changed:
            self._sync_inline(iam, role, desired, found, where)
        if "tags" in changed:
            ROLE_TAGS.retag(iam, role, changes, **where)
        return Found(
            id=found.id,
            attrs=dict(desired),
            refs=_principal_refs(desired["trust"]),
            managed=found.managed,
        )

    def _sync_inline(
        self,
        iam: Any,
        role: str,
        desired: Mapping[str, Any],
        found: Found,
        where: dict[str, Any],
    ) -> None:
        want = _canonical_policies(desired["inline_policies"])
        have = _canonical_policies(found.attrs.get("inline_policies"))
        for name, document in desired["inline_policies"].items():
            if have.get(name) != want[name]:
                call(
                    iam.put_role_policy,
                    RoleName=role,
                    PolicyName=name,
                    PolicyDocument=json.dumps(document),
                    **where,
                )
        for name in sorted(set(have) - set(want)):
            _unless_gone(iam.delete_role_policy, RoleName=role, PolicyName=name, **where)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        iam = ctx.client("iam", record.account)
        where = _where(record.account, record.address)
        role = _record_name(record)
        try:
            attached = list(
                pages(
                    iam, "list_attached_role_policies", "AttachedPolicies", RoleName=role, **where
                )
            )
            inline = list(pages(iam, "list_role_policies", "PolicyNames", RoleName=role, **where))
            profiles = list(
                pages(
                    iam,
                    "list_instance_profiles_for_role",
                    "InstanceProfiles",
                    RoleName=role,
                    **where,
                )
            )
        except AwsError as exc:
            if exc.aws_code == "NoSuchEntity":
                return
            raise
        for policy in attached:
            _unless_gone(
                iam.detach_role_policy, RoleName=role, PolicyArn=policy["PolicyArn"], **where
            )
        for name in inline:
            _unless_gone(iam.delete_role_policy, RoleName=role, PolicyName=name, **where)
        for profile in profiles:
            _unless_gone(
                iam.remove_role_from_instance_profile,
                InstanceProfileName=profile["InstanceProfileName"],
                RoleName=role,
                **where,
            )
        _unless_gone(iam.delete_role, RoleName=role, **where)


def _canonical_policies(policies: Any) -> dict[str, Any]:
    return {name: canonical_policy(doc) for name, doc in (policies or {}).items()}


def _role_found(detail: Mapping[str, Any], listed: Mapping[str, Any]) -> Found:
    """A role as GetAccountAuthorizationDetails and ListRoles describe it."""
    tags = tag_dict(detail.get("Tags"))
    trust = detail.get("AssumeRolePolicyDocument")
    boundary = detail.get("PermissionsBoundary") or {}
    attrs = {
        "name": detail["RoleName"],
        "path": detail.get("Path", "/"),
        "description": listed.get("Description") or "",
        "trust": trust,
        "managed_policies": sorted(
            p["PolicyArn"] for p in detail.get("AttachedManagedPolicies", [])
        ),
        "inline_policies": {
            p["PolicyName"]: p["PolicyDocument"] for p in detail.get("RolePolicyList", [])
        },
        "permissions_boundary": boundary.get("PermissionsBoundaryArn"),
        "max_session_duration": int(listed.get("MaxSessionDuration") or DEFAULT_MAX_SESSION),
        "tags": tags,
    }
    return Found(
        id=detail["Arn"], attrs=attrs, refs=_principal_refs(trust), managed=is_managed(tags)
    )


@register
class InstanceProfileKind(Kind):
    """An EC2 instance profile holding one role."""

    name = "instance_profile"
    service = "iam"
    taggable = True
    immutable_attrs = frozenset({"path"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        iam = ctx.client("iam", group.account)
        where = _where(group.account, "iam instance profiles")
        profiles = {
            p["InstanceProfileName"].lower(): p
            for p in pages(
                iam, "list_instance_profiles", "InstanceProfiles", PaginationConfig=_PAGE, **where
            )
        }
        result = {}
        for address, listed in _lookup(group, profiles):
            profile = call(  # ListInstanceProfiles leaves tags out
                iam.get_instance_profile,
                InstanceProfileName=listed["InstanceProfileName"],
                **_where(group.account, address),
            )["InstanceProfile"]
            tags = tag_dict(profile.get("Tags"))
            roles = profile.get("Roles", [])
            result[address] = Found(
                id=profile["Arn"],
                attrs={
                    "name": profile["InstanceProfileName"],
                    "path": profile.get("Path", "/"),
                    "role": roles[0]["RoleName"] if roles else None,
                    "tags": tags,
                },
                refs=frozenset(r["Arn"] for r in roles),
                managed=is_managed(tags),
            )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        iam = ctx.client("iam", node.account)
        where = _where(node.account, node.address)
        try:
            arn = call(
                iam.create_instance_profile,
                InstanceProfileName=desired["name"],
                Path=desired["path"],
                Tags=tag_list(ctx.creation_tags(desired["tags"])),
                **where,
            )["InstanceProfile"]["Arn"]
        except AwsError as exc:
            if exc.aws_code != "EntityAlreadyExists":
                raise
            group = ReadGroup(self.name, node.account, None, nodes=[node])
            found = self.read(ctx, group)[node.address]  # an interrupted earlier run
            return self.update(ctx, node, desired, found, self.diff(desired, found, None))
        call(
            iam.add_role_to_instance_profile,
            InstanceProfileName=desired["name"],
            RoleName=desired["role"],
            **where,
        )
        return Found(id=arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        iam = ctx.client("iam", node.account)
        where = _where(node.account, node.address)
        profile = desired["name"]
        changed = {c.attr for c in changes}
        if "role" in changed:
            if found.attrs.get("role"):
                _unless_gone(
                    iam.remove_role_from_instance_profile,
                    InstanceProfileName=profile,
                    RoleName=found.attrs["role"],
                    **where,
                )
            call(
                iam.add_role_to_instance_profile,
                InstanceProfileName=profile,
                RoleName=desired["role"],
                **where,
            )
        if "tags" in changed:
            PROFILE_TAGS.retag(iam, profile, changes, **where)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        iam = ctx.client("iam", record.account)
        where = _where(record.account, record.address)
        profile = _record_name(record)
        try:
            roles = call(iam.get_instance_profile, InstanceProfileName=profile, **where)[
                "InstanceProfile"
            ]["Roles"]
        except AwsError as exc:
            if exc.aws_code == "NoSuchEntity":
                return
            raise
        for role in roles:
            _unless_gone(
                iam.remove_role_from_instance_profile,
                InstanceProfileName=profile,
                RoleName=role["RoleName"],
                **where,
            )
        _unless_gone(iam.delete_instance_profile, InstanceProfileName=profile, **where)


@register
class OidcProviderKind(Kind):
    """An OIDC identity provider: URL, client IDs (audiences), thumbprints, tags."""

    name = "oidc_provider"
    service = "iam"
    taggable = True

    def same(self, attr: str, want: Any, have: Any) -> bool:
        # Created without thumbprints, IAM fetches the issuer's own: those are AWS's.
        if attr == "thumbprints" and not want:
            return True
        return super().same(attr, want, have)

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        iam = ctx.client("iam", group.account)
        listed = call(
            iam.list_open_id_connect_providers, **_where(group.account, "oidc providers")
        )["OpenIDConnectProviderList"]
        by_host = {p["Arn"].partition(":oidc-provider/")[2]: p["Arn"] for p in listed}
        wanted = [
            (n.address, group.record_for(n.address), n.desired["url"].removeprefix("https://"))
            for n in group.nodes
        ]
        wanted += [(r.address, r, "") for r in group.orphans]
        result = {}
        for address, record, host in wanted:
            arn = record.id if record and record.id in by_host.values() else by_host.get(host)
            if arn is None:
                continue
            got = call(
                iam.get_open_id_connect_provider,
                OpenIDConnectProviderArn=arn,
                **_where(group.account, address),
            )
            tags = tag_dict(got.get("Tags"))
            result[address] = Found(
                id=arn,
                attrs={
                    "url": "https://" + got["Url"],
                    "client_ids": sorted(got.get("ClientIDList", [])),
                    "thumbprints": sorted(t.lower() for t in got.get("ThumbprintList", [])),
                    "tags": tags,
                },
                managed=is_managed(tags),
            )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        iam = ctx.client("iam", node.account)
        where = _where(node.account, node.address)
        try:
            arn = call(
                iam.create_open_id_connect_provider,
                Url=desired["url"],
                ClientIDList=desired["client_ids"],
                ThumbprintList=desired["thumbprints"],
                Tags=tag_list(ctx.creation_tags(desired["tags"])),
                **where,
            )["OpenIDConnectProviderArn"]
        except AwsError as exc:
            if exc.aws_code != "EntityAlreadyExists":
                raise
            group = ReadGroup(self.name, node.account, None, nodes=[node])
            found = self.read(ctx, group)[node.address]  # an interrupted earlier run
            return self.update(ctx, node, desired, found, self.diff(desired, found, None))
        return Found(id=arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        iam = ctx.client("iam", node.account)
        where = _where(node.account, node.address)
        arn = found.id
        changed = {c.attr for c in changes}
        if "client_ids" in changed:
            want, have = set(desired["client_ids"]), set(found.attrs.get("client_ids") or [])
            for client_id in sorted(want - have):
                call(
                    iam.add_client_id_to_open_id_connect_provider,
                    OpenIDConnectProviderArn=arn,
                    ClientID=client_id,
                    **where,
                )
            for client_id in sorted(have - want):
                call(
                    iam.remove_client_id_from_open_id_connect_provider,
                    OpenIDConnectProviderArn=arn,
                    ClientID=client_id,
                    **where,
                )
        if "thumbprints" in changed:
            call(
                iam.update_open_id_connect_provider_thumbprint,
                OpenIDConnectProviderArn=arn,
                ThumbprintList=desired["thumbprints"],
                **where,
            )
        if "tags" in changed:
            OIDC_PROVIDER_TAGS.retag(iam, arn, changes, **where)
        return Found(id=arn, attrs=dict(desired), managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        iam = ctx.client("iam", record.account)
        _unless_gone(
            iam.delete_open_id_connect_provider,
            OpenIDConnectProviderArn=record.id,
            **_where(record.account, record.address),
        )
