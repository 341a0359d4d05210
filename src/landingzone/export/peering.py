"""The peering stacks: VPC peering connections across accounts, and the routes to them.

Exports the kind `vpc_peering` and the `route`s whose target is a peering
connection, into two stacks per account and region:

- `live/<requester>-<region>/peering/` (module `peering`): the
  `aws_vpc_peering_connection`s the account requests (`auto_accept = false`:
  the other side accepts) and the requester side's routes. It reads VPC and
  route table IDs from its own network stack, each peer VPC's ID from the
  peer's network stack and each peer account's ID from the organization
  stack. Output: `peering_connection_ids` by peering name.
- `live/<accepter>-<peer region>/peering_accepter/` (module
  `peering_accepter`): the `aws_vpc_peering_connection_accepter`s (each
  connection ID read from the requester's peering stack, tagged in the
  accepter's account as lz tags it there) and the accepter side's routes.

Why two stacks: one account may accept a peering from an account it also
requests one from (or a chain A -> B -> C -> A); with both halves in one
stack those stacks would read each other's outputs, a cycle. Split, every
read goes one way: organization -> network -> peering -> peering_accepter.

Keys are spec names: connections and acceptances by peering name, routes
`<network>/<tier>/<destination>` (as in the network stack). Import IDs: the
connection's and the acceptance's `pcx-...`, routes `<table id>_<cidr>`.
"""

from __future__ import annotations

from collections.abc import Sequence

from landingzone.export.builder import PartBuilder
from landingzone.export.hcl import Item, Raw
from landingzone.export.inventory import Inventory
from landingzone.export.model import (
    Module,
    Output,
    RemoteOutput,
    StackPart,
    StackRef,
    Variable,
)
from landingzone.export.network import STACK as NETWORK_STACK
from landingzone.export.network import (
    TAGS,
    each_resource,
    ids_by_key,
    import_id,
    key_of,
    tags_value,
)
from landingzone.export.registry import Exporter, register
from landingzone.nodes import Node
from landingzone.resources.network_addresses import parse
from landingzone.resources.peering import ACTIVE

STACK = "peering"
ACCEPTER_STACK = "peering_accepter"
PEERING = "vpc_peering"
CONNECTION = "aws_vpc_peering_connection.this"
ACCEPTER = "aws_vpc_peering_connection_accepter.this"
ROUTE = "aws_route.this"

ROUTE_TABLE_IDS = Variable(
    "route_table_ids", "map(string)", "Route table IDs by <network>/<tier>, from the network stack"
)
ROUTES = Variable(
    "routes",
    "map(object({\nroute_table = string\ndestination = string\npeering = string\n}))",
    "Routes by <network>/<tier>/<destination>, to a peering connection (peering: its name)",
)
REQUESTER_VARIABLES = (
    Variable(
        "peerings",
        f"map(object({{\nnetwork = string\npeer_region = string\ntags = {TAGS}\n}}))",
        "Peering connections requested from this account, by name, each from a network's VPC",
    ),
    Variable("vpc_ids", "map(string)", "VPC IDs by network, from the network stack"),
    Variable(
        "peer_vpc_ids", "map(string)", "The accepter's VPC ID by peering, from its network stack"
    ),
    Variable(
        "peer_owner_ids",
        "map(string)",
        "The accepter's account ID by peering, from the organization stack",
    ),
    ROUTE_TABLE_IDS,
    ROUTES,
)
ACCEPTER_VARIABLES = (
    Variable(
        "peerings",
        f"map(object({{\ntags = {TAGS}\n}}))",
        "Peering connections accepted in this account, by name (tags: this account's)",
    ),
    Variable(
        "connection_ids",
        "map(string)",
        "Connection IDs by peering, from each requester's peering stack",
    ),
    ROUTE_TABLE_IDS,
    ROUTES,
)


def _routes(connection: str) -> list[Item]:
    """The routes to a peering connection, `connection` the resource that holds its ID."""
    return each_resource(
        "aws_route",
        "var.routes",
        route_table_id=Raw("var.route_table_ids[each.value.route_table]"),
        destination_cidr_block=Raw("each.value.destination"),
        vpc_peering_connection_id=Raw(f"{connection}[each.value.peering].id"),
    )


MODULE = Module(
    name="peering",
    description="VPC peering connections this account requests, and its routes to them",
    variables=REQUESTER_VARIABLES,
    main=[
        *each_resource(
            "aws_vpc_peering_connection",
            "var.peerings",
            vpc_id=Raw("var.vpc_ids[each.value.network]"),
            peer_vpc_id=Raw("var.peer_vpc_ids[each.key]"),
            peer_owner_id=Raw("var.peer_owner_ids[each.key]"),
            peer_region=Raw("each.value.peer_region"),
            auto_accept=False,
            tags=Raw("each.value.tags"),
        ),
        *_routes(CONNECTION),
    ],
    outputs=(
        Output("peering_connection_ids", ids_by_key(CONNECTION), "Connection IDs by peering"),
    ),
)
ACCEPTER_MODULE = Module(
    name="peering_accepter",
    description="VPC peering connections this account accepts, and its routes to them",
    variables=ACCEPTER_VARIABLES,
    main=[
        *each_resource(
            "aws_vpc_peering_connection_accepter",
            "var.peerings",
            vpc_peering_connection_id=Raw("var.connection_ids[each.key]"),
            auto_accept=True,
            tags=Raw("each.value.tags"),
        ),
        *_routes(ACCEPTER),
    ],
    outputs=(Output("peering_connection_ids", ids_by_key(ACCEPTER), "Connection IDs by peering"),),
)


def is_peering_route(node: Node) -> bool:
    """Whether a route goes to a peering connection (this exporter's routes)."""
    return node.kind == "route" and parse(node.desired["target"]).kind == PEERING


def _network(address: str) -> tuple[str, str, str]:
    """(account, region, network) of a networking address."""
    found = parse(address)
    return found.account, found.region, found.rest.split("/", 1)[0]


def _new_stack(ref: StackRef) -> PartBuilder:
    """A requester's peering stack or an accepter's, reading its own network stack."""
    network = StackRef(ref.account, ref.region, NETWORK_STACK)
    remote = {"route_table_ids": RemoteOutput(network, "route_table_ids")}
    if ref.stack == STACK:
        remote["vpc_ids"] = RemoteOutput(network, "vpc_ids")
        return PartBuilder(ref, MODULE, remote, ("peer_owner_ids", "peer_vpc_ids"))
    return PartBuilder(ref, ACCEPTER_MODULE, remote, ("connection_ids",))


def _request(found: PartBuilder, node: Node, inventory: Inventory) -> None:
    """A connection the stack's account requests."""
    name = key_of(node.address)
    peer = parse(node.desired["peer_vpc"])
    value = {
        "network": _network(node.desired["vpc"])[2],
        "peer_region": node.desired["peer_region"],
        **tags_value(node),
    }
    found.add(node, "peerings", name, value)
    peer_network = StackRef(peer.account, peer.region, NETWORK_STACK)
    found.read("peer_vpc_ids", name, RemoteOutput(peer_network, "vpc_ids", peer.rest))
    owner = inventory.account_id_output(peer.account) or RemoteOutput(
        inventory.organization_stack(), "management_account_id"
    )
    found.read("peer_owner_ids", name, owner)
    record = inventory.record(node.address)
    found.imported(node, CONNECTION, name, record.id if record else None)


def _accept(found: PartBuilder, node: Node, requester: StackRef, inventory: Inventory) -> None:
    """A connection the stack's account accepts, requested from `requester`'s stack."""
    name = key_of(node.address)
    found.add(node, "peerings", name, tags_value(node))
    found.read("connection_ids", name, RemoteOutput(requester, "peering_connection_ids", name))
    record = inventory.record(node.address)
    active = record is not None and record.attrs.get("status") == ACTIVE
    # not accepted yet: creating the accepter accepts it
    found.imported(
        node, ACCEPTER, name, record.id if record and active else None, f"peering acceptance {name}"
    )


def _route(found: PartBuilder, node: Node, inventory: Inventory) -> None:
    """A route of this side to a peering connection."""
    key = key_of(node.address)
    desired = node.desired
    value = {
        "route_table": key_of(desired["route_table"]),
        "destination": desired["destination"],
        "peering": key_of(desired["target"]),
    }
    found.add(node, "routes", key, value)
    record = inventory.record(node.address)
    found.imported(node, ROUTE, key, import_id(node, record.id) if record else None)


@register
class PeeringExporter(Exporter):
    """VPC peering: the requester's `peering` stack, the accepter's `peering_accepter` stack.

    `module()` is the requester's module; the accepter stacks call
    `ACCEPTER_MODULE` (`modules/peering_accepter/`).
    """

    name = "peering"
    kinds = frozenset({PEERING, "route"})

    def handles(self, node: Node) -> bool:
        """Every peering connection, and the routes to one."""
        return node.kind == PEERING or is_peering_route(node)

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        peerings = {n.address: n for n in nodes if n.kind == PEERING}
        stacks: dict[StackRef, PartBuilder] = {}

        def stack(account: str, region: str, requester: bool) -> PartBuilder:
            ref = StackRef(account, region, STACK if requester else ACCEPTER_STACK)
            return stacks.setdefault(ref, _new_stack(ref))

        for node in sorted(nodes, key=lambda n: n.address):
            assert node.region is not None
            if node.kind == PEERING:
                peer = parse(node.desired["peer_vpc"])
                _request(stack(node.account, node.region, True), node, inventory)
                requester = StackRef(node.account, node.region, STACK)
                _accept(stack(peer.account, peer.region, False), node, requester, inventory)
            else:
                connection = peerings[node.desired["target"]]
                own = _network(node.address) == _network(connection.desired["vpc"])
                _route(stack(node.account, node.region, own), node, inventory)
        return [found.part() for _, found in sorted(stacks.items())]
