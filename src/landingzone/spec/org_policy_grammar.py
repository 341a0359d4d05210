"""The grammar of the Organizations policy types other than SCPs, checked before AWS sees them.

- Resource control policies, from "RCP syntax"
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html):
  `Version` "2012-10-17"; statements of `Sid`, `Effect` (only `Deny`: `Allow`
  is reserved for AWS's RCPFullAWSAccess), `Principal` (only `"*"`), `Action`
  (no `NotAction`), `Resource` or `NotResource`, `Condition`. Actions name
  only services that support RCPs ("List of AWS services that support RCPs",
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
- Management policies (tag, backup, AI services opt-out, declarative EC2), from
  "Understanding management policy inheritance"
  (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html)
  and each type's syntax page: the document's top-level key is the type's
  (`tags`, `plans`, `services`, `ec2_attributes`); operators are the type's
  value-setting operators (`@@assign`; tag and backup policies also `@@append`
  and `@@remove`) and the child control operator
  `@@operators_allowed_for_child_policies`, whose values are `@@all`, `@@none`
  or value-setting operators.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from landingzone.access.rcp_scope import RCP_SERVICES
from landingzone.spec.policy_rules import Finding, each_statement, is_names
from landingzone.spec.tree import TreePath
from landingzone.suggest import did_you_mean

RCP_DOCUMENT_KEYS = ("Version", "Statement")
RCP_STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Principal",
    "Action",
    "Resource",
    "NotResource",
    "Condition",
)
CHILD_CONTROL = "@@operators_allowed_for_child_policies"
# type -> (top-level key, value-setting operators, keys allowed one level below each entry)
MANAGEMENT_GRAMMAR: dict[str, tuple[str, tuple[str, ...], tuple[str, ...] | None]] = {
    "tag": (
        "tags",
        ("@@assign", "@@append", "@@remove"),
        ("tag_key", "tag_value", "enforced_for", "report_required_tag_for"),
    ),
    "backup": (
        "plans",
        ("@@assign", "@@append", "@@remove"),
        ("regions", "rules", "selections", "advanced_backup_settings", "backup_plan_tags"),
    ),
    "aiservices_opt_out": ("services", ("@@assign",), ("opt_out_policy",)),
    "declarative_ec2": ("ec2_attributes", ("@@assign",), None),
}
DECLARATIVE_EC2_ATTRIBUTES = (
    "allowed_images_settings",
    "image_block_public_access",
    "instance_metadata_defaults",
    "serial_console_access",
    "snapshot_block_public_access",
    "vpc_block_public_access",
)
AI_OPT_OUT_VALUES = ("optIn", "optOut")


def check_rcp_document(document: Mapping[str, object]) -> Iterator[Finding]:
    """Where `document` breaks the RCP grammar (see the module docstring)."""
    for key in document:
        if key not in RCP_DOCUMENT_KEYS:
            yield (key,), f'unknown key "{key}" in an RCP{did_you_mean(key, RCP_DOCUMENT_KEYS)}'
    if document.get("Version") != "2012-10-17":
        yield (
            ("Version",),
            f'an RCP needs "Version": "2012-10-17", got {_shown(document.get("Version"))}',
        )
    yield from each_statement(document, _rcp_statement)


def _rcp_statement(statement: object, path: TreePath) -> Iterator[Finding]:
    if not isinstance(statement, dict):
        yield path, "a statement must be a map"
        return
    for key in statement:
        if key in ("NotAction", "NotPrincipal"):
            yield (*path, key), f"RCPs do not support {key}"
        elif key not in RCP_STATEMENT_KEYS:
            yield (
                (*path, key),
                (f'unknown key "{key}" in an RCP statement{did_you_mean(key, RCP_STATEMENT_KEYS)}'),
            )
    if statement.get("Effect") != "Deny":
        yield (
            (*path, "Effect"),
            (
                f"an RCP statement's Effect must be \"Deny\" (Allow is reserved for AWS's "
                f"RCPFullAWSAccess), got {_shown(statement.get('Effect'))}"
            ),
        )
    if statement.get("Principal") != "*":
        yield (
            (*path, "Principal"),
            (f'an RCP statement needs "Principal": "*", got {_shown(statement.get("Principal"))}'),
        )
    actions = statement.get("Action")
    if not is_names(actions):
        yield (*path, "Action"), "an RCP statement needs Action: a string or a non-empty list"
    else:
        names = actions if isinstance(actions, list) else [actions]
        for index, action in enumerate(names):
            problem = _rcp_action_problem(str(action))
            if problem:
                where = (*path, "Action", index) if isinstance(actions, list) else (*path, "Action")
                yield where, problem
    present = [key for key in ("Resource", "NotResource") if key in statement]
    if len(present) != 1:
        yield path, "an RCP statement needs exactly one of Resource or NotResource"
    for key in present:
        if not is_names(statement[key]):
            yield (*path, key), f"{key} must be a string or a non-empty list of strings"
    if "Condition" in statement and not isinstance(statement["Condition"], dict):
        yield (*path, "Condition"), "Condition must be a map"


def _rcp_action_problem(action: str) -> str | None:
    if action == "*":
        return None
    service, colon, name = action.partition(":")
    if not colon or not name:
        return f'action "{action}" is not "*" or "service:action"'
    if service.lower() not in RCP_SERVICES:
        return (
            f'action "{action}": {service} does not support RCPs (services that do: '
            f"{', '.join(RCP_SERVICES)})"
        )
    return None


def check_management_document(
    policy_type: str, document: Mapping[str, object]
) -> Iterator[Finding]:
    """Where a tag, backup, AI services opt-out or declarative EC2 policy breaks its grammar."""
    root, operators, entry_keys = MANAGEMENT_GRAMMAR[policy_type]
    for key in document:
        if key != root:
            yield (key,), f'unknown key "{key}": this policy type\'s document has "{root}" only'
    body = document.get(root)
    if not isinstance(body, dict) or not body:
        yield (root,), f'"{root}" must be a non-empty map'
        return
    yield from _operators(body, (root,), operators)
    for name, entry in body.items():
        if name == CHILD_CONTROL:
            continue
        where: TreePath = (root, name)
        if policy_type == "declarative_ec2" and name not in DECLARATIVE_EC2_ATTRIBUTES:
            yield (
                where,
                (
                    f'unknown EC2 attribute "{name}"'
                    f"{did_you_mean(name, DECLARATIVE_EC2_ATTRIBUTES)}"
                    f" (known: {', '.join(DECLARATIVE_EC2_ATTRIBUTES)})"
                ),
            )
        if not isinstance(entry, dict):
            yield where, f'"{name}" must be a map'
            continue
        for key in entry:
            if entry_keys is not None and key not in (*entry_keys, CHILD_CONTROL):
                yield (
                    (*where, key),
                    (
                        f'unknown key "{key}"{did_you_mean(key, entry_keys)} '
                        f"(known: {', '.join(entry_keys)})"
                    ),
                )
        if policy_type == "aiservices_opt_out":
            yield from _opt_out_value(entry, where)


def _opt_out_value(entry: Mapping[str, object], where: TreePath) -> Iterator[Finding]:
    setting = entry.get("opt_out_policy")
    if not isinstance(setting, dict):
        return
    value = setting.get("@@assign")
    if value is not None and value not in AI_OPT_OUT_VALUES:
        yield (
            (*where, "opt_out_policy", "@@assign"),
            (f'opt_out_policy must be "optIn" or "optOut", got {_shown(value)}'),
        )


def _operators(node: object, path: TreePath, operators: tuple[str, ...]) -> Iterator[Finding]:
    """Every `@@` key below `node` is a known operator; child control values are valid."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _operators(item, (*path, index), operators)
        return
    if not isinstance(node, dict):
        return
    known = (*operators, CHILD_CONTROL)
    for key, value in node.items():
        if key.startswith("@@") and key not in known:
            yield (
                (*path, key),
                (
                    f'unknown operator "{key}"{did_you_mean(key, known)} '
                    f"(this policy type takes {', '.join(known)})"
                ),
            )
        elif key == CHILD_CONTROL:
            allowed = ("@@all", "@@none", *operators)
            values = value if isinstance(value, list) else [value]
            for item in values:
                if item not in allowed:
                    yield (
                        (*path, key),
                        (f"{CHILD_CONTROL} takes {', '.join(allowed)}, got {_shown(item)}"),
                    )
        else:
            yield from _operators(value, (*path, key), operators)


def _shown(value: object) -> str:
    return "none" if value is None else json.dumps(value)
