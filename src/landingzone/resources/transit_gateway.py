"""Transit gateways, in the owner's account (their route tables: `gateway_route_tables.py`).

lz creates gateways with default route table association and propagation
off and auto-accept of shared attachments off: every association and
propagation is one lz derives from the spec, and lz accepts the attachments
it makes (see `gateway_attachments.py`). Those options are part of the
desired state, so a change made outside lz is drift that apply reverts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import is_managed, register
from landingzone.resources.ec2_kind import Ec2Kind, ec2, wait_for, where
from landingzone.resources.ec2_view import Ec2View, Item, tags_of

# Spec-side option names and AWS's, with the values lz keeps.
OPTIONS = {
    "auto_accept_shared_attachments": "AutoAcceptSharedAttachments",
    "default_route_table_association": "DefaultRouteTableAssociation",
    "default_route_table_propagation": "DefaultRouteTablePropagation",
    "dns_support": "DnsSupport",
}
GATEWAY_OPTIONS = {
    "auto_accept_shared_attachments": "disable",
    "default_route_table_association": "disable",
    "default_route_table_propagation": "disable",
    "dns_support": "enable",
}


def wait_available(
    ctx: Context, node: Node, method: str, key: str, id_param: str, resource_id: str
) -> None:
    """Poll a Describe call until the resource it describes is `available`."""
    client = ec2(ctx, node)

    def ready() -> bool:
        ids: dict[str, Any] = {id_param: [resource_id]}
        found = call(getattr(client, method), **ids, **where(node))[key]
        return bool(found) and found[0]["State"] == "available"

    wait_for(ctx, f"{resource_id} to be available", ready, resource=node.address)


@register
class TransitGatewayKind(Ec2Kind):
    """A transit gateway owned by this account."""

    name = "transit_gateway"
    resource_type = "transit-gateway"
    immutable_attrs = frozenset({"asn"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        options = item.get("Options", {})
        attrs = {
            "description": item.get("Description", ""),
            "asn": options.get("AmazonSideAsn"),
            "options": {ours: options.get(theirs) for ours, theirs in OPTIONS.items()},
            "tags": tags,
        }
        return Found(id=item["TransitGatewayId"], attrs=attrs, managed=is_managed(tags))

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        options = {OPTIONS[k]: v for k, v in desired["options"].items()}
        gateway_id = call(
            ec2(ctx, node).create_transit_gateway,
            Description=desired["description"],
            Options={"AmazonSideAsn": desired["asn"], "VpnEcmpSupport": "enable", **options},
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["TransitGateway"]["TransitGatewayId"]
        wait_available(
            ctx,
            node,
            "describe_transit_gateways",
            "TransitGateways",
            "TransitGatewayIds",
            gateway_id,
        )
        return Found(id=gateway_id, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        changed = {c.attr for c in changes}
        if changed & {"description", "options"}:
            call(
                ec2(ctx, node).modify_transit_gateway,
                TransitGatewayId=found.id,
                Description=desired["description"],
                Options={OPTIONS[k]: v for k, v in desired["options"].items()},
                **where(node),
            )
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(
            ec2(ctx, record).delete_transit_gateway,
            TransitGatewayId=record.id,
            **where(record),
        )
