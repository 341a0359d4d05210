"""The dns stacks: private hosted zones and their associations with VPCs of any account.

Exports the kinds `hosted_zone` and `hosted_zone_association` into
`modules/dns/` and `modules/dns_associations/`:

- the zone's owner, in the region of the VPC it is created with, has a `dns`
  stack: the `aws_route53_zone` (its `vpc` block: that VPC), the
  associations of the owner's other VPCs (any region), and the
  authorizations of associations of other accounts' VPCs still to be made;
  it outputs `zone_ids`;
- every account with a VPC associated with another account's zone has, in
  the VPC's region, a `dns_associations` stack: the
  `aws_route53_zone_association`, with the zone's ID read from the owner's
  dns stack.

VPC IDs are read from the network stacks' `vpc_ids`. Keys are spec names:
zones by name (no trailing dot), associations and authorizations
`<network>/<zone>`. The association of the VPC a zone is created with is the
zone's `vpc` block, not a resource of its own. lz deletes an authorization
once its association exists, as AWS recommends, so an authorization is in
the export only while its association is pending (Terraform creates both).

dns stacks read only network stacks and dns_associations stacks read dns
stacks, so two accounts may each associate a VPC with a zone the other owns
without a cycle, and an association plans only after its authorization is
applied.
"""

from __future__ import annotations

from collections.abc import Sequence

from landingzone.export.builder import PartBuilder
from landingzone.export.hcl import BLANK, Comment, Item, Raw, attrs, block
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
from landingzone.export.network import TAGS, each_resource, ids_by_key, key_of, tags_value
from landingzone.export.registry import Exporter, register
from landingzone.nodes import Node
from landingzone.resources.network_addresses import parse

STACK = "dns"
ASSOCIATIONS_STACK = "dns_associations"
ZONE = "aws_route53_zone.this"
AUTHORIZATION = "aws_route53_vpc_association_authorization.this"
ASSOCIATION = "aws_route53_zone_association.this"

LINK = "object({\nzone = string\nnetwork = string\nregion = string\n})"
VPC_IDS = Variable("vpc_ids", "map(string)", "VPC IDs by network (their network stacks' vpc_ids)")
VARIABLES = (
    Variable(
        "zones",
        f"map(object({{\ncomment = string\nnetwork = string\nregion = string\ntags = {TAGS}\n}}))",
        "Private hosted zones by name (no trailing dot), each created with the VPC of a network "
        "of its owner (in region)",
    ),
    Variable(
        "authorizations",
        f"map({LINK})",
        "Associations of other accounts' VPCs (network, in region) with this stack's zones, "
        "authorized here, by <network>/<zone>: only those still to be made",
    ),
    Variable(
        "associations",
        f"map({LINK})",
        "Other VPCs of this stack's account (network, in region) associated with its zones, "
        "by <network>/<zone>",
    ),
    VPC_IDS,
)
ASSOCIATION_VARIABLES = (
    Variable(
        "associations",
        f"map({LINK})",
        "VPCs of this stack's account (network, in region) associated with zones other "
        "accounts own, by <network>/<zone>",
    ),
    VPC_IDS,
    Variable(
        "zone_ids",
        "map(string)",
        "IDs of the zones, by zone name (their owners' dns stacks' zone_ids)",
    ),
)

OUTPUTS = (Output("zone_ids", ids_by_key(ZONE, "zone_id"), "Private hosted zone IDs by zone name"),)


VPC = {"vpc_id": Raw("var.vpc_ids[each.value.network]"), "vpc_region": Raw("each.value.region")}


def _associations(zone_id: str) -> list[Item]:
    """The associations of `var.associations`, each with the zone `zone_id` names."""
    return each_resource(
        "aws_route53_zone_association", "var.associations", zone_id=Raw(zone_id), **VPC
    )


def _main() -> list[Item]:
    return [
        block(
            "resource",
            "aws_route53_zone",
            "this",
            body=(
                *attrs(for_each=Raw("var.zones")),
                BLANK,
                *attrs(name=Raw("each.key"), comment=Raw("each.value.comment")),
                BLANK,
                block("vpc", body=attrs(**VPC)),
                BLANK,
                *attrs(tags=Raw("each.value.tags")),
                BLANK,
                block(
                    "lifecycle",
                    body=(
                        Comment(
                            "The vpc block is the VPC the zone is created with; every other "
                            "VPC is an\naws_route53_zone_association (here or in its account's "
                            "dns stack), which\nTerraform requires the zone to ignore. lz, too, "
                            "never changes a zone's first VPC."
                        ),
                        *attrs(ignore_changes=Raw("[vpc]")),
                    ),
                ),
            ),
        ),
        *each_resource(
            "aws_route53_vpc_association_authorization",
            "var.authorizations",
            zone_id=Raw("aws_route53_zone.this[each.value.zone].zone_id"),
            **VPC,
        ),
        *_associations("aws_route53_zone.this[each.value.zone].zone_id"),
    ]


MODULE = Module(
    name="dns",
    description="Private hosted zones, their VPC associations and cross-account authorizations",
    variables=VARIABLES,
    main=_main(),
    outputs=OUTPUTS,
)

ASSOCIATIONS_MODULE = Module(
    name=ASSOCIATIONS_STACK,
    description="Associations of this account's VPCs with private hosted zones other accounts own",
    variables=ASSOCIATION_VARIABLES,
    main=_associations("var.zone_ids[each.value.zone]"),
    outputs=(),
)


def zone_name(zone: Node) -> str:
    """A zone's key: its spec name (Route 53's name without the trailing dot)."""
    return str(zone.desired["name"]).removesuffix(".")


def zone_stack(zone: Node) -> StackRef:
    """The owner's dns stack, in the region of the VPC the zone is created with."""
    return StackRef(zone.account, parse(zone.desired["vpc"]).region, STACK)


def _vpc(found: PartBuilder, address: str) -> dict[str, str]:
    """A VPC as the module takes it (its ID read from its network stack's vpc_ids)."""
    vpc = parse(address)
    network = StackRef(vpc.account, vpc.region, NETWORK_STACK)
    found.read("vpc_ids", vpc.rest, RemoteOutput(network, "vpc_ids", vpc.rest))
    return {"network": vpc.rest, "region": vpc.region}


def _zone(found: PartBuilder, zone: Node, inventory: Inventory) -> None:
    name = zone_name(zone)
    vpc = _vpc(found, zone.desired["vpc"])
    found.add(zone, "zones", name, {"comment": zone.desired["comment"], **vpc, **tags_value(zone)})
    record = inventory.record(zone.address)
    found.imported(zone, ZONE, name, record.id if record else None)


def _association(found: PartBuilder, node: Node, zone: Node, inventory: Inventory) -> None:
    key, name = key_of(node.address), zone_name(zone)
    vpc = _vpc(found, node.desired["vpc"])
    found.add(node, "associations", key, {"zone": name, **vpc})
    owner = zone_stack(zone)
    if owner != found.stack:
        found.read("zone_ids", name, RemoteOutput(owner, "zone_ids", name))
    record = inventory.record(node.address)
    import_id = None
    if record is not None:  # lz records ZONE|VPC; Terraform imports ZONE:VPC[:REGION]
        region = "" if vpc["region"] == found.stack.region else f":{vpc['region']}"
        import_id = record.id.replace("|", ":") + region
    found.imported(node, ASSOCIATION, key, import_id)


def _authorization(found: PartBuilder, node: Node, zone: Node) -> None:
    """The owner's authorization of another account's VPC, while the association is to
    be made (lz deletes it once the VPC is associated)."""
    key = key_of(node.address)
    vpc = _vpc(found, node.desired["vpc"])
    found.add(node, "authorizations", key, {"zone": zone_name(zone), **vpc})
    found.pending.append(f"association authorization {key}")


@register
class DnsExporter(Exporter):
    """Private zones in their owners' dns stacks; associations in the VPCs' accounts."""

    name = "dns"
    kinds = frozenset({"hosted_zone", "hosted_zone_association"})

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        stacks: dict[StackRef, PartBuilder] = {}

        def stack(ref: StackRef) -> PartBuilder:
            if ref.stack == STACK:
                return stacks.setdefault(ref, PartBuilder(ref, MODULE, maps=("vpc_ids",)))
            builder = PartBuilder(ref, ASSOCIATIONS_MODULE, maps=("vpc_ids", "zone_ids"))
            return stacks.setdefault(ref, builder)

        ordered = sorted(nodes, key=lambda n: n.address)
        zones = {n.address: n for n in ordered if n.kind == "hosted_zone"}
        for zone in zones.values():
            _zone(stack(zone_stack(zone)), zone, inventory)
        for node in (n for n in ordered if n.kind == "hosted_zone_association"):
            zone = zones[node.desired["zone"]]
            if node.desired["vpc"] == zone.desired["vpc"]:
                continue  # the zone's vpc block makes this one
            vpc = parse(node.desired["vpc"])
            if vpc.account == zone.account:
                _association(stack(zone_stack(zone)), node, zone, inventory)
                continue
            member = StackRef(vpc.account, vpc.region, ASSOCIATIONS_STACK)
            _association(stack(member), node, zone, inventory)
            if inventory.record(node.address) is None:
                _authorization(stack(zone_stack(zone)), node, zone)
        return [found.part() for _, found in sorted(stacks.items())]
