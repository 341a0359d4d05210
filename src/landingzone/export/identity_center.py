"""The identity stacks: IAM Identity Center for people (docs/identity.md).

Exports the kinds of the `identity_center` section into two modules:

- `modules/identity_center/`, in the administering account's `identity`
  stack (the instance's region): the organization's instance (a data
  source), groups (`aws_identitystore_group`; external ones and users looked
  up by name), permission sets (`aws_ssoadmin_permission_set`) with their
  managed and customer managed policy attachments, inline policy and
  permissions boundary, and account assignments
  (`aws_ssoadmin_account_assignment`), the accounts' IDs read from the
  organization stack;
- `modules/identity_center_delegation/`, in the management account's
  `identity` stack, when a member account administers Identity Center: its
  registration as delegated administrator.

Every resource lz applied gets an import block with Terraform's import ID.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from landingzone.export.builder import PartBuilder
from landingzone.export.hcl import Block, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.model import Module, Output, RemoteOutput, StackPart, StackRef, Variable
from landingzone.export.organization import exported_tags
from landingzone.export.registry import Exporter, register
from landingzone.nodes import MANAGEMENT, Node
from landingzone.resources.base import minified

STACK = "identity"
SET = "aws_ssoadmin_permission_set.this[each.value.permission_set].arn"
INSTANCE = "local.instance_arn"
REFERENCE = "object({\npermission_set = string\nname = string\npath = string\n})"

VARIABLES = (
    Variable("groups", "map(object({\ndescription = string\n}))", "Groups lz creates, by name"),
    Variable("external_groups", "set(string)", "Groups that exist already, looked up by name"),
    Variable("users", "set(string)", "Users assignments name, looked up by user name"),
    Variable(
        "permission_sets",
        "map(object({\ndescription = string\nsession_duration = string\n"
        "relay_state = string\ntags = map(string)\n}))",
        "Permission sets by name",
    ),
    Variable(
        "managed_policies",
        "map(object({\npermission_set = string\narn = string\n}))",
        "AWS managed policies of the permission sets, by SET/ARN",
    ),
    Variable(
        "customer_managed_policies",
        f"map({REFERENCE})",
        "Customer managed policies of the permission sets, by SET/PATH+NAME",
    ),
    Variable("inline_policies", "map(string)", "Inline policies (JSON) by permission set"),
    Variable(
        "boundaries",
        "map(object({\nmanaged_policy_arn = string\ncustomer_managed = list(object({\n"
        "name = string\npath = string\n}))\n}))",
        "Permissions boundaries by permission set: an AWS managed policy or a customer one",
    ),
    Variable(
        "assignments",
        "map(object({\npermission_set = string\nprincipal_type = string\n"
        "principal = string\naccount = string\n}))",
        "Account assignments by lz's name (ACCOUNT/SET/group:NAME)",
    ),
    Variable("account_ids", "map(string)", "The assigned accounts' IDs, by name"),
)

DELEGATION_VARIABLES = (
    Variable("administrator_id", "string", "The account that administers IAM Identity Center"),
)


def _main() -> list[Item]:
    principal = (
        'each.value.principal_type == "USER" ? '
        "data.aws_identitystore_user.this[each.value.principal].user_id : "
        "contains(keys(var.groups), each.value.principal) ? "
        "aws_identitystore_group.this[each.value.principal].group_id : "
        "data.aws_identitystore_group.external[each.value.principal].group_id"
    )

    def lookup(kind: str, label: str, variable: str, attribute: str) -> Block:
        return block(
            "data",
            f"aws_identitystore_{kind}",
            label,
            body=(
                *attrs(for_each=Raw(variable), identity_store_id=Raw("local.identity_store_id")),
                block(
                    "alternate_identifier",
                    body=(
                        block(
                            "unique_attribute",
                            body=attrs(attribute_path=attribute, attribute_value=Raw("each.value")),
                        ),
                    ),
                ),
            ),
        )

    return [
        block("data", "aws_ssoadmin_instances", "this"),
        block(
            "locals",
            body=attrs(
                instance_arn=Raw("tolist(data.aws_ssoadmin_instances.this.arns)[0]"),
                identity_store_id=Raw(
                    "tolist(data.aws_ssoadmin_instances.this.identity_store_ids)[0]"
                ),
            ),
        ),
        block(
            "resource",
            "aws_identitystore_group",
            "this",
            body=attrs(
                for_each=Raw("var.groups"),
                identity_store_id=Raw("local.identity_store_id"),
                display_name=Raw("each.key"),
                description=Raw("each.value.description"),
            ),
        ),
        lookup("group", "external", "var.external_groups", "DisplayName"),
        lookup("user", "this", "var.users", "UserName"),
        block(
            "resource",
            "aws_ssoadmin_permission_set",
            "this",
            body=attrs(
                for_each=Raw("var.permission_sets"),
                instance_arn=Raw(INSTANCE),
                name=Raw("each.key"),
                description=Raw("each.value.description"),
                session_duration=Raw("each.value.session_duration"),
                relay_state=Raw("each.value.relay_state"),
                tags=Raw("each.value.tags"),
            ),
        ),
        block(
            "resource",
            "aws_ssoadmin_managed_policy_attachment",
            "this",
            body=attrs(
                for_each=Raw("var.managed_policies"),
                instance_arn=Raw(INSTANCE),
                permission_set_arn=Raw(SET),
                managed_policy_arn=Raw("each.value.arn"),
            ),
        ),
        block(
            "resource",
            "aws_ssoadmin_customer_managed_policy_attachment",
            "this",
            body=(
                *attrs(
                    for_each=Raw("var.customer_managed_policies"),
                    instance_arn=Raw(INSTANCE),
                    permission_set_arn=Raw(SET),
                ),
                block(
                    "customer_managed_policy_reference",
                    body=attrs(name=Raw("each.value.name"), path=Raw("each.value.path")),
                ),
            ),
        ),
        block(
            "resource",
            "aws_ssoadmin_permission_set_inline_policy",
            "this",
            body=attrs(
                for_each=Raw("var.inline_policies"),
                instance_arn=Raw(INSTANCE),
                permission_set_arn=Raw("aws_ssoadmin_permission_set.this[each.key].arn"),
                inline_policy=Raw("each.value"),
            ),
        ),
        block(
            "resource",
            "aws_ssoadmin_permissions_boundary_attachment",
            "this",
            body=(
                *attrs(
                    for_each=Raw("var.boundaries"),
                    instance_arn=Raw(INSTANCE),
                    permission_set_arn=Raw("aws_ssoadmin_permission_set.this[each.key].arn"),
                ),
                block(
                    "permissions_boundary",
                    body=(
                        *attrs(managed_policy_arn=Raw("each.value.managed_policy_arn")),
                        block(
                            "dynamic",
                            "customer_managed_policy_reference",
                            body=(
                                *attrs(for_each=Raw("each.value.customer_managed")),
                                block(
                                    "content",
                                    body=attrs(
                                        name=Raw("customer_managed_policy_reference.value.name"),
                                        path=Raw("customer_managed_policy_reference.value.path"),
                                    ),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        block(
            "resource",
            "aws_ssoadmin_account_assignment",
            "this",
            body=attrs(
                for_each=Raw("var.assignments"),
                instance_arn=Raw(INSTANCE),
                permission_set_arn=Raw(SET),
                principal_type=Raw("each.value.principal_type"),
                principal_id=Raw(principal),
                target_type="AWS_ACCOUNT",
                target_id=Raw("var.account_ids[each.value.account]"),
            ),
        ),
    ]


MODULE = Module(
    name="identity_center",
    description="IAM Identity Center: groups, permission sets and account assignments",
    variables=VARIABLES,
    main=_main(),
    outputs=(
        Output(
            "permission_set_arns",
            "{ for name, p in aws_ssoadmin_permission_set.this : name => p.arn }",
            "Permission sets' ARNs by name",
        ),
    ),
)
DELEGATION_MODULE = Module(
    name="identity_center_delegation",
    description="A member account as IAM Identity Center's delegated administrator",
    variables=DELEGATION_VARIABLES,
    main=[
        block(
            "resource",
            "aws_organizations_delegated_administrator",
            "this",
            body=attrs(
                for_each=Raw('{ "sso.amazonaws.com" = var.administrator_id }'),
                account_id=Raw("each.value"),
                service_principal=Raw("each.key"),
            ),
        )
    ],
    outputs=(),
)

KINDS = frozenset({"sso_delegated_admin", "sso_group", "permission_set", "sso_assignment"})


@register
class IdentityCenterExporter(Exporter):
    """The `identity_center` section: the administering account's `identity` stack."""

    name = "identity_center"
    kinds = KINDS

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        by_stack: dict[StackRef, list[Node]] = defaultdict(list)
        home = inventory.spec.organization.home_region
        for node in nodes:
            if node.kind == "sso_delegated_admin":
                by_stack[StackRef(MANAGEMENT, home, STACK)].append(node)
            else:
                by_stack[StackRef(node.account, node.region or home, STACK)].append(node)
        parts = []
        for stack, found in sorted(by_stack.items()):
            if stack.account == MANAGEMENT and all(n.kind == "sso_delegated_admin" for n in found):
                parts.append(_delegation_part(stack, found, inventory))
            else:
                parts.append(_identity_part(stack, found, inventory))
        return parts


def _account_id(inventory: Inventory, account: str) -> RemoteOutput:
    output = inventory.account_id_output(account)
    assert output is not None
    return output


def _delegation_part(stack: StackRef, nodes: Sequence[Node], inventory: Inventory) -> StackPart:
    [node] = nodes
    part = PartBuilder(
        stack, DELEGATION_MODULE, remote={"administrator_id": _account_id(inventory, node.account)}
    )
    part.nodes.append(node)
    record = inventory.record(node.address)
    # lz's ID is SERVICE/ACCOUNT; Terraform's is ACCOUNT/SERVICE.
    service, _, account_id = record.id.partition("/") if record else ("", "", "")
    part.imported(
        node,
        "aws_organizations_delegated_administrator.this",
        "sso.amazonaws.com",
        f"{account_id}/{service}" if record else None,
    )
    return part.part()


def _identity_part(stack: StackRef, nodes: Sequence[Node], inventory: Inventory) -> StackPart:
    section = inventory.spec.identity_center
    assert section is not None
    part = PartBuilder(
        stack,
        MODULE,
        maps=("account_ids",),
        external_groups=sorted(name for name, g in section.groups.items() if g.external),
        users=sorted({a.user for a in section.assignments if a.user}),
    )
    for node in nodes:
        record = inventory.record(node.address)
        found = record.id if record else None
        desired: dict[str, Any] = dict(node.desired)
        if node.kind == "sso_group":
            part.add(node, "groups", desired["name"], {"description": desired["description"]})
            part.imported(node, "aws_identitystore_group.this", desired["name"], found)
        elif node.kind == "permission_set":
            _permission_set(part, node, desired, found)
        elif node.kind == "sso_assignment":
            target = desired["target"]
            part.add(
                node,
                "assignments",
                node.name,
                {
                    "permission_set": desired["permission_set"],
                    "principal_type": desired["principal_type"],
                    "principal": desired["principal"],
                    "account": target,
                },
            )
            part.read("account_ids", target, _account_id(inventory, target))
            part.imported(node, "aws_ssoadmin_account_assignment.this", node.name, found)
    return part.part()


def _permission_set(
    part: PartBuilder, node: Node, desired: dict[str, Any], arn: str | None
) -> None:
    """A permission set and what hangs on it; import IDs end with `SET_ARN,INSTANCE_ARN`."""
    name = desired["name"]
    suffix = f"{arn},{instance_of(arn)}" if arn else None

    def imported(resource: str, key: str, prefix: str = "") -> None:
        part.imported(node, resource, key, f"{prefix}{suffix}" if suffix else None)

    part.add(
        node,
        "permission_sets",
        name,
        {
            "description": desired["description"],
            "session_duration": desired["session_duration"],
            "relay_state": desired["relay_state"],
            "tags": exported_tags(desired["tags"]),
        },
    )
    imported("aws_ssoadmin_permission_set.this", name)
    for policy in desired["managed_policies"]:
        key = f"{name}/{policy}"
        part.values["managed_policies"][key] = {"permission_set": name, "arn": policy}
        imported("aws_ssoadmin_managed_policy_attachment.this", key, f"{policy},")
    for reference in desired["customer_managed_policies"]:
        key = f"{name}/{reference['path']}{reference['name']}"
        part.values["customer_managed_policies"][key] = {"permission_set": name, **reference}
        imported(
            "aws_ssoadmin_customer_managed_policy_attachment.this",
            key,
            f"{reference['name']},{reference['path']},",
        )
    if desired["inline_policy"]:
        part.values["inline_policies"][name] = minified(desired["inline_policy"])
        imported("aws_ssoadmin_permission_set_inline_policy.this", name)
    boundary = desired["permissions_boundary"]
    if boundary:
        reference = boundary.get("customer_managed_policy")
        part.values["boundaries"][name] = {
            "managed_policy_arn": boundary.get("managed_policy"),
            "customer_managed": [reference] if reference else [],
        }
        imported("aws_ssoadmin_permissions_boundary_attachment.this", name)


def instance_of(permission_set_arn: str) -> str:
    """The instance ARN of a permission set's ARN (`...:permissionSet/ssoins-X/ps-Y`)."""
    head, _, rest = permission_set_arn.partition(":permissionSet/")
    return f"{head}:instance/{rest.split('/', 1)[0]}"
