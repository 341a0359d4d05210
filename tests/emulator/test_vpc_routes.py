"""VPC route tables as in AWS: routes to a shared transit gateway, to NAT gateways that
exist, gateway endpoint routes that follow the endpoint's route tables, tagged attachments."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def _routes(ec2: Any, table: str) -> list[dict[str, Any]]:
    (found,) = ec2.describe_route_tables(RouteTableIds=[table])["RouteTables"]
    return list(found["Routes"])


@pytest.fixture
def member(aws: Aws) -> tuple[Aws, str, str]:
    """An organization with a network account (owning a transit gateway shared with the
    workload account) and a workload account; returns (aws, network, workload)."""
    aws.create_organization()
    aws.client("ram").enable_sharing_with_aws_organization()
    return aws, aws.create_account("network"), aws.create_account("workload")


def _shared_gateway(aws: Aws, owner: str, consumer: str) -> str:
    ec2 = aws.client("ec2", account=owner)
    gateway = ec2.create_transit_gateway(Description="core")["TransitGateway"]
    aws.client("ram", account=owner).create_resource_share(
        name="tgw", resourceArns=[gateway["TransitGatewayArn"]], principals=[consumer]
    )
    return str(gateway["TransitGatewayId"])


def _vpc_table(ec2: Any, cidr: str) -> tuple[str, str]:
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    return vpc, table


def test_a_route_to_a_shared_transit_gateway_keeps_its_target(member) -> None:
    aws, network, workload = member
    gateway = _shared_gateway(aws, network, workload)
    ec2 = aws.client("ec2", account=workload)
    _, table = _vpc_table(ec2, "10.1.0.0/16")
    ec2.create_route(
        RouteTableId=table, DestinationCidrBlock="10.0.0.0/16", TransitGatewayId=gateway
    )
    route = next(r for r in _routes(ec2, table) if r.get("DestinationCidrBlock") == "10.0.0.0/16")
    assert route["TransitGatewayId"] == gateway

    other = aws.client("ec2", account=network).create_transit_gateway()["TransitGateway"]
    assert (
        _code(
            ec2.replace_route,
            RouteTableId=table,
            DestinationCidrBlock="10.0.0.0/16",
            TransitGatewayId=other["TransitGatewayId"],
        )
        == "InvalidTransitGatewayID.NotFound"
    )
    ec2.replace_route(
        RouteTableId=table, DestinationCidrBlock="10.0.0.0/16", TransitGatewayId=gateway
    )
    route = next(r for r in _routes(ec2, table) if r.get("DestinationCidrBlock") == "10.0.0.0/16")
    assert route["TransitGatewayId"] == gateway


def test_routes_to_gateways_that_do_not_exist_are_refused(member) -> None:
    aws, network, _ = member
    ec2 = aws.client("ec2", account=network)
    _, table = _vpc_table(ec2, "10.0.0.0/16")
    assert (
        _code(
            ec2.create_route,
            RouteTableId=table,
            DestinationCidrBlock="0.0.0.0/0",
            TransitGatewayId="tgw-0123456789abcdef0",
        )
        == "InvalidTransitGatewayID.NotFound"
    )
    assert (
        _code(
            ec2.create_route,
            RouteTableId=table,
            DestinationCidrBlock="0.0.0.0/0",
            NatGatewayId="nat-0123456789abcdef0",
        )
        == "InvalidNatGatewayID.NotFound"
    )
    assert [r["GatewayId"] for r in _routes(ec2, table)] == ["local"]


def test_a_gateway_endpoint_route_follows_its_route_tables(member) -> None:
    aws, network, _ = member
    ec2 = aws.client("ec2", account=network)
    vpc, first = _vpc_table(ec2, "10.0.0.0/16")
    second = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    endpoint = ec2.create_vpc_endpoint(
        VpcId=vpc,
        ServiceName="com.amazonaws.us-east-1.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[first],
    )["VpcEndpoint"]["VpcEndpointId"]

    def endpoint_routes(table: str) -> list[str]:
        return [r["GatewayId"] for r in _routes(ec2, table) if r.get("DestinationPrefixListId")]

    assert (endpoint_routes(first), endpoint_routes(second)) == ([endpoint], [])
    ec2.modify_vpc_endpoint(
        VpcEndpointId=endpoint, AddRouteTableIds=[second], RemoveRouteTableIds=[first]
    )
    assert (endpoint_routes(first), endpoint_routes(second)) == ([], [endpoint])
    (described,) = ec2.describe_vpc_endpoints(VpcEndpointIds=[endpoint])["VpcEndpoints"]
    assert described["RouteTableIds"] == [second]


def test_an_attachment_keeps_its_tags(member) -> None:
    aws, network, workload = member
    gateway = _shared_gateway(aws, network, workload)
    ec2 = aws.client("ec2", account=workload)
    vpc, _ = _vpc_table(ec2, "10.1.0.0/16")
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    attachment = ec2.create_transit_gateway_vpc_attachment(
        TransitGatewayId=gateway,
        VpcId=vpc,
        SubnetIds=[subnet],
        TagSpecifications=[
            {"ResourceType": "transit-gateway-attachment", "Tags": [{"Key": "Name", "Value": "a"}]}
        ],
    )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
    (found,) = ec2.describe_transit_gateway_vpc_attachments(
        TransitGatewayAttachmentIds=[attachment]
    )["TransitGatewayVpcAttachments"]
    assert found["Tags"] == [{"Key": "Name", "Value": "a"}]
