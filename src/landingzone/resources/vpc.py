"""VPCs and what they are made of: subnets, the internet gateway, the NAT gateway.

Desired attributes name other resources by address (`vpc`, `subnet`); reads
turn the IDs AWS reports back into addresses through lz's address tags, and
creates use the IDs the run knows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import is_managed, register
from landingzone.resources.ec2_kind import Ec2Kind, ec2, wait, where
from landingzone.resources.ec2_view import Ec2View, Item, known_id, tags_of
from landingzone.resources.network_addresses import ADDRESS_TAG


@register
class VpcKind(Ec2Kind):
    """A VPC, with DNS support and DNS host names on (private hosted zones need both)."""

    name = "vpc"
    resource_type = "vpc"
    immutable_attrs = frozenset({"cidr"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        attrs = {"cidr": item["CidrBlock"], "tags": tags}
        return Found(id=item["VpcId"], attrs=attrs, managed=is_managed(tags))

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ec2(ctx, node)
        vpc_id = call(
            client.create_vpc,
            CidrBlock=desired["cidr"],
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["Vpc"]["VpcId"]
        # One attribute per call, as the API requires.
        for attribute in ("EnableDnsSupport", "EnableDnsHostnames"):
            setting: dict[str, Any] = {attribute: {"Value": True}}
            call(client.modify_vpc_attribute, VpcId=vpc_id, **setting, **where(node))
        return Found(id=vpc_id, attrs=dict(desired), managed=True)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(ec2(ctx, record).delete_vpc, VpcId=record.id, **where(record))


@register
class SubnetKind(Ec2Kind):
    """A subnet of a tier in one availability zone."""

    name = "subnet"
    resource_type = "subnet"
    immutable_attrs = frozenset({"vpc", "cidr", "zone"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        attrs = {
            "vpc": here.address_of("vpc", item["VpcId"]) or item["VpcId"],
            "cidr": item["CidrBlock"],
            "zone": item["AvailabilityZone"],
            "tags": tags,
        }
        return Found(
            id=item["SubnetId"],
            attrs=attrs,
            refs=frozenset({item["VpcId"]}),
            managed=is_managed(tags),
        )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        subnet_id = call(
            ec2(ctx, node).create_subnet,
            VpcId=known_id(ctx, desired["vpc"], node.address),
            CidrBlock=desired["cidr"],
            AvailabilityZone=desired["zone"],
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["Subnet"]["SubnetId"]
        return Found(id=subnet_id, attrs=dict(desired), managed=True)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(ec2(ctx, record).delete_subnet, SubnetId=record.id, **where(record))


@register
class InternetGatewayKind(Ec2Kind):
    """The internet gateway of a network with public tiers, attached to its VPC."""

    name = "internet_gateway"
    resource_type = "internet-gateway"

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        vpcs = [a["VpcId"] for a in item.get("Attachments", [])]
        attrs = {
            "vpc": (here.address_of("vpc", vpcs[0]) or vpcs[0]) if vpcs else None,
            "tags": tags,
        }
        return Found(
            id=item["InternetGatewayId"],
            attrs=attrs,
            refs=frozenset(vpcs),
            managed=is_managed(tags),
        )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ec2(ctx, node)
        gateway_id = call(
            client.create_internet_gateway,
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["InternetGateway"]["InternetGatewayId"]
        vpc_id = known_id(ctx, desired["vpc"], node.address)
        call(
            client.attach_internet_gateway,
            InternetGatewayId=gateway_id,
            VpcId=vpc_id,
            **where(node),
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
        if any(c.attr == "vpc" for c in changes):  # detached (or moved) outside lz
            client = ec2(ctx, node)
            for vpc_id in found.refs:
                call(
                    client.detach_internet_gateway,
                    InternetGatewayId=found.id,
                    VpcId=vpc_id,
                    **where(node),
                )
            call(
                client.attach_internet_gateway,
                InternetGatewayId=found.id,
                VpcId=known_id(ctx, desired["vpc"], node.address),
                **where(node),
            )
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ec2(ctx, record)
        described = call(
            client.describe_internet_gateways,
            InternetGatewayIds=[record.id],
            **where(record),
        )["InternetGateways"]
        for attachment in described[0].get("Attachments", []) if described else []:
            call(
                client.detach_internet_gateway,
                InternetGatewayId=record.id,
                VpcId=attachment["VpcId"],
                **where(record),
            )
        call(client.delete_internet_gateway, InternetGatewayId=record.id, **where(record))


@register
class NatGatewayKind(Ec2Kind):
    """A public NAT gateway with an Elastic IP lz allocates (and releases) with it."""

    name = "nat_gateway"
    resource_type = "natgateway"
    immutable_attrs = frozenset({"subnet"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        attrs = {
            "subnet": here.address_of("subnet", item["SubnetId"]) or item["SubnetId"],
            "tags": tags,
        }
        return Found(
            id=item["NatGatewayId"],
            attrs=attrs,
            refs=frozenset({item["SubnetId"]}),
            managed=is_managed(tags),
        )

    def _address(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> str:
        """An Elastic IP for the gateway: one an interrupted run allocated, else a new one."""
        client = ec2(ctx, node)
        mine = call(
            client.describe_addresses,
            Filters=[{"Name": f"tag:{ADDRESS_TAG}", "Values": [node.address]}],
            **where(node),
        )["Addresses"]
        free = [a for a in mine if not a.get("AssociationId")]
        if free:
            return str(free[0]["AllocationId"])
        spec = self.tag_specifications(ctx, desired)
        spec[0]["ResourceType"] = "elastic-ip"
        return str(
            call(client.allocate_address, Domain="vpc", TagSpecifications=spec, **where(node))[
                "AllocationId"
            ]
        )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ec2(ctx, node)
        allocation = self._address(ctx, node, desired)
        gateway_id = call(
            client.create_nat_gateway,
            SubnetId=known_id(ctx, desired["subnet"], node.address),
            AllocationId=allocation,
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["NatGateway"]["NatGatewayId"]
        wait(client, "nat_gateway_available", where(node), NatGatewayIds=[gateway_id])
        return Found(id=gateway_id, attrs=dict(desired), managed=True)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ec2(ctx, record)
        found = call(client.describe_nat_gateways, NatGatewayIds=[record.id], **where(record))[
            "NatGateways"
        ]
        allocations = [
            a["AllocationId"]
            for gateway in found
            for a in gateway.get("NatGatewayAddresses", [])
            if a.get("AllocationId")
        ]
        call(client.delete_nat_gateway, NatGatewayId=record.id, **where(record))
        wait(client, "nat_gateway_deleted", where(record), NatGatewayIds=[record.id])
        for allocation in allocations:
            try:
                client.release_address(AllocationId=allocation)
            except ClientError as exc:
                if error_code(exc) != "InvalidAllocationID.NotFound":
                    raise aws_error(exc, **where(record)) from exc
