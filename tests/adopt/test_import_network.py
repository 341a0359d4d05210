"""`lz import --include network` of networks built by hand with plain boto3: two VPCs
in two accounts, laid out as lz lays out a network (public and private tiers in two
zones, an internet gateway), peered, with a private zone associated with both; plus
what lz's model cannot say (a VPC whose subnets use its main route table, a default
VPC, a route lz does not derive). The first plan shows no changes, apply makes no
write call, an edit plans exactly that change, and the report names the rest with the
reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from landingzone.emulator import Emulator
from tests.adopt.test_import_handmade import writes
from tests.aws import Aws

pytestmark = pytest.mark.e2e

REGION = "us-east-1"


def _vpc(ec2, cidr: str, name: str, tiers: dict[str, list[str]]) -> dict[str, object]:
    """A VPC cut as lz cuts one (4 x 4 slots), one route table per tier; returns IDs."""
    vpc = ec2.create_vpc(
        CidrBlock=cidr,
        TagSpecifications=[
            {
                "ResourceType": "vpc",
                "Tags": [{"Key": "Name", "Value": name}, {"Key": "Team", "Value": "net"}],
            }
        ],
    )["Vpc"]["VpcId"]
    made: dict[str, object] = {"vpc": vpc, "tables": {}, "subnets": {}}
    for tier, cidrs in tiers.items():
        table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        made["tables"][tier] = table  # type: ignore[index]
        for letter, subnet_cidr in zip("ab", cidrs, strict=False):
            subnet = ec2.create_subnet(
                VpcId=vpc, CidrBlock=subnet_cidr, AvailabilityZone=f"{REGION}{letter}"
            )["Subnet"]["SubnetId"]
            ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
            made["subnets"][subnet_cidr] = subnet  # type: ignore[index]
    return made


def build(aws: Aws) -> dict[str, object]:
    """Two accounts' networks, peered; a VPC lz cannot write; returns IDs."""
    aws.create_organization()
    apps, data = aws.create_account("apps"), aws.create_account("data")
    ec2_apps, ec2_data = aws.client("ec2", apps), aws.client("ec2", data)
    # apps: 10.1.0.0/16, public (slot 0) and private (slot 1) in zones a and b
    web = _vpc(
        ec2_apps,
        "10.1.0.0/16",
        "web",
        {"public": ["10.1.0.0/20", "10.1.16.0/20"], "private": ["10.1.64.0/20", "10.1.80.0/20"]},
    )
    gateway = ec2_apps.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2_apps.attach_internet_gateway(InternetGatewayId=gateway, VpcId=web["vpc"])
    ec2_apps.create_route(
        RouteTableId=web["tables"]["public"], DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway
    )
    # data: 10.2.0.0/16, one tier (slot 0) in zones a and b
    db = _vpc(ec2_data, "10.2.0.0/16", "db", {"database": ["10.2.0.0/20", "10.2.16.0/20"]})
    pcx = ec2_apps.create_vpc_peering_connection(
        VpcId=web["vpc"], PeerVpcId=db["vpc"], PeerOwnerId=data, PeerRegion=REGION
    )["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2_data.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    for destination in ("10.2.0.0/20", "10.2.16.0/20"):
        ec2_apps.create_route(
            RouteTableId=web["tables"]["private"],
            DestinationCidrBlock=destination,
            VpcPeeringConnectionId=pcx,
        )
    for destination in ("10.1.64.0/20", "10.1.80.0/20"):
        ec2_data.create_route(
            RouteTableId=db["tables"]["database"],
            DestinationCidrBlock=destination,
            VpcPeeringConnectionId=pcx,
        )
    # A route lz does not derive: the whole peer VPC from the public tier.
    ec2_apps.create_route(
        RouteTableId=web["tables"]["public"],
        DestinationCidrBlock="10.2.0.0/16",
        VpcPeeringConnectionId=pcx,
    )
    # db's endpoints: S3 in its tier's route table (as lz makes it), and an interface
    # endpoint with a security group of its own (not lz's: reported).
    ec2_data.create_vpc_endpoint(
        VpcId=db["vpc"],
        ServiceName=f"com.amazonaws.{REGION}.s3",
        VpcEndpointType="Gateway",
        RouteTableIds=[db["tables"]["database"]],
    )
    group = ec2_data.create_security_group(
        GroupName="endpoints", Description="by hand", VpcId=db["vpc"]
    )["GroupId"]
    logs = ec2_data.create_vpc_endpoint(
        VpcId=db["vpc"],
        ServiceName=f"com.amazonaws.{REGION}.logs",
        VpcEndpointType="Interface",
        SubnetIds=list(db["subnets"].values()),
        SecurityGroupIds=[group],
        PrivateDnsEnabled=True,
    )["VpcEndpoint"]["VpcEndpointId"]
    # A private zone of data's, associated with its VPC and (authorized) with apps' VPC.
    zone = aws.client("route53", data).create_hosted_zone(
        Name="internal.example",
        CallerReference="by-hand",
        HostedZoneConfig={"Comment": "by hand", "PrivateZone": True},
        VPC={"VPCRegion": REGION, "VPCId": db["vpc"]},
    )["HostedZone"]["Id"]
    web_vpc = {"VPCRegion": REGION, "VPCId": web["vpc"]}
    aws.client("route53", data).create_vpc_association_authorization(HostedZoneId=zone, VPC=web_vpc)
    aws.client("route53", apps).associate_vpc_with_hosted_zone(HostedZoneId=zone, VPC=web_vpc)
    # A VPC whose subnet uses the main route table: lz gives each tier its own.
    odd = ec2_data.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    ec2_data.create_subnet(VpcId=odd, CidrBlock="10.3.0.0/20", AvailabilityZone=f"{REGION}a")
    # A VPC a stack set made: another tool's.
    ec2_data.create_vpc(
        CidrBlock="10.5.0.0/16",
        TagSpecifications=[
            {
                "ResourceType": "vpc",
                "Tags": [{"Key": "aws:cloudformation:stack-name", "Value": "StackSet-net-1234"}],
            }
        ],
    )
    # A transit gateway AWS's defaults left as they are: lz keeps its own options.
    ec2_data.create_transit_gateway(Description="defaults")
    made = {"apps": apps, "data": data, "pcx": pcx, "odd": odd, "web": web, "db": db}
    made["logs"] = logs
    return {**made, "gateway": _transit_gateway(aws, apps, web)}


def _transit_gateway(aws: Aws, apps: str, web: dict[str, object]) -> str:
    """A gateway of tools', shared with apps through RAM, joining tools' and web's VPCs
    through one route table; web's isolated tier (only) routes to tools."""
    tools = aws.create_account("tools")
    ec2_tools, ec2_apps = aws.client("ec2", tools), aws.client("ec2", apps)
    hub = _vpc(ec2_tools, "10.4.0.0/16", "hub", {"isolated": ["10.4.0.0/20", "10.4.16.0/20"]})
    off = {
        "AutoAcceptSharedAttachments": "disable",
        "DefaultRouteTableAssociation": "disable",
        "DefaultRouteTablePropagation": "disable",
        "DnsSupport": "enable",
    }
    gateway = ec2_tools.create_transit_gateway(Description="by hand", Options=off)["TransitGateway"]
    gid, arn = gateway["TransitGatewayId"], gateway["TransitGatewayArn"]
    aws.client("ram").enable_sharing_with_aws_organization()
    aws.client("ram", tools).create_resource_share(
        name="core", resourceArns=[arn], principals=[apps], allowExternalPrincipals=False
    )
    table = ec2_tools.create_transit_gateway_route_table(
        TransitGatewayId=gid,
        TagSpecifications=[
            {
                "ResourceType": "transit-gateway-route-table",
                "Tags": [{"Key": "Name", "Value": "hub"}],
            }
        ],
    )["TransitGatewayRouteTable"]["TransitGatewayRouteTableId"]
    attachments = []
    for ec2, vpc, cidrs in (
        (ec2_tools, hub, ["10.4.0.0/20", "10.4.16.0/20"]),
        (ec2_apps, web, ["10.1.64.0/20", "10.1.80.0/20"]),
    ):
        subnets = [vpc["subnets"][c] for c in cidrs]  # type: ignore[index]
        attachment = ec2.create_transit_gateway_vpc_attachment(
            TransitGatewayId=gid, VpcId=vpc["vpc"], SubnetIds=subnets
        )["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        attachments.append(attachment)
    ec2_tools.accept_transit_gateway_vpc_attachment(TransitGatewayAttachmentId=attachments[1])
    for attachment in attachments:
        ec2_tools.associate_transit_gateway_route_table(
            TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment
        )
        ec2_tools.enable_transit_gateway_route_table_propagation(
            TransitGatewayRouteTableId=table, TransitGatewayAttachmentId=attachment
        )
    ec2_apps.create_route(
        RouteTableId=web["tables"]["private"],  # type: ignore[index]
        DestinationCidrBlock="10.4.0.0/16",
        TransitGatewayId=gid,
    )
    ec2_tools.create_route(
        RouteTableId=hub["tables"]["isolated"],  # type: ignore[index]
        DestinationCidrBlock="10.1.0.0/16",
        TransitGatewayId=gid,
    )
    return str(gid)


@pytest.fixture
def imported(lz, emulator: Emulator, tmp_path: Path) -> tuple[Path, dict[str, object]]:
    made = build(Aws(emulator))
    out = tmp_path / "imported"
    result = lz("import", out, "--name", "nets", "--region", REGION, "--include", "network")
    assert result.code == 0, result.err
    return out, made


def test_hand_made_networks_import_with_no_changes_and_apply_writes_nothing(
    lz, imported: tuple[Path, dict[str, object]], emulator: Emulator
):
    out, made = imported
    written = YAML(typ="safe").load((out / "catalog/network.yaml").read_text())
    assert written == {
        "networks": {
            "web": {
                "account": "apps",
                "cidr": "10.1.0.0/16",
                "tiers": {"public": {"public": True}, "isolated": {}},
            },
            "db": {
                "account": "data",
                "cidr": "10.2.0.0/16",
                "tiers": {"isolated": {}},
                "endpoints": {"gateway": ["s3"]},
            },
            "hub": {"account": "tools", "cidr": "10.4.0.0/16", "tiers": {"isolated": {}}},
        },
        "peerings": {
            "web-db": {
                "requester": {"network": "web", "tiers": ["isolated"]},
                "accepter": {"network": "db", "tiers": ["isolated"]},
            }
        },
        "transit_gateways": {
            "core": {
                "account": "tools",
                "description": "by hand",
                "share": {"accounts": ["apps"]},
                "attachments": {"hub": {}, "web": {"route_tiers": ["isolated"]}},
                "route_tables": {"hub": ["hub", "web"]},
                "reach": {"hub": ["web"]},
            }
        },
        "dns": {
            "internal.example": {
                "account": "data",
                "networks": ["db", "web"],
                "comment": "by hand",
            }
        },
    }
    assert lz("validate", out).code == 0
    planned = lz("plan", out, "--detailed-exitcode")
    assert planned.code == 0, planned.err

    emulator.clear_request_counts()
    applied = lz("apply", out, "--auto-approve")
    assert applied.code == 0, applied.err
    assert writes(emulator) == []

    # What exists, seen through the adopted IDs: web's isolated tier reaches db by the peering.
    reached = lz("reach", "web/isolated", "db", out, "--live")
    assert reached.code == 0, reached.err
    assert "reachable via peering web-db; back via peering web-db" in reached.err

    report = (out / "import-report.md").read_text()
    odd = report.split("## Not expressible in the spec")[1].split("##")[0]
    assert f"VPC {made['odd']} (10.3.0.0/16) in account data" in odd
    assert "the subnets 10.3.0.0/20 use the VPC's main route table" in odd
    assert f"route 10.2.0.0/16 -> {made['pcx']} in network web, tier public" in odd
    assert "lz does not derive it from the spec; left as it is" in odd
    assert "(172.31.0.0/16) in account apps" in odd and "a default VPC" in odd
    assert "tags Team=net of VPC" in odd
    assert f"VPC endpoint {made['logs']} (logs) of network db" in odd
    assert "with its own security group db-endpoints" in odd
    assert "its DefaultRouteTableAssociation is enable; lz keeps it disable" in odd
    owned = report.split("## Owned by another tool")[1].split("##")[0]
    assert "(10.5.0.0/16) in account data" in owned and "stack set" in owned

    again = lz("import", out, "--name", "nets", "--region", REGION, "--include", "network")
    assert again.code == 0, again.err
    assert "unchanged (no file touched)" in again.err


def test_an_edit_of_the_written_network_plans_exactly_that_change(
    lz, imported: tuple[Path, dict[str, object]], tmp_path: Path
):
    out, _ = imported
    copy = tmp_path / "edited"
    shutil.copytree(out, copy)
    network = copy / "catalog/network.yaml"
    text = network.read_text()
    assert "      isolated: {}\npeerings:" in text
    network.write_text(
        text.replace(
            "      isolated: {}\npeerings:", "      isolated: {}\n      app: {}\npeerings:"
        ).replace("comment: by hand", "comment: by lz")
    )
    planned = lz("plan", copy, "--json")
    assert planned.code == 0, planned.err
    operations = planned.json()["operations"]
    assert sorted((op["action"], op["address"]) for op in operations) == [
        ("create", "route_table:apps/us-east-1/web/app"),
        ("create", "subnet:apps/us-east-1/web/app/a"),
        ("create", "subnet:apps/us-east-1/web/app/b"),
        ("update", "hosted_zone:data/internal.example"),
    ]


def test_state_lost_then_import_again_records_the_networks_again(
    lz, imported: tuple[Path, dict[str, object]], emulator: Emulator
):
    out, _ = imported
    s3 = Aws(emulator).client("s3")
    state = {"Bucket": "nets-landingzone-state", "Key": "landingzone/state.json"}
    s3.head_object(**state)  # there, until lost
    s3.delete_object(**state)
    lost = lz("plan", out, "--json")
    assert ("create", "vpc:apps/us-east-1/web") in {
        (op["action"], op["address"]) for op in lost.json()["operations"]
    }
    again = lz("import", out, "--name", "nets", "--region", REGION, "--include", "network")
    assert again.code == 0, again.err
    planned = lz("plan", out, "--detailed-exitcode")
    assert planned.code == 0, planned.err
