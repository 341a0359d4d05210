"""AWS's limits on what a spec sends to AWS, as data, and the rules that apply them.

Each limit names the AWS documentation it follows, and every message cites
the limit, so a spec AWS would refuse is refused by `lz validate` first, at
the file:line that wrote the value (docs/spec.md, "AWS limits"); the checks
over a whole spec are in `landingzone.validate.limits`:

- text: no control characters (NUL, escape, ...) in any key or string;
- tags: keys, values, characters, the `aws:` prefix, tags per resource;
- lists of names: each entry once (`regions: [us-east-1, us-east-1]`);
- regions: one of the regions botocore knows in the spec's partition;
- names and amounts the other checks do not cover: SCP names and
  descriptions, the state bucket, table and key, budget amounts (used by
  the baseline checks).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from landingzone.errors import SpecProblem
from landingzone.nodes import CREATED_BY_KEY, MANAGED_BY_KEY
from landingzone.spec.placeholders import PlaceholderError, fill_placeholders
from landingzone.spec.provenance import Provenance, format_path
from landingzone.spec.tree import TreePath
from landingzone.suggest import closest

TAGGING = "AWS tagging rules, docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html"


@dataclass(frozen=True)
class AwsLimit:
    """One limit AWS documents: the bound, what it bounds, and where AWS says so."""

    value: int
    what: str  # "characters in a tag key"
    source: str  # the AWS documentation

    def cite(self) -> str:
        """`AWS's limit of 128 characters in a tag key (source)`."""
        return f"AWS's limit of {self.value:,} {self.what} ({self.source})"


TAG_KEY = AwsLimit(128, "characters in a tag key", TAGGING)
TAG_VALUE = AwsLimit(256, "characters in a tag value", TAGGING)
TAGS_PER_RESOURCE = AwsLimit(50, "tags per resource", TAGGING)
SCP_NAME = AwsLimit(128, "characters in a policy name", "Organizations CreatePolicy, Name")
SCP_DESCRIPTION = AwsLimit(
    512, "characters in a policy description", "Organizations CreatePolicy, Description"
)
BUDGET_AMOUNT = AwsLimit(
    15_000_000_000_000,
    "USD in a budget amount",
    "Budgets API: NotificationThreshold, the largest amount Budgets takes",
)
LOCK_TABLE = AwsLimit(255, "characters in a table name", "DynamoDB CreateTable, TableName")
BUCKET_NAMING = "S3 bucket naming rules"
STATE_KEY = AwsLimit(1024, "bytes in an object key", "S3 object key naming rules")

# Tag characters all tagged services accept: letters, numbers and spaces in
# UTF-8, and _ . : / = + - @ (AWS tagging rules; EC2 takes more, Organizations
# and IAM do not, and the organization's tags go on both).
_TAG_PUNCTUATION = frozenset("_.:/=+-@")
_RESERVED_TAG_PREFIX = "aws:"
# Control characters: C0 (but tab, line feed, carriage return), DEL, C1.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# S3 bucket names: 3 to 63 of a-z, 0-9, "." and "-", a letter or digit at both
# ends, no "..", not an IP address.
BUCKET = re.compile(r"^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
LZ_TAGS = (MANAGED_BY_KEY, CREATED_BY_KEY)  # the tags lz puts on everything it creates
# Worst-case values of per-account placeholders, to bound lengths before filling.
_LONGEST = {"account": "a" * 50, "account_id": "0" * 12, "region": "a" * 14}


def _lists(prefix: TreePath, *names: str) -> tuple[TreePath, ...]:
    return tuple((*prefix, name) for name in names)


_ALERTS = ("budgets", "*", "alerts", "*", "emails")
# Lists of names in which an entry may appear once ("*": any key or index).
# Lists whose repeats other checks report (policies, endpoints, zones, config
# rules, zone networks) are not here.
UNIQUE_LISTS: tuple[TreePath, ...] = (
    ("organization", "regions"),
    ("accounts", "*", "regions"),
    ("units", "*", "moved_from"),
    *_lists(("roles", "*"), "managed_policies", "assume_roles"),
    *_lists(("roles", "*", "deploy_to"), "accounts", "units"),
    *_lists(("roles", "*", "trust", "*"), "accounts", "roles", "services"),
    *_lists(("ci", "providers", "*"), "audiences", "thumbprints"),
    *_lists(("ci", "providers", "*", "deploy_to"), "accounts", "units"),
    *_lists(
        ("ci", "profiles", "*"),
        "read_services",
        "regional_services",
        "global_services",
        "unscoped_services",
    ),
    *_lists(("ci", "deploy_roles", "*"), "managed_policies", "assume_roles", "subjects"),
    *_lists(("ci", "deploy_roles", "*", "deploy_to"), "accounts", "units"),
    ("networks", "*", "endpoints", "tiers"),
    ("peerings", "*", "requester", "tiers"),
    ("peerings", "*", "accepter", "tiers"),
    *_lists(("transit_gateways", "*", "share"), "accounts", "units"),
    ("transit_gateways", "*", "route_tables", "*"),
    ("transit_gateways", "*", "reach", "*"),
    ("transit_gateways", "*", "attachments", "*", "route_tiers"),
    ("baselines", "profiles", "*", *_ALERTS),
    ("accounts", "*", "baseline_overrides", *_ALERTS),
    *_lists(("identity_center", "permission_sets", "*"), "managed_policies"),
    *_lists(("identity_center", "assignments", "*", "to"), "accounts", "units"),
)


# -- regions ------------------------------------------------------------------


@functools.cache
def partitions() -> dict[str, tuple[str, ...]]:
    """Every partition botocore knows (`aws`, `aws-cn`, ...) with its regions."""
    from botocore.loaders import create_loader  # botocore is slow to import: only here

    data = create_loader().load_data("partitions")
    return {
        partition["id"]: tuple(
            sorted(name for name in partition.get("regions", {}) if not name.endswith("-global"))
        )
        for partition in data["partitions"]
    }


def partition_of(region: str) -> str | None:
    """The partition whose region list holds `region`, if any."""
    return next((name for name, regions in partitions().items() if region in regions), None)


def region_problem(region: str, partition: str | None) -> str | None:
    """What is wrong with `region` in a spec of `partition` (the home region's)."""
    own = partition_of(region)
    if own is not None and (partition is None or own == partition):
        return None
    if own is not None:
        return (
            f'"{region}" is a region of partition {own}, and the organization is in {partition} '
            "(organization.home_region); one organization stays in one partition"
        )
    from botocore import __version__

    name = partition or "aws"
    known = partitions().get(name, ())
    likely = closest(region, known)
    hint = f'did you mean "{likely}"?' if likely else f"regions: {', '.join(known)}"
    return (
        f'"{region}" is not a region of partition {name} ({hint}); lz knows the regions '
        f"botocore {__version__} lists: a region newer than it needs a newer botocore"
    )


# -- text, tags, names, amounts -----------------------------------------------


def control_character(text: str) -> str | None:
    """The first control character of `text`, as `U+0000`, if any."""
    found = _CONTROL.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _worst_case(text: str) -> str | None:
    """`text` with per-account placeholders filled with their longest values
    (None for a malformed one: reported where `{org}` is filled)."""
    try:
        return fill_placeholders(text, org="", **_LONGEST)
    except PlaceholderError:
        return None


def _tag_characters_ok(text: str) -> bool:
    filled = _worst_case(text)
    return filled is None or all(
        unicodedata.category(ch)[0] in "LNZ" or ch in _TAG_PUNCTUATION for ch in filled
    )


def tag_problems(key: str, value: str, *, strict: bool = True) -> Iterator[str]:
    """What AWS would refuse in one tag; `strict`: the tag goes to a service
    that takes only the tagging rules' characters (Organizations, IAM)."""
    shown = key if len(key) <= 40 else key[:37] + "..."
    if not 1 <= len(key) <= TAG_KEY.value:
        yield f'tag key "{shown}" is {len(key)} characters, over {TAG_KEY.cite()}'
    length = len(_worst_case(value) or value)
    if length > TAG_VALUE.value:
        yield (
            f'tag "{shown}": the value is {length} characters (placeholders filled at their '
            f"longest), over {TAG_VALUE.cite()}"
        )
    if key.lower().startswith(_RESERVED_TAG_PREFIX):
        yield f'tag key "{shown}": the prefix "aws:" is reserved for AWS ({TAGGING})'
    if key in LZ_TAGS:
        yield f'tag key "{shown}" is one lz sets itself on everything it creates'
    for what, text in (("key", key), ("value", value)):
        if strict and not _tag_characters_ok(text):
            yield (
                f'tag "{shown}": the {what} may hold only letters, numbers, spaces and '
                f"_ . : / = + - @ ({TAGGING})"
            )


def budget_amount_problem(amount: object) -> str | None:
    """What is wrong with a budget's `limit_usd`, if anything."""
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return None  # the schema reports the type
    if not math.isfinite(amount) or not 0 < amount <= BUDGET_AMOUNT.value:
        return f"limit_usd must be more than 0 and at most {BUDGET_AMOUNT.cite()}, got {amount}"
    return None


# -- the text of the whole tree ----------------------------------------------


def check_text(tree: Any, provenance: Provenance, path: TreePath = ()) -> list[SpecProblem]:
    """Control characters (NUL, escape, ...) in any key or string of the merged tree."""
    problems: list[SpecProblem] = []
    items: list[tuple[Any, Any]] = (
        list(tree.items())
        if isinstance(tree, dict)
        else list(enumerate(tree))
        if isinstance(tree, list)
        else []
    )
    for key, value in items:
        inner = (*path, key)
        for what, text in (("key", key), ("value", value)):
            character = control_character(text) if isinstance(text, str) else None
            if character:
                problems.append(
                    SpecProblem(
                        f"{format_path(inner)}: the {what} holds the control character "
                        f"{character}; AWS refuses control characters in names, tags and "
                        "addresses, and lz in every string",
                        provenance.where(*inner),
                    )
                )
        problems += check_text(value, provenance, inner)
    return problems
