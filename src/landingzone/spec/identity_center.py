"""The `identity_center` section: IAM Identity Center for people.

The organization's instance (read, never created: it is enabled once, in the
console), administered from the management account or a delegated
administrator (`account`); identity-store groups, declared (lz creates them)
or referenced (`external: true`: they must exist, e.g. synchronised from an
external IdP); permission sets; and assignments of a group or user to a
permission set in accounts chosen like `roles` choose them (`Targets`).
Every key and default is documented in docs/spec.md ("identity_center") and
docs/identity.md.
"""

from __future__ import annotations

from pydantic import Field

from landingzone.spec.iam_schema import Targets
from landingzone.spec.strict import StrictModel

DEFAULT_SESSION = "PT1H"  # AWS's default for a permission set


class Group(StrictModel):
    """An identity-store group."""

    description: str = ""
    # True: the group exists already (an IdP synchronises it); lz looks it up by
    # name and never creates, changes or deletes it.
    external: bool = False


class PolicyReference(StrictModel):
    """A customer managed policy, by name and path, that must exist in each account."""

    name: str = Field(min_length=1)
    path: str = "/"


class Boundary(StrictModel):
    """A permissions boundary: an AWS managed policy or a customer managed one."""

    managed_policy: str | None = None  # ARN or AWS managed name
    customer_managed_policy: PolicyReference | None = None


class PermissionSet(StrictModel):
    """A permission set: what a person gets in each account it is assigned in."""

    description: str = ""
    managed_policies: list[str] = Field(default_factory=list)  # ARNs or AWS managed names
    customer_managed_policies: list[PolicyReference] = Field(default_factory=list)
    inline_policy: dict[str, object] | None = None  # an IAM identity policy document
    # Or the document in a JSON file, relative to the YAML file (read into `inline_policy`).
    inline_policy_file: str | None = None
    permissions_boundary: Boundary | None = None
    session_duration: str = DEFAULT_SESSION  # ISO 8601, PT1H to PT12H
    relay_state: str | None = None  # the console URL a session starts at
    tags: dict[str, str] = Field(default_factory=dict)


class Assignment(StrictModel):
    """A group (or user) given a permission set in the accounts `to` selects."""

    group: str | None = None
    user: str | None = None  # an identity-store user name (must exist)
    permission_set: str = Field(min_length=1)
    to: Targets


class IdentityCenter(StrictModel):
    """The `identity_center` section."""

    # Where Identity Center is administered: `management` or the member account
    # registered as its delegated administrator (e.g. an identity account).
    account: str = "management"
    region: str | None = None  # the instance's region; default: the home region
    groups: dict[str, Group] = Field(default_factory=dict)
    permission_sets: dict[str, PermissionSet] = Field(default_factory=dict)
    assignments: list[Assignment] = Field(default_factory=list)
