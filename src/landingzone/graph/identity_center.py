"""The `identity_center` section's nodes: groups, permission sets, assignments.

Every node lives in the administering account (`identity_center.account`:
the management account or the delegated administrator) and the instance's
region:

    sso_group:NAME                        (declared groups; `external` ones are looked up)
    permission_set:NAME
    sso_assignment:ACCOUNT/SET/group:NAME (or user:NAME), one per selected account

A member account as administrator is registered as delegated administrator
of `sso.amazonaws.com` (`sso_delegated_admin:ACCOUNT`, with trusted access)
first, unless the `security` section already delegates the service to it.
An assignment waits for its permission set, its declared group and its
target account; it is protected when its target account is.
"""

from __future__ import annotations

from typing import Any

from landingzone.access.delegated_services import service_principal
from landingzone.graph.iam_documents import managed_policy_arn, selected
from landingzone.graph.organization import is_protected
from landingzone.graph.security import (
    ORGANIZATION,
    delegated_admin_address,
    service_access_address,
)
from landingzone.graph.targets import Where, account_depends, base_tags
from landingzone.nodes import MANAGEMENT, Node
from landingzone.resources.permission_set import LATEST, assignment_label
from landingzone.spec.identity_center import Assignment, IdentityCenter, PermissionSet
from landingzone.spec.schema import Spec

SSO = "sso.amazonaws.com"


def delegation_address(account: str) -> str:
    """The address of an account's registration as Identity Center's delegated administrator."""
    return f"sso_delegated_admin:{account}"


def group_address(name: str) -> str:
    """The address of a declared identity-store group."""
    return f"sso_group:{name}"


def permission_set_address(name: str) -> str:
    """The address of a permission set."""
    return f"permission_set:{name}"


def principal_of(assignment: Assignment) -> tuple[str, str]:
    """(GROUP or USER, name) of an assignment."""
    if assignment.group is not None:
        return "GROUP", assignment.group
    return "USER", str(assignment.user)


def assignment_address(account: str, permission_set: str, kind: str, principal: str) -> str:
    """The address of one assignment in one account."""
    return f"sso_assignment:{account}/{permission_set}/{kind.lower()}:{principal}"


def instance_region(spec: Spec) -> str:
    """The region of the organization's Identity Center instance."""
    assert spec.identity_center is not None
    return spec.identity_center.region or spec.organization.home_region


def delegated_by_security(spec: Spec, account: str) -> bool:
    """Whether the `security` section already delegates Identity Center to `account`."""
    security = spec.security
    return (
        security is not None
        and security.account == account
        and SSO in {service_principal(name) for name in security.delegated_services}
    )


def assignment_labels(spec: Spec, permission_set: str) -> list[str]:
    """Who the spec gives a permission set where: `ACCOUNT/group:NAME` (or user:)."""
    assert spec.identity_center is not None
    labels = set()
    for assignment in spec.identity_center.assignments:
        if assignment.permission_set == permission_set:
            kind, principal = principal_of(assignment)
            for account in assignment_targets(spec, assignment):
                labels.add(assignment_label(account, kind, principal))
    return sorted(labels)


def permission_set_desired(spec: Spec, name: str, entry: PermissionSet) -> dict[str, Any]:
    """A permission set as `permission_set` nodes and reads describe it."""
    boundary: dict[str, Any] | None = None
    if entry.permissions_boundary is not None:
        bound = entry.permissions_boundary
        if bound.managed_policy is not None:
            boundary = {"managed_policy": managed_policy_arn(spec, bound.managed_policy)}
        elif bound.customer_managed_policy is not None:
            boundary = {"customer_managed_policy": bound.customer_managed_policy.model_dump()}
    return {
        "name": name,
        "description": entry.description,
        "session_duration": entry.session_duration,
        "relay_state": entry.relay_state,
        "managed_policies": sorted(managed_policy_arn(spec, p) for p in entry.managed_policies),
        "customer_managed_policies": [p.model_dump() for p in entry.customer_managed_policies],
        "inline_policy": entry.inline_policy,
        "permissions_boundary": boundary,
        "provisioned": LATEST,
        "assignments": assignment_labels(spec, name),
        "tags": {**base_tags(spec), **entry.tags},
    }


def assignment_targets(spec: Spec, assignment: Assignment) -> list[str]:
    """The spec's accounts (or `management`) an assignment selects."""
    return selected(spec, assignment.to)


def identity_center_nodes(spec: Spec, where: Where) -> list[Node]:
    """Nodes of the `identity_center` section (none without one)."""
    section: IdentityCenter | None = spec.identity_center
    if section is None:
        return []
    admin = section.account
    region = instance_region(spec)
    admin_protected = admin != MANAGEMENT and is_protected(admin, spec.accounts[admin])
    nodes: list[Node] = []
    first: set[str] = set()
    if admin != MANAGEMENT and not delegated_by_security(spec, admin):
        delegation = delegation_address(admin)
        first = {delegation}
        nodes.append(
            Node(
                address=service_access_address(SSO),
                kind="service_access",
                name=SSO,
                desired={"service": SSO},
                depends_on=frozenset({ORGANIZATION}),
                source=where("identity_center", "account"),
            )
        )
        nodes.append(
            Node(
                address=delegation,
                kind="sso_delegated_admin",
                name=delegation.split(":", 1)[1],
                account=admin,
                desired={"service": SSO, "account_id": "{account_id}"},
                depends_on=frozenset({service_access_address(SSO)}),
                source=where("identity_center", "account"),
                protected=admin_protected,
            )
        )
    elif admin != MANAGEMENT:
        first = {delegated_admin_address(admin, SSO)}

    def add(address: str, kind: str, desired: dict[str, Any], *path: Any, **extra: Any) -> None:
        nodes.append(
            Node(
                address=address,
                kind=kind,
                name=address.split(":", 1)[1],
                account=admin,
                region=region,
                desired=desired,
                depends_on=frozenset(first | extra.get("depends_on", set())),
                source=where("identity_center", *path),
                protected=extra.get("protected", admin_protected),
            )
        )

    for name, group in sorted(section.groups.items()):
        if not group.external:
            desired = {"name": name, "description": group.description}
            add(group_address(name), "sso_group", desired, "groups", name)
    for name, entry in sorted(section.permission_sets.items()):
        desired = permission_set_desired(spec, name, entry)
        add(permission_set_address(name), "permission_set", desired, "permission_sets", name)
    seen: set[str] = set()
    for index, assignment in enumerate(section.assignments):
        kind, principal = principal_of(assignment)
        depends = {permission_set_address(assignment.permission_set)}
        declared = section.groups.get(principal)
        if kind == "GROUP" and declared is not None and not declared.external:
            depends.add(group_address(principal))
        for account in assignment_targets(spec, assignment):
            address = assignment_address(account, assignment.permission_set, kind, principal)
            if address in seen:
                continue  # the same assignment selected twice
            seen.add(address)
            protected = account != MANAGEMENT and is_protected(account, spec.accounts[account])
            desired = {
                "permission_set": assignment.permission_set,
                "principal_type": kind,
                "principal": principal,
                "target": account,
            }
            add(
                address,
                "sso_assignment",
                desired,
                "assignments",
                index,
                depends_on=depends | account_depends(account),
                protected=protected or admin_protected,
            )
    return nodes
