"""An attachment propagates its routes to several transit gateway route tables, as in AWS."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws


def _propagated(ec2: Any, table: str) -> dict[str, str]:
    routes = ec2.search_transit_gateway_routes(
        TransitGatewayRouteTableId=table, Filters=[{"Name": "type", "Values": ["propagated"]}]
    )["Routes"]
    return {
        r["DestinationCidrBlock"]: r["TransitGatewayAttachments"][0]["TransitGatewayAttachmentId"]
        for r in routes
    }


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_one_attachment_propagates_to_two_route_tables(aws: Aws) -> None:
    aws.create_organization()
    ec2 = aws.client("ec2", account=aws.create_account("network"))
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    gateway = ec2.create_transit_gateway(
        Options={
            "DefaultRouteTableAssociation": "disable",
            "DefaultRouteTablePropagation": "disable",
        }
    )["TransitGateway"]["TransitGatewayId"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway, VpcId=vpc, SubnetIds=[]
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    first, second = (
        ec2.create_transit_gateway_route_table(TransitGatewayId=gateway)[
            "TransitGatewayRouteTable"
        ]["TransitGatewayRouteTableId"]
        for _ in range(2)
    )
    both = {"TransitGatewayAttachmentId": attachment}
    for table in (first, second):
        ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=table, **both)
    assert _propagated(ec2, first) == _propagated(ec2, second) == {"10.7.0.0/16": attachment}
    assert (
        _code(
            ec2.enable_transit_gateway_route_table_propagation,
            TransitGatewayRouteTableId=first,
            **both,
        )
        == "TransitGatewayRouteTablePropagation.Duplicate"
    )

    ec2.disable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=first, **both)
    assert _propagated(ec2, first) == {}
    assert _propagated(ec2, second) == {"10.7.0.0/16": attachment}
    propagations = ec2.get_transit_gateway_route_table_propagations(
        TransitGatewayRouteTableId=second
    )["TransitGatewayRouteTablePropagations"]
    assert [p["TransitGatewayAttachmentId"] for p in propagations] == [attachment]
    assert (
        _code(
            ec2.disable_transit_gateway_route_table_propagation,
            TransitGatewayRouteTableId=first,
            **both,
        )
        == "TransitGatewayRouteTablePropagation.NotFound"
    )
    ec2.disable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=second, **both)
    assert _propagated(ec2, second) == {}
