"""The organization stack: organization, policy types, OUs, accounts, policies and attachments.

Exports the kinds `organization`, `root`, `unit`, `account` and `policy` into
`modules/organization/`, called from `live/management-<home region>/organization/`.
Its outputs (`account_ids`, `unit_ids`, ...) are what other stacks read.

Terraform cannot let a resource refer to itself, so OUs are one resource per
depth (`level_1` ... `level_5`, AWS's maximum), each below the previous.
Attachments are keyed `<policy>@<target>`, the target being `root`,
`unit:<path>` or `account:<name>`. Tags are lz's minus `ManagedBy`, which the
provider's default tags set to `terraform`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from landingzone.export.hcl import BLANK, Block, Comment, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.model import Import, Module, Output, StackPart, Variable
from landingzone.export.registry import Exporter, register
from landingzone.nodes import MANAGED_BY_KEY, Node
from landingzone.resources.base import minified

MAX_DEPTH = 5  # AWS Organizations: OUs nest at most five levels below the root

ORGANIZATION = "aws_organizations_organization.this"
ACCOUNT = "aws_organizations_account.this"
POLICY = "aws_organizations_policy.this"
ATTACHMENT = "aws_organizations_policy_attachment.this"


def unit_resource(path: str) -> str:
    """The resource of the OU at `path`: one per depth."""
    return f"aws_organizations_organizational_unit.level_{path.count('/') + 1}"


def exported_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """lz's tags on a resource, less ManagedBy (the provider's default tags set it)."""
    return {k: v for k, v in sorted(tags.items()) if k != MANAGED_BY_KEY}


VARIABLES = (
    Variable(
        "access_role",
        "string",
        "Role AWS creates in new accounts, assumed to reach them (organization.access_role)",
    ),
    Variable("feature_set", "string", "The organization's feature set"),
    Variable("enabled_policy_types", "list(string)", "Policy types enabled on the root"),
    Variable("root_policies", "list(string)", "Policies attached to the root, by name"),
    Variable(
        "units",
        "map(object({\npolicies = list(string)\ntags = map(string)\n}))",
        "OUs by path (parents first in the path: plat/sandbox); their policies by name",
    ),
    Variable(
        "accounts",
        "map(object({\nname = string\nemail = string\nunit = string\n"
        "close_on_deletion = bool\npolicies = list(string)\ntags = map(string)\n}))",
        'Member accounts by spec name; unit "" is the root',
    ),
    Variable(
        "policies",
        "map(object({\ntype = string\ndescription = string\ncontent = string\n"
        "tags = map(string)\n}))",
        "Organizations policies by name: SCPs, RCPs, tag, backup, AI services opt-out and "
        "declarative EC2 policies (type is AWS's); content is the policy JSON",
    ),
)

OUTPUTS = (
    Output("organization_id", "aws_organizations_organization.this.id", "The organization's ID"),
    Output(
        "management_account_id",
        "aws_organizations_organization.this.master_account_id",
        "The management account's ID",
    ),
    Output("root_id", "local.root_id", "The root's ID"),
    Output("unit_ids", "local.unit_ids", "OU IDs by path"),
    Output(
        "account_ids",
        "{ for name, account in aws_organizations_account.this : name => account.id }",
        "Account IDs by spec name",
    ),
    Output(
        "policy_ids",
        "{ for name, policy in aws_organizations_policy.this : name => policy.id }",
        "Policy IDs by name",
    ),
)


def _targets_merge(source: str, target: str) -> str:
    """Attachments of one kind of target: `<policy>@<target>` -> {policy, target}."""
    return (
        f"merge([for name, item in {source} : "
        f'{{ for policy in item.policies : "${{policy}}@{target}" => '
        f'{{ policy = policy, target = "{target}" }} }}]...)'
    )


def _locals() -> Block:
    unit_ids = ",\n".join(
        f"{{ for path, unit in aws_organizations_organizational_unit.level_{d} : path => unit.id }}"
        for d in range(1, MAX_DEPTH + 1)
    )
    return block(
        "locals",
        body=attrs(
            root_id=Raw("aws_organizations_organization.this.roots[0].id"),
            units=Raw(
                "{\nfor path, unit in var.units : path => merge(unit, {\n"
                'depth = length(split("/", path))\n'
                'name = reverse(split("/", path))[0]\n'
                'parent = join("/", slice(split("/", path), 0, length(split("/", path)) - 1))\n'
                "})\n}"
            ),
            unit_ids=Raw(f"merge(\n{unit_ids},\n)"),
            target_ids=Raw(
                "merge(\n{ root = local.root_id },\n"
                '{ for path, id in local.unit_ids : "unit:${path}" => id },\n'
                '{ for name, account in aws_organizations_account.this : "account:${name}" '
                "=> account.id },\n)"
            ),
            attachments=Raw(
                "merge(\n"
                '{ for policy in var.root_policies : "${policy}@root" => '
                '{ policy = policy, target = "root" } },\n'
                + _targets_merge("var.units", "unit:${name}")
                + ",\n"
                + _targets_merge("var.accounts", "account:${name}")
                + ",\n)"
            ),
        ),
    )


def _unit_level(depth: int) -> Block:
    parent = "local.root_id"
    if depth > 1:
        parent = f"aws_organizations_organizational_unit.level_{depth - 1}[each.value.parent].id"
    return block(
        "resource",
        "aws_organizations_organizational_unit",
        f"level_{depth}",
        body=(
            *attrs(
                for_each=Raw(
                    f"{{ for path, unit in local.units : path => unit if unit.depth == {depth} }}"
                )
            ),
            BLANK,
            *attrs(name=Raw("each.value.name"), parent_id=Raw(parent), tags=Raw("each.value.tags")),
        ),
    )


def _main() -> list[Item]:
    return [
        block(
            "resource",
            "aws_organizations_organization",
            "this",
            body=(
                *attrs(
                    feature_set=Raw("var.feature_set"),
                    enabled_policy_types=Raw("var.enabled_policy_types"),
                ),
                BLANK,
                block(
                    "lifecycle",
                    body=(
                        *attrs(prevent_destroy=True),
                        Comment("lz does not manage trusted access for AWS services."),
                        *attrs(ignore_changes=Raw("[aws_service_access_principals]")),
                    ),
                ),
            ),
        ),
        _locals(),
        *(_unit_level(depth) for depth in range(1, MAX_DEPTH + 1)),
        block(
            "resource",
            "aws_organizations_account",
            "this",
            body=(
                *attrs(for_each=Raw("var.accounts")),
                BLANK,
                *attrs(
                    name=Raw("each.value.name"),
                    email=Raw("each.value.email"),
                    parent_id=Raw(
                        'each.value.unit == "" ? local.root_id : local.unit_ids[each.value.unit]'
                    ),
                    role_name=Raw("var.access_role"),
                    close_on_deletion=Raw("each.value.close_on_deletion"),
                    tags=Raw("each.value.tags"),
                ),
                BLANK,
                block(
                    "lifecycle",
                    body=(
                        Comment("Accounts leave the organization on purpose only, as with lz."),
                        *attrs(prevent_destroy=True),
                        Comment("AWS does not report the role an account was created with."),
                        *attrs(ignore_changes=Raw("[role_name]")),
                    ),
                ),
            ),
        ),
        block(
            "resource",
            "aws_organizations_policy",
            "this",
            body=(
                *attrs(for_each=Raw("var.policies")),
                BLANK,
                *attrs(
                    name=Raw("each.key"),
                    description=Raw("each.value.description"),
                    type=Raw("each.value.type"),
                    content=Raw("each.value.content"),
                    tags=Raw("each.value.tags"),
                ),
            ),
        ),
        block(
            "resource",
            "aws_organizations_policy_attachment",
            "this",
            body=(
                *attrs(for_each=Raw("local.attachments")),
                BLANK,
                *attrs(
                    policy_id=Raw("aws_organizations_policy.this[each.value.policy].id"),
                    target_id=Raw("local.target_ids[each.value.target]"),
                ),
            ),
        ),
    ]


MODULE = Module(
    name="organization",
    description="AWS Organizations: the organization, OUs, accounts, policies and attachments",
    variables=VARIABLES,
    main=_main(),
    outputs=OUTPUTS,
)


@register
class OrganizationExporter(Exporter):
    """The organization layer, in the management account."""

    name = "organization"
    kinds = frozenset({"organization", "root", "unit", "account", "policy"})

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        by_kind: dict[str, list[Node]] = {}
        for node in nodes:
            by_kind.setdefault(node.kind, []).append(node)
        org = by_kind["organization"][0]
        root = by_kind["root"][0]
        units = sorted(by_kind.get("unit", []), key=lambda n: n.desired["path"])
        accounts = sorted(by_kind.get("account", []), key=lambda n: n.address)
        policies = sorted(by_kind.get("policy", []), key=lambda n: n.name)
        values: dict[str, Any] = {
            "access_role": inventory.spec.organization.access_role,
            "feature_set": org.desired["feature_set"],
            "enabled_policy_types": list(org.desired["policy_types"]),
            "root_policies": list(root.desired["policies"]),
            "units": {
                n.desired["path"]: {
                    "policies": list(n.desired["policies"]),
                    "tags": exported_tags(n.desired["tags"]),
                }
                for n in units
            },
            "accounts": {_account_key(n): _account_value(n) for n in accounts},
            "policies": {
                n.name: {
                    "type": n.desired["type"],
                    "description": n.desired["description"],
                    "content": minified(n.desired["document"]),
                    "tags": exported_tags(n.desired["tags"]),
                }
                for n in policies
            },
        }
        imports: list[Import] = []
        pending: list[str] = []
        resources = [
            (org, ORGANIZATION, None),
            *((n, unit_resource(n.desired["path"]), n.desired["path"]) for n in units),
            *((n, ACCOUNT, _account_key(n)) for n in accounts),
            *((n, POLICY, n.name) for n in policies),
        ]
        for node, resource, key in resources:
            record = inventory.record(node.address)
            if record is None:
                pending.append(node.address)
            else:
                imports.append(Import(resource, key, record.id, node.address))
        for target, node in _targets(root, units, accounts):
            for name in node.desired["policies"]:
                attachment = self._attachment(inventory, node, target, name)
                if isinstance(attachment, Import):
                    imports.append(attachment)
                else:
                    pending.append(attachment)
        return [
            StackPart(
                stack=inventory.organization_stack(),
                module=MODULE,
                values=values,
                imports=imports,
                pending=pending,
                protected=any(n.protected for n in nodes),
            )
        ]

    def _attachment(
        self, inventory: Inventory, node: Node, target: str, policy: str
    ) -> Import | str:
        """The import of an attachment lz made, or a description of one it has not made yet."""
        key = f"{policy}@{target}"
        record = inventory.record(node.address)
        policy_record = inventory.record(f"policy:{policy}")
        if (
            record is None
            or policy_record is None
            or policy not in record.attrs.get("policies", [])
        ):
            return f"attachment {key}"
        return Import(ATTACHMENT, key, f"{record.id}:{policy_record.id}", node.address)


def _targets(
    root: Node, units: Sequence[Node], accounts: Sequence[Node]
) -> Iterator[tuple[str, Node]]:
    """Every policy target with its attachment key prefix."""
    yield "root", root
    for unit in units:
        yield f"unit:{unit.desired['path']}", unit
    for account in accounts:
        yield f"account:{_account_key(account)}", account


def _account_key(node: Node) -> str:
    """The spec's name of an account (its key in `accounts`)."""
    return node.address.removeprefix("account:")


def _account_value(node: Node) -> dict[str, Any]:
    desired = node.desired
    return {
        "name": desired["name"],
        "email": desired["email"],
        "unit": desired["unit"],
        "close_on_deletion": bool(desired.get("close_on_removal", False)),
        "policies": list(desired["policies"]),
        "tags": exported_tags(desired["tags"]),
    }
