"""The network stack: each account's VPCs and what lives inside them, per account and region.

Exports the kinds `vpc`, `subnet`, `route_table`, `route`, `internet_gateway`,
`nat_gateway`, `vpc_endpoint` and `security_group` into `modules/network/`,
called from `live/<account>-<region>/network/`. Keys are spec names: VPCs,
internet and NAT gateways by network, subnets `<network>/<tier>/<zone>`,
route tables `<network>/<tier>`, endpoints `<network>/<service>`, the
endpoints' security group `<network>/endpoints`, routes
`<network>/<tier>/<destination>`.

Only routes to a gateway of the same VPC (internet, NAT) are in this stack:
a route to a peering connection or a transit gateway needs the other side's
ID, so it is in that connection's stack (export/peering.py and
export/transit_gateway.py), which reads this one. The NAT gateway's Elastic
IP is not in lz's state: its allocation ID is read from AWS
(DescribeNatGateways) for the import.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from landingzone.export.builder import PartBuilder
from landingzone.export.hcl import BLANK, Block, Comment, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.model import Module, Output, StackPart, StackRef, Variable
from landingzone.export.organization import exported_tags
from landingzone.export.registry import Exporter, register
from landingzone.nodes import Node
from landingzone.resources.endpoints import GATEWAY
from landingzone.resources.network_addresses import parse

STACK = "network"
ENDPOINTS_OFF = "endpoints_off"  # the variable of the CI toggle (export/github.py)
# Route targets inside the VPC, by the kind of the target's address: the route's argument.
LOCAL_TARGETS = {"internet_gateway": "gateway_id", "nat_gateway": "nat_gateway_id"}


def key_of(address: str) -> str:
    """The for_each key of a networking address: its path after account and region."""
    return parse(address).rest


def network_of(address: str) -> str:
    """The network an address belongs to."""
    return key_of(address).split("/", 1)[0]


TAGS = "map(string)"
VARIABLES = (
    Variable("vpcs", f"map(object({{\ncidr = string\ntags = {TAGS}\n}}))", "VPCs by network name"),
    Variable(
        "subnets",
        f"map(object({{\nnetwork = string\ncidr = string\nzone = string\ntags = {TAGS}\n}}))",
        "Subnets by <network>/<tier>/<zone>; zone is the availability zone",
    ),
    Variable(
        "route_tables",
        f"map(object({{\nnetwork = string\nsubnets = list(string)\ntags = {TAGS}\n}}))",
        "Route tables by <network>/<tier>, with the subnets (keys) associated with them",
    ),
    Variable(
        "internet_gateways",
        f"map(object({{\ntags = {TAGS}\n}}))",
        "Internet gateways by network (attached to its VPC)",
    ),
    Variable(
        "nat_gateways",
        f"map(object({{\nsubnet = string\ntags = {TAGS}\n}}))",
        "NAT gateways by network, each in a subnet (key) with its own Elastic IP",
    ),
    Variable(
        "security_groups",
        f"map(object({{\nnetwork = string\nname = string\ndescription = string\n"
        f"ingress = list(object({{\nprotocol = string\nfrom_port = number\nto_port = number\n"
        f"cidr_blocks = list(string)\n}}))\ntags = {TAGS}\n}}))",
        "Security groups by <network>/<name> (the interface endpoints' group)",
    ),
    Variable(
        "endpoints",
        f"map(object({{\nnetwork = string\nservice = string\ntype = string\n"
        f"route_tables = list(string)\nsubnets = list(string)\nsecurity_groups = list(string)\n"
        f"private_dns = bool\ntags = {TAGS}\n}}))",
        "VPC endpoints by <network>/<service>: Gateway ones in route tables (keys), "
        "Interface ones in subnets with security groups (keys)",
    ),
    Variable(
        ENDPOINTS_OFF,
        "set(string)",
        "Networks whose VPC endpoints are switched off: none as exported; the CI toggle "
        "(workflow_dispatch) plans with -var to switch them off and on",
    ),
    Variable(
        "routes",
        "map(object({\nroute_table = string\ndestination = string\ntarget_type = string\n"
        "target = string\n}))",
        "Routes by <network>/<tier>/<destination>, to an internet_gateway or nat_gateway "
        "(target: its network)",
    ),
)


def endpoint_networks(part: StackPart) -> list[str]:
    """The networks of a network stack's part that have VPC endpoints (CI can toggle)."""
    if part.module.name != MODULE.name:
        return []
    return sorted({e["network"] for e in part.values.get("endpoints", {}).values()})


def ids_by_key(resource: str, attribute: str = "id") -> str:
    """An output expression: `attribute` of each instance of a for_each resource, by key."""
    return f"{{ for key, item in {resource} : key => item.{attribute} }}"


OUTPUTS = (
    Output("vpc_ids", ids_by_key("aws_vpc.this"), "VPC IDs by network"),
    Output("vpc_cidrs", ids_by_key("aws_vpc.this", "cidr_block"), "VPC CIDR blocks by network"),
    Output("subnet_ids", ids_by_key("aws_subnet.this"), "Subnet IDs by <network>/<tier>/<zone>"),
    Output(
        "route_table_ids", ids_by_key("aws_route_table.this"), "Route table IDs by <network>/<tier>"
    ),
)


def each_resource(type_: str, for_each: str, *blocks: Block, **arguments: Any) -> list[Item]:
    """A resource `type_.this` with `for_each` over a map, its arguments, then `blocks`."""
    after: tuple[Item, ...] = tuple(item for b in blocks for item in (BLANK, b))
    return [
        block(
            "resource",
            type_,
            "this",
            body=(*attrs(for_each=Raw(for_each)), BLANK, *attrs(**arguments), *after),
        )
    ]


def _main() -> list[Item]:
    vpc = "aws_vpc.this[each.value.network].id"
    interface = 'each.value.type == "Interface"'
    return [
        block(
            "locals",
            body=attrs(
                associations=Raw(
                    "merge([for table, item in var.route_tables : "
                    "{ for subnet in item.subnets : subnet => table }]...)"
                )
            ),
        ),
        *each_resource(
            "aws_vpc",
            "var.vpcs",
            cidr_block=Raw("each.value.cidr"),
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags=Raw("each.value.tags"),
        ),
        *each_resource(
            "aws_subnet",
            "var.subnets",
            vpc_id=Raw(vpc),
            cidr_block=Raw("each.value.cidr"),
            availability_zone=Raw("each.value.zone"),
            tags=Raw("each.value.tags"),
        ),
        Comment("Routes are aws_route resources of their own, as lz keeps them."),
        *each_resource(
            "aws_route_table", "var.route_tables", vpc_id=Raw(vpc), tags=Raw("each.value.tags")
        ),
        *each_resource(
            "aws_route_table_association",
            "local.associations",
            subnet_id=Raw("aws_subnet.this[each.key].id"),
            route_table_id=Raw("aws_route_table.this[each.value].id"),
        ),
        *each_resource(
            "aws_internet_gateway",
            "var.internet_gateways",
            vpc_id=Raw("aws_vpc.this[each.key].id"),
            tags=Raw("each.value.tags"),
        ),
        *each_resource("aws_eip", "var.nat_gateways", domain="vpc", tags=Raw("each.value.tags")),
        *each_resource(
            "aws_nat_gateway",
            "var.nat_gateways",
            allocation_id=Raw("aws_eip.this[each.key].id"),
            subnet_id=Raw("aws_subnet.this[each.value.subnet].id"),
            tags=Raw("each.value.tags"),
        ),
        block(
            "resource",
            "aws_security_group",
            "this",
            body=(
                *attrs(for_each=Raw("var.security_groups")),
                BLANK,
                *attrs(
                    name=Raw("each.value.name"),
                    description=Raw("each.value.description"),
                    vpc_id=Raw(vpc),
                ),
                BLANK,
                block(
                    "dynamic",
                    "ingress",
                    body=(
                        *attrs(for_each=Raw("each.value.ingress")),
                        BLANK,
                        block(
                            "content",
                            body=attrs(
                                protocol=Raw("ingress.value.protocol"),
                                from_port=Raw("ingress.value.from_port"),
                                to_port=Raw("ingress.value.to_port"),
                                cidr_blocks=Raw("ingress.value.cidr_blocks"),
                            ),
                        ),
                    ),
                ),
                BLANK,
                *attrs(tags=Raw("each.value.tags")),
            ),
        ),
        *each_resource(
            "aws_vpc_endpoint",
            "{ for key, endpoint in var.endpoints : key => endpoint "
            "if !contains(var.endpoints_off, endpoint.network) }",
            vpc_id=Raw(vpc),
            service_name=Raw("each.value.service"),
            vpc_endpoint_type=Raw("each.value.type"),
            route_table_ids=Raw(
                f"{interface} ? null : "
                "[for table in each.value.route_tables : aws_route_table.this[table].id]"
            ),
            subnet_ids=Raw(
                f"{interface} ? "
                "[for subnet in each.value.subnets : aws_subnet.this[subnet].id] : null"
            ),
            security_group_ids=Raw(
                f"{interface} ? "
                "[for group in each.value.security_groups : aws_security_group.this[group].id]"
                " : null"
            ),
            private_dns_enabled=Raw(f"{interface} ? each.value.private_dns : null"),
            tags=Raw("each.value.tags"),
        ),
        *each_resource(
            "aws_route",
            "var.routes",
            route_table_id=Raw("aws_route_table.this[each.value.route_table].id"),
            destination_cidr_block=Raw("each.value.destination"),
            gateway_id=Raw(
                'each.value.target_type == "internet_gateway" ? '
                "aws_internet_gateway.this[each.value.target].id : null"
            ),
            nat_gateway_id=Raw(
                'each.value.target_type == "nat_gateway" ? '
                "aws_nat_gateway.this[each.value.target].id : null"
            ),
        ),
    ]


MODULE = Module(
    name="network",
    description="VPCs, subnets, route tables, gateways, endpoints and local routes",
    variables=VARIABLES,
    main=_main(),
    outputs=OUTPUTS,
)


def is_local_route(node: Node) -> bool:
    """Whether a route goes to a gateway of its own VPC (the network stack's routes)."""
    return parse(node.desired["target"]).kind in LOCAL_TARGETS


def tags_value(node: Node) -> dict[str, Any]:
    """A node's `tags` as a module value: lz's tags less those the provider's defaults set."""
    return {"tags": exported_tags(node.desired["tags"])}


def _vpc(node: Node) -> dict[str, Any]:
    return {"cidr": node.desired["cidr"], **tags_value(node)}


def _subnet(node: Node) -> dict[str, Any]:
    desired = node.desired
    return {
        "network": network_of(node.address),
        "cidr": desired["cidr"],
        "zone": desired["zone"],
        **tags_value(node),
    }


def _route_table(node: Node) -> dict[str, Any]:
    subnets = [key_of(s) for s in node.desired["subnets"]]
    return {"network": network_of(node.address), "subnets": subnets, **tags_value(node)}


def _nat(node: Node) -> dict[str, Any]:
    return {"subnet": key_of(node.desired["subnet"]), **tags_value(node)}


def _security_group(node: Node) -> dict[str, Any]:
    desired = node.desired
    ingress = [
        {
            "protocol": rule["protocol"],
            "from_port": rule["from"],
            "to_port": rule["to"],
            "cidr_blocks": [rule["source"]],
        }
        for rule in desired["ingress"]
    ]
    return {
        "network": network_of(node.address),
        "name": desired["name"],
        "description": desired["description"],
        "ingress": ingress,
        **tags_value(node),
    }


def _endpoint(node: Node) -> dict[str, Any]:
    desired = node.desired
    gateway = desired["type"] == GATEWAY
    return {
        "network": network_of(node.address),
        "service": desired["service"],
        "type": desired["type"],
        "route_tables": [key_of(t) for t in desired.get("route_tables", [])],
        "subnets": [key_of(s) for s in desired.get("subnets", [])],
        "security_groups": [key_of(g) for g in desired.get("security_groups", [])],
        "private_dns": False if gateway else bool(desired["private_dns"]),
        **tags_value(node),
    }


def _route(node: Node) -> dict[str, Any]:
    desired = node.desired
    target = parse(desired["target"])
    return {
        "route_table": key_of(desired["route_table"]),
        "destination": desired["destination"],
        "target_type": target.kind,
        "target": key_of(desired["target"]),
    }


# Each kind: (module variable, its Terraform resource, the value of one node).
KINDS: dict[str, tuple[str, str, Callable[[Node], dict[str, Any]]]] = {
    "vpc": ("vpcs", "aws_vpc.this", _vpc),
    "subnet": ("subnets", "aws_subnet.this", _subnet),
    "route_table": ("route_tables", "aws_route_table.this", _route_table),
    "internet_gateway": ("internet_gateways", "aws_internet_gateway.this", tags_value),
    "nat_gateway": ("nat_gateways", "aws_nat_gateway.this", _nat),
    "security_group": ("security_groups", "aws_security_group.this", _security_group),
    "vpc_endpoint": ("endpoints", "aws_vpc_endpoint.this", _endpoint),
    "route": ("routes", "aws_route.this", _route),
}


def import_id(node: Node, record_id: str) -> str:
    """Terraform's import ID from lz's record: routes are `<table>|<cidr>` to lz."""
    if node.kind == "route":
        table, _, destination = record_id.partition("|")
        return f"{table}_{destination}"
    return record_id


def elastic_ips(
    inventory: Inventory, account: str, region: str, nat_ids: list[str]
) -> dict[str, str]:
    """The allocation ID of each NAT gateway's Elastic IP (by gateway ID), read from AWS."""
    client = inventory.client("ec2", account, region) if nat_ids else None
    if client is None:
        return {}
    found = client.describe_nat_gateways(NatGatewayIds=nat_ids)["NatGateways"]
    return {
        gateway["NatGatewayId"]: address["AllocationId"]
        for gateway in found
        for address in gateway.get("NatGatewayAddresses", [])[:1]
        if address.get("AllocationId")
    }


def _add(found: PartBuilder, node: Node, inventory: Inventory) -> None:
    """A node's entry and import (a route table's also imports its subnets' associations)."""
    variable, resource, value = KINDS[node.kind]
    key = key_of(node.address)
    found.add(node, variable, key, value(node))
    record = inventory.record(node.address)
    found.imported(node, resource, key, import_id(node, record.id) if record else None)
    if record is not None and node.kind == "route_table":
        associated = record.attrs.get("subnets", [])
        for subnet in node.desired["subnets"]:
            subnet_record = inventory.record(subnet)
            made = subnet_record is not None and subnet in associated
            id_ = f"{subnet_record.id}/{record.id}" if subnet_record and made else None
            what = f"route table association {key_of(subnet)}"
            found.imported(node, "aws_route_table_association.this", key_of(subnet), id_, what)


def _elastic_ips(found: PartBuilder, nats: Sequence[Node], inventory: Inventory) -> None:
    """Each NAT gateway's Elastic IP, imported by the allocation ID AWS reports."""
    records = {n.address: inventory.record(n.address) for n in nats}
    ids = sorted(r.id for r in records.values() if r is not None)
    allocations = elastic_ips(inventory, found.stack.account, found.stack.region, ids)
    for node in nats:
        record = records[node.address]
        key = key_of(node.address)
        allocation = allocations.get(record.id) if record else None
        found.imported(node, "aws_eip.this", key, allocation, f"elastic IP {key}")


@register
class NetworkExporter(Exporter):
    """Each account's VPCs and their parts, one network stack per account and region."""

    name = "network"
    kinds = frozenset(KINDS)

    def handles(self, node: Node) -> bool:
        """Every node of its kinds but routes to a peering or a transit gateway."""
        return node.kind != "route" or is_local_route(node)

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        by_stack: dict[StackRef, list[Node]] = {}
        for node in nodes:
            assert node.region is not None
            stack = StackRef(node.account, node.region, STACK)
            by_stack.setdefault(stack, []).append(node)
        parts = []
        for stack, found in sorted(by_stack.items()):
            builder = PartBuilder(stack, MODULE, endpoints_off=[])
            for node in sorted(found, key=lambda n: n.address):
                _add(builder, node, inventory)
            _elastic_ips(builder, [n for n in found if n.kind == "nat_gateway"], inventory)
            parts.append(builder.part())
        return parts
