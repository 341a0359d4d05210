"""EventBridge delivers to SNS topics, as AWS does, when the topic's policy lets it.

moto 5.2.5 delivers a matching event to CloudWatch Logs, SQS, archives and
other event buses, and fails (NotImplementedError) on an SNS target. Rules
here (`SnsTargetRule`, made by PutRule) deliver to SNS targets themselves
and leave every other target to moto. An event that
matches a rule is also published to every SNS topic among the rule's
targets, as the event's JSON (or the rule's input transformation), when the
topic's access policy lets `events.amazonaws.com` `sns:Publish` to it on the
rule's behalf (`aws:SourceArn` the rule's ARN, `aws:SourceAccount` its
account); otherwise the delivery fails, as in AWS (a FailedInvocation;
nothing is published).

`publish_service_event` is how other compatibility modules put an event of
an AWS service (GuardDuty findings) on an account's bus.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import moto.events.urls
from moto.core.utils import unix_time
from moto.events.models import EventMessageType, EventsBackend, Rule, events_backends
from moto.events.utils import EventTemplateParser
from moto.sns.models import sns_backends
from moto.utilities.arns import parse_arn

from landingzone.emulator.patching import overrides, use_backend
from landingzone.emulator.service_delivery import allows

EVENTS = "events.amazonaws.com"


def _topic_allows(topic: Any, rule: Rule) -> bool:
    return allows(
        topic.policy,
        service=EVENTS,
        action="sns:Publish",
        resource=topic.arn,
        resource_account=topic.account_id,
        context={"aws:SourceArn": rule.arn, "aws:SourceAccount": rule.account_id},
    )


class SnsTargetRule(Rule):
    """A rule that also delivers to SNS topics (moto raises NotImplementedError for them)."""

    def send_to_targets(
        self, original_event: EventMessageType, transform_input: bool = True
    ) -> None:
        """Deliver a matching event: SNS targets here, every other one as moto does."""
        topics = [t for t in self.targets if parse_arn(t["Arn"]).service == "sns"]
        if topics and self.event_pattern.matches_event(original_event):
            for target in topics:
                self._publish(target, original_event)
        others = copy.copy(self)
        others.targets = [t for t in self.targets if t not in topics]
        Rule.send_to_targets(others, original_event, transform_input)

    def _publish(self, target: dict[str, Any], event: EventMessageType) -> None:
        arn = parse_arn(target["Arn"])
        topic = sns_backends[arn.account][arn.region].topics.get(target["Arn"])
        if topic is None or not _topic_allows(topic, self):
            return  # a FailedInvocation in AWS: nothing is published
        transformer = target.get("InputTransformer", {})
        message = EventTemplateParser.parse(
            input_template=transformer.get("InputTemplate"),
            input_paths_map=transformer.get("InputPathsMap", {}),
            event=event,
        )
        topic.publish(message if isinstance(message, str) else json.dumps(message))


class EventsCompatBackend(EventsBackend):
    """moto's EventBridge with SNS targets."""

    @property
    def _url_module(self) -> Any:
        return moto.events.urls

    @overrides
    def put_rule(self, name: str, *args: Any, **kwargs: Any) -> Rule:
        """PutRule: the rule delivers to SNS targets too."""
        rule = super().put_rule(name, *args, **kwargs)
        rule.__class__ = SnsTargetRule  # type: ignore[type-abstract]
        return rule


def publish_service_event(
    account_id: str, region: str, source: str, detail_type: str, detail: dict[str, Any]
) -> None:
    """Put an AWS service's event on an account's default bus in a region."""
    backend = events_backends[account_id][region]
    backend.put_events(
        [
            {
                "Source": source,
                "DetailType": detail_type,
                "Detail": json.dumps(detail),
                "Resources": [],
                "Time": unix_time(),
                "EventBusName": "default",
            }
        ]
    )


def install() -> None:
    """Make moto serve EventBridge through this module (idempotent)."""
    use_backend(events_backends, EventsCompatBackend)
