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
from landingzone.nodes import Found
from landingzone.resources.base import is_managed, tag_dict
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
