"""The IAM stack's roles: IAM roles (from `roles` and `ci.deploy_roles`) and instance profiles.

Exports the kinds `iam_role` and `instance_profile` into `modules/roles/`,
called from `live/<account>-<home region>/iam/` (IAM is global: one stack per
account, shared with `ci_federation`'s OIDC providers). Roles are keyed by
name, inline policies `<role>:<policy>` and managed policy attachments
`<role>/<policy name>`, instance profiles by name.

lz writes other accounts into documents as `{account_id:NAME}` and the
role's own account as `{account_id}`. Those IDs belong to the organization
stack, so they are not copied into `terraform.tfvars`: the documents are
written as Terraform templates (`${account_ids["NAME"]}`, `${account_id}`)
that the module renders with `templatestring`, with the organization stack's
`account_ids` and `management_account_id` outputs (through remote state) and
the stack's own account from `aws_caller_identity`. A deploy role's trust
names its OIDC provider through the `ci_federation` module's
`oidc_provider_arns` output (`${oidc_provider_arns["HOST"]}`), so Terraform
creates the provider before the role, as AWS requires.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from landingzone.engine.plan import ACCOUNT_REF
from landingzone.export.hcl import BLANK, Block, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.model import (
    Import,
    Module,
    ModuleOutput,
    Output,
    RemoteOutput,
    StackPart,
    StackRef,
    Variable,
)
from landingzone.export.organization import exported_tags
from landingzone.export.registry import Exporter, register
from landingzone.graph.iam_documents import partition
from landingzone.nodes import Node
from landingzone.resources.base import minified

IAM_STACK = "iam"

ROLE = "aws_iam_role.this"
INLINE_POLICY = "aws_iam_role_policy.this"
ATTACHMENT = "aws_iam_role_policy_attachment.this"
INSTANCE_PROFILE = "aws_iam_instance_profile.this"

PROVIDER_ARNS = "iam_oidc_provider_arns"
# Template variables of every document (see `template`).
TEMPLATE_VARIABLES = "local.template_variables"


def iam_stack(inventory: Inventory, account: str) -> StackRef:
    """The IAM stack of an account: `live/<account>-<home region>/iam/`."""
    return StackRef(account, inventory.spec.organization.home_region, IAM_STACK)


def template(text: str, providers: Mapping[str, str] | None = None) -> str:
    """A string of lz's as a Terraform template: `{account_id:NAME}` becomes
    `${account_ids["NAME"]}`, `{account_id}` becomes `${account_id}`, and
    literal `${` / `%{` (IAM policy variables) are escaped. `providers` maps
    the ARNs of this account's OIDC providers (as lz writes them) to their
    hosts: those become `${oidc_provider_arns["HOST"]}`."""
    text = text.replace("${", "$${").replace("%{", "%%{")
    for arn, host in sorted((providers or {}).items()):
        text = text.replace(f'"{arn}"', f'"${{oidc_provider_arns["{host}"]}}"')
    return ACCOUNT_REF.sub(
        lambda m: f'${{account_ids["{m.group(1)}"]}}' if m.group(1) else "${account_id}", text
    )


def _rendered(expression: str) -> Raw:
    return Raw(f"templatestring({expression}, {TEMPLATE_VARIABLES})")


VARIABLES = (
    Variable(
        "iam_roles",
        "map(object({\npath = string\ndescription = string\ntrust = string\n"
        "max_session_duration = number\npermissions_boundary = string\n"
        "managed_policies = map(string)\ninline_policies = map(string)\ntags = map(string)\n}))",
        "IAM roles by name; trust, policies and ARNs are templates naming accounts "
        '(${account_id}, ${account_ids["NAME"]})',
    ),
    Variable(
        "iam_instance_profiles",
        "map(object({\npath = string\nrole = string\ntags = map(string)\n}))",
        "Instance profiles by name, each holding one of iam_roles",
    ),
    Variable("iam_account_ids", "map(string)", "Member account IDs by spec name"),
    Variable("iam_oidc_provider_arns", "map(string)", "This account's OIDC provider ARNs by host"),
    Variable("iam_management_account_id", "string", "The management account's ID"),
)

OUTPUTS = (
    Output(
        "iam_role_arns",
        "{ for name, role in aws_iam_role.this : name => role.arn }",
        "Role ARNs by name",
    ),
    Output(
        "iam_instance_profile_arns",
        "{ for name, profile in aws_iam_instance_profile.this : name => profile.arn }",
        "Instance profile ARNs by name",
    ),
)


def _flattened(attribute: str, separator: str, value: str) -> Raw:
    """One entry per (role, item of the role's `attribute` map), keyed `<role><sep><item>`."""
    return Raw(
        f"merge([for role, r in var.iam_roles : {{ for name, item in r.{attribute} : "
        f'"${{role}}{separator}${{name}}" => {{ role = role, name = name, {value} = item }} }}]...)'
    )


def _locals() -> Block:
    return block(
        "locals",
        body=attrs(
            template_variables=Raw(
                "{\naccount_id = data.aws_caller_identity.current.account_id\n"
                "account_ids = merge(var.iam_account_ids, "
                "{ management = var.iam_management_account_id })\n"
                "oidc_provider_arns = var.iam_oidc_provider_arns\n}"
            ),
            inline_policies=_flattened("inline_policies", ":", "policy"),
            managed_policies=_flattened("managed_policies", "/", "arn"),
        ),
    )


def _main() -> list[Item]:
    role_name = Raw("aws_iam_role.this[each.value.role].name")
    boundary = "each.value.permissions_boundary"
    return [
        block("data", "aws_caller_identity", "current"),
        _locals(),
        block(
            "resource",
            "aws_iam_role",
            "this",
            body=(
                *attrs(for_each=Raw("var.iam_roles")),
                BLANK,
                *attrs(
                    name=Raw("each.key"),
                    path=Raw("each.value.path"),
                    description=Raw("each.value.description"),
                    assume_role_policy=_rendered("each.value.trust"),
                    max_session_duration=Raw("each.value.max_session_duration"),
                    permissions_boundary=Raw(
                        f"{boundary} == null ? null : "
                        f"templatestring({boundary}, {TEMPLATE_VARIABLES})"
                    ),
                    tags=Raw("each.value.tags"),
                ),
            ),
        ),
        block(
            "resource",
            "aws_iam_role_policy",
            "this",
            body=(
                *attrs(for_each=Raw("local.inline_policies")),
                BLANK,
                *attrs(
                    name=Raw("each.value.name"),
                    role=role_name,
                    policy=_rendered("each.value.policy"),
                ),
            ),
        ),
        block(
            "resource",
            "aws_iam_role_policy_attachment",
            "this",
            body=(
                *attrs(for_each=Raw("local.managed_policies")),
                BLANK,
                *attrs(role=role_name, policy_arn=_rendered("each.value.arn")),
            ),
        ),
        block(
            "resource",
            "aws_iam_instance_profile",
            "this",
            body=(
                *attrs(for_each=Raw("var.iam_instance_profiles")),
                BLANK,
                *attrs(
                    name=Raw("each.key"),
                    path=Raw("each.value.path"),
                    role=role_name,
                    tags=Raw("each.value.tags"),
                ),
            ),
        ),
    ]


MODULE = Module(
    name="roles",
    description="IAM roles (trust, inline and managed policies) and instance profiles",
    variables=VARIABLES,
    main=_main(),
    outputs=OUTPUTS,
)


def policy_keys(arns: Sequence[str]) -> dict[str, str]:
    """Managed policies by key: the policy's name, or its ARN where two share a name."""
    names = [arn.rpartition("/")[2] for arn in arns]
    return {
        (name if names.count(name) == 1 else arn): arn
        for name, arn in sorted(zip(names, arns, strict=True))
    }


def _role_value(node: Node, providers: Mapping[str, str]) -> dict[str, Any]:
    desired = node.desired
    boundary = desired["permissions_boundary"]
    return {
        "path": desired["path"],
        "description": desired["description"] or None,
        "trust": template(minified(desired["trust"]), providers),
        "max_session_duration": desired["max_session_duration"],
        "permissions_boundary": template(boundary) if boundary else None,
        "managed_policies": {
            key: template(arn) for key, arn in policy_keys(desired["managed_policies"]).items()
        },
        "inline_policies": {
            name: template(minified(doc))
            for name, doc in sorted(desired["inline_policies"].items())
        },
        "tags": exported_tags(desired["tags"]),
    }


def _record_name(arn: str) -> str:
    """A role's or instance profile's name: the end of its ARN (after the path)."""
    return arn.rpartition("/")[2]


def _role_imports(node: Node, inventory: Inventory) -> Iterator[Import | str]:
    """The role's imports (role, inline policies, attachments), or what is not applied yet."""
    name = node.desired["name"]
    record = inventory.record(node.address)
    if record is None:
        yield node.address
        return
    role = _record_name(record.id)
    yield Import(ROLE, name, role, node.address)
    applied_inline = record.attrs.get("inline_policies") or {}
    for policy in sorted(node.desired["inline_policies"]):
        key = f"{name}:{policy}"
        if policy in applied_inline:
            yield Import(INLINE_POLICY, key, f"{role}:{policy}", node.address)
        else:
            yield f"inline policy {key}"
    applied = set(inventory.fill(record.attrs.get("managed_policies") or [], node.account))
    for key, arn in policy_keys(node.desired["managed_policies"]).items():
        real = inventory.fill(arn, node.account)
        if real in applied:
            yield Import(ATTACHMENT, f"{name}/{key}", f"{role}/{real}", node.address)
        else:
            yield f"policy attachment {name}/{key}"


def _profile_import(node: Node, inventory: Inventory) -> Import | str:
    record = inventory.record(node.address)
    if record is None:
        return node.address
    return Import(INSTANCE_PROFILE, node.desired["name"], _record_name(record.id), node.address)


def by_account(nodes: Sequence[Node]) -> dict[str, list[Node]]:
    """Nodes grouped by account, each group in address order."""
    grouped: dict[str, list[Node]] = {}
    for node in sorted(nodes, key=lambda n: n.address):
        grouped.setdefault(node.account, []).append(node)
    return dict(sorted(grouped.items()))


def account_id_inputs(inventory: Inventory, prefix: str) -> Mapping[str, RemoteOutput]:
    """`<prefix>account_ids` and `<prefix>management_account_id` from the organization stack."""
    org = inventory.organization_stack()
    return {
        f"{prefix}account_ids": RemoteOutput(org, "account_ids"),
        f"{prefix}management_account_id": RemoteOutput(org, "management_account_id"),
    }


@register
class RolesExporter(Exporter):
    """IAM roles and instance profiles, in each account's IAM stack."""

    name = "roles"
    kinds = frozenset({"iam_role", "instance_profile"})

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        return [
            self._part(account, found, inventory) for account, found in by_account(nodes).items()
        ]

    def _part(self, account: str, nodes: Sequence[Node], inventory: Inventory) -> StackPart:
        roles = [n for n in nodes if n.kind == "iam_role"]
        profiles = [n for n in nodes if n.kind == "instance_profile"]
        found: list[Import | str] = [i for n in roles for i in _role_imports(n, inventory)]
        found += [_profile_import(n, inventory) for n in profiles]
        part = partition(inventory.spec.organization.home_region)
        hosts = sorted(
            n.name for n in inventory.nodes if n.kind == "oidc_provider" and n.account == account
        )
        providers = {f"arn:{part}:iam::{{account_id}}:oidc-provider/{h}": h for h in hosts}
        values: dict[str, Any] = {
            "iam_roles": {n.desired["name"]: _role_value(n, providers) for n in roles},
            "iam_instance_profiles": {
                n.desired["name"]: {
                    "path": n.desired["path"],
                    "role": n.desired["role"],
                    "tags": exported_tags(n.desired["tags"]),
                }
                for n in profiles
            },
        }
        inputs = {}
        if hosts:  # the ci_federation module in the same stack makes them
            inputs[PROVIDER_ARNS] = ModuleOutput("ci_federation", "oidc_provider_arns")
        else:
            values[PROVIDER_ARNS] = {}
        return StackPart(
            stack=iam_stack(inventory, account),
            module=MODULE,
            values=values,
            remote=account_id_inputs(inventory, "iam_"),
            inputs=inputs,
            imports=[i for i in found if isinstance(i, Import)],
            pending=[i for i in found if isinstance(i, str)],
            protected=any(n.protected for n in nodes),
        )
