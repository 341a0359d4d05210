"""What the EC2 networking kinds share: reading through the view, tagging, polling."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from botocore.exceptions import WaiterError

from landingzone.aws.context import Context
from landingzone.errors import AwsError
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, tag_list
from landingzone.resources.ec2_view import Ec2View, Item, know, view
from landingzone.resources.network_addresses import ADDRESS_TAG
from landingzone.resources.tagging import TagCalls, keys_as_tags

POLL_ATTEMPTS = 120  # AWS's transitions (peering, attachments) take seconds to minutes


def where(thing: Node | ResourceRecord) -> dict[str, Any]:
    """The account, region and address an AWS error names, for a node or a state record."""
    return {"account": thing.account, "region": thing.region, "resource": thing.address}


EC2_TAGS = TagCalls(
    "create_tags",
    "delete_tags",
    "Resources",
    keys_param="Tags",
    keys_form=keys_as_tags,
    resource_in_list=True,
)


def ec2(ctx: Context, node: Node | ResourceRecord) -> Any:
    """The EC2 client of the node's (or record's) account and region."""
    return ctx.client("ec2", node.account, node.region)


def wait_for(
    ctx: Context, what: str, check: Callable[[], bool], *, resource: str | None = None
) -> None:
    """Poll `check` until it holds (first wait `ctx.settings.poll_interval`, then x1.5)."""
    delay = ctx.settings.poll_interval
    for _ in range(POLL_ATTEMPTS):
        if check():
            return
        time.sleep(delay)
        delay = min(delay * 1.5, 15.0)
    raise AwsError(f"gave up waiting for {what}", resource=resource)


def wait(client: Any, waiter: str, place: Mapping[str, Any], **kwargs: Any) -> None:
    """Run one of boto3's EC2 waiters (every 5 s, up to 10 minutes); giving up is an AwsError."""
    try:
        client.get_waiter(waiter).wait(**kwargs, WaiterConfig={"Delay": 5, "MaxAttempts": 120})
    except WaiterError as exc:
        raise AwsError(f"{waiter}: {exc}", **place) from exc


class Ec2Kind(Kind):
    """An EC2 resource lz tags with its address and reads through the account's view.

    Subclasses set `resource_type` (TagSpecifications) and implement `found`,
    which turns a described item into the attributes their nodes desire.
    """

    service = "ec2"
    taggable = True
    label_tags = frozenset({"Name", ADDRESS_TAG})
    resource_type: ClassVar[str]

    def prepare(self, ctx: Context, nodes: list[Node], records: list[ResourceRecord]) -> None:
        """Tell the views the IDs in state: an adopted resource has no address tag."""
        know(ctx, {r.address: r.id for r in records})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        """What exists, in the shape of `desired` ({} for a resource left in state only)."""
        raise NotImplementedError

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        assert group.region is not None
        here = view(ctx, group.account, group.region)
        result: dict[str, Found] = {}
        for node in group.nodes:
            record = group.record_for(node.address)
            item = here.find(self.name, node.address, record.id if record else None)
            if item is not None:
                result[node.address] = self.found(ctx, here, item, node.desired)
        for orphan in group.orphans:
            item = here.by_id(self.name, orphan.id)
            if item is not None:
                result[orphan.address] = self.found(ctx, here, item, {})
        return result

    def tag_specifications(self, ctx: Context, desired: Mapping[str, Any]) -> list[dict[str, Any]]:
        """TagSpecifications for a create: the desired tags and CreatedBy."""
        tags = tag_list(ctx.creation_tags(dict(desired["tags"])))
        return [{"ResourceType": self.resource_type, "Tags": tags}]

    def retag(self, ctx: Context, node: Node, resource_id: str, changes: list[Change]) -> None:
        """Set and remove the tags lz owns that changed."""
        EC2_TAGS.retag(ec2(ctx, node), resource_id, changes, **where(node))

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        """The default update: tags (kinds with more to change extend it)."""
        self.retag(ctx, node, found.id, changes)
        return Found(id=found.id, attrs=dict(desired), refs=found.refs, managed=found.managed)
