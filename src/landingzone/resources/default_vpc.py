"""Removal of the default VPC of an account and region (opt-in: `remove_default_vpcs`).

This is the one baseline setting that deletes what lz did not create, so it
is built to be safe and visible:

- the desired state is "no default VPC"; the plan shows the VPC that apply
  would delete (with its subnets, internet gateways and network interfaces)
  and warns that lz did not create it;
- apply refuses, naming them, when network interfaces are in the VPC
  (instances, load balancers, endpoints, ...): only an empty default VPC is
  deleted, with its internet gateways and default subnets;
- dropping the setting forgets it: lz never recreates a default VPC.

Read cost: one DescribeVpcs per account and region (three more calls while
a default VPC exists, to describe what would be deleted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import Node
from landingzone.resources.account_setting import AccountSettingKind
from landingzone.resources.base import located, register

NONE = "none"


def _filter(name: str, value: str) -> list[dict[str, Any]]:
    return [{"Name": name, "Values": [value]}]


@register
class DefaultVpcKind(AccountSettingKind):
    """The absence of a default VPC (desired: {"default_vpc": "none"})."""

    name = "default_vpc"
    service = "ec2"

    def read_setting(self, ctx: Context, node: Node) -> dict[str, Any] | None:
        ec2 = ctx.client("ec2", node.account, node.region)
        vpcs = call(ec2.describe_vpcs, Filters=_filter("isDefault", "true"), **located(node))
        descriptions = []
        for vpc in vpcs["Vpcs"]:
            contents = _contents(ec2, node, vpc["VpcId"])
            descriptions.append(
                f"{vpc['VpcId']} ({vpc['CidrBlock']}: {len(contents['subnets'])} subnets, "
                f"{len(contents['gateways'])} internet gateways, "
                f"{len(contents['interfaces'])} network interfaces)"
            )
            ctx.warn(
                f"{node.address}: apply deletes the default VPC {vpc['VpcId']} and its subnets "
                "and internet gateways, which lz did not create (remove_default_vpcs: true)"
            )
            if contents["interfaces"]:
                ctx.warn(
                    f"{node.address}: the default VPC {vpc['VpcId']} has network interfaces "
                    f"({', '.join(contents['interfaces'])}): apply will refuse to delete it"
                )
        return {"default_vpc": "; ".join(descriptions) or NONE}

    def write_setting(
        self, ctx: Context, node: Node, desired: Mapping[str, Any], current: Mapping[str, Any]
    ) -> None:
        ec2 = ctx.client("ec2", node.account, node.region)
        where = located(node)
        vpcs = call(ec2.describe_vpcs, Filters=_filter("isDefault", "true"), **where)["Vpcs"]
        for vpc in vpcs:
            vpc_id = vpc["VpcId"]
            contents = _contents(ec2, node, vpc_id)
            if contents["interfaces"]:
                raise AwsError(
                    f"refusing to delete the default VPC {vpc_id}: network interfaces use it "
                    f"({', '.join(contents['interfaces'])}); delete what uses them, or set "
                    "remove_default_vpcs: false for this account",
                    **where,
                )
            for gateway in contents["gateways"]:
                call(
                    ec2.detach_internet_gateway,
                    InternetGatewayId=gateway,
                    VpcId=vpc_id,
                    **where,
                )
                call(ec2.delete_internet_gateway, InternetGatewayId=gateway, **where)
            for subnet in contents["subnets"]:
                call(ec2.delete_subnet, SubnetId=subnet, **where)
            call(ec2.delete_vpc, VpcId=vpc_id, **where)


def _contents(ec2: Any, node: Node, vpc_id: str) -> dict[str, list[str]]:
    """The IDs of the subnets, internet gateways and network interfaces of a VPC."""
    where = located(node)
    subnets = call(ec2.describe_subnets, Filters=_filter("vpc-id", vpc_id), **where)
    gateways = call(
        ec2.describe_internet_gateways, Filters=_filter("attachment.vpc-id", vpc_id), **where
    )
    interfaces = call(ec2.describe_network_interfaces, Filters=_filter("vpc-id", vpc_id), **where)
    return {
        "subnets": sorted(s["SubnetId"] for s in subnets["Subnets"]),
        "gateways": sorted(g["InternetGatewayId"] for g in gateways["InternetGateways"]),
        "interfaces": sorted(i["NetworkInterfaceId"] for i in interfaces["NetworkInterfaces"]),
    }
