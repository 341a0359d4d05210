"""The organization's nodes: organization, root, policies, units, accounts, state backend.

Addresses: `organization`, `root`, `policy:NAME`, `unit:PATH`, `account:NAME`,
`state_bucket:BUCKET`, `lock_table:TABLE`.

Protection: an account is protected when the spec says `protected: true`,
or (by default) when its name or Environment tag says prod/production.
A change is protected when it touches a protected account, a unit above
one, the root, or a policy attached to any of those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from landingzone.access.org_policy_types import AWS_MANAGED_POLICIES, aws_type
from landingzone.graph.state_access import state_statements
from landingzone.graph.state_keys import state_names
from landingzone.graph.targets import Where, account_depends, base_tags, referenced_accounts
from landingzone.nodes import MANAGEMENT, Node, account_address
from landingzone.resources.organizations import ACCOUNT_CREATION_CONCURRENCY, REMOVED_ACCOUNTS_UNIT
from landingzone.resources.s3_bucket import bucket_arn, bucket_desired
from landingzone.resources.state_backend import lock_table_desired
from landingzone.spec.org_policy_checks import used_types
from landingzone.spec.schema import Account, Spec, Unit
from landingzone.spec.units import all_unit_paths, parents

_PROD = re.compile(r"(^|[-_./ ])(prod|production|prd)($|[-_./ ])", re.IGNORECASE)


def is_protected(name: str, account: Account) -> bool:
    """Whether changes in this account need an explicit approval."""
    if account.protected is not None:
        return account.protected
    environment = account.tags.get("Environment", "") or account.tags.get("environment", "")
    return bool(_PROD.search(name) or _PROD.search(environment))


def unit_paths(spec: Spec) -> list[str]:
    """Every unit path, with implied parents, parents first."""
    return sorted(all_unit_paths(spec.units), key=lambda p: (p.count("/"), p))


def organization_nodes(spec: Spec, where: Where) -> list[Node]:
    """Nodes of the organization layer and lz's state backend."""
    org = spec.organization
    tags = base_tags(spec)
    protected_accounts = {n for n, a in spec.accounts.items() if is_protected(n, a)}
    protected_units = {
        path
        for name in protected_accounts
        if (account_unit := spec.accounts[name].unit)
        for path in [*parents(account_unit), account_unit]
    }

    # AWS's own policies and those another tool owns (`external`) are never attached
    # or detached by lz: a target's `policies` holds only the rest.
    unmanaged = set(AWS_MANAGED_POLICIES) | {n for n, p in spec.policies.items() if p.external}

    def managed(policies: Iterable[str]) -> list[str]:
        return sorted(p for p in set(policies) if p not in unmanaged)

    def policy_deps(policies: Iterable[str]) -> set[str]:
        return {f"policy:{p}" for p in managed(policies)}

    policy_types = used_types(spec.policies)
    nodes: list[Node] = [
        Node(
            address="organization",
            kind="organization",
            name=org.name,
            desired={"feature_set": org.feature_set, "policy_types": policy_types},
            source=where("organization"),
        ),
        Node(
            address="root",
            kind="root",
            name="Root",
            desired={"policies": managed(org.policies)},
            depends_on=frozenset({"organization", *policy_deps(org.policies)}),
            source=where("organization", "policies"),
            protected=bool(protected_accounts),
        ),
    ]

    protected_policies = set(org.policies) if protected_accounts else set()
    for path in protected_units:
        protected_policies.update(spec.units.get(path, _EMPTY_UNIT).policies)
    for name in protected_accounts:
        protected_policies.update(spec.accounts[name].policies)

    for name, policy in sorted(spec.policies.items()):
        nodes.append(
            Node(
                address=f"policy:{name}",
                kind="policy",
                name=name,
                desired={
                    "name": name,
                    "description": policy.description,
                    "type": aws_type(policy.type),
                    "document": policy.document,
                    "tags": tags,
                },
                depends_on=frozenset({"organization"}),
                source=where("policies", name),
                protected=name in protected_policies,
                external=policy.external,
            )
        )

    for path in unit_paths(spec):
        unit = spec.units.get(path, _EMPTY_UNIT)
        parent, _, leaf = path.rpartition("/")
        deps = {"organization", *policy_deps(unit.policies)}
        if parent:
            deps.add(f"unit:{parent}")
        nodes.append(
            Node(
                address=f"unit:{path}",
                kind="unit",
                name=path,
                desired={
                    "path": path,
                    "name": leaf,
                    "parent": parent,
                    "policies": managed(unit.policies),
                    "tags": {**tags, **unit.tags},
                },
                depends_on=frozenset(deps),
                source=where("units", path),
                protected=path in protected_units,
                moved_from=_moved_from(spec, path),
                external=unit.external,
            )
        )

    for name, account in sorted(spec.accounts.items()):
        deps = {"organization", *policy_deps(account.policies)}
        if account.unit:
            deps.add(f"unit:{account.unit}")
        desired: dict[str, Any] = {
            "name": account.name or name,
            "email": account.email,
            "unit": account.unit or "",
            "policies": managed(account.policies),
            "tags": {**tags, **account.tags},
        }
        if account.id:
            desired["id"] = account.id
        if account.close_on_removal:
            desired["close_on_removal"] = True
        nodes.append(
            Node(
                address=account_address(name),
                kind="account",
                name=account.name or name,
                desired=desired,
                depends_on=frozenset(deps),
                source=where("accounts", name),
                protected=name in protected_accounts,
                external=account.external,
            )
        )

    nodes.extend(_state_nodes(spec, tags, where, protected_accounts))
    return nodes


def _state_nodes(
    spec: Spec, tags: dict[str, str], where: Where, protected_accounts: set[str]
) -> list[Node]:
    bucket, table, region = state_names(spec)
    account = spec.state.account
    deps = account_depends(account)
    common: dict[str, Any] = {
        "account": account,
        "region": region,
        "depends_on": deps,
        "source": where("state"),
        "protected": account in protected_accounts,
    }
    # The deploy roles' state isolation names their accounts: the bucket waits for them.
    isolation = state_statements(spec, bucket_arn(bucket))
    named = {account_address(a) for a in referenced_accounts(isolation) if a != MANAGEMENT}
    return [
        Node(
            address=f"state_bucket:{bucket}",
            kind="state_bucket",
            name=bucket,
            desired=bucket_desired(bucket, tags, isolation),
            **{**common, "depends_on": deps | named},
        ),
        Node(
            address=f"lock_table:{table}",
            kind="lock_table",
            name=table,
            desired=lock_table_desired(table, tags),
            **common,
        ),
    ]


def _moved_from(spec: Spec, path: str) -> tuple[str, ...]:
    """Earlier addresses of a unit: its own `moved_from`, or one implied by an ancestor's."""
    earlier = [f"unit:{p}" for p in spec.units.get(path, _EMPTY_UNIT).moved_from]
    parts = path.split("/")
    for i in range(len(parts) - 1, 0, -1):
        ancestor = "/".join(parts[:i])
        rest = "/".join(parts[i:])
        for old in spec.units.get(ancestor, _EMPTY_UNIT).moved_from:
            earlier.append(f"unit:{old}/{rest}")
    return tuple(earlier)


_EMPTY_UNIT = Unit()


def run_options(spec: Spec) -> dict[str, Any]:
    """The spec's options for the organization kinds (`Settings.options`)."""
    org = spec.organization
    return {
        ACCOUNT_CREATION_CONCURRENCY: org.quotas.account_creation_concurrency,
        REMOVED_ACCOUNTS_UNIT: org.removed_accounts_unit,
    }
