"""VPC peering connections across accounts (and regions).

The requester's account creates the connection; lz then accepts it from the
accepter's account, which it reaches like every member account (through the
organization's access role), and tags it there too, since tags on a peering
connection are per account. The routes on both sides are `route` nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import is_managed, register, tag_list
from landingzone.resources.ec2_kind import Ec2Kind, ec2, wait_for, where
from landingzone.resources.ec2_view import Ec2View, Item, known_id, named, tags_of
from landingzone.resources.network_addresses import parse

ACTIVE = "active"
PENDING = "pending-acceptance"


@register
class VpcPeeringKind(Ec2Kind):
    """A peering connection from `vpc` (this account) to `peer_vpc` (the accepter's)."""

    name = "vpc_peering"
    resource_type = "vpc-peering-connection"
    immutable_attrs = frozenset({"vpc", "peer_vpc", "peer_account_id", "peer_region"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        requester, accepter = item["RequesterVpcInfo"], item["AccepterVpcInfo"]
        attrs = {
            "vpc": here.address_of("vpc", requester["VpcId"]) or requester["VpcId"],
            "peer_vpc": named(ctx, desired.get("peer_vpc"), accepter["VpcId"]),
            "peer_account_id": accepter["OwnerId"],
            "peer_region": accepter.get("Region", here.region),
            "status": item["Status"]["Code"],
            "tags": tags,
        }
        return Found(
            id=item["VpcPeeringConnectionId"],
            attrs=attrs,
            refs=frozenset({requester["VpcId"], accepter["VpcId"]}),
            managed=is_managed(tags),
        )

    def _accept(self, ctx: Context, node: Node, desired: Mapping[str, Any], pcx: str) -> None:
        """Accept from the accepter's account once AWS has the request there, and tag it."""
        accepter = parse(desired["peer_vpc"])
        client = ctx.client("ec2", accepter.account, desired["peer_region"])
        place = {
            "account": accepter.account,
            "region": desired["peer_region"],
            "resource": node.address,
        }
        seen: list[str] = []

        def arrived() -> bool:
            found = call(
                client.describe_vpc_peering_connections, VpcPeeringConnectionIds=[pcx], **place
            )["VpcPeeringConnections"]
            seen.append(str(found[0]["Status"]["Code"]) if found else "initiating-request")
            return seen[-1] != "initiating-request"

        wait_for(ctx, f"peering {pcx} to reach {accepter.account}", arrived, resource=node.address)
        if seen[-1] == PENDING:
            call(client.accept_vpc_peering_connection, VpcPeeringConnectionId=pcx, **place)
        call(client.create_tags, Resources=[pcx], Tags=tag_list(desired["tags"]), **place)

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        pcx = call(
            ec2(ctx, node).create_vpc_peering_connection,
            VpcId=known_id(ctx, desired["vpc"], node.address),
            PeerVpcId=known_id(ctx, desired["peer_vpc"], node.address),
            PeerOwnerId=desired["peer_account_id"],
            PeerRegion=desired["peer_region"],
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
        self._accept(ctx, node, desired, pcx)
        return Found(id=pcx, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        if any(c.attr == "status" for c in changes):
            self._accept(ctx, node, desired, found.id)
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(
            ec2(ctx, record).delete_vpc_peering_connection,
            VpcPeeringConnectionId=record.id,
            **where(record),
        )
