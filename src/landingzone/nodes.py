"""The node and record types every layer speaks, and how addresses are written.

A `Node` is one desired resource (made by the graph from the spec), a
`Found` what a read found for it, a `Change` one attribute that differs, and
a `ResourceRecord` what state remembers about a resource lz manages. An
address is `<kind>:<key>` ("account:dev", "unit:plat/sandbox"): stable,
unique, and the only name the engine knows a resource by.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.errors import Location

MANAGEMENT = "management"  # the account name of the management account in nodes
MANAGED_BY_KEY = "ManagedBy"
MANAGED_BY_VALUE = "landingzone"
CREATED_BY_KEY = "CreatedBy"


@dataclass(frozen=True)
class Node:
    """One desired resource: where it lives and what it should look like."""

    address: str  # unique, stable: "account:dev", "unit:plat/sandbox", ...
    kind: str
    name: str  # the resource's name in AWS, for people
    account: str = MANAGEMENT  # spec account name, or "management"
    region: str | None = None  # None for global services
    desired: Mapping[str, Any] = field(default_factory=dict)
    depends_on: frozenset[str] = frozenset()
    source: Location | None = None  # where the spec declares it
    protected: bool = False  # changes need an explicit approval
    moved_from: tuple[str, ...] = ()  # earlier addresses (a rename or move, not a new resource)
    # Owned by another tool (Control Tower, StackSets): read, never created, changed or deleted.
    external: bool = False

    def to_json(self) -> dict[str, Any]:
        """Serializable form (saved plans carry their nodes)."""
        return {
            "address": self.address,
            "kind": self.kind,
            "name": self.name,
            "account": self.account,
            "region": self.region,
            "desired": dict(self.desired),
            "depends_on": sorted(self.depends_on),
            "source": str(self.source) if self.source else None,
            "protected": self.protected,
            "moved_from": list(self.moved_from),
            "external": self.external,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Node:
        """Inverse of `to_json`."""
        source = None
        if data.get("source"):
            file, _, line = str(data["source"]).rpartition(":")
            source = Location(file, int(line))
        return cls(
            address=data["address"],
            kind=data["kind"],
            name=data["name"],
            account=data["account"],
            region=data["region"],
            desired=data["desired"],
            depends_on=frozenset(data["depends_on"]),
            source=source,
            protected=bool(data.get("protected")),
            moved_from=tuple(data.get("moved_from", ())),
            external=bool(data.get("external")),
        )


@dataclass(frozen=True)
class Found:
    """What a read found for one resource.

    `attrs` uses the same logical names and value shapes as `Node.desired`
    (names, not IDs), so a diff is a plain comparison. `refs` are the AWS IDs
    this resource points to as it exists (its parent OU, the policies
    attached to it): a resource must stop pointing at something before that
    thing can be deleted. `managed` is true when the resource carries lz's
    ManagedBy tag, i.e. lz created it. `record_address` names the state
    record the resource was found through when that differs from the node's
    address (a unit found through its `moved_from` path).
    """

    id: str
    attrs: Mapping[str, Any]
    refs: frozenset[str] = frozenset()
    managed: bool = False
    record_address: str | None = None


@dataclass(frozen=True)
class Change:
    """One attribute that differs: before (as it exists) and after (as desired)."""

    attr: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        """Serializable form."""
        return {"attr": self.attr, "before": self.before, "after": self.after}


@dataclass
class ResourceRecord:
    """What lz knows about one resource it manages."""

    address: str
    kind: str
    id: str
    account: str
    region: str | None
    created: bool  # lz created it (only then may lz delete it)
    attrs: dict[str, Any] = field(default_factory=dict)
    updated_at: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ResourceRecord:
        """Inverse of `dataclasses.asdict`."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def address(kind: str, key: str) -> str:
    """The address of the resource of `kind` known by `key`."""
    return f"{kind}:{key}"


def address_key(address_: str) -> str:
    """The key part of an address ("dev" of "account:dev")."""
    return address_.split(":", 1)[-1]


def account_address(name: str) -> str:
    """The address of a spec account's node (its AWS ID is registered under it)."""
    return address("account", name)
