"""VPC endpoints: gateway endpoints in the route tables of a network's tiers, interface
endpoints in one subnet per zone.

Switching a network's endpoints off removes their nodes from the graph, so
lz deletes the endpoints it created; switching them on creates them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import is_managed, register
from landingzone.resources.ec2_kind import Ec2Kind, ec2, where
from landingzone.resources.ec2_view import Ec2View, Item, known_id, tags_of

GATEWAY = "Gateway"
INTERFACE = "Interface"
# Attributes that are lists of resources, and the key ModifyVpcEndpoint adds and removes them by.
LISTS = {
    "route_tables": "RouteTableIds",
    "subnets": "SubnetIds",
    "security_groups": "SecurityGroupIds",
}


def _addresses(here: Ec2View, collection: str, ids: list[str] | None) -> list[str]:
    return sorted(here.address_of(collection, i) or i for i in ids or [])


@register
class VpcEndpointKind(Ec2Kind):
    """A gateway endpoint (`route_tables`) or an interface endpoint (`subnets`,
    `security_groups`, `private_dns`) of a VPC."""

    name = "vpc_endpoint"
    resource_type = "vpc-endpoint"
    immutable_attrs = frozenset({"vpc", "service", "type"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        kind = item["VpcEndpointType"]
        attrs: dict[str, Any] = {
            "vpc": here.address_of("vpc", item["VpcId"]) or item["VpcId"],
            "service": item["ServiceName"],
            "type": kind,
            "tags": tags,
        }
        if kind == GATEWAY:
            attrs["route_tables"] = _addresses(here, "route_table", item.get("RouteTableIds"))
        else:
            groups = [g["GroupId"] for g in item.get("Groups", [])]
            attrs["subnets"] = _addresses(here, "subnet", item.get("SubnetIds"))
            attrs["security_groups"] = _addresses(here, "security_group", groups)
            attrs["private_dns"] = bool(item.get("PrivateDnsEnabled"))
        refs = {
            item["VpcId"],
            *item.get("RouteTableIds", []),
            *item.get("SubnetIds", []),
            *(g["GroupId"] for g in item.get("Groups", [])),
        }
        return Found(
            id=item["VpcEndpointId"], attrs=attrs, refs=frozenset(refs), managed=is_managed(tags)
        )

    def _ids(self, ctx: Context, node: Node, addresses: list[str]) -> list[str]:
        return [known_id(ctx, a, node.address) for a in addresses]

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        params: dict[str, Any] = {
            "VpcId": known_id(ctx, desired["vpc"], node.address),
            "ServiceName": desired["service"],
            "VpcEndpointType": desired["type"],
            "TagSpecifications": self.tag_specifications(ctx, desired),
        }
        if desired["type"] == GATEWAY:
            params["RouteTableIds"] = self._ids(ctx, node, desired["route_tables"])
        else:
            params["SubnetIds"] = self._ids(ctx, node, desired["subnets"])
            params["SecurityGroupIds"] = self._ids(ctx, node, desired["security_groups"])
            params["PrivateDnsEnabled"] = desired["private_dns"]
        created = call(ec2(ctx, node).create_vpc_endpoint, **params, **where(node))
        return Found(id=created["VpcEndpoint"]["VpcEndpointId"], attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        params: dict[str, Any] = {}
        for change in changes:
            if change.attr in LISTS:
                key = LISTS[change.attr]
                before, after = set(change.before or []), set(change.after or [])
                if after - before:
                    params[f"Add{key}"] = self._ids(ctx, node, sorted(after - before))
                if before - after:  # addresses, or the IDs of resources lz does not know
                    gone = sorted(before - after)
                    params[f"Remove{key}"] = [ctx.id_of(a) or a for a in gone]
            elif change.attr == "private_dns":
                params["PrivateDnsEnabled"] = desired["private_dns"]
        if params:
            call(
                ec2(ctx, node).modify_vpc_endpoint, VpcEndpointId=found.id, **params, **where(node)
            )
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        answer = call(
            ec2(ctx, record).delete_vpc_endpoints,
            VpcEndpointIds=[record.id],
            **where(record),
        )
        failed = [u for u in answer.get("Unsuccessful", []) if u.get("ResourceId") == record.id]
        if failed:
            error = failed[0].get("Error", {})
            raise AwsError(
                error.get("Message", "not deleted"),
                aws_code=error.get("Code"),
                **where(record),
            )
