"""Transit gateway route tables, with the associations and propagations that make
segmentation, in the gateway owner's account.

A route table lz derives is lz's: its `associations` (attachments that route
through it) and `propagations` (attachments whose VPC CIDRs it learns) are
exactly what the spec implies. One associated or propagated outside lz is
drift: the plan shows it and apply removes it, so segmentation holds.

Reads: associations come with DescribeTransitGatewayAttachments (one call
per account and region, shared); AWS has no batch read of propagations, so
they cost one GetTransitGatewayRouteTablePropagations per route table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import is_managed, register
from landingzone.resources.ec2_kind import Ec2Kind, ec2, wait_for, where
from landingzone.resources.ec2_view import Ec2View, Item, known_id, lookup_id, tags_of
from landingzone.resources.gateway_attachments import owner_state
from landingzone.resources.transit_gateway import wait_available

_GONE = ("disassociating", "disassociated")


def associated_here(item: Item, table: str) -> bool:
    """Whether an attachment (as the owner describes it) is associated with `table`."""
    association = item.get("Association") or {}
    return association.get("TransitGatewayRouteTableId") == table and (
        association.get("State") not in _GONE
    )


def propagating_to(ctx: Context, here: Ec2View, table: str) -> list[str]:
    """Attachments propagating to a route table (read once per run)."""

    def load() -> list[str]:
        found = pages(
            ctx.client("ec2", here.account, here.region),
            "get_transit_gateway_route_table_propagations",
            "TransitGatewayRouteTablePropagations",
            account=here.account,
            region=here.region,
            resource=table,
            TransitGatewayRouteTableId=table,
        )
        return [p["TransitGatewayAttachmentId"] for p in found if p.get("State") != "disabled"]

    return ctx.cached(f"tgw-propagations/{table}", load)


def _ids(ctx: Context, attachments: Iterable[str]) -> list[str]:
    """Attachment IDs of addresses (or IDs already) the run knows."""
    return [ctx.id_of(a) or a for a in attachments]


@register
class GatewayRouteTableKind(Ec2Kind):
    """A route table of a transit gateway: which attachments it routes for
    (`associations`) and whose routes it holds (`propagations`), by address."""

    name = "transit_gateway_route_table"
    resource_type = "transit-gateway-route-table"
    immutable_attrs = frozenset({"transit_gateway"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        table, gateway = item["TransitGatewayRouteTableId"], item["TransitGatewayId"]
        wanted = {*desired.get("associations", []), *desired.get("propagations", [])}
        names = {i: a for a in wanted if (i := lookup_id(ctx, a)) is not None}
        associated = [
            a["TransitGatewayAttachmentId"]
            for a in here.items("owner_attachments")
            if associated_here(a, table)
        ]
        propagating = propagating_to(ctx, here, table)
        attrs = {
            "transit_gateway": here.address_of("transit_gateway", gateway) or gateway,
            "associations": sorted(names.get(i, i) for i in associated),
            "propagations": sorted(names.get(i, i) for i in propagating),
            "tags": tags,
        }
        return Found(
            id=table,
            attrs=attrs,
            refs=frozenset({gateway, *associated, *propagating}),
            managed=is_managed(tags),
        )

    def _associate(self, ctx: Context, node: Node, table: str, attachment: str) -> None:
        """Associate an attachment, taking it out of the route table it is in, if any."""
        client, place = ec2(ctx, node), where(node)
        current = owner_state(client, place, attachment).get("Association") or {}
        if current.get("TransitGatewayRouteTableId") == table and current.get("State") not in _GONE:
            return
        self._disassociate(ctx, node, attachment, current.get("TransitGatewayRouteTableId"))
        call(
            client.associate_transit_gateway_route_table,
            TransitGatewayRouteTableId=table,
            TransitGatewayAttachmentId=attachment,
            **place,
        )

    def _disassociate(
        self, ctx: Context, node: Node | ResourceRecord, attachment: str, table: str | None
    ) -> None:
        """Disassociate an attachment from `table` (if it is there) and wait until it left."""
        if not table:
            return
        client = ec2(ctx, node)
        place = where(node)
        try:
            client.disassociate_transit_gateway_route_table(
                TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment
            )
        except ClientError as exc:
            # NotFound: not (or no longer) there, though it may still be disassociating.
            if error_code(exc) != "InvalidAssociation.NotFound":
                raise aws_error(exc, **place) from exc

        def left() -> bool:
            # Gone from `table`: disassociated, or already associated elsewhere (another
            # route table's update, running at the same time, may have moved it on).
            association = owner_state(client, place, attachment).get("Association") or {}
            return (
                association.get("TransitGatewayRouteTableId") != table
                or association.get("State", "disassociated") == "disassociated"
            )

        wait_for(ctx, f"{attachment} to leave {table}", left, resource=place["resource"])

    def _propagate(
        self, ctx: Context, node: Node | ResourceRecord, table: str, attachment: str, on: bool
    ) -> None:
        client = ec2(ctx, node)
        method = "enable" if on else "disable"
        done = "Duplicate" if on else "NotFound"
        try:
            getattr(client, f"{method}_transit_gateway_route_table_propagation")(
                TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment
            )
        except ClientError as exc:
            if error_code(exc) != f"TransitGatewayRouteTablePropagation.{done}":
                place = where(node)
                raise aws_error(exc, **place) from exc

    def _apply(
        self,
        ctx: Context,
        node: Node,
        table: str,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
    ) -> None:
        """Make the route table's associations and propagations go from `before` to `after`."""
        old, new = set(before.get("associations", [])), set(after["associations"])
        for attachment in _ids(ctx, sorted(old - new)):
            self._disassociate(ctx, node, attachment, table)
        for address in sorted(new - old):
            self._associate(ctx, node, table, known_id(ctx, address, node.address))
        old, new = set(before.get("propagations", [])), set(after["propagations"])
        for attachment in _ids(ctx, sorted(old - new)):
            self._propagate(ctx, node, table, attachment, on=False)
        for address in sorted(new - old):
            self._propagate(ctx, node, table, known_id(ctx, address, node.address), on=True)

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        table = call(
            ec2(ctx, node).create_transit_gateway_route_table,
            TransitGatewayId=known_id(ctx, desired["transit_gateway"], node.address),
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
        wait_available(
            ctx,
            node,
            "describe_transit_gateway_route_tables",
            "TransitGatewayRouteTables",
            "TransitGatewayRouteTableIds",
            table,
        )
        self._apply(ctx, node, table, {}, desired)
        return Found(id=table, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        self._apply(ctx, node, found.id, found.attrs, desired)
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client, place = ec2(ctx, record), where(record)
        associations = call(
            client.get_transit_gateway_route_table_associations,
            TransitGatewayRouteTableId=record.id,
            **place,
        )["Associations"]
        for association in associations:
            self._disassociate(ctx, record, association["TransitGatewayAttachmentId"], record.id)
        propagations = call(
            client.get_transit_gateway_route_table_propagations,
            TransitGatewayRouteTableId=record.id,
            **place,
        )["TransitGatewayRouteTablePropagations"]
        for propagation in propagations:
            self._propagate(
                ctx, record, record.id, propagation["TransitGatewayAttachmentId"], on=False
            )
        call(
            client.delete_transit_gateway_route_table, TransitGatewayRouteTableId=record.id, **place
        )
