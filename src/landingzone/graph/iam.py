"""The `roles` and `ci` sections' nodes: IAM roles, instance profiles, OIDC providers.

Addresses: `role:ACCOUNT/NAME`, `instance_profile:ACCOUNT/NAME`,
`oidc_provider:ACCOUNT/HOST` (ACCOUNT is a spec account or `management`).
What each holds comes from `graph/iam_documents.py`, the same code the checks
validated. A role depends on the OIDC provider it trusts and on the spec's
roles its trust names (AWS refuses a trust policy naming a role that does not
exist yet); `build_graph` adds the accounts.
"""

from __future__ import annotations

from landingzone.graph.iam_documents import iam_layout
from landingzone.graph.organization import is_protected
from landingzone.graph.targets import Where
from landingzone.nodes import MANAGEMENT, Node
from landingzone.spec.schema import Spec


def role_address(account: str, name: str) -> str:
    """The address of a role."""
    return f"role:{account}/{name}"


def iam_nodes(spec: Spec, where: Where) -> list[Node]:
    """Nodes for every role, instance profile and OIDC provider the spec deploys."""
    layout = iam_layout(spec)

    def protected(account: str) -> bool:
        return account != MANAGEMENT and is_protected(account, spec.accounts[account])

    nodes = [
        Node(
            address=f"oidc_provider:{p.account}/{p.host}",
            kind="oidc_provider",
            name=p.host,
            account=p.account,
            desired=p.desired,
            source=where(*p.where),
            protected=protected(p.account),
        )
        for p in layout.providers
    ]
    names = {(r.account, r.desired["name"].lower()): r.desired["name"] for r in layout.roles}
    for role in layout.roles:
        name = role.desired["name"]
        address = role_address(role.account, name)
        deps = {role_address(a, names[(a, n.lower())]) for a, n in role.trusted_roles}
        if role.provider_host is not None:
            deps.add(f"oidc_provider:{role.account}/{role.provider_host}")
        nodes.append(
            Node(
                address=address,
                kind="iam_role",
                name=name,
                account=role.account,
                desired=role.desired,
                depends_on=frozenset(deps),
                source=where(*role.where),
                protected=protected(role.account),
                external=role.external,
            )
        )
        if role.instance_profile:
            nodes.append(
                Node(
                    address=f"instance_profile:{role.account}/{name}",
                    kind="instance_profile",
                    name=name,
                    account=role.account,
                    desired={
                        "name": name,
                        "path": role.desired["path"],
                        "role": name,
                        "tags": role.desired["tags"],
                    },
                    depends_on=frozenset({address}),
                    source=where(*role.where, "instance_profile"),
                    protected=protected(role.account),
                    external=role.external,
                )
            )
    return nodes
