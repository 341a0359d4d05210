"""The security stacks: the organization as one security domain (docs/security.md).

Exports the kinds of the `security` section into two modules:

- `modules/security_organization/`, in the management account's `security`
  stack of each region that has some: the delegated administrator
  registrations (`aws_organizations_delegated_administrator`), GuardDuty's
  and Security Hub's administrator (`aws_guardduty_organization_admin_account`,
  `aws_securityhub_organization_admin_account`), and the organization trail
  (`aws_cloudtrail` with `is_organization_trail`);
- `modules/security_account/`, in the security account's `security` stack of
  each region: GuardDuty's organization configuration and members, the
  findings alert topic (policy, e-mail subscriptions) and rule, Security
  Hub's organization configuration, members and finding aggregator, the
  organization's IAM Access Analyzer (`aws_accessanalyzer_analyzer`), and the
  Config aggregator (its role is the roles stack's, like any role); in every
  account's `security` stack, the Security Hub standards enabled there
  (`aws_securityhub_standards_subscription`).

Account IDs are read from the organization stack's `account_ids`. Trusted
access (`service_access`) is not exported here: Terraform sets it on the
organization itself (`aws_organizations_organization.aws_service_access_principals`),
which the organization exporter owns; the export reports the kind as not
exported. Confirmed e-mail subscriptions are imported by the ARN AWS lists; one
not confirmed yet is listed with no ARN (`PendingConfirmation`), so there is
nothing to import: Terraform subscribes the address again (AWS mails it again).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from landingzone.access.securityhub_standards import standard_of_arn, subscription_arn
from landingzone.export.baseline import STACK as BASELINE
from landingzone.export.builder import PartBuilder
from landingzone.export.hcl import BLANK, Comment, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.lifecycle import ignore_changes
from landingzone.export.model import Module, Output, RemoteOutput, StackPart, StackRef, Variable
from landingzone.export.organization import exported_tags
from landingzone.export.registry import Exporter, register
from landingzone.nodes import MANAGEMENT, Node
from landingzone.resources.base import minified
from landingzone.resources.findings_alerts import PENDING

STACK = "security"
TAGS = "map(string)"
DETECTOR = "data.aws_guardduty_detector.this[0].id"

ORGANIZATION_VARIABLES = (
    Variable(
        "security_account_id",
        "string",
        "The security tooling account (security.account): the delegated administrator",
    ),
    Variable(
        "delegated_services", "set(string)", "Service principals delegated to the security account"
    ),
    Variable(
        "guardduty_admin",
        "bool",
        "Whether the security account is GuardDuty's delegated administrator in this region",
    ),
    Variable(
        "securityhub_admin",
        "bool",
        "Whether the security account is Security Hub's administrator in this region",
    ),
    Variable(
        "organization_trails",
        f"map(object({{\nbucket = string\ntags = {TAGS}\n}}))",
        "Organization trails by name: the log archive's bucket",
    ),
    Variable(
        "log_kms_key_arn",
        "string",
        "The log archive's KMS key ARN (its baseline stack's output), which encrypts the "
        "organization trail; null without one",
    ),
)

ACCOUNT_VARIABLES = (
    Variable(
        "guardduty_auto_enable",
        "map(string)",
        "GuardDuty's organization configuration (key `this`: ALL, NEW or NONE), or none",
    ),
    Variable("guardduty_member_ids", "map(string)", "GuardDuty members' account IDs, by name"),
    Variable("guardduty_member_emails", "map(string)", "GuardDuty members' e-mails, by name"),
    Variable(
        "alert_topics",
        f"map(object({{\npolicy = string\nemails = list(string)\ntags = {TAGS}\n}}))",
        "Findings alert topics by name: access policy (JSON) and e-mail subscribers",
    ),
    Variable(
        "alert_rules",
        f"map(object({{\npattern = string\ntopic = string\ntags = {TAGS}\n}}))",
        "Findings rules on the default event bus by name: event pattern (JSON), target topic",
    ),
    Variable(
        "securityhub_configuration",
        "map(object({\nauto_enable = bool\nauto_enable_standards = string\n}))",
        "Security Hub's organization configuration (key `this`), or none",
    ),
    Variable("securityhub_member_ids", "map(string)", "Security Hub members' account IDs, by name"),
    Variable("securityhub_member_emails", "map(string)", "Security Hub members' e-mails, by name"),
    Variable(
        "securityhub_standards",
        "map(string)",
        "Security Hub standards enabled in this account: standard ARNs by standard ID",
    ),
    Variable(
        "securityhub_aggregators",
        "map(string)",
        "Security Hub's finding aggregator (key `this`): its region linking mode, or none",
    ),
    Variable(
        "access_analyzers",
        f"map(object({{\ntype = string\ntags = {TAGS}\n}}))",
        "IAM Access Analyzer analyzers by name: their zone of trust (ORGANIZATION)",
    ),
    Variable(
        "config_aggregators",
        f"map(object({{\nrole_arn = string\ntags = {TAGS}\n}}))",
        "Organization-wide AWS Config aggregators by name, with the role Config assumes",
    ),
)


# Organization accounts become members without an invitation, but the provider
# reads an Enabled member's `invite` as true on import (GuardDuty and Security
# Hub alike; Security Hub would replace the member over it).
_MEMBER_INVITE = block(
    "lifecycle",
    body=(
        Comment("The provider reads `invite` as true for an Enabled member (import)."),
        *attrs(ignore_changes=Raw("[invite]")),
    ),
)


def _organization_main() -> list[Item]:
    return [
        block(
            "resource",
            "aws_organizations_delegated_administrator",
            "this",
            body=attrs(
                for_each=Raw("var.delegated_services"),
                account_id=Raw("var.security_account_id"),
                service_principal=Raw("each.value"),
            ),
        ),
        block(
            "resource",
            "aws_guardduty_organization_admin_account",
            "this",
            body=attrs(
                for_each=Raw("var.guardduty_admin ? { this = var.security_account_id } : {}"),
                admin_account_id=Raw("each.value"),
            ),
        ),
        block(
            "resource",
            "aws_securityhub_organization_admin_account",
            "this",
            body=attrs(
                for_each=Raw("var.securityhub_admin ? { this = var.security_account_id } : {}"),
                admin_account_id=Raw("each.value"),
            ),
        ),
        block(
            "resource",
            "aws_cloudtrail",
            "organization",
            body=(
                *attrs(for_each=Raw("var.organization_trails")),
                BLANK,
                *attrs(
                    name=Raw("each.key"),
                    s3_bucket_name=Raw("each.value.bucket"),
                    kms_key_id=Raw("var.log_kms_key_arn"),
                    is_organization_trail=True,
                    is_multi_region_trail=True,
                    include_global_service_events=True,
                    enable_log_file_validation=True,
                    enable_logging=True,
                    tags=Raw("each.value.tags"),
                ),
            ),
        ),
    ]


def _account_main() -> list[Item]:
    subscriptions = (
        "{ for s in flatten([for topic, t in var.alert_topics : "
        '[for email in t.emails : { key = "${topic}/${email}", topic = topic, email = email }]]) '
        ": s.key => s }"
    )
    return [
        block(
            "data",
            "aws_guardduty_detector",
            "this",
            body=attrs(
                count=Raw(
                    "length(var.guardduty_auto_enable) + length(var.guardduty_member_ids) > 0 "
                    "? 1 : 0"
                )
            ),
        ),
        block(
            "resource",
            "aws_guardduty_organization_configuration",
            "this",
            body=attrs(
                for_each=Raw("var.guardduty_auto_enable"),
                detector_id=Raw(DETECTOR),
                auto_enable_organization_members=Raw("each.value"),
            ),
        ),
        block(
            "resource",
            "aws_guardduty_member",
            "this",
            body=(
                *attrs(
                    for_each=Raw("var.guardduty_member_ids"),
                    detector_id=Raw(DETECTOR),
                    account_id=Raw("each.value"),
                    email=Raw("var.guardduty_member_emails[each.key]"),
                ),
                BLANK,
                _MEMBER_INVITE,
            ),
        ),
        block(
            "resource",
            "aws_sns_topic",
            "alerts",
            body=attrs(
                for_each=Raw("var.alert_topics"), name=Raw("each.key"), tags=Raw("each.value.tags")
            ),
        ),
        block(
            "resource",
            "aws_sns_topic_policy",
            "alerts",
            body=attrs(
                for_each=Raw("var.alert_topics"),
                arn=Raw("aws_sns_topic.alerts[each.key].arn"),
                policy=Raw("each.value.policy"),
            ),
        ),
        block(
            "resource",
            "aws_sns_topic_subscription",
            "alerts",
            body=(
                *attrs(
                    for_each=Raw(subscriptions),
                    topic_arn=Raw("aws_sns_topic.alerts[each.value.topic].arn"),
                    protocol="email",
                    endpoint=Raw("each.value.email"),
                ),
                BLANK,
                block(
                    "lifecycle",
                    body=ignore_changes(
                        terraform_only=("confirmation_timeout_in_minutes", "endpoint_auto_confirms")
                    ),
                ),
            ),
        ),
        block(
            "resource",
            "aws_cloudwatch_event_rule",
            "alerts",
            body=attrs(
                for_each=Raw("var.alert_rules"),
                name=Raw("each.key"),
                event_pattern=Raw("each.value.pattern"),
                tags=Raw("each.value.tags"),
            ),
        ),
        block(
            "resource",
            "aws_cloudwatch_event_target",
            "alerts",
            body=attrs(
                for_each=Raw("var.alert_rules"),
                rule=Raw("aws_cloudwatch_event_rule.alerts[each.key].name"),
                target_id="landingzone",
                arn=Raw("aws_sns_topic.alerts[each.value.topic].arn"),
            ),
        ),
        block(
            "resource",
            "aws_securityhub_organization_configuration",
            "this",
            body=attrs(
                for_each=Raw("var.securityhub_configuration"),
                auto_enable=Raw("each.value.auto_enable"),
                auto_enable_standards=Raw("each.value.auto_enable_standards"),
            ),
        ),
        block(
            "resource",
            "aws_securityhub_member",
            "this",
            body=(
                *attrs(
                    for_each=Raw("var.securityhub_member_ids"),
                    account_id=Raw("each.value"),
                    email=Raw("var.securityhub_member_emails[each.key]"),
                    invite=False,  # accounts of the organization are members without invitation
                ),
                BLANK,
                _MEMBER_INVITE,
            ),
        ),
        block(
            "resource",
            "aws_securityhub_standards_subscription",
            "this",
            body=attrs(for_each=Raw("var.securityhub_standards"), standards_arn=Raw("each.value")),
        ),
        block(
            "resource",
            "aws_securityhub_finding_aggregator",
            "this",
            body=attrs(for_each=Raw("var.securityhub_aggregators"), linking_mode=Raw("each.value")),
        ),
        block(
            "resource",
            "aws_accessanalyzer_analyzer",
            "this",
            body=attrs(
                for_each=Raw("var.access_analyzers"),
                analyzer_name=Raw("each.key"),
                type=Raw("each.value.type"),
                tags=Raw("each.value.tags"),
            ),
        ),
        block(
            "resource",
            "aws_config_configuration_aggregator",
            "organization",
            body=(
                *attrs(for_each=Raw("var.config_aggregators")),
                BLANK,
                *attrs(name=Raw("each.key"), tags=Raw("each.value.tags")),
                BLANK,
                block(
                    "organization_aggregation_source",
                    body=attrs(all_regions=True, role_arn=Raw("each.value.role_arn")),
                ),
            ),
        ),
    ]


ORGANIZATION_MODULE = Module(
    name="security_organization",
    description="Delegated administrators and the organization trail (management account)",
    variables=ORGANIZATION_VARIABLES,
    main=_organization_main(),
    outputs=(
        Output(
            "organization_trail_arns",
            "{ for name, t in aws_cloudtrail.organization : name => t.arn }",
            "Organization trails' ARNs by name",
        ),
    ),
)
ACCOUNT_MODULE = Module(
    name="security_account",
    description="What the security account administers: GuardDuty, alerts, Config aggregator",
    variables=ACCOUNT_VARIABLES,
    main=_account_main(),
    outputs=(
        Output(
            "alert_topic_arns",
            "{ for name, t in aws_sns_topic.alerts : name => t.arn }",
            "Findings alert topics' ARNs by name",
        ),
    ),
)

ORGANIZATION_KINDS = frozenset(
    {"delegated_admin", "guardduty_admin", "securityhub_admin", "org_trail"}
)
ACCOUNT_KINDS = frozenset(
    {
        "guardduty_organization",
        "guardduty_members",
        "sns_topic",
        "event_rule",
        "securityhub_organization",
        "securityhub_members",
        "securityhub_standards",
        "securityhub_aggregator",
        "access_analyzer",
        "config_aggregator",
    }
)


@register
class SecurityExporter(Exporter):
    """The `security` section: the management account's and the security account's stacks."""

    name = "security"
    kinds = ORGANIZATION_KINDS | ACCOUNT_KINDS

    def module(self) -> Module:
        return ORGANIZATION_MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        security = inventory.spec.security
        if security is None:
            return []
        home = inventory.spec.organization.home_region
        by_stack: dict[tuple[str, str], list[Node]] = defaultdict(list)
        for node in nodes:
            owner = MANAGEMENT if node.kind in ORGANIZATION_KINDS else node.account
            region = node.region or home
            by_stack[(owner, region)].append(node)
        parts = []
        for (owner, region), found in sorted(by_stack.items()):
            stack = StackRef(owner, region, STACK)
            if owner == MANAGEMENT:
                parts.append(_organization_part(stack, found, inventory, security.account))
            else:
                parts.append(_account_part(stack, found, inventory))
        return parts


def _account_id(inventory: Inventory, account: str) -> RemoteOutput:
    output = inventory.account_id_output(account)
    assert output is not None
    return output


def _organization_part(
    stack: StackRef, nodes: Sequence[Node], inventory: Inventory, security: str
) -> StackPart:
    part = PartBuilder(
        stack,
        ORGANIZATION_MODULE,
        remote={"security_account_id": _account_id(inventory, security)},
        delegated_services=[],
        guardduty_admin=False,
        securityhub_admin=False,
        log_kms_key_arn=None,
    )
    for node in nodes:
        record = inventory.record(node.address)
        part.nodes.append(node)
        if node.kind == "delegated_admin":
            service = node.desired["service"]
            part.values["delegated_services"].append(service)
            # lz's ID is SERVICE/ACCOUNT; Terraform's is ACCOUNT/SERVICE.
            _, _, account_id = record.id.partition("/") if record else ("", "", "")
            part.imported(
                node,
                "aws_organizations_delegated_administrator.this",
                service,
                f"{account_id}/{service}" if record else None,
            )
        elif node.kind == "guardduty_admin":
            part.values["guardduty_admin"] = True
            part.imported(
                node,
                "aws_guardduty_organization_admin_account.this",
                "this",
                record.id if record else None,
            )
        elif node.kind == "securityhub_admin":
            part.values["securityhub_admin"] = True
            part.imported(
                node,
                "aws_securityhub_organization_admin_account.this",
                "this",
                record.id if record else None,
            )
        elif node.kind == "org_trail":
            desired = inventory.fill(dict(node.desired), node.account)
            part.values["organization_trails"][desired["name"]] = {
                "bucket": desired["bucket"],
                "tags": exported_tags(desired["tags"]),
            }
            # The key by its ARN, as AWS reports it (the spec names it by alias).
            archive = StackRef(node.account, inventory.spec.organization.home_region, BASELINE)
            part.remote["log_kms_key_arn"] = RemoteOutput(archive, "log_kms_key_arn")
            part.imported(
                node, "aws_cloudtrail.organization", desired["name"], record.id if record else None
            )
    part.values["delegated_services"].sort()
    return part.part()


def _account_part(stack: StackRef, nodes: Sequence[Node], inventory: Inventory) -> StackPart:
    part = PartBuilder(
        stack, ACCOUNT_MODULE, maps=("guardduty_member_ids", "securityhub_member_ids")
    )
    for node in nodes:
        record = inventory.record(node.address)
        desired: dict[str, Any] = inventory.fill(dict(node.desired), node.account)
        if node.kind == "guardduty_organization":
            part.add(node, "guardduty_auto_enable", "this", desired["auto_enable"])
            part.imported(
                node,
                "aws_guardduty_organization_configuration.this",
                "this",
                record.id if record else None,
            )
        elif node.kind == "guardduty_members":
            for name, member_id in _members(part, node, inventory, "guardduty"):
                part.imported(
                    node,
                    "aws_guardduty_member.this",
                    name,
                    f"{record.id}:{member_id}" if record and member_id else None,
                    f"{node.address} ({name})",
                )
        elif node.kind == "securityhub_organization":
            part.add(
                node,
                "securityhub_configuration",
                "this",
                {k: desired[k] for k in ("auto_enable", "auto_enable_standards")},
            )
            account_id = inventory.account_id(node.account)
            part.imported(
                node,
                "aws_securityhub_organization_configuration.this",
                "this",
                account_id if record else None,
            )
        elif node.kind == "securityhub_members":
            for name, member_id in _members(part, node, inventory, "securityhub"):
                part.imported(
                    node,
                    "aws_securityhub_member.this",
                    name,
                    member_id if record else None,
                    f"{node.address} ({name})",
                )
        elif node.kind == "securityhub_standards":
            account_id = inventory.account_id(node.account)
            for arn in desired["standards"]:
                standard = standard_of_arn(arn) or arn
                part.add(node, "securityhub_standards", standard, arn)
                part.imported(
                    node,
                    "aws_securityhub_standards_subscription.this",
                    standard,
                    subscription_arn(arn.split(":")[1], node.region or "", account_id, standard)
                    if record and account_id
                    else None,
                    f"{node.address} ({standard})",
                )
        elif node.kind == "securityhub_aggregator":
            part.add(node, "securityhub_aggregators", "this", desired["region_linking"])
            part.imported(
                node,
                "aws_securityhub_finding_aggregator.this",
                "this",
                record.id if record else None,
            )
        elif node.kind == "sns_topic":
            name = desired["name"]
            part.add(
                node,
                "alert_topics",
                name,
                {
                    "policy": minified(desired["policy"]),
                    "emails": desired["emails"],
                    "tags": exported_tags(desired["tags"]),
                },
            )
            part.imported(node, "aws_sns_topic.alerts", name, record.id if record else None)
            part.imported(node, "aws_sns_topic_policy.alerts", name, record.id if record else None)
            confirmed = _confirmed_subscriptions(inventory, node, record.id) if record else {}
            for email in desired["emails"]:
                part.imported(
                    node,
                    "aws_sns_topic_subscription.alerts",
                    f"{name}/{email}",
                    confirmed.get(email),
                    f"{node.address} ({email}: not confirmed yet)",
                )
        elif node.kind == "event_rule":
            name = desired["name"]
            topic = desired["target"].rsplit(":", 1)[1]
            part.add(
                node,
                "alert_rules",
                name,
                {
                    "pattern": minified(desired["pattern"]),
                    "topic": topic,
                    "tags": exported_tags(desired["tags"]),
                },
            )
            part.imported(node, "aws_cloudwatch_event_rule.alerts", name, name if record else None)
            part.imported(
                node,
                "aws_cloudwatch_event_target.alerts",
                name,
                f"{name}/landingzone" if record else None,
            )
        elif node.kind == "access_analyzer":
            name = desired["name"]
            part.add(
                node,
                "access_analyzers",
                name,
                {"type": desired["type"], "tags": exported_tags(desired["tags"])},
            )
            part.imported(node, "aws_accessanalyzer_analyzer.this", name, name if record else None)
        elif node.kind == "config_aggregator":
            name = desired["name"]
            part.add(
                node,
                "config_aggregators",
                name,
                {"role_arn": desired["role_arn"], "tags": exported_tags(desired["tags"])},
            )
            part.imported(
                node,
                "aws_config_configuration_aggregator.organization",
                name,
                name if record else None,
            )
    return part.part()


def _confirmed_subscriptions(inventory: Inventory, node: Node, topic_arn: str) -> dict[str, str]:
    """A topic's confirmed e-mail subscriptions' ARNs, by address. AWS lists one that
    waits for confirmation as `PendingConfirmation`, with no ARN to import."""
    region = node.region or inventory.spec.organization.home_region
    client = inventory.client("sns", node.account, region)
    if client is None:
        return {}
    pages = client.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic_arn)
    return {
        found["Endpoint"]: found["SubscriptionArn"]
        for page in pages
        for found in page["Subscriptions"]
        if found["Protocol"] == "email" and found["SubscriptionArn"] != PENDING
    }


def _members(
    part: PartBuilder, node: Node, inventory: Inventory, service: str
) -> list[tuple[str, str | None]]:
    """A members node's accounts into `SERVICE_member_ids`/`_emails`: (name, account ID)."""
    part.nodes.append(node)
    names = {inventory.spec.accounts[name].email: name for name in inventory.spec.accounts}
    found = []
    for member in node.desired["members"]:
        name = names[member["email"]]
        part.read(f"{service}_member_ids", name, _account_id(inventory, name))
        part.values[f"{service}_member_emails"][name] = member["email"]
        found.append((name, inventory.account_id(name)))
    return found
