"""Transit gateway segmentation: from "which networks reach which" to route tables.

Every attached network is associated with one route table: the one of
`route_tables` that lists it, else a route table of its own named after it.
Into a route table lz propagates the routes of every network its members
reach. `reach` is two-way (a reply needs a route back), so if a reaches b,
b's route table gets a's routes and a's gets b's.

Segmentation holds when every member of a route table reaches exactly the
networks propagated into it (itself aside): a shared route table cannot
let one member reach a network and keep another out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from landingzone.spec.network import TransitGateway


@dataclass(frozen=True)
class GatewayTable:
    """A route table of a transit gateway: who is associated, whose routes it holds."""

    name: str
    members: tuple[str, ...]  # networks associated with it
    propagations: tuple[str, ...]  # networks whose CIDRs are propagated into it


@dataclass(frozen=True)
class Conflict:
    """A route table whose members would not all reach the same networks."""

    table: str
    network: str  # a member that must not reach `target`
    target: str
    allowed: tuple[str, ...]  # the members that do reach `target`


def reach_sets(gateway: TransitGateway) -> dict[str, set[str]]:
    """The networks each attached network reaches through the gateway (both ways)."""
    sets: dict[str, set[str]] = {name: set() for name in gateway.attachments}
    for source, targets in gateway.reach.items():
        for target in targets:
            sets.setdefault(source, set()).add(target)
            sets.setdefault(target, set()).add(source)
    return sets


def table_of(gateway: TransitGateway) -> dict[str, str]:
    """The route table each attached network is associated with."""
    listed = {
        network: table for table, members in gateway.route_tables.items() for network in members
    }
    return {network: listed.get(network, network) for network in gateway.attachments}


def gateway_tables(gateway: TransitGateway) -> list[GatewayTable]:
    """The route tables lz derives for a gateway, sorted by name."""
    reach = reach_sets(gateway)
    members: dict[str, list[str]] = {}
    for network, table in table_of(gateway).items():
        members.setdefault(table, []).append(network)
    return [
        GatewayTable(
            name=table,
            members=tuple(sorted(networks)),
            propagations=tuple(sorted(set().union(*(reach[n] for n in networks)))),
        )
        for table, networks in sorted(members.items())
    ]


def conflicts(gateway: TransitGateway) -> Iterator[Conflict]:
    """Members of a shared route table that would reach a network they must not."""
    reach = reach_sets(gateway)
    for table in gateway_tables(gateway):
        for network in table.members:
            for target in table.propagations:
                if target != network and target not in reach[network]:
                    allowed = tuple(m for m in table.members if target in reach[m])
                    yield Conflict(table.name, network, target, allowed)
