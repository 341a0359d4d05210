"""A transit gateway shared through RAM is attached from another account, as in AWS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws


@dataclass
class Network:
    """An infrastructure account with a transit gateway and a workload account with a VPC."""

    aws: Aws
    infra: str
    workload: str
    vpc: str
    subnet: str

    def ec2(self, account: str) -> Any:
        return self.aws.client("ec2", account=account)

    def gateway(self, **options: str) -> str:
        """A gateway of infra (default association and propagation off unless given)."""
        settings = {
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
        }
        created = self.ec2(self.infra).create_transit_gateway(
            Description="core", Options={**settings, **options}
        )["TransitGateway"]
        return str(created["TransitGatewayId"])

    def share(self, gateway_id: str) -> None:
        arn = self.ec2(self.infra).describe_transit_gateways(TransitGatewayIds=[gateway_id])[
            "TransitGateways"
        ][0]["TransitGatewayArn"]
        self.aws.client("ram", account=self.infra).create_resource_share(
            name="tgw", resourceArns=[arn], principals=[self.workload]
        )

    def attach(self, gateway_id: str) -> dict[str, Any]:
        return dict(
            self.ec2(self.workload).create_transit_gateway_vpc_attachment(
                TransitGatewayId=gateway_id, VpcId=self.vpc, SubnetIds=[self.subnet]
            )["TransitGatewayVpcAttachment"]
        )

    def attachment(self, account: str, attachment_id: str) -> dict[str, Any]:
        (found,) = self.ec2(account).describe_transit_gateway_attachments(
            TransitGatewayAttachmentIds=[attachment_id]
        )["TransitGatewayAttachments"]
        return dict(found)


@pytest.fixture
def net(aws: Aws) -> Network:
    aws.create_organization()
    aws.client("ram").enable_sharing_with_aws_organization()
    infra, workload = aws.create_account("infra"), aws.create_account("workload")
    ec2 = aws.client("ec2", account=workload)
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    return Network(aws, infra, workload, vpc, subnet)


def _routes(ec2: Any, table: str, kind: str) -> dict[str, str]:
    """Routes of a kind (static, propagated): CIDR -> attachment id."""
    routes = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table, Filters=[{"Name": "type", "Values": [kind]}]
    )["Routes"]
    return {
        r["DestinationCidrBlock"]: r["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"]
        for r in routes
    }


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_an_unshared_gateway_is_invisible_to_other_accounts(net: Network) -> None:
    gateway = net.gateway()
    assert net.ec2(net.workload).describe_transit_gateways()["TransitGateways"] == []
    assert (
        _code(
            net.ec2(net.workload).create_transit_gateway_vpc_attachment,
            TransitGatewayId=gateway,
            VpcId=net.vpc,
            SubnetIds=[net.subnet],
        )
        == "InvalidTransitGatewayID.NotFound"
    )


def test_a_shared_gateway_is_visible_with_its_owner(net: Network) -> None:
    gateway = net.gateway()
    net.share(gateway)
    (seen,) = net.ec2(net.workload).describe_transit_gateways()["TransitGateways"]
    assert (seen["TransitGatewayId"], seen["OwnerId"]) == (gateway, net.infra)
    filtered = net.ec2(net.workload).describe_transit_gateways(
        Filters=[{"Name": "owner-id", "Values": [net.infra]}]
    )["TransitGateways"]
    assert [g["TransitGatewayId"] for g in filtered] == [gateway]


def test_an_attachment_waits_for_the_owner_then_routes_in_the_owner_account(net: Network) -> None:
    gateway = net.gateway()
    net.share(gateway)
    attachment = net.attach(gateway)
    attachment_id = attachment["TransitGatewayAttachmentId"]
    assert (attachment["State"], attachment["VpcOwnerId"]) == ("pendingAcceptance", net.workload)
    seen_by_owner = net.attachment(net.infra, attachment_id)
    assert seen_by_owner["State"] == "pendingAcceptance"
    assert seen_by_owner["TransitGatewayOwnerId"] == net.infra
    assert seen_by_owner["ResourceOwnerId"] == net.workload

    owner = net.ec2(net.infra)
    table = owner.create_transit_gateway_route_table(TransitGatewayId=gateway)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    assert (
        _code(
            owner.associate_transit_gateway_route_table,
            TransitGatewayRouteTableId=table,
            TransitGatewayAttachmentId=attachment_id,
        )
        == "IncorrectState"
    )
    assert (
        _code(
            net.ec2(net.workload).accept_transit_gateway_vpc_attachment,
            TransitGatewayAttachmentId=attachment_id,
        )
        == "InvalidParameterValue"
    )

    accepted = owner.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachment_id)
    assert accepted["TransitGatewayVpcAttachment"]["State"] == "available"
    assert net.attachment(net.workload, attachment_id)["State"] == "available"
    assert "Association" not in net.attachment(net.infra, attachment_id)

    owner.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment_id
    )
    owner.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment_id
    )
    assert _routes(owner, table, "propagated") == {"10.1.0.0/16": attachment_id}
    owner.create_transit_gateway_route(
        DestinationCidrBlock="10.99.0.0/16",
        TransitGatewayRouteTableId=table,
        TransitGatewayAttachmentId=attachment_id,
    )
    associations = owner.get_transit_gateway_route_table_associations(
        TransitGatewayRouteTableId=table
    )["Associations"]
    assert [(a["TransitGatewayAttachmentId"], a["ResourceId"]) for a in associations] == [
        (attachment_id, net.vpc)
    ]
    propagations = owner.get_transit_gateway_route_table_propagations(
        TransitGatewayRouteTableId=table
    )["TransitGatewayRouteTablePropagations"]
    assert [p["TransitGatewayAttachmentId"] for p in propagations] == [attachment_id]
    assert _routes(owner, table, "static") == {"10.99.0.0/16": attachment_id}
    assert net.attachment(net.infra, attachment_id)["Association"] == {
        "TransitGatewayRouteTableId": table,
        "State": "associated",
    }
    assert (
        _code(
            owner.associate_transit_gateway_route_table,
            TransitGatewayRouteTableId=table,
            TransitGatewayAttachmentId=attachment_id,
        )
        == "Resource.AlreadyAssociated"
    )
    assert (
        _code(owner.accept_transit_gateway_vpc_attachment, TransitGatewayAttachmentId=attachment_id)
        == "IncorrectState"
    )


def test_auto_accept_and_default_routing(net: Network) -> None:
    gateway = net.gateway(
        AutoAcceptSharedAttachments="enable",
        DefaultRouteTableAssociation="enable",
        DefaultRouteTablePropagation="enable",
    )
    net.share(gateway)
    attachment_id = net.attach(gateway)["TransitGatewayAttachmentId"]
    default_table = net.ec2(net.infra).describe_transit_gateways(TransitGatewayIds=[gateway])[
        "TransitGateways"
    ][0]["Options"]["AssociationDefaultRouteTableId"]
    seen = net.attachment(net.infra, attachment_id)
    assert seen["State"] == "available"
    assert seen["Association"]["TransitGatewayRouteTableId"] == default_table
    propagations = net.ec2(net.infra).get_transit_gateway_route_table_propagations(
        TransitGatewayRouteTableId=default_table
    )["TransitGatewayRouteTablePropagations"]
    assert [p["TransitGatewayAttachmentId"] for p in propagations] == [attachment_id]
    assert _routes(net.ec2(net.infra), default_table, "propagated") == {
        "10.1.0.0/16": attachment_id
    }
    net.ec2(net.infra).disable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=default_table, TransitGatewayAttachmentId=attachment_id
    )
    assert _routes(net.ec2(net.infra), default_table, "propagated") == {}


def test_the_owner_can_reject_an_attachment(net: Network) -> None:
    gateway = net.gateway()
    net.share(gateway)
    attachment_id = net.attach(gateway)["TransitGatewayAttachmentId"]
    rejected = net.ec2(net.infra).reject_transit_gateway_vpc_attachment(
        TransitGatewayAttachmentId=attachment_id
    )
    assert rejected["TransitGatewayVpcAttachment"]["State"] == "rejected"
    assert net.attachment(net.workload, attachment_id)["State"] == "rejected"


def test_the_vpc_must_belong_to_the_caller(net: Network) -> None:
    gateway = net.gateway()
    net.share(gateway)
    infra_vpc = net.ec2(net.infra).create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    assert (
        _code(
            net.ec2(net.workload).create_transit_gateway_vpc_attachment,
            TransitGatewayId=gateway,
            VpcId=infra_vpc,
            SubnetIds=[],
        )
        == "InvalidVpcID.NotFound"
    )


def test_deleting_from_the_vpc_account_cleans_up_the_owner_side(net: Network) -> None:
    gateway = net.gateway(AutoAcceptSharedAttachments="enable")
    net.share(gateway)
    attachment_id = net.attach(gateway)["TransitGatewayAttachmentId"]
    owner = net.ec2(net.infra)
    table = owner.create_transit_gateway_route_table(TransitGatewayId=gateway)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    owner.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment_id
    )
    owner.enable_transit_gateway_route_table_propagation(
        TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment_id
    )
    net.ec2(net.workload).delete_transit_gateway_vpc_attachment(
        TransitGatewayAttachmentId=attachment_id
    )
    assert owner.describe_transit_gateway_vpc_attachments()["TransitGatewayVpcAttachments"] == []
    assert (
        owner.get_transit_gateway_route_table_associations(TransitGatewayRouteTableId=table)[
            "Associations"
        ]
        == []
    )
    assert _routes(owner, table, "propagated") == {}
    assert (
        _code(owner.delete_transit_gateway_vpc_attachment, TransitGatewayAttachmentId=attachment_id)
        == "InvalidTransitGatewayAttachmentID.NotFound"
    )


def test_same_account_attachments_follow_the_default_routing_options(net: Network) -> None:
    owner = net.ec2(net.infra)
    vpc = owner.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    gateway = net.gateway()
    attachment = owner.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[]
    )["TransitGatewayVpcAttachment"]
    attachment_id = attachment["TransitGatewayAttachmentId"]
    assert attachment["State"] == "available"
    assert "Association" not in net.attachment(net.infra, attachment_id)
    table = owner.create_transit_gateway_route_table(TransitGatewayId=gateway)[
        "TransitGatewayRouteTable"
    ]["TransitGatewayRouteTableId"]
    owner.associate_transit_gateway_route_table(
        TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment_id
    )
    owner.disassociate_transit_gateway_route_table(
        TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment_id
    )
    assert "Association" not in net.attachment(net.infra, attachment_id)
