"""The contract every resource kind implements, and the registry of kinds.

A kind is a small class with its type facts as data (`name`, `service`,
`taggable`, ...) and its behaviour as a few methods:

- `read(ctx, group)`: what exists now for a whole group of nodes and state
  records of this kind in one account and region (one List call where the
  API allows, not one Get per resource);
- `create`, `update`, `delete`: idempotent, safe to re-run after a crash;
- `diff(desired, found, record)`: attribute-level changes.

Kinds register themselves with `@register`; the engine never special-cases
a kind.
"""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar

from landingzone.aws.context import Context
from landingzone.nodes import (
    CREATED_BY_KEY,
    MANAGED_BY_KEY,
    MANAGED_BY_VALUE,
    Change,
    Found,
    Node,
    ResourceRecord,
)

T = TypeVar("T")


class Kind:
    """Base class of every resource kind. Subclasses set the class facts and methods."""

    name: ClassVar[str]  # "account", "unit", "state_bucket", ...
    service: ClassVar[str]  # AWS service: bounds concurrency per service
    description: ClassVar[str] = ""
    taggable: ClassVar[bool] = False
    # Attributes compared as IAM policy documents (order and whitespace do not matter).
    policy_attrs: ClassVar[frozenset[str]] = frozenset()
    # Attributes that cannot be changed after creation: a difference is reported,
    # never applied.
    immutable_attrs: ClassVar[frozenset[str]] = frozenset()
    # Attributes AWS cannot change in place: lz creates a new resource, lets
    # what pointed at the old one move over, then deletes the old one.
    replace_attrs: ClassVar[frozenset[str]] = frozenset()
    # True if lz may delete a resource of this kind that it created.
    deletable: ClassVar[bool] = True
    # True for the state backend's kinds: a first apply runs them (and what they
    # depend on) before anything else, then moves state into them and locks.
    bootstrap: ClassVar[bool] = False
    # Tags lz sets only on what it creates (a Name for people, its address tag): an
    # adopted resource keeps its own (`comparable_tags`).
    label_tags: ClassVar[frozenset[str]] = frozenset()

    def prepare(self, ctx: Context, nodes: list[Node], records: list[ResourceRecord]) -> None:
        """Learn what this kind needs to know of the whole run before any read.

        Called once per run with the kind's nodes and state records (both may
        be empty); the default needs nothing. A kind shares what it learns
        with `ctx.share`.
        """

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        """What exists for the group's nodes and records, keyed by address."""
        raise NotImplementedError

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        """Create the resource; returns what now exists."""
        raise NotImplementedError

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        """Change the resource so it matches `desired`; returns what now exists."""
        raise NotImplementedError

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        """Delete a resource lz created (the engine checks that it did)."""
        raise NotImplementedError

    def removal(self, ctx: Context, record: ResourceRecord, found: Found | None) -> tuple[str, str]:
        """What to do with a resource that left the spec: (action, note).

        The default deletes what lz created and still exists, and forgets
        (drops from state, leaves in AWS) everything else. Kinds may return
        other actions and carry them out in `remove`.
        """
        if found is None:
            return "forget", "no longer exists"
        if record.created and self.deletable:
            return "delete", ""
        return "forget", "not created by lz: left in place"

    def remove(self, ctx: Context, record: ResourceRecord, action: str) -> None:
        """Carry out a kind-specific removal action returned by `removal`."""
        raise NotImplementedError(f"{self.name}: removal action {action!r}")

    def diff(
        self, desired: Mapping[str, Any], found: Found, record: ResourceRecord | None
    ) -> list[Change]:
        """Attribute-level differences between desired and existing."""
        changes = []
        for attr, want in desired.items():
            have = found.attrs.get(attr)
            if attr == "tags":
                previous = record.attrs.get("tags", {}) if record else {}
                created = record.created if record else found.managed
                want, have = comparable_tags(
                    want, have or {}, previous, created=created, labels=self.label_tags
                )
            if not self.same(attr, want, have):
                changes.append(Change(attr, have, want))
        return changes

    def same(self, attr: str, want: Any, have: Any) -> bool:
        """Whether two values of `attr` are equal for this kind."""
        if attr in self.policy_attrs:
            return canonical_policy(want) == canonical_policy(have)
        if isinstance(want, list) and isinstance(have, list):
            return sorted(map(_sort_key, want)) == sorted(map(_sort_key, have))
        return bool(want == have)


@dataclass
class ReadGroup:
    """Nodes and state records of one kind in one account and region, read together.

    `claims` maps a node's address to the state record that tracks it (at the
    same address, or at one of its `moved_from` addresses); a kind finds the
    resource by the record's ID first. `orphans` are records no node claims
    (resources that left the spec): a kind finds them by ID.
    """

    kind: str
    account: str
    region: str | None
    nodes: list[Node] = field(default_factory=list)
    claims: dict[str, ResourceRecord] = field(default_factory=dict)
    orphans: list[ResourceRecord] = field(default_factory=list)

    def record_for(self, address: str) -> ResourceRecord | None:
        """The state record that tracks the node at `address`, if any."""
        return self.claims.get(address)

    def match(self, existing: Mapping[str, T], by_name: Callable[[Node], T | None]) -> dict[str, T]:
        """Pair the group's nodes and orphans with what exists, keyed by address.

        `existing` maps AWS IDs to what exists. A node is found by its state
        record's ID first, else by its natural name (`by_name`); an orphaned
        record only by its ID.
        """
        matches: dict[str, T] = {}
        for node in self.nodes:
            record = self.record_for(node.address)
            item = existing.get(record.id) if record else None
            item = item if item is not None else by_name(node)
            if item is not None:
                matches[node.address] = item
        matches.update({r.address: existing[r.id] for r in self.orphans if r.id in existing})
        return matches


_KINDS: dict[str, Kind] = {}


def register(cls: type[Kind]) -> type[Kind]:
    """Class decorator: make a kind known to the engine."""
    _KINDS[cls.name] = cls()
    return cls


def kind(name: str) -> Kind:
    """The registered kind called `name`."""
    load_kinds()
    return _KINDS[name]


def prepare_kinds(ctx: Context, nodes: Iterable[Node], records: Iterable[ResourceRecord]) -> None:
    """Call every kind's `prepare` with its own nodes and records."""
    load_kinds()
    mine: dict[str, tuple[list[Node], list[ResourceRecord]]] = {k: ([], []) for k in _KINDS}
    for node in nodes:
        mine[node.kind][0].append(node)
    for record in records:
        if record.kind in mine:
            mine[record.kind][1].append(record)
    for name, (kind_nodes, kind_records) in mine.items():
        _KINDS[name].prepare(ctx, kind_nodes, kind_records)


def is_bootstrap(kind_name: str) -> bool:
    """Whether resources of this kind belong to the state backend (`Kind.bootstrap`)."""
    return kind(kind_name).bootstrap


@functools.cache
def load_kinds() -> None:
    """Import every module of this package so its kinds register (once per process).

    A new kind is a new module here with an `@register` class: nothing else
    lists it.
    """
    package = importlib.import_module("landingzone.resources")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"landingzone.resources.{module.name}")


# -- helpers shared by kinds ---------------------------------------------------


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def comparable_tags(
    want: Mapping[str, str],
    have: Mapping[str, str],
    previous: Mapping[str, str],
    *,
    created: bool = True,
    labels: frozenset[str] = frozenset(),
) -> tuple[dict[str, str], dict[str, str]]:
    """Restrict both sides to the tag keys lz owns.

    lz owns the keys it wants now and the keys it set before (so a tag removed
    from the spec is removed from AWS). Other tags on the resource belong to
    someone else and are left alone. CreatedBy is set once, at creation, and
    never compared (a different operator must not cause a diff). ManagedBy
    says "lz created this" (what lz may delete): it is owned only on what lz
    created, never put on a resource lz adopted (`lz import`, `id:`, a role
    that existed), so losing state can never make an adopted resource look
    deletable. The kind's `labels` (an EC2 resource's Name and address tag) are
    likewise owned only on what lz created: an adopted VPC keeps its own name,
    and lz finds it by the ID in state.
    """
    owned = (set(want) | set(previous)) - {CREATED_BY_KEY}
    if not created:
        owned -= {MANAGED_BY_KEY, *labels}
    return (
        {k: v for k, v in want.items() if k in owned},
        {k: v for k, v in have.items() if k in owned},
    )


def tag_delta(changes: Iterable[Change]) -> tuple[dict[str, str], list[str]]:
    """Tags to set and keys to remove, from the `tags` change of a diff.

    The diff already restricted both sides to the keys lz owns, so this never
    touches anyone else's tags.
    """
    change = next((c for c in changes if c.attr == "tags"), None)
    if change is None:
        return {}, []
    before, after = dict(change.before or {}), dict(change.after or {})
    to_set = {k: v for k, v in after.items() if before.get(k) != v}
    return to_set, sorted(k for k in before if k not in after)


def located(item: Node | ResourceRecord) -> dict[str, Any]:
    """`account`, `region` and `resource` of a node or record, for `calls.call`'s errors."""
    return {"account": item.account, "region": item.region, "resource": item.address}


def tag_list(tags: Mapping[str, str]) -> list[dict[str, str]]:
    """AWS's [{"Key": k, "Value": v}] form, sorted by key."""
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


def tag_dict(tags: Iterable[Mapping[str, str]] | None) -> dict[str, str]:
    """Inverse of `tag_list`."""
    return {t["Key"]: t["Value"] for t in tags or ()}


def is_managed(tags: Mapping[str, str]) -> bool:
    """True if the resource carries lz's ManagedBy tag (lz created it)."""
    return tags.get(MANAGED_BY_KEY) == MANAGED_BY_VALUE


_LIST_KEYS = frozenset({"Action", "NotAction", "Resource", "NotResource"})


def canonical_policy(document: Any) -> Any:
    """An IAM policy in a canonical form, so semantically equal documents compare equal.

    Key order, whitespace, statement order, the order of values in Action /
    Resource / condition lists, and "x" versus ["x"] do not matter.
    """
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError:
            return document
    if not isinstance(document, dict):
        return document

    def values(v: Any) -> Any:
        if isinstance(v, list):
            items = sorted({_sort_key(x): x for x in v}.values(), key=_sort_key)
            return items[0] if len(items) == 1 else items
        return v

    def principal(p: Any) -> Any:
        if isinstance(p, dict):
            return {k: values(v) for k, v in sorted(p.items())}
        return p

    def statement(s: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in sorted(s.items()):
            if k in _LIST_KEYS:
                out[k] = values(v)
            elif k in ("Principal", "NotPrincipal"):
                out[k] = principal(v)
            elif k == "Condition" and isinstance(v, dict):
                out[k] = {
                    op: {key: values(val) for key, val in sorted(keys.items())}
                    for op, keys in sorted(v.items())
                    if isinstance(keys, dict)
                }
            else:
                out[k] = v
        return out

    stmts = document.get("Statement", [])
    if isinstance(stmts, dict):
        stmts = [stmts]
    canonical = {k: v for k, v in document.items() if k != "Statement"}
    canonical["Statement"] = sorted(
        (statement(s) for s in stmts if isinstance(s, dict)), key=_sort_key
    )
    return canonical


def minified(document: Mapping[str, Any]) -> str:
    """The compact JSON AWS stores and counts against policy size quotas."""
    return json.dumps(document, separators=(",", ":"))
