"""One read of the whole organization, shared by the organization kinds in a run.

Cost, for an organization with U units, A accounts and P policies lz
manages: 1 DescribeOrganization + 1 ListRoots + (U+1) ListOrganizationalUnits
ForParent + (U+1) ListAccountsForParent + 1 ListPolicies (+ pages) + P
DescribePolicy + P ListTargetsForPolicy. Tags are read per resource, lazily,
only for resources lz compares tags on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.resources.base import tag_dict

SCP = "SERVICE_CONTROL_POLICY"
FULL_AWS_ACCESS = "FullAWSAccess"
SNAPSHOT_KEY = "organizations:snapshot"
POLICY_NAMES_KEY = "organizations:policy_names"
TAG_READ_CONCURRENCY = 4  # Organizations throttles hard; stay polite


@dataclass
class OrgUnit:
    """An OU as it exists."""

    id: str
    name: str
    parent_id: str
    path: str


@dataclass
class OrgAccount:
    """A member account as it exists."""

    id: str
    name: str
    email: str
    status: str
    parent_id: str


@dataclass
class OrgPolicy:
    """An organization policy as it exists (content read only for policies lz manages)."""

    id: str
    name: str
    description: str
    type: str
    aws_managed: bool
    document: Any = None


@dataclass
class OrgSnapshot:
    """The organization's tree, accounts, policies and attachments at one moment."""

    org_id: str | None = None
    feature_set: str | None = None
    management_account_id: str | None = None
    root_id: str | None = None
    policy_types: set[str] = field(default_factory=set)
    units: dict[str, OrgUnit] = field(default_factory=dict)  # by ID
    accounts: dict[str, OrgAccount] = field(default_factory=dict)  # by ID
    policies: dict[str, OrgPolicy] = field(default_factory=dict)  # by ID
    attached: dict[str, set[str]] = field(default_factory=dict)  # target ID -> policy IDs

    @property
    def exists(self) -> bool:
        """True when the caller's organization exists."""
        return self.org_id is not None

    def unit_by_path(self, path: str) -> OrgUnit | None:
        """The OU at a path (`plat/sandbox`)."""
        return next((u for u in self.units.values() if u.path == path), None)

    def path_of(self, parent_id: str) -> str:
        """The path of a parent ("" for the root)."""
        unit = self.units.get(parent_id)
        return unit.path if unit else ""

    def account_by_email(self, email: str) -> OrgAccount | None:
        """The account with this e-mail (case-insensitive)."""
        wanted = email.lower()
        return next((a for a in self.accounts.values() if a.email.lower() == wanted), None)

    def policy_by_name(self, name: str) -> OrgPolicy | None:
        """A policy by name."""
        return next((p for p in self.policies.values() if p.name == name), None)

    def attached_names(self, target_id: str, managed: frozenset[str]) -> list[str]:
        """Names of the managed policies attached to a target, sorted."""
        names = (self.policies[p].name for p in self.attached.get(target_id, ()))
        return sorted(n for n in names if n in managed)

    def attached_ids(self, target_id: str, managed: frozenset[str]) -> frozenset[str]:
        """IDs of the managed policies attached to a target."""
        return frozenset(
            p for p in self.attached.get(target_id, ()) if self.policies[p].name in managed
        )


def managed_policy_names(ctx: Context) -> frozenset[str]:
    """The policies lz manages (in the spec or in state): the only attachments lz
    ever changes. FullAWSAccess, and any policy lz does not know, is never touched.
    Set by the policy kind's `prepare`."""
    names: frozenset[str] = ctx.cached(POLICY_NAMES_KEY, frozenset)
    return names


def snapshot(ctx: Context) -> OrgSnapshot:
    """The organization as it exists, read once per run, with the policies lz manages."""

    def with_policies() -> OrgSnapshot:
        snap = tree(ctx)
        _read_policy_details(ctx, snap)
        return snap

    return ctx.cached(SNAPSHOT_KEY + ":policies", with_policies)


def tree(ctx: Context) -> OrgSnapshot:
    """The organization's tree, accounts and policy list (no policy content), read once."""
    return ctx.cached(SNAPSHOT_KEY, lambda: _read_snapshot(ctx))


def tags_of(ctx: Context, resource_id: str) -> dict[str, str]:
    """Tags of an account, OU, root or policy (one call, cached for the run)."""

    def read() -> dict[str, str]:
        org = ctx.client("organizations")
        tags = pages(
            org, "list_tags_for_resource", "Tags", resource=resource_id, ResourceId=resource_id
        )
        return tag_dict(tags)

    return ctx.cached(f"organizations:tags:{resource_id}", read)


def prefetch_tags(ctx: Context, resource_ids: Iterable[str]) -> None:
    """Read the tags of many resources concurrently (Organizations has no batch tag read)."""
    ids = list(resource_ids)
    if len(ids) < 2:
        return
    with ThreadPoolExecutor(max_workers=TAG_READ_CONCURRENCY) as pool:
        list(pool.map(lambda resource_id: tags_of(ctx, resource_id), ids))


def _read_snapshot(ctx: Context) -> OrgSnapshot:
    org = ctx.client("organizations")
    snap = OrgSnapshot()
    try:
        described = org.describe_organization()["Organization"]
    except ClientError as exc:
        if error_code(exc) == "AWSOrganizationsNotInUseException":
            return snap
        raise aws_error(exc, resource="organization") from exc
    snap.org_id = described["Id"]
    snap.feature_set = described.get("FeatureSet")
    snap.management_account_id = described.get("MasterAccountId")
    root = next(pages(org, "list_roots", "Roots", resource="organization root"))
    snap.root_id = root["Id"]
    snap.policy_types = {
        t["Type"] for t in root.get("PolicyTypes", []) if t.get("Status") == "ENABLED"
    }

    # The tree, breadth first: OUs and the accounts directly in each parent.
    queue = [(snap.root_id, "")]
    while queue:
        parent_id, parent_path = queue.pop(0)
        for ou in pages(
            org,
            "list_organizational_units_for_parent",
            "OrganizationalUnits",
            resource=f"units under {parent_path or 'the root'}",
            ParentId=parent_id,
        ):
            path = f"{parent_path}/{ou['Name']}" if parent_path else ou["Name"]
            snap.units[ou["Id"]] = OrgUnit(ou["Id"], ou["Name"], parent_id, path)
            queue.append((ou["Id"], path))
        for acc in pages(
            org,
            "list_accounts_for_parent",
            "Accounts",
            resource=f"accounts under {parent_path or 'the root'}",
            ParentId=parent_id,
        ):
            snap.accounts[acc["Id"]] = OrgAccount(
                id=acc["Id"],
                name=acc["Name"],
                email=acc["Email"],
                status=acc.get("Status", "ACTIVE"),
                parent_id=parent_id,
            )

    for p in pages(org, "list_policies", "Policies", resource="policies", Filter=SCP):
        snap.policies[p["Id"]] = OrgPolicy(
            id=p["Id"],
            name=p["Name"],
            description=p.get("Description", ""),
            type=p["Type"],
            aws_managed=bool(p.get("AwsManaged")),
        )
    return snap


def _read_policy_details(ctx: Context, snap: OrgSnapshot) -> None:
    """Content and targets of the policies lz manages (`managed_policy_names`)."""
    org = ctx.client("organizations")
    managed = managed_policy_names(ctx)
    for policy in snap.policies.values():
        if policy.name not in managed:
            continue
        content = call(org.describe_policy, resource=f"policy:{policy.name}", PolicyId=policy.id)[
            "Policy"
        ]["Content"]
        policy.document = json.loads(content)
        for target in pages(
            org,
            "list_targets_for_policy",
            "Targets",
            resource=f"policy:{policy.name}",
            PolicyId=policy.id,
        ):
            snap.attached.setdefault(target["TargetId"], set()).add(policy.id)
