"""Alerting on security findings: an SNS topic with e-mail subscriptions, and an EventBridge
rule on the security account's default bus that sends matching findings to it.

`sns_topic`: a topic whose access policy lets EventBridge publish for exactly
the rules the spec names (`aws:SourceArn`), with the spec's e-mail
addresses subscribed. Read cost: GetTopicAttributes, ListSubscriptionsByTopic
and ListTagsForResource per topic. A subscription waits for its owner to
confirm it (AWS sends the e-mail); lz subscribes each address once and never
unsubscribes an address that has not confirmed (AWS gives it no ARN until
then).

`event_rule`: a rule with an event pattern and one target, the topic
(target ID `landingzone`; other targets are someone else's and left alone).
Read cost: DescribeRule, ListTargetsByRule, ListTagsForResource per rule.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import (
    Kind,
    ReadGroup,
    is_managed,
    located,
    register,
    tag_dict,
    tag_list,
)
from landingzone.resources.tagging import TagCalls

TARGET_ID = "landingzone"
TOPIC_TAGS = TagCalls("tag_resource", "untag_resource", "ResourceArn")
RULE_TAGS = TagCalls("tag_resource", "untag_resource", "ResourceARN")
PENDING = "PendingConfirmation"


def topic_policy(topic_arn: str, rule_arns: list[str]) -> dict[str, Any]:
    """A topic policy: EventBridge may publish on behalf of these rules only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EventBridgePublishes",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": sorted(rule_arns)}},
            }
        ],
    }


@register
class SnsTopicKind(Kind):
    """An SNS topic with a policy and e-mail subscriptions."""

    name = "sns_topic"
    service = "sns"
    taggable = True
    policy_attrs = frozenset({"policy"})

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("sns", group.account, group.region)
        wanted = {n.address: n.desired["arn"] for n in group.nodes}
        wanted.update({r.address: r.id for r in group.orphans})
        result: dict[str, Found] = {}
        for address, arn in wanted.items():
            where = {"account": group.account, "region": group.region, "resource": address}
            try:
                attributes = client.get_topic_attributes(TopicArn=arn)["Attributes"]
            except ClientError as exc:
                if error_code(exc) == "NotFound":
                    continue
                raise aws_error(exc, **where) from exc
            subscriptions = pages(
                client, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn, **where
            )
            emails = sorted({s["Endpoint"] for s in subscriptions if s["Protocol"] == "email"})
            tags = tag_dict(call(client.list_tags_for_resource, ResourceArn=arn, **where)["Tags"])
            result[address] = Found(
                id=arn,
                attrs={
                    "name": arn.rsplit(":", 1)[-1],
                    "arn": arn,
                    "policy": json.loads(attributes.get("Policy") or "{}"),
                    "emails": emails,
                    "tags": tags,
                },
                managed=is_managed(tags),
            )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client("sns", node.account, node.region)
        arn = call(
            client.create_topic,
            Name=desired["name"],
            Attributes={"Policy": json.dumps(desired["policy"])},
            Tags=tag_list(ctx.creation_tags(desired["tags"])),
            **located(node),
        )["TopicArn"]
        for email in desired["emails"]:
            call(client.subscribe, TopicArn=arn, Protocol="email", Endpoint=email, **located(node))
        return Found(id=arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = ctx.client("sns", node.account, node.region)
        where = located(node)
        changed = {c.attr for c in changes}
        if "policy" in changed:
            call(
                client.set_topic_attributes,
                TopicArn=found.id,
                AttributeName="Policy",
                AttributeValue=json.dumps(desired["policy"]),
                **where,
            )
        if "emails" in changed:
            self._emails(ctx, node, found.id, set(desired["emails"]))
        TOPIC_TAGS.retag(client, found.id, changes, **where)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    @staticmethod
    def _emails(ctx: Context, node: Node, arn: str, wanted: set[str]) -> None:
        client = ctx.client("sns", node.account, node.region)
        where = located(node)
        subscriptions = list(
            pages(client, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn, **where)
        )
        have = {s["Endpoint"] for s in subscriptions if s["Protocol"] == "email"}
        for email in sorted(wanted - have):
            call(client.subscribe, TopicArn=arn, Protocol="email", Endpoint=email, **where)
        for subscription in subscriptions:
            gone = subscription["Protocol"] == "email" and subscription["Endpoint"] not in wanted
            if gone and subscription["SubscriptionArn"] != PENDING:
                call(client.unsubscribe, SubscriptionArn=subscription["SubscriptionArn"], **where)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("sns", record.account, record.region)
        call(client.delete_topic, TopicArn=record.id, **located(record))


@register
class EventRuleKind(Kind):
    """An EventBridge rule on the default bus with one target."""

    name = "event_rule"
    service = "events"
    taggable = True

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("events", group.account, group.region)
        wanted = {n.address: n.desired["name"] for n in group.nodes}
        wanted.update({r.address: r.id.rsplit("/", 1)[-1] for r in group.orphans})
        result: dict[str, Found] = {}
        for address, name in wanted.items():
            where = {"account": group.account, "region": group.region, "resource": address}
            try:
                rule = client.describe_rule(Name=name)
            except ClientError as exc:
                if error_code(exc) == "ResourceNotFoundException":
                    continue
                raise aws_error(exc, **where) from exc
            targets = call(client.list_targets_by_rule, Rule=name, **where)["Targets"]
            target = next((t["Arn"] for t in targets if t["Id"] == TARGET_ID), None)
            tags = tag_dict(
                call(client.list_tags_for_resource, ResourceARN=rule["Arn"], **where)["Tags"]
            )
            result[address] = Found(
                id=rule["Arn"],
                attrs={
                    "name": name,
                    "pattern": json.loads(rule.get("EventPattern") or "{}"),
                    "enabled": rule.get("State") == "ENABLED",
                    "target": target,
                    "tags": tags,
                },
                managed=is_managed(tags),
            )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        arn = self._put(ctx, node, desired, Tags=tag_list(ctx.creation_tags(desired["tags"])))
        return Found(id=arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = ctx.client("events", node.account, node.region)
        where = located(node)
        if any(c.attr != "tags" for c in changes):
            self._put(ctx, node, desired)
        RULE_TAGS.retag(client, found.id, changes, **where)
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    @staticmethod
    def _put(ctx: Context, node: Node, desired: Mapping[str, Any], **extra: Any) -> str:
        client = ctx.client("events", node.account, node.region)
        where = located(node)
        arn = call(
            client.put_rule,
            Name=desired["name"],
            EventPattern=json.dumps(desired["pattern"], sort_keys=True),
            State="ENABLED" if desired["enabled"] else "DISABLED",
            **extra,
            **where,
        )["RuleArn"]
        call(
            client.put_targets,
            Rule=desired["name"],
            Targets=[{"Id": TARGET_ID, "Arn": desired["target"]}],
            **where,
        )
        return str(arn)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("events", record.account, record.region)
        name = record.id.rsplit("/", 1)[-1]
        call(client.remove_targets, Rule=name, Ids=[TARGET_ID], **located(record))
        call(client.delete_rule, Name=name, **located(record))
