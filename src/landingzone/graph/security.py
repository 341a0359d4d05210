"""The `security` section's nodes: the organization as one security domain.

    service_access:PRINCIPAL            trusted access, in the management account
    delegated_admin:ACCOUNT/PRINCIPAL   the security account as delegated administrator

The delegated services are those the section's sub-sections use plus
`security.delegated_services`; each gets trusted access first.
"""

from __future__ import annotations

from landingzone.graph.organization import is_protected
from landingzone.graph.targets import Where
from landingzone.resources.base import MANAGEMENT, Node
from landingzone.spec.delegation import service_principal
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath

ORGANIZATION = "organization"  # the address of the organization's node


class _Builder:
    def __init__(self, spec: Spec, where: Where):
        assert spec.security is not None
        self.spec = spec
        self.security = spec.security
        self.where = where
        self.account = self.security.account
        self.protected = is_protected(self.account, spec.accounts[self.account])
        self.nodes: list[Node] = []
        # Service principal -> where the spec asks for it (first place wins).
        self.delegated: dict[str, TreePath] = {}
        self.trusted: dict[str, TreePath] = {}

    def delegate(self, principal: str, path: TreePath) -> None:
        """Make the security account delegated administrator of a service (with trusted access)."""
        self.delegated.setdefault(principal, path)
        self.trusted.setdefault(principal, path)

    def organization_nodes(self) -> None:
        for principal, path in sorted(self.trusted.items()):
            self.nodes.append(
                Node(
                    address=service_access_address(principal),
                    kind="service_access",
                    name=principal,
                    account=MANAGEMENT,
                    desired={"service": principal},
                    depends_on=frozenset({ORGANIZATION}),
                    source=self.where(*path),
                )
            )
        for principal, path in sorted(self.delegated.items()):
            self.nodes.append(
                Node(
                    address=delegated_admin_address(self.account, principal),
                    kind="delegated_admin",
                    name=principal,
                    account=self.account,
                    desired={"service": principal, "account_id": "{account_id}"},
                    depends_on=frozenset({service_access_address(principal)}),
                    source=self.where(*path),
                    protected=self.protected,
                )
            )


def service_access_address(principal: str) -> str:
    """The address of trusted access for a service principal."""
    return f"service_access:{principal}"


def delegated_admin_address(account: str, principal: str) -> str:
    """The address of an account's registration as delegated administrator of a service."""
    return f"delegated_admin:{account}/{principal}"


def security_nodes(spec: Spec, where: Where) -> list[Node]:
    """Nodes of the `security` section (none without one)."""
    if spec.security is None:
        return []
    builder = _Builder(spec, where)
    for index, name in enumerate(spec.security.delegated_services):
        builder.delegate(service_principal(name), ("security", "delegated_services", index))
    builder.organization_nodes()
    return builder.nodes
