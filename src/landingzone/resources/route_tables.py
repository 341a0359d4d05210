"""Route tables (one per tier, associated with the tier's subnets) and their routes.

A route is a resource of its own, addressed by its table and destination: it
can be created, retargeted and deleted alone, lz deletes only the routes it
created, and a route deleted outside lz shows in the plan and is recreated.
Routes lz does not declare (the local route, gateway endpoint routes,
anyone's hand-made ones) are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, is_managed, register
from landingzone.resources.ec2_kind import Ec2Kind, ec2, where
from landingzone.resources.ec2_view import Ec2View, Item, known_id, named, tags_of, view
from landingzone.resources.network_addresses import parse

# The parameter of CreateRoute / ReplaceRoute for each kind of target lz routes to.
TARGET_PARAMETERS = {
    "internet_gateway": "GatewayId",
    "nat_gateway": "NatGatewayId",
    "vpc_peering": "VpcPeeringConnectionId",
    "transit_gateway": "TransitGatewayId",
}
# Where a described route says where it goes (the first key present).
ROUTE_TARGET_KEYS = (
    "GatewayId",
    "NatGatewayId",
    "VpcPeeringConnectionId",
    "TransitGatewayId",
    "NetworkInterfaceId",
    "InstanceId",
    "EgressOnlyInternetGatewayId",
    "CarrierGatewayId",
    "LocalGatewayId",
    "CoreNetworkArn",
)


def route_target(route: Mapping[str, Any]) -> str | None:
    """The ID a described route sends traffic to."""
    return next((str(route[k]) for k in ROUTE_TARGET_KEYS if route.get(k)), None)


def _explicit_subnets(table: Item) -> dict[str, str]:
    """Subnet ID -> association ID, for the subnets explicitly associated with a table."""
    return {
        a["SubnetId"]: a["RouteTableAssociationId"]
        for a in table.get("Associations", [])
        if a.get("SubnetId") and a.get("AssociationState", {}).get("State") != "disassociated"
    }


@register
class RouteTableKind(Ec2Kind):
    """A tier's route table, explicitly associated with the tier's subnets."""

    name = "route_table"
    resource_type = "route-table"
    immutable_attrs = frozenset({"vpc"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        subnets = _explicit_subnets(item)
        attrs = {
            "vpc": here.address_of("vpc", item["VpcId"]) or item["VpcId"],
            "subnets": sorted(here.address_of("subnet", s) or s for s in subnets),
            "tags": tags,
        }
        return Found(
            id=item["RouteTableId"],
            attrs=attrs,
            refs=frozenset({item["VpcId"], *subnets}),
            managed=is_managed(tags),
        )

    def _associate(self, ctx: Context, node: Node, table_id: str, subnet: str) -> None:
        """Associate a subnet; one associated with another table is moved here."""
        client = ec2(ctx, node)
        subnet_id = known_id(ctx, subnet, node.address)
        try:
            client.associate_route_table(RouteTableId=table_id, SubnetId=subnet_id)
        except ClientError as exc:
            if error_code(exc) != "Resource.AlreadyAssociated":
                raise aws_error(exc, **where(node)) from exc
            current = call(
                client.describe_route_tables,
                Filters=[{"Name": "association.subnet-id", "Values": [subnet_id]}],
                **where(node),
            )["RouteTables"]
            for table in current:
                association = _explicit_subnets(table).get(subnet_id)
                if association and table["RouteTableId"] != table_id:
                    call(
                        client.replace_route_table_association,
                        AssociationId=association,
                        RouteTableId=table_id,
                        **where(node),
                    )

    def _associations(
        self, ctx: Context, node: Node | ResourceRecord, table_id: str
    ) -> dict[str, str]:
        place = where(node)
        tables = call(ec2(ctx, node).describe_route_tables, RouteTableIds=[table_id], **place)
        return _explicit_subnets(tables["RouteTables"][0])

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        table_id = call(
            ec2(ctx, node).create_route_table,
            VpcId=known_id(ctx, desired["vpc"], node.address),
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["RouteTable"]["RouteTableId"]
        for subnet in desired["subnets"]:
            self._associate(ctx, node, table_id, subnet)
        return Found(id=table_id, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        if any(c.attr == "subnets" for c in changes):
            wanted = {known_id(ctx, s, node.address) for s in desired["subnets"]}
            current = self._associations(ctx, node, found.id)
            for subnet_id, association in current.items():
                if subnet_id not in wanted:
                    call(
                        ec2(ctx, node).disassociate_route_table,
                        AssociationId=association,
                        **where(node),
                    )
            for subnet in desired["subnets"]:
                if known_id(ctx, subnet, node.address) not in current:
                    self._associate(ctx, node, found.id, subnet)
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ec2(ctx, record)
        for association in self._associations(ctx, record, record.id).values():
            call(client.disassociate_route_table, AssociationId=association, **where(record))
        call(client.delete_route_table, RouteTableId=record.id, **where(record))


def _route_id(table_id: str, destination: str) -> str:
    return f"{table_id}|{destination}"


@register
class RouteKind(Kind):
    """One route: a destination CIDR in a route table, to a gateway, peering or transit
    gateway lz manages (`target`: its address)."""

    name = "route"
    service = "ec2"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        assert group.region is not None
        here = view(ctx, group.account, group.region)
        result: dict[str, Found] = {}
        for node in group.nodes:
            record = group.record_for(node.address)
            table_id = record.id.split("|")[0] if record else None
            table = here.find("route_table", node.desired["route_table"], table_id)
            found = self._found(ctx, table, node.desired) if table else None
            if found is not None:
                result[node.address] = found
        for orphan in group.orphans:
            table_id, _, destination = orphan.id.partition("|")
            table = here.by_id("route_table", table_id)
            found = self._found(ctx, table, {"destination": destination}) if table else None
            if found is not None:
                result[orphan.address] = found
        return result

    def _found(self, ctx: Context, table: Item, desired: Mapping[str, Any]) -> Found | None:
        destination = desired["destination"]
        route = next(
            (r for r in table.get("Routes", []) if r.get("DestinationCidrBlock") == destination),
            None,
        )
        if route is None:
            return None
        target_id = route_target(route)
        target = named(ctx, desired.get("target"), target_id)
        if route.get("State") == "blackhole":
            target = f"{target_id} (blackhole)"
        attrs = {
            "route_table": desired.get("route_table"),
            "destination": destination,
            "target": target,
        }
        return Found(
            id=_route_id(table["RouteTableId"], destination),
            attrs=attrs,
            refs=frozenset({table["RouteTableId"], *([target_id] if target_id else [])}),
        )

    def _target(self, ctx: Context, node: Node, target: str) -> dict[str, str]:
        kind = parse(target).kind
        return {TARGET_PARAMETERS[kind]: known_id(ctx, target, node.address)}

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ec2(ctx, node)
        table_id = known_id(ctx, desired["route_table"], node.address)
        params = {
            "RouteTableId": table_id,
            "DestinationCidrBlock": desired["destination"],
            **self._target(ctx, node, desired["target"]),
        }
        try:
            client.create_route(**params)
        except ClientError as exc:
            if error_code(exc) != "RouteAlreadyExists":  # created meanwhile: point it right
                raise aws_error(exc, **where(node)) from exc
            call(client.replace_route, **params, **where(node))
        return Found(id=_route_id(table_id, desired["destination"]), attrs=dict(desired))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        table_id = found.id.split("|")[0]
        call(
            ec2(ctx, node).replace_route,
            RouteTableId=table_id,
            DestinationCidrBlock=desired["destination"],
            **self._target(ctx, node, desired["target"]),
            **where(node),
        )
        return Found(id=found.id, attrs=dict(desired), refs=found.refs)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        table_id, _, destination = record.id.partition("|")
        try:
            ec2(ctx, record).delete_route(RouteTableId=table_id, DestinationCidrBlock=destination)
        except ClientError as exc:
            if error_code(exc) not in ("InvalidRoute.NotFound", "InvalidRouteTableID.NotFound"):
                raise aws_error(exc, **where(record)) from exc
