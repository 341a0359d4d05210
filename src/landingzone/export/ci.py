"""What CI pipelines need to know about each stack, and how YAML is written.

One `CiStack` per root module: its directory, the paths whose changes
trigger it (its own directory and every module it calls), its region, its
environment, whether it is protected, and the roles CI assumes through OIDC.

Roles, until the spec has a `ci` section (`ci_roles` is the one place that
will read it): CI authenticates to the management account, where

- `<org>-terraform-plan` plans pull requests (read access is enough), and
- `<org>-terraform-<environment>` applies on the main branch, trusted only
  from that GitHub environment (GitLab: that protected environment);

both reach other accounts through `organization.access_role`, as lz does.
No long-lived keys: the tokens are OIDC tokens, the credentials short-lived.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML

from landingzone.export.inventory import Inventory
from landingzone.export.terraform import Estate

CHECKOUT = "actions/checkout@v4"
SETUP_TERRAFORM = "hashicorp/setup-terraform@v3"
AWS_CREDENTIALS = "aws-actions/configure-aws-credentials@v4"
UPLOAD_ARTIFACT = "actions/upload-artifact@v4"


@dataclass(frozen=True)
class CiRoles:
    """The IAM roles CI assumes with its OIDC token."""

    plan: str
    apply: str


@dataclass(frozen=True)
class CiStack:
    """One root module as CI sees it."""

    id: str  # "management-us-west-2-organization", "bootstrap"
    path: str  # its directory
    watch: tuple[str, ...]  # directories whose changes trigger it
    region: str
    environment: str
    protected: bool
    roles: CiRoles


def ci_roles(inventory: Inventory, environment: str) -> CiRoles:
    """The roles of an environment (the documented convention; see the module docstring)."""
    org = inventory.spec.organization.name
    base = f"arn:aws:iam::{inventory.management_account_id}:role/{org}-terraform"
    return CiRoles(plan=f"{base}-plan", apply=f"{base}-{environment}")


def ci_stacks(estate: Estate, inventory: Inventory) -> list[CiStack]:
    """Every stack of an export, in path order."""
    return [
        CiStack(
            id=root.stack.id,
            path=root.stack.path,
            watch=(root.stack.path, *(f"modules/{m}" for m in root.modules)),
            region=root.stack.region,
            environment=root.environment,
            protected=root.protected,
            roles=ci_roles(inventory, root.environment),
        )
        for root in estate.roots
    ]


def protected_environments(stacks: list[CiStack]) -> list[str]:
    """Environments whose applies need a reviewer's approval."""
    return sorted({s.environment for s in stacks if s.protected})


def yaml_text(document: dict[str, Any], header: str) -> str:
    """A YAML document with a comment header; key order as given, no line folding."""
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.ignore_aliases = lambda *_: True  # write repeated lists out in full
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + buffer.getvalue()
