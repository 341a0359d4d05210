"""AWS's limits (`landingzone.spec.limits`) applied to a whole spec: the tags
of every entry and of the resources it makes, lists of names listed twice,
names and the state backend's names. Each problem is at the value's file:line."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from landingzone.errors import SpecProblem
from landingzone.resources.network_addresses import ADDRESS_TAG
from landingzone.spec.limits import (
    BUCKET,
    BUCKET_NAMING,
    LOCK_TABLE,
    LZ_TAGS,
    SCP_DESCRIPTION,
    SCP_NAME,
    STATE_KEY,
    TAGS_PER_RESOURCE,
    UNIQUE_LISTS,
    tag_problems,
)
from landingzone.spec.placeholders import PlaceholderError, fill_placeholders
from landingzone.spec.provenance import Provenance, format_path
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath

_TABLE_NAME = re.compile(rf"^[A-Za-z0-9_.-]{{3,{LOCK_TABLE.value}}}$")

# Entries lz tags, by where the spec declares them; the tags lz adds to each;
# whether the AWS services that take the tags refuse characters beyond the
# tagging rules' (Organizations and IAM do; EC2 and Route 53 take any).
_NETWORK_TAGS = (*LZ_TAGS, "Name", ADDRESS_TAG)
TAGGED: tuple[tuple[TreePath, tuple[str, ...], bool], ...] = (
    (("units",), LZ_TAGS, True),
    (("accounts",), LZ_TAGS, True),
    (("roles",), LZ_TAGS, True),
    (("ci", "providers"), LZ_TAGS, True),
    (("ci", "deploy_roles"), LZ_TAGS, True),
    (("networks",), _NETWORK_TAGS, False),
    (("peerings",), _NETWORK_TAGS, False),
    (("transit_gateways",), _NETWORK_TAGS, False),
    (("dns",), _NETWORK_TAGS, False),
    (("identity_center", "permission_sets"), LZ_TAGS, True),
)


class _LimitChecker:
    def __init__(self, spec: Spec, tree: Mapping[str, Any], provenance: Provenance):
        self.spec = spec
        self.tree = tree
        self.provenance = provenance
        self.problems: list[SpecProblem] = []

    def report(self, path: TreePath, message: str) -> None:
        self.problems.append(SpecProblem(message, self.provenance.where(*path)))

    def tags(self) -> None:
        organization = self.spec.organization.tags
        self.tag_set(("organization", "tags"), "organization", organization, LZ_TAGS, True)
        for section, added, strict in TAGGED:
            entries: Any = self.spec
            for name in section:
                entries = getattr(entries, str(name)) if entries is not None else None
            for key, entry in (entries or {}).items():
                subject = f"{format_path(section)}.{key}"
                tags = {**organization, **entry.tags}
                self.tag_set((*section, key, "tags"), subject, entry.tags, added, strict, tags)

    def tag_set(
        self,
        path: TreePath,
        subject: str,
        own: Mapping[str, str],
        added: tuple[str, ...],
        strict: bool,
        merged: Mapping[str, str] | None = None,
    ) -> None:
        """One entry's tags: each tag, and all of them on the resources it makes."""
        for key, value in own.items():
            for problem in tag_problems(key, value, strict=strict):
                self.report((*path, key), f"{subject}: {problem}")
        count = len({*(merged or own), *added})
        if count > TAGS_PER_RESOURCE.value:
            origin = " with organization.tags" if merged is not None else ""
            self.report(
                path,
                f"{subject}: {count} tags on its resources ({count - len(added)} from the spec"
                f"{origin}, {len(added)} that lz adds: {', '.join(added)}), over "
                f"{TAGS_PER_RESOURCE.cite()}",
            )

    def unique_lists(self) -> None:
        for pattern in UNIQUE_LISTS:
            for path, items in _matching(self.tree, pattern):
                seen: dict[object, int] = {}
                for index, item in enumerate(items):
                    if not isinstance(item, str | int):
                        continue
                    first = seen.setdefault(item, index)
                    if first != index:
                        where = self.provenance.where(*path, first)
                        self.report(
                            (*path, index),
                            f'{format_path((*path, index))}: "{item}" is listed twice '
                            f"(first at {where}); list each once",
                        )

    def names(self) -> None:
        for name, policy in self.spec.policies.items():
            if len(name) > SCP_NAME.value:
                self.report(
                    ("policies", name),
                    f'policy "{name[:40]}...": the name is over {SCP_NAME.cite()}',
                )
            if len(policy.description) > SCP_DESCRIPTION.value:
                self.report(
                    ("policies", name, "description"),
                    f'policy "{name}": the description is {len(policy.description)} characters, '
                    f"over {SCP_DESCRIPTION.cite()}",
                )
        state = self.spec.state
        bucket, table = (self.state_filled(text) for text in (state.bucket, state.lock_table))
        if bucket is not None and not BUCKET.match(bucket):
            self.report(
                ("state", "bucket"),
                f'state: bucket "{bucket}" is not a valid S3 bucket name (3 to 63 characters of '
                'a-z, 0-9, "." and "-", starting and ending with a letter or digit; '
                f"{BUCKET_NAMING})",
            )
        if table is not None and not _TABLE_NAME.match(table):
            self.report(
                ("state", "lock_table"),
                f'state: lock_table "{table}" must be 3 to {LOCK_TABLE.value} characters of '
                f"letters, digits, _ . and - ({LOCK_TABLE.source})",
            )
        size = len(state.key.encode("utf-8"))
        if not state.key or size > STATE_KEY.value:
            self.report(
                ("state", "key"),
                f"state: key is {size} bytes; it must be 1 to {STATE_KEY.cite()}",
            )

    def state_filled(self, text: str) -> str | None:
        """A state name as lz fills it (None when malformed: reported elsewhere)."""
        state, organization = self.spec.state, self.spec.organization
        try:
            return fill_placeholders(
                text,
                org=organization.name,
                account=state.account,
                account_id="0" * 12,
                region=state.region or organization.home_region,
            )
        except PlaceholderError:
            return None


def _matching(
    tree: Any, pattern: TreePath, path: TreePath = ()
) -> Iterator[tuple[TreePath, list[Any]]]:
    """The lists in `tree` at paths matching `pattern` ("*": any key or index)."""
    if not pattern:
        if isinstance(tree, list):
            yield path, tree
        return
    head, rest = pattern[0], pattern[1:]
    if isinstance(tree, dict):
        keys = list(tree) if head == "*" else [head] if head in tree else []
        for key in keys:
            yield from _matching(tree[key], rest, (*path, key))
    elif isinstance(tree, list) and head == "*":
        for index, item in enumerate(tree):
            yield from _matching(item, rest, (*path, index))


def check_limits(spec: Spec, tree: Mapping[str, Any], provenance: Provenance) -> list[SpecProblem]:
    """The AWS limits `spec` breaks (tags, repeated names, names, amounts), each
    at the file:line of the value. `tree` is the merged plain tree."""
    checker = _LimitChecker(spec, tree, provenance)
    checker.tags()
    checker.unique_lists()
    checker.names()
    return checker.problems
