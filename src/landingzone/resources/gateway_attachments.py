"""How a network joins a transit gateway: its VPC attachment.

An attachment is created in the VPC's account; when the gateway belongs to
another account, AWS leaves it `pendingAcceptance` and lz accepts it from
the owner's account. Its route table association and propagations are the
route tables' (`gateway_route_tables.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import is_managed, register
from landingzone.resources.ec2_kind import Ec2Kind, ec2, wait_for, where
from landingzone.resources.ec2_view import Ec2View, Item, known_id, named, tags_of
from landingzone.resources.network_addresses import parse

AVAILABLE = "available"
PENDING_ACCEPTANCE = "pendingAcceptance"
_SETTLED = frozenset({AVAILABLE, PENDING_ACCEPTANCE})


def _owner_client(ctx: Context, gateway: str) -> tuple[Any, dict[str, Any]]:
    """The gateway owner's EC2 client, and where its errors happen."""
    owner = parse(gateway)
    place = {"account": owner.account, "region": owner.region, "resource": gateway}
    return ctx.client("ec2", owner.account, owner.region), place


def owner_state(client: Any, place: Mapping[str, Any], attachment: str) -> dict[str, Any]:
    """The attachment as the gateway's owner sees it (with its Association)."""
    found = call(
        client.describe_transit_gateway_attachments,
        TransitGatewayAttachmentIds=[attachment],
        **place,
    )["TransitGatewayAttachments"]
    return dict(found[0]) if found else {}


@register
class GatewayAttachmentKind(Ec2Kind):
    """A VPC attachment to a transit gateway, made in the VPC's account."""

    name = "transit_gateway_attachment"
    resource_type = "transit-gateway-attachment"
    immutable_attrs = frozenset({"transit_gateway", "vpc"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        gateway = named(ctx, desired.get("transit_gateway"), item["TransitGatewayId"])
        subnets = item.get("SubnetIds", [])
        attrs = {
            "transit_gateway": gateway,
            "vpc": here.address_of("vpc", item["VpcId"]) or item["VpcId"],
            "subnets": sorted(here.address_of("subnet", s) or s for s in subnets),
            "state": item["State"],
            "tags": tags,
        }
        return Found(
            id=item["TransitGatewayAttachmentId"],
            attrs=attrs,
            refs=frozenset({item["TransitGatewayId"], item["VpcId"], *subnets}),
            managed=is_managed(tags),
        )

    def _accept(self, ctx: Context, node: Node, gateway: str, attachment: str) -> None:
        """Accept from the owner's account what AWS holds for acceptance, then wait for it."""
        client, place = _owner_client(ctx, gateway)
        seen: list[str] = []

        def reached(states: frozenset[str]) -> bool:
            seen.append(str(owner_state(client, place, attachment).get("State", "pending")))
            return seen[-1] in states

        wait_for(
            ctx,
            f"{attachment} to reach the gateway owner",
            lambda: reached(_SETTLED),
            resource=node.address,
        )
        if seen[-1] == PENDING_ACCEPTANCE:
            call(
                client.accept_transit_gateway_vpc_attachment,
                TransitGatewayAttachmentId=attachment,
                **place,
            )
            available = frozenset({AVAILABLE})
            wait_for(
                ctx,
                f"{attachment} to be available",
                lambda: reached(available),
                resource=node.address,
            )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        attachment = call(
            ec2(ctx, node).create_transit_gateway_vpc_attachment,
            TransitGatewayId=known_id(ctx, desired["transit_gateway"], node.address),
            VpcId=known_id(ctx, desired["vpc"], node.address),
            SubnetIds=[known_id(ctx, s, node.address) for s in desired["subnets"]],
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        self._accept(ctx, node, desired["transit_gateway"], attachment)
        return Found(id=attachment, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        for change in changes:
            if change.attr == "subnets":
                before, after = set(change.before or []), set(change.after or [])
                call(
                    ec2(ctx, node).modify_transit_gateway_vpc_attachment,
                    TransitGatewayAttachmentId=found.id,
                    AddSubnetIds=[known_id(ctx, s, node.address) for s in sorted(after - before)],
                    RemoveSubnetIds=[ctx.id_of(s) or s for s in sorted(before - after)],
                    **where(node),
                )
            elif change.attr == "state":
                self._accept(ctx, node, desired["transit_gateway"], found.id)
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(
            ec2(ctx, record).delete_transit_gateway_vpc_attachment,
            TransitGatewayAttachmentId=record.id,
            **where(record),
        )
