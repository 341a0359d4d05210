"""Tags of AWS Config rules and aggregators, read and repaired by ARN.

PutConfigRule and PutConfigurationAggregator take tags only when they
create the resource: AWS ignores `Tags` on a later Put ("tags will not be
updated, even if they are different. Use TagResource and UntagResource to
update tags after creation", the PutConfigRule API reference). So these
kinds read tags with ListTagsForResource (one call per rule or aggregator,
in flight together) and repair them with TagResource / UntagResource.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node
from landingzone.resources.base import Kind, is_managed, located, tag_dict, tag_list
from landingzone.resources.parallel import in_parallel
from landingzone.resources.tagging import TagCalls

CONFIG_TAGS = TagCalls("tag_resource", "untag_resource", "ResourceArn")


def read_config_tags(
    client: Any, arns: Mapping[str, str], account: str, region: str | None
) -> dict[str, dict[str, str]]:
    """The tags of Config resources, by address (`arns`: address -> ARN), read together."""
    addresses = list(arns)

    def read(address: str) -> dict[str, str]:
        return tag_dict(
            call(
                client.list_tags_for_resource,
                ResourceArn=arns[address],
                account=account,
                region=region,
                resource=address,
            )["Tags"]
        )

    found = in_parallel([partial(read, address) for address in addresses])
    return dict(zip(addresses, found, strict=True))


def found_with_tags(
    client: Any, found: Mapping[str, dict[str, Any]], account: str, region: str | None
) -> dict[str, Found]:
    """Config resources read by name (`found`: address -> attrs with "name" and "arn"),
    completed with their tags, and managed when lz's tag is on them."""
    tags = read_config_tags(
        client, {address: attrs["arn"] for address, attrs in found.items()}, account, region
    )
    return {
        address: Found(
            id=attrs["name"],
            attrs={**attrs, "tags": tags[address]},
            managed=is_managed(tags[address]),
        )
        for address, attrs in found.items()
    }


class PutConfigKind(Kind):
    """A Config resource made and changed by one Put (`_put`), tagged by ARN.

    Create puts it with lz's tags; update puts it again when anything but the
    tags changed, then repairs the tags with TagResource / UntagResource."""

    def _put(self, ctx: Context, node: Node, desired: Mapping[str, Any], **extra: Any) -> None:
        raise NotImplementedError

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        self._put(ctx, node, desired, Tags=tag_list(ctx.creation_tags(desired["tags"])))
        return Found(id=desired["name"], attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        if any(c.attr != "tags" for c in changes):
            self._put(ctx, node, desired)
        client = ctx.client("config", node.account, node.region)
        CONFIG_TAGS.retag(client, found.attrs["arn"], changes, **located(node))
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)
