"""The typed shape of a landing-zone spec (the contract in docs/spec.md).

The loader merges YAML files into one plain tree; `Spec.model_validate` turns
that tree into these models. Models are strict: unknown keys are errors, and
values are not silently coerced (an unquoted account id is an error, not an
int). Cross-reference rules (a unit that does not exist, a duplicate e-mail)
live in `spec/checks.py`, which has the provenance to name file and line.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from landingzone.spec.access_checks import AccessCheck
from landingzone.spec.baselines import Baselines, Profile
from landingzone.spec.iam_schema import Ci, Role
from landingzone.spec.identity_center import IdentityCenter
from landingzone.spec.network import AddressPool, HostedZone, Network, Peering, TransitGateway
from landingzone.spec.security import Security
from landingzone.spec.strict import StrictModel

ACCOUNT_ID_PATTERN = r"^\d{12}$"


class Quotas(StrictModel):
    """AWS quotas the validator enforces; raise them when AWS raises yours."""

    scp_characters: int = Field(5120, gt=0)
    policies_per_target: int = Field(5, gt=0)
    account_creation_concurrency: int = Field(5, gt=0, le=50)
    ou_depth: int = Field(5, gt=0, le=5)
    trust_policy_characters: int = Field(2048, gt=0, le=4096)
    managed_policies_per_role: int = Field(10, gt=0, le=20)


class Organization(StrictModel):
    """The organization itself and how lz reaches it."""

    name: str = Field(min_length=1)
    feature_set: Literal["ALL"] = "ALL"
    home_region: str
    profile: str | None = None
    management_account_id: str | None = Field(None, pattern=ACCOUNT_ID_PATTERN)
    access_role: str = "OrganizationAccountAccessRole"
    tags: dict[str, str] = Field(default_factory=dict)
    quotas: Quotas = Field(default_factory=Quotas)
    # Policies attached to the organization root.
    policies: list[str] = Field(default_factory=list)
    # Default regions for accounts that do not list their own.
    regions: list[str] | None = None
    # Where an account removed from the spec is moved (default: left in place).
    removed_accounts_unit: str | None = None
    baseline: str | None = None  # the baseline profile of every account


class Unit(StrictModel):
    """An organizational unit; its key in `units` is its path (`plat/sandbox`)."""

    policies: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    # Earlier paths of this unit: a rename or move instead of delete + create.
    moved_from: list[str] = Field(default_factory=list)
    baseline: str | None = None  # the baseline profile of the accounts below
    # Owned by another tool (Control Tower, StackSets): lz reads it, never changes or deletes it.
    external: bool = False


class Account(StrictModel):
    """A member account; its key is its name in AWS unless `name` says otherwise."""

    email: str
    unit: str | None = None  # None: directly under the root
    name: str | None = None
    id: str | None = Field(None, pattern=ACCOUNT_ID_PATTERN)
    alias: str | None = None  # IAM account alias, applied by the baselines
    tags: dict[str, str] = Field(default_factory=dict)
    policies: list[str] = Field(default_factory=list)
    regions: list[str] | None = None
    # Changes in a protected account need an explicit approval. Default: an
    # account whose name or Environment tag says prod/production is protected.
    protected: bool | None = None
    close_on_removal: bool = False
    baseline: str | None = None  # this account's baseline profile (or "none")
    baseline_overrides: Profile | None = None  # deep-merged over the profile
    # Owned by another tool (Control Tower, StackSets): lz reads it, never changes or deletes it.
    external: bool = False


class Policy(StrictModel):
    """An Organizations policy of any type (default: an SCP); its key is its name in AWS."""

    type: Literal[
        "service_control",
        "resource_control",
        "tag",
        "backup",
        "aiservices_opt_out",
        "declarative_ec2",
    ] = "service_control"
    description: str = ""
    # The policy JSON. With `file`, the loader reads the file into `document`
    # (so a loaded policy always has one); setting both in the spec is an error.
    document: dict[str, object] | None = None
    file: str | None = None  # JSON file, relative to the spec file that sets it
    # Owned by another tool (Control Tower, StackSets): lz reads it, never changes or deletes it.
    external: bool = False

    @model_validator(mode="after")
    def _has_document(self) -> Policy:
        if self.document is None:
            raise ValueError("a policy needs a `document` or a `file`")
        return self


class State(StrictModel):
    """Where lz keeps its state and lock (created by lz in `account`)."""

    # An account of the spec, or `management` for the management account.
    account: str
    region: str | None = None  # default: organization.home_region
    bucket: str = "{org}-landingzone-state"
    lock_table: str = "{org}-landingzone-locks"
    key: str = "landingzone/state.json"
    # Terraform's state of the exported stacks (graph/state_access.py): `per_account`
    # lets each CI deploy role read and write only its account's keys;
    # `per_account_bucket` gives every member account its own bucket and lock table.
    isolation: Literal["none", "per_account", "per_account_bucket"] = "none"
    shared_reads: list[str] = Field(default_factory=list)  # accounts every role may read
    # With `per_account_bucket`: the names in each member account ({account_id}: its own).
    account_bucket: str = "{org}-terraform-state-{account_id}"
    account_lock_table: str = "{org}-terraform-locks"


class Spec(StrictModel):
    """A whole landing zone, after imports and merge."""

    organization: Organization
    units: dict[str, Unit] = Field(default_factory=dict)
    accounts: dict[str, Account] = Field(default_factory=dict)
    policies: dict[str, Policy] = Field(default_factory=dict)
    state: State
    roles: dict[str, Role] = Field(default_factory=dict)
    ci: Ci = Field(default_factory=Ci)
    # Access properties `lz check` proves (docs/access.md).
    checks: list[AccessCheck] = Field(default_factory=list)
    baselines: Baselines = Field(default_factory=Baselines)
    # Networking (spec/network.py)
    address_pools: dict[str, AddressPool] = Field(default_factory=dict)
    networks: dict[str, Network] = Field(default_factory=dict)
    peerings: dict[str, Peering] = Field(default_factory=dict)
    transit_gateways: dict[str, TransitGateway] = Field(default_factory=dict)
    dns: dict[str, HostedZone] = Field(default_factory=dict)
    # The organization as one security domain (spec/security.py)
    security: Security | None = None
    # People's access through IAM Identity Center (spec/identity_center.py)
    identity_center: IdentityCenter | None = None
