"""AWS Config per account and region: the recorder with its delivery channel, and managed rules.

`config_recorder` is the configuration recorder (all supported resource
types; global ones in the home region only), its delivery channel to the
log archive bucket, and its recording status: AWS allows one of each per
region, and they only work together. Read cost: DescribeConfigurationRecorders,
DescribeDeliveryChannels and DescribeConfigurationRecorderStatus per account
and region. A recorder that exists is adopted (under its own name).

`config_rule` is one AWS managed rule. Read cost: DescribeConfigRules per
account and region (25 rules a page), for all rules at once, plus ListTagsForResource
per rule (`config_tags.py`: AWS sets a rule's tags only when it creates it, so
tags changed by hand are repaired with TagResource / UntagResource).
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
from landingzone.resources.base import Kind, ReadGroup, located, register
from landingzone.resources.config_tags import PutConfigKind, found_with_tags

CONFIG_SERVICE = "config.amazonaws.com"
DEFAULT_NAME = "default"  # the name AWS's console gives the recorder and the channel
_RECORDER_ATTRS = ("role_arn", "all_supported", "include_global_resource_types")
_CHANNEL_ATTRS = ("bucket", "delivery_frequency")


@register
class ConfigRecorderKind(Kind):
    """The configuration recorder, its delivery channel, and recording switched on."""

    name = "config_recorder"
    service = "config"

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("config", group.account, group.region)
        where = {"account": group.account, "region": group.region, "resource": "config"}
        recorders = call(client.describe_configuration_recorders, **where)
        if not recorders["ConfigurationRecorders"]:
            return {}
        recorder = recorders["ConfigurationRecorders"][0]
        channels = call(client.describe_delivery_channels, **where)["DeliveryChannels"]
        channel = channels[0] if channels else {}
        status = call(
            client.describe_configuration_recorder_status,
            ConfigurationRecorderNames=[recorder["name"]],
            **where,
        )["ConfigurationRecordersStatus"]
        recording_group = recorder.get("recordingGroup") or {}
        found = Found(
            id=recorder["name"],
            attrs={
                "role_arn": recorder.get("roleARN"),
                "all_supported": bool(recording_group.get("allSupported")),
                "include_global_resource_types": bool(
                    recording_group.get("includeGlobalResourceTypes")
                ),
                "bucket": channel.get("s3BucketName"),
                "delivery_frequency": (channel.get("configSnapshotDeliveryProperties") or {}).get(
                    "deliveryFrequency"
                ),
                "recording": bool(status and status[0].get("recording")),
                "channel_name": channel.get("name"),
            },
        )
        addresses = [n.address for n in group.nodes]
        addresses += [r.address for r in group.orphans if r.id == recorder["name"]]
        return dict.fromkeys(addresses, found)

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        self._service_linked_role(ctx, node)
        found = self.read(ctx, ReadGroup(self.name, node.account, node.region, nodes=[node]))
        existing = found.get(node.address)  # an interrupted earlier run: take it over
        name = existing.id if existing else DEFAULT_NAME
        channel = (existing.attrs.get("channel_name") if existing else None) or DEFAULT_NAME
        self._write(ctx, node, desired, name, channel, changed=None)
        return Found(id=name, attrs={**desired, "channel_name": channel})

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        channel = found.attrs.get("channel_name") or DEFAULT_NAME
        self._write(ctx, node, desired, found.id, channel, changed={c.attr for c in changes})
        return Found(id=found.id, attrs={**desired, "channel_name": channel})

    def _write(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        recorder: str,
        channel: str,
        *,
        changed: set[str] | None,
    ) -> None:
        """Write the recorder, the channel and the status (all, or those in `changed`)."""
        client = ctx.client("config", node.account, node.region)
        where = located(node)
        if changed is None or changed & set(_RECORDER_ATTRS):
            call(
                client.put_configuration_recorder,
                ConfigurationRecorder={
                    "name": recorder,
                    "roleARN": desired["role_arn"],
                    "recordingGroup": {
                        "allSupported": desired["all_supported"],
                        "includeGlobalResourceTypes": desired["include_global_resource_types"],
                    },
                },
                **where,
            )
        if changed is None or changed & set(_CHANNEL_ATTRS):
            call(
                client.put_delivery_channel,
                DeliveryChannel={
                    "name": channel,
                    "s3BucketName": desired["bucket"],
                    "configSnapshotDeliveryProperties": {
                        "deliveryFrequency": desired["delivery_frequency"]
                    },
                },
                **where,
            )
        if changed is None or "recording" in changed:
            call(client.start_configuration_recorder, ConfigurationRecorderName=recorder, **where)

    def _service_linked_role(self, ctx: Context, node: Node) -> None:
        """Create AWS Config's service-linked role, which the recorder needs (once)."""
        iam = ctx.client("iam", node.account)
        try:
            iam.create_service_linked_role(AWSServiceName=CONFIG_SERVICE)
        except ClientError as exc:
            if error_code(exc) not in ("InvalidInput", "EntityAlreadyExists"):  # it exists
                raise aws_error(exc, account=node.account, resource=node.address) from exc

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("config", record.account, record.region)
        where = located(record)
        call(client.stop_configuration_recorder, ConfigurationRecorderName=record.id, **where)
        for channel in call(client.describe_delivery_channels, **where)["DeliveryChannels"]:
            call(client.delete_delivery_channel, DeliveryChannelName=channel["name"], **where)
        call(client.delete_configuration_recorder, ConfigurationRecorderName=record.id, **where)


@register
class ConfigRuleKind(PutConfigKind):
    """An AWS managed Config rule."""

    name = "config_rule"
    service = "config"
    taggable = True

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client("config", group.account, group.region)
        wanted = {n.desired["name"]: n.address for n in group.nodes}
        wanted.update({r.id: r.address for r in group.orphans})
        found: dict[str, dict[str, Any]] = {}
        rules = pages(
            client,
            "describe_config_rules",
            "ConfigRules",
            account=group.account,
            region=group.region,
            resource="config rules",
        )
        for rule in rules:
            address = wanted.get(rule["ConfigRuleName"])
            if address is not None:
                found[address] = {
                    "name": rule["ConfigRuleName"],
                    "identifier": rule["Source"].get("SourceIdentifier"),
                    "parameters": json.loads(rule.get("InputParameters") or "{}"),
                    "arn": rule["ConfigRuleArn"],
                }
        return found_with_tags(client, found, group.account, group.region)

    def _put(self, ctx: Context, node: Node, desired: Mapping[str, Any], **extra: Any) -> None:
        client = ctx.client("config", node.account, node.region)
        rule: dict[str, Any] = {
            "ConfigRuleName": desired["name"],
            "Source": {"Owner": "AWS", "SourceIdentifier": desired["identifier"]},
        }
        if desired["parameters"]:
            rule["InputParameters"] = json.dumps(desired["parameters"], sort_keys=True)
        call(client.put_config_rule, ConfigRule=rule, **extra, **located(node))

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client("config", record.account, record.region)
        call(client.delete_config_rule, ConfigRuleName=record.id, **located(record))
