"""One read of the whole organization, shared by the organization kinds in a run.

Cost, for an organization with U units, A accounts and P policies lz
manages: 1 DescribeOrganization + 1 ListRoots + (U+1) ListOrganizationalUnits
ForParent + (U+1) ListAccountsForParent + 1 ListPolicies (+ pages) per policy
type enabled on the root (SCPs at least) + P
DescribePolicy + P ListTargetsForPolicy. Tags are read per resource, lazily,
only for resources lz compares tags on.

Round trips, at AWS's latency: DescribeOrganization; then ListRoots and
ListPolicies together; then one per level of the tree (both lists of every
parent of a level in flight together; more only for more pages); the policies'
contents and targets all together; tags 8 at a time (`parallel.in_parallel`:
Organizations throttles hard, and TooManyRequestsException is retried with backoff).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from landingzone.access.org_policy_types import BY_AWS_TYPE
from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.errors import AwsError
from landingzone.resources.base import tag_dict
from landingzone.resources.parallel import caught, in_parallel

SCP = "SERVICE_CONTROL_POLICY"
FULL_AWS_ACCESS = "FullAWSAccess"
SNAPSHOT_KEY = "organizations:snapshot"
POLICY_NAMES_KEY = "organizations:policy_names"


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


def share_snapshot(ctx: Context, snap: OrgSnapshot) -> None:
    """Let `snapshot` return `snap`, whose policies' details are read already (every
    policy's, a superset of those lz manages)."""
    ctx.share(SNAPSHOT_KEY + ":policies", snap)


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
    if len(ids) >= 2:
        in_parallel([functools.partial(tags_of, ctx, resource_id) for resource_id in ids])


def _list_policies(org: Any, policy_type: str) -> list[Any]:
    """Every policy of one type (ListPolicies filters by type)."""
    return list(pages(org, "list_policies", "Policies", resource="policies", Filter=policy_type))


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

    def roots() -> list[Any]:
        return list(pages(org, "list_roots", "Roots", resource="organization root"))

    def scps() -> list[Any]:
        return _list_policies(org, SCP)

    found_roots, found_policies = in_parallel([roots, scps])
    root = found_roots[0]
    snap.root_id = root["Id"]
    snap.policy_types = {
        t["Type"] for t in root.get("PolicyTypes", []) if t.get("Status") == "ENABLED"
    }
    # Other policy types are listed once the root says they are enabled (one
    # ListPolicies each, all together): an SCP-only organization pays nothing more.
    others = sorted((snap.policy_types & set(BY_AWS_TYPE)) - {SCP})
    more = in_parallel([functools.partial(_list_policies, org, t) for t in others])
    for p in [*found_policies, *(p for batch in more for p in batch)]:
        snap.policies[p["Id"]] = OrgPolicy(
            id=p["Id"],
            name=p["Name"],
            description=p.get("Description", ""),
            type=p["Type"],
            aws_managed=bool(p.get("AwsManaged")),
        )

    # The tree, level by level: the OUs and the accounts directly in every parent of
    # a level are read together, then the level below.
    level = [(snap.root_id, "")]
    while level:
        answers = in_parallel([read for p, path in level for read in _children_reads(org, p, path)])
        below: list[tuple[str, str]] = []
        for index, (parent_id, parent_path) in enumerate(level):
            for ou in answers[2 * index]:
                path = f"{parent_path}/{ou['Name']}" if parent_path else ou["Name"]
                snap.units[ou["Id"]] = OrgUnit(ou["Id"], ou["Name"], parent_id, path)
                below.append((ou["Id"], path))
            for acc in answers[2 * index + 1]:
                snap.accounts[acc["Id"]] = OrgAccount(
                    id=acc["Id"],
                    name=acc["Name"],
                    email=acc["Email"],
                    status=acc.get("Status", "ACTIVE"),
                    parent_id=parent_id,
                )
        level = below
    return snap


def _children_reads(
    org: Any, parent_id: str, parent_path: str
) -> tuple[Callable[[], list[Any]], Callable[[], list[Any]]]:
    """Reads of the OUs and of the accounts directly under one parent."""
    where = parent_path or "the root"

    def units() -> list[Any]:
        return list(
            pages(
                org,
                "list_organizational_units_for_parent",
                "OrganizationalUnits",
                resource=f"units under {where}",
                ParentId=parent_id,
            )
        )

    def accounts() -> list[Any]:
        return list(
            pages(
                org,
                "list_accounts_for_parent",
                "Accounts",
                resource=f"accounts under {where}",
                ParentId=parent_id,
            )
        )

    return units, accounts


def _read_policy_details(ctx: Context, snap: OrgSnapshot) -> None:
    """Content and targets of the policies lz manages (`managed_policy_names`), all at once."""
    names = managed_policy_names(ctx)
    read_policy_details(ctx, snap, [p for p in snap.policies.values() if p.name in names])


def read_policy_details(
    ctx: Context,
    snap: OrgSnapshot,
    policies: list[OrgPolicy],
    failed: dict[str, AwsError] | None = None,
) -> None:
    """Content and targets of `policies`, all at once, into `snap`.

    With `failed`, a policy whose reads AWS refuses is left out and its error
    kept there by policy ID (`lz import` reports it and writes the rest);
    without, the first error is raised.
    """
    org = ctx.client("organizations")

    def content(policy: OrgPolicy) -> Any:
        return call(org.describe_policy, resource=f"policy:{policy.name}", PolicyId=policy.id)[
            "Policy"
        ]["Content"]

    def targets(policy: OrgPolicy) -> list[Any]:
        return list(
            pages(
                org,
                "list_targets_for_policy",
                "Targets",
                resource=f"policy:{policy.name}",
                PolicyId=policy.id,
            )
        )

    reads: list[Callable[[], Any]] = [
        functools.partial(read, policy) for policy in policies for read in (content, targets)
    ]
    if failed is not None:
        reads = [caught(read) for read in reads]
    answers = in_parallel(reads)
    for index, policy in enumerate(policies):
        document, found_targets = answers[2 * index], answers[2 * index + 1]
        error = next((a for a in (document, found_targets) if isinstance(a, AwsError)), None)
        if error is not None:
            assert failed is not None
            failed[policy.id] = error
            continue
        policy.document = json.loads(document)
        for target in found_targets:
            snap.attached.setdefault(target["TargetId"], set()).add(policy.id)
