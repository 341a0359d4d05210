"""The `roles` and `ci` sections: IAM roles in member accounts and CI federation (OIDC).

Shapes only; what they turn into (trust and permission documents) is in
`graph/iam_documents.py`, and the rules a valid spec keeps in
`spec/iam_checks.py`. docs/spec.md documents every key and default.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from landingzone.spec.ci_pipeline import Pipeline
from landingzone.spec.strict import StrictModel

DEFAULT_MAX_SESSION = 3600  # seconds; AWS's default and minimum
MAX_SESSION_LIMIT = 43200  # 12 hours, AWS's maximum
GENERATED_POLICY_PREFIX = "lz-"  # inline policies lz writes itself; users' may not start so
ASSUME_ROLES_POLICY = "lz-assume-roles"  # the grant of `assume_roles`
PROFILE_POLICY_PREFIX = "lz-profile-"  # + profile name: the grants of a permission profile


class Targets(StrictModel):
    """The accounts something is deployed to: the union of the accounts named,
    the accounts in the units named (and in every unit below them), and the
    accounts carrying all the tags given."""

    accounts: list[str] = Field(default_factory=list)  # account keys, or `management`
    units: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)


class TrustEntry(StrictModel):
    """Who may assume a role (one statement of its trust policy)."""

    accounts: list[str] = Field(default_factory=list)  # keys, `management`, 12-digit IDs
    roles: list[str] = Field(default_factory=list)  # `ACCOUNT:ROLE` or a role ARN
    services: list[str] = Field(default_factory=list)  # `ec2.amazonaws.com`
    mfa: bool = False  # aws:MultiFactorAuthPresent must be true
    external_id: str | None = None  # sts:ExternalId must equal this
    condition: dict[str, dict[str, object]] | None = None  # a raw IAM Condition block


class RoleSettings(StrictModel):
    """What every role lz deploys has, whichever section declares it."""

    name: str | None = None  # the role's name in AWS; default: the key
    deploy_to: Targets
    description: str = ""
    path: str = "/"
    managed_policies: list[str] = Field(default_factory=list)  # ARNs or AWS managed names
    inline_policies: dict[str, dict[str, object]] = Field(default_factory=dict)
    permissions_boundary: str | None = None  # ARN or AWS managed name
    max_session_duration: int = Field(
        DEFAULT_MAX_SESSION, ge=DEFAULT_MAX_SESSION, le=MAX_SESSION_LIMIT
    )
    # Roles this role may assume (`ACCOUNT:ROLE` or ARNs): an sts:AssumeRole grant.
    assume_roles: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)


class Role(RoleSettings):
    """A role of the `roles` section, trusted by AWS principals or services."""

    trust: list[TrustEntry]
    instance_profile: bool = False  # also an EC2 instance profile of the same name and path
    # Owned by another tool (Control Tower, StackSets): read, never created, changed or deleted.
    external: bool = False


class Provider(StrictModel):
    """An OIDC identity provider CI jobs sign in with."""

    type: Literal["github", "gitlab"]
    url: str | None = None  # default: GitHub's token service, or https://gitlab.com
    audiences: list[str] | None = None  # default: sts.amazonaws.com (GitHub), the URL (GitLab)
    thumbprints: list[str] | None = None  # default: GitHub's published ones; none for GitLab
    deploy_to: Targets | None = None  # besides the accounts of its deploy roles
    tags: dict[str, str] = Field(default_factory=dict)


class PermissionProfile(StrictModel):
    """What a deploy role may do, scoped to its own account (seed 001's tables)."""

    prefix: str  # IAM roles, policies and instance profiles it manages start with `PREFIX-`
    read_services: list[str] = Field(default_factory=list)  # Describe*/Get*/List* on *
    regional_services: list[str] = Field(default_factory=list)  # svc:* on its account+regions
    global_services: list[str] = Field(default_factory=list)  # svc:* on arn:...:svc::ACCOUNT:*
    unscoped_services: list[str] = Field(default_factory=list)  # svc:* on *: account-less ARNs
    iam: bool = False  # IAM reads, and changes to PREFIX-named IAM resources


class DeployRole(RoleSettings):
    """A role CI jobs assume through an OIDC provider."""

    provider: str
    subjects: list[str]  # the token's `sub` values allowed in, exactly as issued
    profile: str | None = None
    # A read-only role for the plans of pull / merge requests (spec/ci_pipeline.py).
    plan: bool = False


class Ci(StrictModel):
    """CI federation: OIDC providers, permission profiles, deploy roles."""

    providers: dict[str, Provider] = Field(default_factory=dict)
    profiles: dict[str, PermissionProfile] = Field(default_factory=dict)
    deploy_roles: dict[str, DeployRole] = Field(default_factory=dict)
    pipeline: Pipeline | None = None  # how exported pipelines use the deploy roles
