"""How each AWS API changes tags, as data, and the one piece of code that does it.

Every AWS service tags differently (`TagResource` with a list or a map,
`CreateTags` on a list of resources, `AddTags` with `TagsList`, lowercase
`key`/`value` in RAM). A kind declares its API's shape once as a `TagCalls`
and changes tags with `TagCalls.retag`, which sets and removes only the keys
lz owns (`base.tag_delta`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from landingzone.aws.calls import call
from landingzone.nodes import Change
from landingzone.resources.base import tag_delta, tag_list


def keys_as_tags(keys: list[str]) -> list[dict[str, str]]:
    """Keys to remove in the `[{"Key": k}]` form (EC2 DeleteTags, CloudTrail RemoveTags)."""
    return [{"Key": key} for key in keys]


def tag_map(tags: Mapping[str, str]) -> dict[str, str]:
    """Tags as a plain map (GuardDuty, and other APIs that take `{key: value}`)."""
    return dict(tags)


@dataclass(frozen=True)
class TagCalls:
    """The tag and untag calls of one AWS API, and the shapes they take."""

    add: str  # the client method that sets tags ("tag_role")
    remove: str  # the client method that removes tag keys ("untag_role")
    resource_param: str  # the parameter naming the resource ("RoleName")
    tags_param: str = "Tags"
    keys_param: str = "TagKeys"
    tags_form: Callable[[Mapping[str, str]], Any] = tag_list
    keys_form: Callable[[list[str]], Any] = list
    resource_in_list: bool = False  # EC2: Resources=[id]

    def retag(self, client: Any, resource_id: str, changes: list[Change], **where: Any) -> None:
        """Set and remove the tags lz owns that `changes` say differ.

        `where` (account, region, resource) names the resource in AWS errors.
        """
        to_set, to_remove = tag_delta(changes)
        target: Any = [resource_id] if self.resource_in_list else resource_id
        if to_set:
            call(
                getattr(client, self.add),
                **{self.resource_param: target, self.tags_param: self.tags_form(to_set)},
                **where,
            )
        if to_remove:
            call(
                getattr(client, self.remove),
                **{self.resource_param: target, self.keys_param: self.keys_form(to_remove)},
                **where,
            )
