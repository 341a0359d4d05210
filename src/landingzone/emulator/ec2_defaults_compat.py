"""EC2 account defaults as AWS has them: the default EBS key, and default VPCs.

- GetEbsDefaultKmsKeyId and ResetEbsDefaultKmsKeyId, which moto lacks: the
  default key of a region is the AWS managed key `alias/aws/ebs` (reported
  as that alias's ARN) until ModifyEbsDefaultKmsKeyId names another; reset
  goes back to it.
- A default VPC comes with an internet gateway attached and a route to it
  in its main route table, as in AWS (moto creates none).
- DeleteVpc is refused (DependencyViolation) while an internet gateway is
  attached, and DeleteSubnet while network interfaces are in the subnet
  (moto deletes both), so code that removes a VPC must do it in AWS's order.
- CreateNatGateway without `ConnectivityType` makes a `public` NAT gateway,
  as AWS does (moto left the type empty in DescribeNatGateways).
- CreateTransitGateway without `SecurityGroupReferencingSupport` disables it,
  and DescribeTransitGateways says so (moto left the option out).

The backend and response extend `ec2_compat`'s (moto builds one EC2 backend
class), so install this module after that one.
"""

from __future__ import annotations

from typing import Any

import moto.ec2.urls
from moto.core.responses import ActionResult
from moto.ec2.exceptions import DependencyViolationError
from moto.ec2.models import ec2_backends
from moto.ec2.models.nat_gateways import NatGateway
from moto.ec2.models.subnets import Subnet
from moto.ec2.models.transit_gateway import TransitGateway
from moto.ec2.models.vpcs import VPC

from landingzone.emulator.controls import refusing
from landingzone.emulator.ec2_compat import EC2CompatBackend, EC2CompatResponse
from landingzone.emulator.patching import overrides, routes_to, use_backend

AWS_EBS_ALIAS = "alias/aws/ebs"


class EC2DefaultsResponse(EC2CompatResponse):
    """EC2's API with the default EBS key operations."""

    def get_ebs_default_kms_key_id(self) -> ActionResult:
        """GetEbsDefaultKmsKeyId: the ARN of the region's default EBS key."""
        self.error_on_dryrun()
        return ActionResult({"KmsKeyId": self.ec2_backend.ebs_default_kms_key_arn()})

    def reset_ebs_default_kms_key_id(self) -> ActionResult:
        """ResetEbsDefaultKmsKeyId: back to the AWS managed key."""
        self.error_on_dryrun()
        self.ec2_backend.default_kms_key_id = ""
        return ActionResult({"KmsKeyId": self.ec2_backend.ebs_default_kms_key_arn()})


_ROUTES = routes_to(moto.ec2.urls, EC2DefaultsResponse)


class EC2DefaultsBackend(EC2CompatBackend):
    """The emulator's EC2 backend with AWS's default EBS key, default VPCs and deletion order."""

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    def ebs_default_kms_key_arn(self) -> str:
        """The default EBS key: the one ModifyEbsDefaultKmsKeyId set, else aws/ebs."""
        if self.default_kms_key_id:
            return str(self.default_kms_key_id)
        return f"arn:{self.partition}:kms:{self.region_name}:{self.account_id}:{AWS_EBS_ALIAS}"

    @overrides
    def create_default_vpc(self) -> VPC:
        """CreateDefaultVpc, with the internet gateway and route AWS gives a default VPC."""
        vpc = super().create_default_vpc()
        gateway = self.create_internet_gateway()
        self.attach_internet_gateway(gateway.id, vpc.id)
        main = self.describe_route_tables(filters={"vpc-id": vpc.id})[0]
        self.create_route(main.id, "0.0.0.0/0", gateway_id=gateway.id)
        return vpc

    @overrides
    def create_transit_gateway(
        self,
        description: str | None,
        options: dict[str, str] | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> TransitGateway:
        """CreateTransitGateway; security group referencing is `disable`d unless asked."""
        chosen = {"SecurityGroupReferencingSupport": "disable", **(options or {})}
        return super().create_transit_gateway(description, chosen, tags)

    @overrides
    def create_nat_gateway(
        self,
        subnet_id: str,
        allocation_id: str,
        tags: dict[str, str] | None = None,
        connectivity_type: str | None = "public",
    ) -> NatGateway:
        """CreateNatGateway; the connectivity type defaults to `public`."""
        return super().create_nat_gateway(
            subnet_id, allocation_id, tags, connectivity_type or "public"
        )

    @overrides
    def delete_vpc(self, vpc_id: str) -> VPC:
        """DeleteVpc, refused while an internet gateway is attached."""
        if refusing() and self.describe_internet_gateways(filters={"attachment.vpc-id": vpc_id}):
            raise DependencyViolationError(
                f"The vpc '{vpc_id}' has dependencies and cannot be deleted."
            )
        return super().delete_vpc(vpc_id)

    @overrides
    def delete_subnet(self, subnet_id: str) -> Subnet:
        """DeleteSubnet, refused while network interfaces are in the subnet."""
        if refusing() and self.get_all_network_interfaces(filters={"subnet-id": subnet_id}):
            raise DependencyViolationError(
                f"The subnet '{subnet_id}' has dependencies and cannot be deleted."
            )
        return super().delete_subnet(subnet_id)


def install() -> None:
    """Make moto serve EC2 through this module (after `ec2_compat.install`; idempotent)."""
    use_backend(ec2_backends, EC2DefaultsBackend)
