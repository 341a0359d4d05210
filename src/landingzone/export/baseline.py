"""The baseline stacks: every account's baseline settings, and the log archive they deliver to.

Exports the kinds `password_policy`, `account_alias`, `s3_public_access_block`,
`ebs_encryption`, `guardduty`, `config_recorder`, `config_rule`, `trail`,
`budget`, `log_bucket` and `kms_key` into `modules/baseline/`, called from one stack per
account and region, `live/<account>-<region>/baseline/`: a root module has one
provider, in one region, so regional settings (EBS encryption, GuardDuty,
Config) go to the stack of their region and account-wide ones (password
policy, alias, S3 Block Public Access, budgets, the trail, which lz keeps in
the home region) to the home region's stack.

Every resource has `for_each` over a map of the module's variables, keyed by
the stable part of lz's address: the account's name for account-wide
settings, the region for regional ones, the rule, trail, bucket or key alias
name otherwise. The log archive's bucket and key live in the log archive
account's stack; their policies name the spec's trails and Config accounts
by account name, with the IDs read from the organization stack's
`account_ids`. Trails and delivery channels elsewhere read the bucket and the
key's ARN from the log archive stack's outputs (in that stack, from the
module's own resources): the log archive stack reads only the organization
stack, so there is no cycle.

Not exported: `default_vpc` (Terraform has no resource whose desired state
is "this does not exist"; see docs/export.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from landingzone.export.builder import PartBuilder
from landingzone.export.hcl import BLANK, Block, Comment, Item, Raw, attrs, block, quote, value
from landingzone.export.inventory import Inventory
from landingzone.export.lifecycle import ignore_changes
from landingzone.export.model import (
    Module,
    Output,
    RemoteOutput,
    StackPart,
    StackRef,
    Variable,
)
from landingzone.export.organization import exported_tags
from landingzone.export.registry import Exporter, register
from landingzone.export.state_backend import PUBLIC_ACCESS_BLOCK_NAMES, bucket_settings
from landingzone.graph.baselines import organization_trail_arn
from landingzone.nodes import MANAGEMENT, Node, ResourceRecord
from landingzone.resources.budgets import GREATER_THAN, PERCENTAGE
from landingzone.resources.config import DEFAULT_NAME
from landingzone.resources.iam_account import PASSWORD_POLICY_FIELDS
from landingzone.resources.kms import trail_key_policy
from landingzone.resources.log_bucket import delivery_statements
from landingzone.resources.s3_account import BLOCK_FIELDS
from landingzone.resources.s3_bucket import bucket_desired

STACK = "baseline"
BUDGET_TYPE = "COST"  # what lz creates: a COST budget in USD
BUDGET_UNIT = "USD"
PASSWORD_POLICY_ID = "iam-account-password-policy"  # Terraform's import ID: one per account
EBS_ENCRYPTION_ID = "default"  # likewise, one per account and region
CONFIG_ROLE = "aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
LOG_BUCKET_RESOURCES = (
    "aws_s3_bucket.log",
    "aws_s3_bucket_versioning.log",
    "aws_s3_bucket_server_side_encryption_configuration.log",
    "aws_s3_bucket_public_access_block.log",
    "aws_s3_bucket_policy.log",
)
# What lz always sets on the log archive, written in the module as such.
LOG_BUCKET = {
    k: v for k, v in bucket_desired("", {}).items() if k not in ("name", "policy", "tags")
}
LOG_KEY_ROTATION = True
CONFIG_RECORDER = "aws_config_configuration_recorder.this"
CONFIG_CHANNEL = "aws_config_delivery_channel.this"
CONFIG_STATUS = "aws_config_configuration_recorder_status.this"

# Password policy: lz's desired attribute -> Terraform's argument (AWS's name, snake-cased).
PASSWORD_POLICY_ARGUMENTS = {
    "minimum_length": "minimum_password_length",
    "require_symbols": "require_symbols",
    "require_numbers": "require_numbers",
    "require_uppercase": "require_uppercase_characters",
    "require_lowercase": "require_lowercase_characters",
    "allow_users_to_change": "allow_users_to_change_password",
    "max_age_days": "max_password_age",
    "reuse_prevention": "password_reuse_prevention",
    "hard_expiry": "hard_expiry",
}
assert set(PASSWORD_POLICY_ARGUMENTS) == set(PASSWORD_POLICY_FIELDS)

PARTITION = "data.aws_partition.current.partition"
ACCOUNT_ID = "data.aws_caller_identity.current.account_id"


def _object(fields: Mapping[str, str]) -> str:
    """An HCL object type: `object({ name = type ... })`."""
    return "object({\n" + "".join(f"{k} = {t}\n" for k, t in fields.items()) + "})"


def _map_of(fields: Mapping[str, str]) -> str:
    return f"map({_object(fields)})"


PASSWORD_POLICY_TYPE = {
    arg: "number" if attr in ("minimum_length", "max_age_days", "reuse_prevention") else "bool"
    for attr, arg in PASSWORD_POLICY_ARGUMENTS.items()
}
TAGS = "map(string)"

VARIABLES = (
    Variable(
        "password_policy",
        _map_of(PASSWORD_POLICY_TYPE),
        "The IAM password policy, keyed by account name ({} when the baseline sets none); "
        "null: AWS's default (never expires, no reuse prevention)",
    ),
    Variable("account_alias", "map(string)", "The IAM account alias, keyed by account name"),
    Variable(
        "s3_public_access_block",
        _map_of(dict.fromkeys(BLOCK_FIELDS, "bool")),
        "The account's S3 Block Public Access, keyed by account name",
    ),
    Variable(
        "ebs_encryption",
        _map_of({"enabled": "bool", "kms_key": "string"}),
        "EBS encryption by default, keyed by region (the stack's); kms_key: the default key "
        "(key or alias ARN), null for AWS's managed key",
    ),
    Variable(
        "guardduty",
        _map_of({"enable": "bool", "finding_publishing_frequency": "string", "tags": TAGS}),
        "The GuardDuty detector, keyed by region (the stack's)",
    ),
    Variable(
        "config_recorders",
        _map_of(
            {
                "name": "string",
                "channel": "string",
                "all_supported": "bool",
                "include_global_resource_types": "bool",
                "delivery_frequency": "string",
                "recording": "bool",
            }
        ),
        "The AWS Config recorder with its delivery channel (to the log archive bucket), "
        "keyed by region (the stack's)",
    ),
    Variable(
        "config_rules",
        _map_of({"identifier": "string", "input_parameters": "string", "tags": TAGS}),
        "AWS managed Config rules by name; input_parameters: JSON, null for none",
    ),
    Variable(
        "trails",
        _map_of(
            {
                "multi_region": "bool",
                "global_events": "bool",
                "log_file_validation": "bool",
                "logging": "bool",
                "tags": TAGS,
            }
        ),
        "CloudTrail trails by name, delivering to the log archive (home region only)",
    ),
    Variable(
        "budgets",
        _map_of(
            {
                "limit_usd": "string",
                "time_unit": "string",
                "alerts": "list(object({\npercent = number\nforecasted = bool\n"
                "emails = list(string)\n}))",
                "tags": TAGS,
            }
        ),
        "Cost budgets in USD by name; alerts e-mail when ACTUAL (or FORECASTED) cost is "
        "GREATER_THAN a percentage of the limit",
    ),
    Variable(
        "log_bucket",
        "string",
        "The log archive's bucket (its stack's output); null in the log archive's own stack, "
        "or where nothing delivers",
    ),
    Variable(
        "log_kms_key_arn",
        "string",
        "The ARN of the log archive's KMS key (its stack's output); null as for log_bucket",
    ),
    Variable(
        "log_buckets",
        _map_of({"tags": TAGS}),
        "The log archive's bucket, keyed by its name (only in the log archive's stack)",
    ),
    Variable(
        "log_kms_keys",
        _map_of({"description": "string", "tags": TAGS}),
        "The log archive's KMS key, keyed by its alias without alias/ (only in its stack)",
    ),
    Variable(
        "log_trails",
        "list(object({\naccount = string\nname = string\n}))",
        "The trails that may deliver to the log archive (bucket and key policies)",
    ),
    Variable(
        "log_config_accounts",
        "list(string)",
        "Accounts, by name, whose AWS Config may deliver to the log archive bucket",
    ),
    Variable(
        "log_organization_trail_arns",
        "list(string)",
        "The organization trail's ARN (security.organization_trail), which delivers too",
    ),
    Variable(
        "log_readers",
        "list(string)",
        "Accounts, by name, that may read the logs and decrypt them (the security account)",
    ),
    Variable(
        "log_account_ids",
        "map(string)",
        "Account IDs by name, for the log archive's policies (the organization stack's "
        "account_ids); {} outside the log archive's stack",
    ),
)

OUTPUTS = (
    Output(
        "log_bucket",
        "one([for bucket in aws_s3_bucket.log : bucket.id])",
        "The log archive's bucket (null outside its stack)",
    ),
    Output(
        "log_kms_key_arn",
        "one([for key in aws_kms_key.log : key.arn])",
        "The ARN of the log archive's KMS key (null outside its stack)",
    ),
    Output(
        "guardduty_detector_ids",
        "{ for region, detector in aws_guardduty_detector.this : region => detector.id }",
        "GuardDuty detector IDs by region",
    ),
    Output(
        "trail_arns",
        "{ for name, trail in aws_cloudtrail.this : name => trail.arn }",
        "Trail ARNs by name",
    ),
)


# -- the policies, from lz's own functions -------------------------------------------
#
# lz builds the bucket and key policies from lists it knows when it plans. The
# module builds the same documents in HCL from the trails and accounts by name:
# lz's functions are called with markers, and the markers become expressions.

_BUCKET = "LZ0BUCKET"  # the bucket's name: each.key in the bucket's resources
_ROOT = "LZ0ROOT"  # the key's account root
_TRAILS = "LZ0TRAILS"  # the list of trail ARNs
_ACCOUNTS = "LZ0ACCOUNTS"  # the list of Config accounts' IDs
_READERS = "LZ0READERS"  # the list of reading accounts' root ARNs
_LISTS = {
    _TRAILS: "local.log_trail_arns",
    _ACCOUNTS: "local.log_config_account_ids",
    _READERS: "local.log_reader_arns",
}
_ROOT_ARN = f"arn:${{{PARTITION}}}:iam::${{{ACCOUNT_ID}}}:root"


def _expression(data: Any) -> Any:
    """A document with markers as HCL values (lists of one marker become the list's local)."""
    if isinstance(data, dict):
        return {k: _expression(v) for k, v in data.items()}
    if isinstance(data, list):
        if len(data) == 1 and data[0] in _LISTS:
            return Raw(_LISTS[data[0]])
        return [_expression(item) for item in data]
    if isinstance(data, str) and (_BUCKET in data or _ROOT in data):
        text = quote(data).replace(_BUCKET, "${each.key}").replace(_ROOT, _ROOT_ARN)
        return Raw(text)
    return data


def _uses(data: Any) -> list[str]:
    """The list markers a statement depends on."""
    text = json.dumps(data)
    return [marker for marker in _LISTS if marker in text]


def _policy(document: Mapping[str, Any]) -> Raw:
    """`jsonencode(...)` of a policy whose statements on a list exist only when it is not empty."""
    groups: list[tuple[str, list[Any]]] = []  # consecutive statements with the same condition
    for statement in document["Statement"]:
        condition = " && ".join(f"length({_LISTS[m]}) > 0" for m in _uses(statement))
        if groups and groups[-1][0] == condition:
            groups[-1][1].append(_expression(statement))
        else:
            groups.append((condition, [_expression(statement)]))
    parts = [f"{c} ? {value(items)} : []" if c else value(items) for c, items in groups]
    statements = parts[0] if len(parts) == 1 else "concat(\n" + ",\n".join(parts) + ",\n)"
    header = {k: v for k, v in document.items() if k != "Statement"}
    body = "".join(f"{k} = {value(v)}\n" for k, v in header.items())
    return Raw(f"jsonencode({{\n{body}Statement = {statements}\n}})")


def bucket_policy() -> Raw:
    """The log bucket's policy: TLS only, and delivery by exactly the listed trails and accounts."""
    statements = delivery_statements(_BUCKET, [_TRAILS], [_ACCOUNTS], [_READERS])
    return _policy(bucket_desired(_BUCKET, {}, statements)["policy"])


def key_policy() -> Raw:
    """The log archive key's policy: its account administers it, the listed trails encrypt."""
    return _policy(trail_key_policy(_ROOT, [_TRAILS], [_READERS]))


# -- the module --------------------------------------------------------------------


def _each(type_: str, name: str, for_each: str, *body: Item) -> Block:
    """`resource TYPE NAME { for_each = ...  body }`."""
    return block("resource", type_, name, body=(*attrs(for_each=Raw(for_each)), BLANK, *body))


def _arguments(names: Sequence[str], source: str = "each.value") -> tuple[Item, ...]:
    """`name = each.value.name` for each name."""
    return attrs(**{name: Raw(f"{source}.{name}") for name in names})


def _data_and_locals() -> list[Item]:
    trail_arn = (
        f'"arn:${{{PARTITION}}}:cloudtrail:${{data.aws_region.current.id}}:'
        '${var.log_account_ids[trail.account]}:trail/${trail.name}"'
    )
    return [
        block("data", "aws_partition", "current"),
        block("data", "aws_region", "current"),
        block("data", "aws_caller_identity", "current"),
        block(
            "locals",
            body=attrs(
                log_trail_arns=Raw(
                    f"sort(distinct(concat([for trail in var.log_trails : {trail_arn}], "
                    "var.log_organization_trail_arns)))"
                ),
                log_reader_arns=Raw(
                    "sort(distinct([for account in var.log_readers : "
                    f'"arn:${{{PARTITION}}}:iam::${{var.log_account_ids[account]}}:root"]))'
                ),
                log_config_account_ids=Raw(
                    "sort(distinct([for account in var.log_config_accounts : "
                    "var.log_account_ids[account]]))"
                ),
                log_bucket=Raw(
                    "var.log_bucket != null ? var.log_bucket : "
                    "one([for bucket in aws_s3_bucket.log : bucket.id])"
                ),
                log_kms_key_arn=Raw(
                    "var.log_kms_key_arn != null ? var.log_kms_key_arn : "
                    "one([for key in aws_kms_key.log : key.arn])"
                ),
            ),
        ),
    ]


def _account_settings() -> list[Item]:
    return [
        _each(
            "aws_iam_account_password_policy",
            "this",
            "var.password_policy",
            *_arguments(list(PASSWORD_POLICY_ARGUMENTS.values())),
        ),
        _each(
            "aws_iam_account_alias",
            "this",
            "var.account_alias",
            *attrs(account_alias=Raw("each.value")),
        ),
        _each(
            "aws_s3_account_public_access_block",
            "this",
            "var.s3_public_access_block",
            *_arguments(list(BLOCK_FIELDS)),
        ),
    ]


def _regional_settings() -> list[Item]:
    return [
        _each(
            "aws_ebs_encryption_by_default",
            "this",
            "var.ebs_encryption",
            *attrs(enabled=Raw("each.value.enabled")),
        ),
        block(
            "data",
            "aws_kms_key",
            "ebs",
            body=(
                *attrs(
                    for_each=Raw(
                        "{ for region, ebs in var.ebs_encryption : region => ebs "
                        "if ebs.kms_key != null }"
                    )
                ),
                BLANK,
                *attrs(key_id=Raw("each.value.kms_key")),
            ),
        ),
        _each(
            "aws_ebs_default_kms_key",
            "this",
            "data.aws_kms_key.ebs",
            *attrs(key_arn=Raw("each.value.arn")),
        ),
        _each(
            "aws_guardduty_detector",
            "this",
            "var.guardduty",
            *_arguments(["enable", "finding_publishing_frequency", "tags"]),
        ),
    ]


def _config() -> list[Item]:
    role = f'"arn:${{{PARTITION}}}:iam::${{{ACCOUNT_ID}}}:role/{CONFIG_ROLE}"'
    return [
        _each(
            "aws_config_configuration_recorder",
            "this",
            "var.config_recorders",
            *attrs(name=Raw("each.value.name"), role_arn=Raw(role)),
            BLANK,
            block(
                "recording_group",
                body=_arguments(["all_supported", "include_global_resource_types"]),
            ),
        ),
        _each(
            "aws_config_delivery_channel",
            "this",
            "var.config_recorders",
            *attrs(name=Raw("each.value.channel"), s3_bucket_name=Raw("local.log_bucket")),
            BLANK,
            block(
                "snapshot_delivery_properties",
                body=_arguments(["delivery_frequency"]),
            ),
            BLANK,
            *attrs(
                depends_on=Raw("[aws_config_configuration_recorder.this, aws_s3_bucket_policy.log]")
            ),
        ),
        _each(
            "aws_config_configuration_recorder_status",
            "this",
            "var.config_recorders",
            *attrs(
                name=Raw("aws_config_configuration_recorder.this[each.key].name"),
                is_enabled=Raw("each.value.recording"),
            ),
            BLANK,
            *attrs(depends_on=Raw("[aws_config_delivery_channel.this]")),
        ),
        _each(
            "aws_config_config_rule",
            "this",
            "var.config_rules",
            *attrs(
                name=Raw("each.key"),
                input_parameters=Raw("each.value.input_parameters"),
                tags=Raw("each.value.tags"),
            ),
            BLANK,
            block(
                "source",
                body=attrs(owner="AWS", source_identifier=Raw("each.value.identifier")),
            ),
            BLANK,
            *attrs(depends_on=Raw("[aws_config_configuration_recorder_status.this]")),
        ),
    ]


def _trail() -> Block:
    return _each(
        "aws_cloudtrail",
        "this",
        "var.trails",
        *attrs(
            name=Raw("each.key"),
            s3_bucket_name=Raw("local.log_bucket"),
            kms_key_id=Raw("local.log_kms_key_arn"),
            is_multi_region_trail=Raw("each.value.multi_region"),
            include_global_service_events=Raw("each.value.global_events"),
            enable_log_file_validation=Raw("each.value.log_file_validation"),
            enable_logging=Raw("each.value.logging"),
            tags=Raw("each.value.tags"),
        ),
        BLANK,
        *attrs(depends_on=Raw("[aws_s3_bucket_policy.log, aws_kms_key.log]")),
    )


def _budget() -> Block:
    alert = "notification.value"
    return _each(
        "aws_budgets_budget",
        "this",
        "var.budgets",
        *attrs(
            name=Raw("each.key"),
            budget_type=BUDGET_TYPE,
            limit_amount=Raw("each.value.limit_usd"),
            limit_unit=BUDGET_UNIT,
            time_unit=Raw("each.value.time_unit"),
            tags=Raw("each.value.tags"),
        ),
        BLANK,
        block(
            "dynamic",
            "notification",
            body=(
                *attrs(for_each=Raw("each.value.alerts")),
                BLANK,
                block(
                    "content",
                    body=attrs(
                        comparison_operator=GREATER_THAN,
                        threshold=Raw(f"{alert}.percent"),
                        threshold_type=PERCENTAGE,
                        notification_type=Raw(f'{alert}.forecasted ? "FORECASTED" : "ACTUAL"'),
                        subscriber_email_addresses=Raw(f"{alert}.emails"),
                    ),
                ),
            ),
        ),
    )


def _never_destroyed(terraform_only: str) -> Block:
    return block(
        "lifecycle",
        body=(
            Comment("lz never deletes the log archive: logs would be lost or unreadable."),
            *attrs(prevent_destroy=True),
            *ignore_changes(terraform_only=(terraform_only,)),
        ),
    )


def _log_archive() -> list[Item]:
    def setting(type_: str, *body: Item) -> Block:
        bucket = Raw("aws_s3_bucket.log[each.key].id")
        return _each(type_, "log", "var.log_buckets", *attrs(bucket=bucket), *body)

    return [
        _each(
            "aws_s3_bucket",
            "log",
            "var.log_buckets",
            *attrs(bucket=Raw("each.key"), tags=Raw("each.value.tags")),
            BLANK,
            _never_destroyed("force_destroy"),
        ),
        *bucket_settings(
            setting,
            versioning=LOG_BUCKET["versioning"],
            sse_algorithm=LOG_BUCKET["encryption"],
            public_access_block={
                name: LOG_BUCKET["public_access_block"][aws_name]
                for aws_name, name in PUBLIC_ACCESS_BLOCK_NAMES.items()
            },
            policy=bucket_policy(),
        ),
        _each(
            "aws_kms_key",
            "log",
            "var.log_kms_keys",
            *attrs(
                description=Raw("each.value.description"),
                enable_key_rotation=LOG_KEY_ROTATION,
                policy=key_policy(),
                tags=Raw("each.value.tags"),
            ),
            BLANK,
            _never_destroyed("bypass_policy_lockout_safety_check"),
        ),
        _each(
            "aws_kms_alias",
            "log",
            "var.log_kms_keys",
            *attrs(
                name=Raw('"alias/${each.key}"'),
                target_key_id=Raw("aws_kms_key.log[each.key].key_id"),
            ),
        ),
    ]


MODULE = Module(
    name="baseline",
    description="An account's baseline settings in one region, and the log archive",
    variables=VARIABLES,
    main=[
        *_data_and_locals(),
        *_account_settings(),
        *_regional_settings(),
        *_config(),
        _trail(),
        _budget(),
        *_log_archive(),
    ],
    outputs=OUTPUTS,
)


# -- the stacks --------------------------------------------------------------------

Record = ResourceRecord | None
Getter = Callable[[Node, Record, Inventory], Any]
Imports = Callable[[Node, ResourceRecord, Inventory], list[tuple[str, str]]]


@dataclass(frozen=True)
class _Kind:
    """How a node kind maps to the module: its variable, its key there, its value, its imports."""

    variable: str
    key: Callable[[Node, Inventory], str]
    value: Getter
    imports: Imports  # [(resource, Terraform's import ID)] of a node lz applied


def _by_account(node: Node, inventory: Inventory) -> str:
    return node.account


def _by_region(node: Node, inventory: Inventory) -> str:
    return str(node.region)


def _by_name(node: Node, inventory: Inventory) -> str:
    return str(node.desired["name"])


def _bucket_name(node: Node, inventory: Inventory) -> str:
    return str(inventory.fill(node.desired["name"], node.account))


def _alias_name(node: Node, inventory: Inventory) -> str:
    return str(node.desired["alias"]).removeprefix("alias/")


def _ebs_key(node: Node, inventory: Inventory) -> str | None:
    key = node.desired.get("kms_key")
    return None if key is None else str(inventory.fill(key, node.account))


def _channel(record: Record) -> str:
    """The recorder's delivery channel: the one lz found (and kept) when it applied, else
    the one it creates, `default`."""
    return str((record.attrs.get("channel_name") if record else None) or DEFAULT_NAME)


def _tagged(node: Node, *names: str) -> dict[str, Any]:
    """Some desired attributes, and the tags less ManagedBy."""
    return {**{n: node.desired[n] for n in names}, "tags": exported_tags(node.desired["tags"])}


def _fixed(node: Node, fixed: Mapping[str, Any], *names: str) -> dict[str, Any]:
    """The value of a node whose other settings the module writes as constants (checked)."""
    differ = sorted(k for k, v in fixed.items() if node.desired[k] != v)
    if differ:
        raise RuntimeError(f"internal error: {node.address}: {differ} differ from the module's")
    return _tagged(node, *names)


def _record_id(resource: str) -> Imports:
    return lambda node, record, inventory: [(resource, record.id)]


KINDS: dict[str, _Kind] = {
    "password_policy": _Kind(
        "password_policy",
        _by_account,
        lambda node, record, inventory: {
            PASSWORD_POLICY_ARGUMENTS[attr]: node.desired[attr] for attr in PASSWORD_POLICY_FIELDS
        },
        lambda node, record, inventory: [
            ("aws_iam_account_password_policy.this", PASSWORD_POLICY_ID)
        ],
    ),
    "account_alias": _Kind(
        "account_alias",
        _by_account,
        lambda node, record, inventory: node.desired["alias"],
        lambda node, record, inventory: [("aws_iam_account_alias.this", node.desired["alias"])],
    ),
    "s3_public_access_block": _Kind(
        "s3_public_access_block",
        _by_account,
        lambda node, record, inventory: {f: node.desired[f] for f in BLOCK_FIELDS},
        _record_id("aws_s3_account_public_access_block.this"),  # the account's ID
    ),
    "ebs_encryption": _Kind(
        "ebs_encryption",
        _by_region,
        lambda node, record, inventory: {
            "enabled": node.desired["enabled"],
            "kms_key": _ebs_key(node, inventory),
        },
        lambda node, record, inventory: [
            ("aws_ebs_encryption_by_default.this", EBS_ENCRYPTION_ID),
            *(
                [("aws_ebs_default_kms_key.this", key)]
                if (key := _ebs_key(node, inventory))
                else []
            ),
        ],
    ),
    "guardduty": _Kind(
        "guardduty",
        _by_region,
        lambda node, record, inventory: {
            "enable": node.desired["enabled"],
            **_tagged(node, "finding_publishing_frequency"),
        },
        _record_id("aws_guardduty_detector.this"),  # the detector's ID
    ),
    "config_recorder": _Kind(
        "config_recorders",
        _by_region,
        lambda node, record, inventory: {
            "name": record.id if record else DEFAULT_NAME,
            "channel": _channel(record),
            **{
                n: node.desired[n]
                for n in (
                    "all_supported",
                    "include_global_resource_types",
                    "delivery_frequency",
                    "recording",
                )
            },
        },
        lambda node, record, inventory: [
            (CONFIG_RECORDER, record.id),
            (CONFIG_CHANNEL, _channel(record)),
            (CONFIG_STATUS, record.id),
        ],
    ),
    "config_rule": _Kind(
        "config_rules",
        _by_name,
        lambda node, record, inventory: {
            "identifier": node.desired["identifier"],
            # as lz writes InputParameters: sorted JSON, absent when there are none
            "input_parameters": json.dumps(node.desired["parameters"], sort_keys=True)
            if node.desired["parameters"]
            else None,
            "tags": exported_tags(node.desired["tags"]),
        },
        _record_id("aws_config_config_rule.this"),  # the rule's name
    ),
    "trail": _Kind(
        "trails",
        _by_name,
        lambda node, record, inventory: _tagged(
            node, "multi_region", "global_events", "log_file_validation", "logging"
        ),
        _record_id("aws_cloudtrail.this"),  # the trail's ARN
    ),
    "budget": _Kind(
        "budgets",
        _by_name,
        lambda node, record, inventory: {
            **{n: node.desired[n] for n in ("limit_usd", "time_unit")},
            "alerts": [
                {k: alert[k] for k in ("percent", "forecasted", "emails")}
                for alert in node.desired["alerts"]
            ],
            "tags": exported_tags(node.desired["tags"]),
        },
        # Terraform imports a budget as ACCOUNT_ID:NAME
        lambda node, record, inventory: [
            ("aws_budgets_budget.this", f"{inventory.account_id(node.account)}:{record.id}")
        ],
    ),
    "log_bucket": _Kind(
        "log_buckets",
        _bucket_name,
        lambda node, record, inventory: _fixed(node, LOG_BUCKET),
        lambda node, record, inventory: [
            (resource, record.id) for resource in LOG_BUCKET_RESOURCES
        ],
    ),
    "kms_key": _Kind(
        "log_kms_keys",
        _alias_name,
        lambda node, record, inventory: _fixed(node, {"rotation": LOG_KEY_ROTATION}, "description"),
        # lz records the key's ARN; Terraform imports a key by its ID, an alias by its name
        lambda node, record, inventory: [
            ("aws_kms_key.log", record.id.rpartition("/")[2]),
            ("aws_kms_alias.log", node.desired["alias"]),
        ],
    ),
}

# Values of a stack with nothing of a variable: lists and maps empty, the log archive's
# references null.
EMPTY: dict[str, Any] = {
    v.name: [] if v.type.startswith("list") else None if v.type == "string" else {}
    for v in VARIABLES
}


def _add(found: PartBuilder, node: Node, inventory: Inventory) -> None:
    """A node's entry in its kind's variable, and its imports once lz applied it."""
    kind = KINDS[node.kind]
    record = inventory.record(node.address)
    key = kind.key(node, inventory)
    found.add(node, kind.variable, key, kind.value(node, record, inventory))
    if record is None:
        found.pending.append(node.address)
        return
    for resource, import_id in kind.imports(node, record, inventory):
        found.imported(node, resource, key, import_id)


def _empty() -> dict[str, Any]:
    """Fresh values of a stack with nothing yet (see EMPTY)."""
    return {k: type(v)() if v is not None else None for k, v in EMPTY.items()}


@register
class BaselineExporter(Exporter):
    """Account baselines and the log archive: one stack per account and region."""

    name = "baseline"
    kinds = frozenset(KINDS)

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        home = inventory.spec.organization.home_region
        stacks: dict[StackRef, PartBuilder] = {}
        for node in sorted(nodes, key=lambda n: n.address):
            ref = StackRef(node.account, node.region or home, STACK)
            _add(stacks.setdefault(ref, PartBuilder(ref, MODULE, **_empty())), node, inventory)
        archive = self._archive_stack(nodes, home)
        for ref, found in stacks.items():
            if ref == archive:
                found.remote["log_account_ids"] = RemoteOutput(
                    inventory.organization_stack(), "account_ids"
                )
                found.values.update(_delivering(nodes, inventory))
            elif archive is not None and (
                found.values["trails"] or found.values["config_recorders"]
            ):
                found.remote["log_bucket"] = RemoteOutput(archive, "log_bucket")
                found.remote["log_kms_key_arn"] = RemoteOutput(archive, "log_kms_key_arn")
        return [found.part() for _, found in sorted(stacks.items())]

    @staticmethod
    def _archive_stack(nodes: Sequence[Node], home: str) -> StackRef | None:
        """The log archive's stack: where its bucket and key are."""
        accounts = {n.account for n in nodes if n.kind in ("log_bucket", "kms_key")}
        return StackRef(accounts.pop(), home, STACK) if accounts else None


def _delivering(nodes: Sequence[Node], inventory: Inventory) -> dict[str, Any]:
    """The trails (by account and name, and the organization trail by ARN), Config
    accounts and reading accounts the log archive's policies allow."""
    trails = sorted((n.account, n.desired["name"]) for n in nodes if n.kind == "trail")
    organization_trail = organization_trail_arn(inventory.spec)
    security = inventory.spec.security
    return {
        "log_trails": [{"account": account, "name": name} for account, name in trails],
        "log_config_accounts": sorted({n.account for n in nodes if n.kind == "config_recorder"}),
        "log_organization_trail_arns": (
            [inventory.fill(organization_trail, MANAGEMENT)] if organization_trail else []
        ),
        "log_readers": [security.account] if organization_trail and security else [],
    }
