"""An AWS Config aggregator of the whole organization, in the security account.

It reads every account's Config data in every region, through an IAM role
AWS Config assumes (a `iam_role` node: trusted by `config.amazonaws.com`,
with the AWS managed policy AWSConfigRoleForOrganizations). AWS accepts it
only in the management account or a delegated administrator for
`config.amazonaws.com`, with trusted access on. Read cost:
DescribeConfigurationAggregators per account and region, for all
aggregators at once, plus ListTagsForResource per aggregator
(`config_tags.py`: AWS sets tags only at creation, so tags changed by hand
are repaired with TagResource / UntagResource).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.nodes import Found, Node, ResourceRecord
from landingzone.resources.base import ReadGroup, located, register
from landingzone.resources.config_tags import PutConfigKind, found_with_tags

ROLE_POLICY = "service-role/AWSConfigRoleForOrganizations"  # the AWS managed policy's path


@register
class ConfigAggregatorKind(PutConfigKind):
    """An organization-wide Config aggregator (all regions)."""

    name = "config_aggregator"
    service = "config"
    taggable = True

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("config", group.account, group.region)
        wanted = {n.desired["name"]: n.address for n in group.nodes}
        wanted.update({r.id: r.address for r in group.orphans})
        aggregators = pages(
            client,
            "describe_configuration_aggregators",
            "ConfigurationAggregators",
            account=group.account,
            region=group.region,
            resource="config aggregators",
        )
        found: dict[str, dict[str, Any]] = {}
        for aggregator in aggregators:
            address = wanted.get(aggregator["ConfigurationAggregatorName"])
            source = aggregator.get("OrganizationAggregationSource")
            if address is None:
                continue
            found[address] = {
                "name": aggregator["ConfigurationAggregatorName"],
                "role_arn": source.get("RoleArn") if source else None,
                "all_regions": bool(source and source.get("AllAwsRegions")),
                "arn": aggregator["ConfigurationAggregatorArn"],
            }
        return found_with_tags(client, found, group.account, group.region)

    def _put(self, ctx: Context, node: Node, desired: Mapping[str, Any], **extra: Any) -> None:
        client = ctx.client("config", node.account, node.region)
        call(
            client.put_configuration_aggregator,
            ConfigurationAggregatorName=desired["name"],
            OrganizationAggregationSource={
                "RoleArn": desired["role_arn"],
                "AllAwsRegions": desired["all_regions"],
            },
            **extra,
            **located(node),
        )

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("config", record.account, record.region)
        call(
            client.delete_configuration_aggregator,
            ConfigurationAggregatorName=record.id,
            **located(record),
        )
