"""Read a live organization for `lz import`: the organization kinds' own reader, every policy.

The tree, accounts and policy list come from `resources.org_snapshot` (the
reader the organization kinds plan with, level by level, in parallel); the
content and targets of every policy that is not AWS's own, and the tags of
every unit, account and policy, are read all together on top of it. A part
AWS refuses to show (AccessDenied on one policy, one account's tags) is kept
as a `Skipped` with the AWS error code, and everything else is still read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from landingzone.aws.context import Context
from landingzone.errors import AwsError, LzError
from landingzone.resources.org_snapshot import (
    OrgSnapshot,
    read_policy_details,
    share_snapshot,
    tags_of,
    tree,
)
from landingzone.resources.parallel import caught, in_parallel


@dataclass(frozen=True)
class Skipped:
    """A part of the organization lz could not read, and what was left out because of it."""

    what: str  # "tags of account dev (111111111111)"
    error: AwsError
    left_out: str  # "its tags are not in the spec"

    @property
    def line(self) -> str:
        """One line for the report."""
        where = f"account {self.error.account}: " if self.error.account else ""
        code = self.error.aws_code or "error"
        return f"{where}{self.what}: {code}. Skipped: {self.left_out}"


@dataclass
class LiveOrg:
    """What `lz import` read: the organization snapshot, tags, and what it could not read."""

    snap: OrgSnapshot
    tags: dict[str, dict[str, str]] = field(default_factory=dict)  # resource ID -> tags
    skipped: list[Skipped] = field(default_factory=list)
    unreadable_policies: set[str] = field(default_factory=set)  # policy IDs
    external: set[str] = field(default_factory=set)  # unit and account IDs another tool owns


ORGANIZATION_READS = "organizations:"  # the keys of the reads above in `Context.cached`


def read_organization(ctx: Context) -> LiveOrg:
    """The whole organization layer as it exists (calls: see `org_snapshot`, plus one
    DescribePolicy and ListTargetsForPolicy per policy and one ListTagsForResource per
    unit, account and policy)."""
    snap = tree(ctx)
    if not snap.exists:
        raise LzError(
            "these credentials' account is in no organization (AWSOrganizationsNotInUseException); "
            "lz import reads an organization from its management account"
        )
    live = LiveOrg(snap=snap)
    own = sorted(
        (p for p in snap.policies.values() if not p.aws_managed), key=lambda p: (p.type, p.name)
    )
    failed: dict[str, AwsError] = {}
    read_policy_details(ctx, snap, own, failed)
    if not failed:  # every policy's details are in: the plan's snapshot needs no more reads
        share_snapshot(ctx, snap)
    for policy_id, error in sorted(failed.items()):
        policy = snap.policies[policy_id]
        live.unreadable_policies.add(policy_id)
        live.skipped.append(
            Skipped(
                f"policy {policy.name} ({policy_id}, {policy.type})",
                error,
                "the policy and its attachments are not in the spec",
            )
        )
    targets = [
        *((u.id, f"unit {u.path}") for u in snap.units.values()),
        *((a.id, f"account {a.name} ({a.id})") for a in snap.accounts.values()),
        *((p.id, f"policy {p.name}") for p in own if p.id not in failed),
    ]
    answers = in_parallel([caught(functools.partial(tags_of, ctx, rid)) for rid, _ in targets])
    for (resource_id, what), answer in zip(targets, answers, strict=True):
        if isinstance(answer, AwsError):
            live.skipped.append(Skipped(f"tags of {what}", answer, "its tags are not in the spec"))
        else:
            live.tags[resource_id] = answer
    return live
