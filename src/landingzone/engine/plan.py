"""Refresh + diff: compare the resource graph with what exists and produce a Plan.

Plan never writes. Reads are batched: nodes and state records are grouped
by (kind, account, region) and each group is read with one `Kind.read`
call; groups in the management account are read first, because they tell
the IDs of the member accounts the other groups live in.

Actions a plan can hold:

    create   the resource does not exist
    update   it exists and some attributes differ (in place)
    adopt    it exists but lz has no record of it: lz takes it over
    replace  AWS cannot change it in place (an OU moving to another parent):
             a new one is created and the old one deleted once empty
    delete   it left the spec and lz created it
    forget   it left the spec but lz did not create it (or it is gone):
             dropped from state, left in AWS
    leave    (accounts) it left the spec: moved to the removed-accounts unit
    close    (accounts) it left the spec with close_on_removal: true

A node marked `external` (owned by another tool: Control Tower, StackSets)
is read and never acted on: it exists, not managed (`Plan.external`). A state
record at its address is forgotten; one that does not exist is a warning,
never a create.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from landingzone.aws.context import Context
from landingzone.engine.state import StateDoc
from landingzone.nodes import MANAGEMENT, Change, Found, Node, ResourceRecord, address_key
from landingzone.resources.base import ReadGroup, kind

REPLACED_SUFFIX = "#replaced"
ACCOUNT_REF = re.compile(r"\{account_id(?::([A-Za-z0-9_.@+-]+))?\}")
# Group reads in flight at once, over all accounts: at AWS's latency a plan's time
# is its round trips one after another, so member accounts are read side by side.
# `Context.limit` bounds each account and service on its own (AWS throttles per
# account and service); botocore's retries back off when AWS throttles anyway.
READ_CONCURRENCY = 128


@dataclass
class Operation:
    """One thing apply will do."""

    action: str
    address: str
    kind: str
    name: str
    account: str
    region: str | None
    changes: list[Change] = field(default_factory=list)
    node: Node | None = None
    record: ResourceRecord | None = None
    found: Found | None = None
    depends_on: set[str] = field(default_factory=set)
    note: str = ""
    protected: bool = False

    def signature(self) -> tuple[Any, ...]:
        """What must be unchanged for a saved plan to still be valid."""
        return (
            self.action,
            self.address,
            json.dumps([c.to_json() for c in self.changes], sort_keys=True, default=str),
        )

    def to_json(self) -> dict[str, Any]:
        """Serializable form for `plan -o` and `--json`."""
        return {
            "action": self.action,
            "address": self.address,
            "kind": self.kind,
            "name": self.name,
            "account": self.account,
            "region": self.region,
            "changes": [c.to_json() for c in self.changes],
            "depends_on": sorted(self.depends_on),
            "note": self.note,
            "protected": self.protected,
            "id": self.found.id if self.found else (self.record.id if self.record else None),
        }


@dataclass
class Plan:
    """Every operation, in no particular order (apply orders them by `depends_on`)."""

    operations: list[Operation]
    nodes: list[Node]
    state_serial: int
    state_lineage: str
    warnings: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # exist, owned by another tool

    def summary(self) -> dict[str, int]:
        """Count of operations per action."""
        counts: dict[str, int] = {}
        for op in self.operations:
            counts[op.action] = counts.get(op.action, 0) + 1
        return dict(sorted(counts.items()))

    def by_address(self) -> dict[str, Operation]:
        """Operations keyed by address."""
        return {op.address: op for op in self.operations}


def make_plan(
    ctx: Context, nodes: list[Node], state: StateDoc, *, warnings: Iterable[str] = ()
) -> Plan:
    """Read what exists for every node and record, and diff it against the nodes."""
    records = state.resources
    groups = _groups(nodes, records)
    found = _read(ctx, groups)
    claims = {a: r for g in groups for a, r in g.claims.items()}
    operations, notes = _diff(ctx, nodes, records, found, claims)
    return Plan(
        operations=operations,
        nodes=nodes,
        state_serial=state.serial,
        state_lineage=state.lineage,
        warnings=[*warnings, *notes, *ctx.warnings],
        external=sorted(n.address for n in nodes if n.external and n.address in found),
    )


def refresh(ctx: Context, nodes: list[Node], state: StateDoc) -> dict[str, Found]:
    """What exists for every node and state record, keyed by address (reads only)."""
    return _read(ctx, _groups(nodes, state.resources))


def _diff(
    ctx: Context,
    nodes: list[Node],
    records: Mapping[str, ResourceRecord],
    found: dict[str, Found],
    claims: dict[str, ResourceRecord],
) -> tuple[list[Operation], list[str]]:
    """Operations (linked) and warnings from what exists (`found`) and what is desired."""
    operations: list[Operation] = []
    notes: list[str] = []
    for node in nodes:
        record = claims.get(node.address)
        f = found.get(node.address)
        if f is not None and record is not None and record.address != node.address:
            f = replace(f, record_address=record.address)
        ops, note = _node_operations(ctx, node, f, record)
        operations.extend(ops)
        if note:
            notes.append(f"{node.address}: {note}")

    claimed = {r.address for r in claims.values()}
    for address, record in records.items():
        if address in claimed:
            continue
        k = kind(record.kind)
        f = found.get(address)
        action, note = k.removal(ctx, record, f)
        operations.append(
            Operation(
                action=action,
                address=address,
                kind=record.kind,
                name=record.attrs.get("name", address_key(address)),
                account=record.account,
                region=record.region,
                record=record,
                found=f,
                note=note,
                protected=bool(record.attrs.get("protected")),
            )
        )

    _link(operations)
    return operations, notes


def resolve(value: Any, ctx: Context, account: str) -> Any:
    """Fill account IDs known by now into desired values.

    `{account_id}` is the node's own account; `{account_id:NAME}` is the
    account NAME of the spec (or `management`). IDs not known yet (accounts
    this apply creates) stay as written; the graph made the node depend on
    those accounts, so they are known by the time the node is applied.
    """
    if isinstance(value, str) and "{account_id" in value:
        return ACCOUNT_REF.sub(lambda m: ctx.account_id(m.group(1) or account) or m.group(0), value)
    if isinstance(value, dict):
        return {k: resolve(v, ctx, account) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, ctx, account) for v in value]
    return value


# -- internals --------------------------------------------------------------------


def _groups(nodes: Iterable[Node], records: Mapping[str, ResourceRecord]) -> list[ReadGroup]:
    """Group nodes and records by (kind, account, region); match records to nodes."""
    by_key: dict[tuple[str, str, str | None], ReadGroup] = {}
    claimed: set[str] = set()
    for node in nodes:
        key = (node.kind, node.account, node.region)
        group = by_key.setdefault(key, ReadGroup(*key))
        group.nodes.append(node)
        for address in (node.address, *node.moved_from):
            record = records.get(address)
            if record is not None and address not in claimed:
                group.claims[node.address] = record
                claimed.add(address)
                break
    for address, record in records.items():
        if address not in claimed:
            key = (record.kind, record.account, record.region)
            by_key.setdefault(key, ReadGroup(*key)).orphans.append(record)
    return list(by_key.values())


def _read(ctx: Context, groups: list[ReadGroup]) -> dict[str, Found]:
    """Read every group: management-account groups first, then member accounts.

    The groups of a batch are read side by side, every account in parallel with
    the others, each (account, service) bounded by `Context.limit`.
    """
    found: dict[str, Found] = {}
    first = [g for g in groups if g.account == MANAGEMENT]
    rest = [g for g in groups if g.account != MANAGEMENT]
    for batch in (first, rest):
        readable = [g for g in batch if ctx.account_id(g.account) is not None]
        for group in readable:  # names may hold {account_id}, known by now
            group.nodes = [
                replace(n, desired=resolve(dict(n.desired), ctx, n.account)) for n in group.nodes
            ]
        with ThreadPoolExecutor(max_workers=READ_CONCURRENCY) as pool:
            for result in pool.map(lambda g: _read_group(ctx, g), readable):
                found.update(result)
        for address, f in found.items():
            ctx.set_id(address, f.id)
    return found


def _read_group(ctx: Context, group: ReadGroup) -> dict[str, Found]:
    k = kind(group.kind)
    with ctx.limit(k.service, group.account):
        return k.read(ctx, group)


def _node_operations(
    ctx: Context, node: Node, found: Found | None, record: ResourceRecord | None
) -> tuple[list[Operation], str]:
    """The operations for one node, and a warning for differences lz cannot apply."""
    k = kind(node.kind)
    desired = resolve(node.desired, ctx, node.account)

    def op(action: str, changes: list[Change] | None = None, note: str = "") -> Operation:
        return Operation(
            action=action,
            address=node.address,
            kind=node.kind,
            name=node.name,
            account=node.account,
            region=node.region,
            changes=changes or [],
            node=node,
            record=record,
            found=found,
            note=note,
            protected=node.protected,
        )

    if node.external:
        return _external(op, found, record)
    if found is None:
        return [op("create", note="deleted outside lz: recreating" if record else "")], ""
    changes = k.diff(desired, found, record)
    immutable = [c for c in changes if c.attr in k.immutable_attrs]
    changes = [c for c in changes if c.attr not in k.immutable_attrs]
    warning = "; ".join(
        f"{c.attr} cannot be changed by lz (is {c.before!r}, spec says {c.after!r})"
        for c in immutable
    )
    if any(c.attr in k.replace_attrs for c in changes):
        return [op("replace", changes), _replaced(node, found, record)], warning
    if record is None:
        return [op("adopt", changes)], warning
    if changes or (found.record_address and found.record_address != node.address):
        return [op("update", changes)], warning
    return [], warning


def _external(
    op: Callable[..., Operation], found: Found | None, record: ResourceRecord | None
) -> tuple[list[Operation], str]:
    """An external node: nothing to do, but let go of a record and say when it is missing."""
    operations = [op("forget", note="external: owned by another tool")] if record else []
    missing = "" if found else "external (owned by another tool) and missing: lz does not create it"
    return operations, missing


def _replaced(node: Node, found: Found, record: ResourceRecord | None) -> Operation:
    """The second half of a replacement: the old resource, deleted once nothing uses it."""
    old = record or ResourceRecord(
        address=node.address,
        kind=node.kind,
        id=found.id,
        account=node.account,
        region=node.region,
        created=found.managed,
        attrs=dict(found.attrs),
    )
    return Operation(
        action="delete" if old.created else "forget",
        address=node.address + REPLACED_SUFFIX,
        kind=node.kind,
        name=node.name,
        account=node.account,
        region=node.region,
        record=old,
        found=found,
        note="replaced" if old.created else "replaced; not created by lz: left in place",
        depends_on={node.address},
        protected=node.protected,
    )


def _link(operations: list[Operation]) -> None:
    """Fill `depends_on`: creates after what they need, deletes after what points at them."""
    by_address = {op.address: op for op in operations}
    pointing: dict[str, set[str]] = {}
    for op in operations:
        if op.found is not None:
            for ref in op.found.refs:
                pointing.setdefault(ref, set()).add(op.address)
    for op in operations:
        if op.node is not None:
            op.depends_on |= {d for d in op.node.depends_on if d in by_address}
        if op.action in ("delete", "leave", "close") and op.record is not None:
            op.depends_on |= pointing.get(op.record.id, set()) - {op.address}
    _break_cycles(operations)


def _break_cycles(operations: list[Operation]) -> None:
    """A dependency cycle is a bug in a kind; fail loudly rather than hang in apply."""
    graph = {op.address: set(op.depends_on) for op in operations}
    done: set[str] = set()
    while graph:
        ready = [a for a, deps in graph.items() if deps <= done]
        if not ready:
            cycle = ", ".join(sorted(graph))
            raise RuntimeError(f"internal error: dependency cycle among {cycle}")
        for address in ready:
            done.add(address)
            del graph[address]
