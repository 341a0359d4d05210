"""Reachability: can the subnets of one network (or tier) route to those of another?

For each pair of a source and a destination subnet, the source's route table
picks the longest prefix that covers the destination subnet; the route is
followed:

- `local`: the destination is in the same VPC;
- a peering connection: it must be active and join the two networks;
- a transit gateway: the source network must be attached (and the attachment
  available), its attachment's route table must have a route covering the
  destination (longest prefix), and that route must lead to the destination
  network's attachment.

Anything else (no route, an internet or NAT gateway, a route to something
lz does not know) does not reach. A connection needs the way back too, so by
default a pair counts as reachable only when both directions route;
`one_way` asks about the forward direction only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Network

from landingzone.network.topology import LOCAL, PEERING, TRANSIT_GATEWAY, Route, Subnet, Topology


@dataclass(frozen=True)
class Leg:
    """One direction between two subnets: whether it routes, how, or why not."""

    reachable: bool
    path: tuple[str, ...] = ()
    reason: str = ""

    def describe(self) -> str:
        """`via peering prod-shared`, or the reason it does not route."""
        return "via " + ", ".join(self.path) if self.reachable else self.reason

    def to_json(self) -> dict[str, object]:
        """Machine-readable form."""
        return {"reachable": self.reachable, "path": list(self.path), "reason": self.reason}


@dataclass(frozen=True)
class Pair:
    """A source subnet, a destination subnet, and both directions between them."""

    source: Subnet
    destination: Subnet
    forward: Leg
    back: Leg
    one_way: bool

    @property
    def reachable(self) -> bool:
        """The forward direction routes (and the way back, unless one-way)."""
        return self.forward.reachable and (self.one_way or self.back.reachable)


@dataclass(frozen=True)
class Answer:
    """Every pair between two selections, and the verdict."""

    source: str
    destination: str
    one_way: bool
    pairs: tuple[Pair, ...]

    @property
    def coverage(self) -> str:
        """`all`, `some` or `none` of the subnet pairs are reachable."""
        count = sum(p.reachable for p in self.pairs)
        if count == 0:
            return "none"
        return "all" if count == len(self.pairs) else "some"

    @property
    def reachable(self) -> bool:
        """True when some source subnet can reach some destination subnet."""
        return self.coverage != "none"


def _longest(routes: Iterable[tuple[IPv4Network, str]], cidr: IPv4Network) -> str | None:
    covering = [(net, target) for net, target in routes if cidr.subnet_of(net)]
    return max(covering, key=lambda r: r[0].prefixlen)[1] if covering else None


def _through_gateway(topology: Topology, route: Route, source: Subnet, destination: Subnet) -> Leg:
    gateway = topology.gateways.get(route.target)
    if gateway is None:
        return Leg(
            False, reason=f"routed to transit gateway {route.target}, which lz does not know"
        )
    name = f"transit gateway {gateway.name}"
    mine = next((a for a in gateway.attachments.values() if a.network == source.network), None)
    if mine is None or not mine.available:
        return Leg(False, reason=f"{source.network} is not attached to {name}")
    table = gateway.tables.get(mine.route_table or "")
    if table is None:
        return Leg(False, reason=f"the attachment of {source.network} to {name} has no route table")
    target = _longest(table.routes, destination.cidr)
    if target is None:
        return Leg(
            False, reason=f"{name} route table {table.name} has no route to {destination.cidr}"
        )
    landing = gateway.attachments.get(target)
    if landing is None or landing.network != destination.network or not landing.available:
        where = landing.network if landing else target
        return Leg(
            False, reason=f"{name} route table {table.name} sends {destination.cidr} to {where}"
        )
    return Leg(True, (name, f"route table {table.name}"))


def leg(topology: Topology, source: Subnet, destination: Subnet) -> Leg:
    """Whether traffic from `source` reaches `destination`'s subnet, and how."""
    routes = topology.route_tables.get(source.route_table, [])
    table = topology.table_names.get(source.route_table, source.route_table)
    covering = [r for r in routes if destination.cidr.subnet_of(r.destination)]
    if not covering:
        return Leg(False, reason=f"route table {table} has no route to {destination.cidr}")
    route = max(covering, key=lambda r: r.destination.prefixlen)
    if route.kind == LOCAL:
        if source.network == destination.network:
            return Leg(True, ("local",))
        return Leg(False, reason=f"{destination.cidr} is inside {source.network}'s own range")
    if route.kind == PEERING:
        peering = topology.peerings.get(route.target)
        if peering is None or not peering.active:
            return Leg(False, reason=f"route table {table} uses peering {route.target}, not active")
        if peering.networks != {source.network, destination.network}:
            return Leg(
                False, reason=f"peering {peering.name} does not lead to {destination.network}"
            )
        return Leg(True, (f"peering {peering.name}",))
    if route.kind == TRANSIT_GATEWAY:
        return _through_gateway(topology, route, source, destination)
    kind = route.kind.replace("_", " ")
    return Leg(
        False, reason=f"route table {table} sends {destination.cidr} to {kind} {route.target}"
    )


def reach(topology: Topology, source: str, destination: str, *, one_way: bool = False) -> Answer:
    """Every subnet pair from `source` to `destination` (`network` or `network/tier`)."""
    pairs = tuple(
        Pair(s, d, leg(topology, s, d), leg(topology, d, s), one_way)
        for s in topology.select(source)
        for d in topology.select(destination)
        if s != d
    )
    return Answer(source, destination, one_way, pairs)
