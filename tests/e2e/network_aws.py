"""What the networking end-to-end tests read with plain boto3, in each account."""

from __future__ import annotations

from typing import Any

from tests.aws import Aws


def tags(item: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in item.get("Tags", [])}


class Ec2:
    """One account's EC2 in one region, as its own administrators see it."""

    def __init__(self, aws: Aws, account_id: str, region: str):
        self.client = aws.client("ec2", account_id, region)

    def vpc(self, name: str) -> dict[str, Any]:
        (found,) = [v for v in self.client.describe_vpcs()["Vpcs"] if tags(v).get("Name") == name]
        return dict(found)

    def subnets(self, vpc_id: str) -> dict[str, str]:
        """Name -> CIDR of the VPC's subnets."""
        found = self.client.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
        return {tags(s)["Name"]: s["CidrBlock"] for s in found["Subnets"]}

    def tables(self, vpc_id: str) -> list[dict[str, Any]]:
        found = self.client.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])
        return [t for t in found["RouteTables"] if "Name" in tags(t)]

    def routes(self, vpc_id: str) -> dict[str, dict[str, str]]:
        """Route table Name -> {destination CIDR: target ID}, local routes left out."""
        return {
            tags(t)["Name"]: {
                r["DestinationCidrBlock"]: next(
                    r[k]
                    for k in (
                        "VpcPeeringConnectionId",
                        "TransitGatewayId",
                        "NatGatewayId",
                        "GatewayId",
                    )
                    if k in r
                )
                for r in t["Routes"]
                if "DestinationCidrBlock" in r and r.get("GatewayId") != "local"
            }
            for t in self.tables(vpc_id)
        }

    def associations(self, vpc_id: str) -> dict[str, set[str]]:
        """Route table Name -> Names of the subnets explicitly associated with it."""
        names = {
            s["SubnetId"]: tags(s)["Name"]
            for s in self.client.describe_subnets()["Subnets"]
            if "Name" in tags(s)
        }
        return {
            tags(t)["Name"]: {names[a["SubnetId"]] for a in t["Associations"] if "SubnetId" in a}
            for t in self.tables(vpc_id)
        }

    def endpoints(self, vpc_id: str) -> dict[str, dict[str, Any]]:
        """Service name -> endpoint, for the VPC's endpoints that are not deleted."""
        found = self.client.describe_vpc_endpoints()["VpcEndpoints"]
        return {
            e["ServiceName"]: e for e in found if e["VpcId"] == vpc_id and e["State"] != "deleted"
        }
