"""What the `roles` and `ci` sections turn into: one role per selected account,
with its trust and permission documents, and the OIDC providers its CI roles use.

Pure functions of the spec, shared by the checks (which validate the documents
before anything is applied) and the graph (which deploys them). Other accounts
are named with `{account_id:NAME}` placeholders and the role's own account
with `{account_id}`; the planner fills both. Generation never fails: entries
with unknown names produce documents all the same, and the checks report the
names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from landingzone.access import catalog
from landingzone.graph.state_keys import STATE_POLICY, state_grant
from landingzone.graph.targets import (
    account_id_ref,
    account_regions,
    base_tags,
    select_accounts,
)
from landingzone.nodes import MANAGEMENT
from landingzone.spec.iam_rules import ACCOUNT_ID, has_wildcard
from landingzone.spec.iam_schema import (
    ASSUME_ROLES_POLICY,
    PROFILE_POLICY_PREFIX,
    DeployRole,
    PermissionProfile,
    Provider,
    Role,
    RoleSettings,
    Targets,
    TrustEntry,
)
from landingzone.spec.placeholders import PlaceholderError, fill_placeholders
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath

VERSION = "2012-10-17"
GITHUB_URL = "https://token.actions.githubusercontent.com"
GITLAB_URL = "https://gitlab.com"
# The certificate thumbprints GitHub publishes for its token service.
GITHUB_THUMBPRINTS = (
    "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
    "6938fd4d98bab03faadb97b34396831e3780aea1",
)
READ_VERBS = ("Describe", "Get", "List", "View")
# IAM changes a permission profile allows, on PREFIX-named resources only.
IAM_MUTATIONS = (
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:AddRoleToInstanceProfile",
    "iam:Attach*",
    "iam:Create*",
    "iam:Delete*",
    "iam:Detach*",
    "iam:PassRole",
    "iam:Put*",
    "iam:RemoveClientIDFromOpenIDConnectProvider",
    "iam:RemoveRoleFromInstanceProfile",
    "iam:SetDefaultPolicyVersion",
    "iam:Tag*",
    "iam:Untag*",
    "iam:Update*",
)
IAM_PREFIXED = ("role/{prefix}-*", "policy/{prefix}-*", "instance-profile/{prefix}-*")


@dataclass(frozen=True)
class RoleInstance:
    """One role in one account: desired attributes in the `iam_role` contract."""

    where: TreePath  # the spec entry: ("roles", KEY) or ("ci", "deploy_roles", KEY)
    account: str
    desired: dict[str, Any]
    instance_profile: bool = False
    provider_host: str | None = None  # the OIDC provider a deploy role trusts
    trusted_roles: tuple[tuple[str, str], ...] = ()  # spec roles (account, name) it trusts
    external: bool = False  # another tool's role (`roles.*.external`): read, never acted on


@dataclass(frozen=True)
class ProviderInstance:
    """One OIDC provider in one account: desired attributes in the `oidc_provider` contract."""

    where: TreePath
    account: str
    host: str
    desired: dict[str, Any]


@dataclass
class IamLayout:
    """Every role and provider the spec deploys."""

    roles: list[RoleInstance] = field(default_factory=list)
    providers: list[ProviderInstance] = field(default_factory=list)
    # The accounts each `deploy_to` picks, by its place in the spec.
    selections: dict[TreePath, list[str]] = field(default_factory=dict)


# -- names -----------------------------------------------------------------------


def partition(region: str) -> str:
    """The ARN partition of a region."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def provider_url(provider: Provider) -> str:
    """The provider's issuer URL (the default for its type unless set)."""
    return provider.url or (GITHUB_URL if provider.type == "github" else GITLAB_URL)


def provider_host(provider: Provider) -> str:
    """The URL without its scheme: the provider's name in ARNs and condition keys."""
    return provider_url(provider).removeprefix("https://").rstrip("/")


def provider_audiences(provider: Provider) -> list[str]:
    """The client IDs (audiences) the provider accepts."""
    if provider.audiences is not None:
        return list(provider.audiences)
    return ["sts.amazonaws.com"] if provider.type == "github" else [provider_url(provider)]


def provider_thumbprints(provider: Provider) -> list[str]:
    """The certificate thumbprints of the provider."""
    if provider.thumbprints is not None:
        return list(provider.thumbprints)
    return list(GITHUB_THUMBPRINTS) if provider.type == "github" else []


def selected(spec: Spec, deploy_to: Targets | None) -> list[str]:
    """The known accounts a `deploy_to` picks (unknown names are the checks' business)."""
    if deploy_to is None:
        return []
    picked = select_accounts(
        spec, accounts=deploy_to.accounts, units=deploy_to.units, tags=deploy_to.tags or None
    )
    return [a for a in picked if a == MANAGEMENT or a in spec.accounts]


def fill(value: Any, spec: Spec, account: str) -> Any:
    """`value` with `{account}` filled for `account` and `{account_id}` kept for the
    planner; a malformed string stays as written (the checks report it)."""
    if isinstance(value, str):
        try:
            return fill_placeholders(
                value, org=spec.organization.name, account=account, account_id="{account_id}"
            )
        except PlaceholderError:
            return value
    if isinstance(value, dict):
        return {k: fill(v, spec, account) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, spec, account) for v in value]
    return value


class _Names:
    """Role names and paths per account, to turn `ACCOUNT:ROLE` into an ARN."""

    def __init__(self, spec: Spec, entries: Iterable[tuple[TreePath, RoleSettings]]):
        self.spec = spec
        self.part = partition(spec.organization.home_region)
        self.paths: dict[tuple[str, str], str] = {}
        for where, entry in entries:
            for account in selected(spec, entry.deploy_to):
                name, path = role_name_and_path(spec, where, entry, account)
                self.paths.setdefault((account, name.lower()), path)

    def account_arn(self, account: str, resource: str) -> str:
        """`arn:aws:iam::ID:resource` for a spec account, `management` or a 12-digit ID."""
        account_id = account if ACCOUNT_ID.match(account) else account_id_ref(account)
        return f"arn:{self.part}:iam::{account_id}:{resource}"

    def role_arn(self, reference: str) -> tuple[str, tuple[str, str] | None]:
        """The ARN of a role reference, and (account, name) when the spec deploys it."""
        if reference.startswith("arn:"):
            return reference, None
        account, _, name = reference.rpartition(":")
        path = self.paths.get((account, name.lower()))
        arn = self.account_arn(account, f"role{path or '/'}{name}")
        return arn, ((account, name) if path is not None else None)


def role_name_and_path(
    spec: Spec, where: TreePath, entry: RoleSettings, account: str
) -> tuple[str, str]:
    """A role entry's name and path in one account (`{account}` filled)."""
    name = fill(entry.name if entry.name is not None else str(where[-1]), spec, account)
    return str(name), str(fill(entry.path, spec, account))


def managed_policy_arn(spec: Spec, name: str) -> str:
    """An ARN as written, or the ARN of the AWS managed policy of that name."""
    if name.startswith("arn:"):
        return name
    return f"arn:{partition(spec.organization.home_region)}:iam::aws:policy/{name}"


# -- trust -------------------------------------------------------------------------


def _values(items: Iterable[str]) -> str | list[str]:
    unique = sorted(set(items))
    return unique[0] if len(unique) == 1 else unique


def trust_statement(names: _Names, entry: TrustEntry) -> dict[str, Any]:
    """One trust statement: its principals may sts:AssumeRole under its conditions."""
    principal: dict[str, Any] = {}
    aws = [names.account_arn(a, "root") for a in entry.accounts]
    aws += [names.role_arn(r)[0] for r in entry.roles]
    if aws:
        principal["AWS"] = _values(aws)
    if entry.services:
        principal["Service"] = _values(entry.services)
    condition: dict[str, dict[str, Any]] = {}
    if entry.mfa:
        condition["Bool"] = {"aws:MultiFactorAuthPresent": "true"}
    if entry.external_id is not None:
        condition["StringEquals"] = {"sts:ExternalId": entry.external_id}
    for operator, keys in (entry.condition or {}).items():
        condition[operator] = {**condition.get(operator, {}), **keys}
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal}
    statement["Action"] = "sts:AssumeRole"
    if condition:
        statement["Condition"] = condition
    return statement


def oidc_trust_statements(
    provider_arn: str, host: str, audiences: list[str], subjects: list[str]
) -> list[dict[str, Any]]:
    """The trust of a deploy role: the provider's tokens with one of the audiences and
    one of the subjects. Exact subjects use StringEquals, subjects with a wildcard
    StringLike, each in a statement of its own so that either kind lets a job in."""
    exact = [s for s in subjects if not has_wildcard(s)]
    patterns = [s for s in subjects if has_wildcard(s)]
    groups = [(op, group) for op, group in (("StringEquals", exact), ("StringLike", patterns))]
    groups = [(op, group) for op, group in groups if group] or [("StringEquals", [])]
    statements = []
    for operator, group in groups:
        condition: dict[str, dict[str, Any]] = {}
        if audiences:
            condition["StringEquals"] = {f"{host}:aud": _values(audiences)}
        if group:
            condition.setdefault(operator, {})[f"{host}:sub"] = _values(group)
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
        }
        if condition:
            statement["Condition"] = condition
        statements.append(statement)
    return statements


# -- permissions -------------------------------------------------------------------


def document(statements: list[dict[str, Any]]) -> dict[str, Any]:
    """A policy document holding `statements`."""
    return {"Version": VERSION, "Statement": statements}


def profile_statements(
    profile: PermissionProfile, part: str, regions: list[str]
) -> list[dict[str, Any]]:
    """A permission profile's grants in one account (`{account_id}`) and its regions."""
    statements: list[dict[str, Any]] = []

    def grant(sid: str, actions: list[str], resources: str | list[str]) -> None:
        if actions:
            statements.append(
                {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
            )

    # Only patterns that name real actions (AWS's catalog): `budgets:Get*` names
    # none, `budgets:View*` is how Budgets reads.
    reads = [
        pattern
        for s in profile.read_services
        for verb in READ_VERBS
        if catalog.expand(pattern := f"{s}:{verb}*")
    ]
    grant("ServiceReadOnly", reads, "*")
    if profile.iam:
        grant("IamReadOnly", ["iam:Get*", "iam:List*"], "*")
        iam_arns = [
            f"arn:{part}:iam::{{account_id}}:{pattern.format(prefix=profile.prefix)}"
            for pattern in IAM_PREFIXED
        ]
        iam_arns.append(f"arn:{part}:iam::{{account_id}}:oidc-provider/*")
        grant("IamPrefixedResources", list(IAM_MUTATIONS), iam_arns)
    grant(
        "AccountRegionalResources",
        [f"{s}:*" for s in profile.regional_services],
        [
            f"arn:{part}:{s}:{region}:{{account_id}}:*"
            for s in profile.regional_services
            for region in regions
        ],
    )
    grant(
        "AccountGlobalResources",
        [f"{s}:*" for s in profile.global_services],
        [f"arn:{part}:{s}::{{account_id}}:*" for s in profile.global_services],
    )
    grant(
        "AccountlessResources",
        [f"{s}:*" for s in profile.unscoped_services],
        [
            arn
            for s in profile.unscoped_services
            for arn in accountless_resources(s, part, regions, profile.prefix)
        ],
    )
    return statements


# Services whose account-less resources the deployer names (S3 buckets): a
# profile scopes them to the prefix, as it does IAM's. Other account-less
# resources have IDs AWS assigns (Route 53 zones, API Gateway APIs).
NAMED_BY_PREFIX = frozenset({"s3"})


def accountless_resources(service: str, part: str, regions: list[str], prefix: str) -> list[str]:
    """The ARN patterns of a service's resources whose ARNs carry no account (from AWS's
    catalog): S3 buckets and objects named `PREFIX-*`; otherwise the service's
    account-less resources in the account's regions (and its global ones)."""
    if service in NAMED_BY_PREFIX:
        return [f"arn:{part}:{service}:::{prefix}-*"]
    formats = catalog.accountless_arns(service)
    found = []
    if any(f.split(":")[3] == "${Region}" for f in formats):
        found += [f"arn:{part}:{service}:{region}::*" for region in regions]
    if any(f.split(":")[3] == "" for f in formats):
        found.append(f"arn:{part}:{service}:::*")
    return found


def _inline_policies(
    spec: Spec,
    entry: RoleSettings,
    account: str,
    names: _Names,
    profile: tuple[str, PermissionProfile] | None,
) -> dict[str, Any]:
    policies: dict[str, Any] = {k: fill(v, spec, account) for k, v in entry.inline_policies.items()}
    if entry.assume_roles:
        arns = sorted({names.role_arn(fill(r, spec, account))[0] for r in entry.assume_roles})
        policies[ASSUME_ROLES_POLICY] = document(
            [
                {
                    "Sid": "AssumeRoles",
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": arns,
                }
            ]
        )
    if profile is not None:
        key, settings = profile
        statements = profile_statements(settings, names.part, account_regions(spec, account))
        policies[PROFILE_POLICY_PREFIX + key] = document(statements)
    return policies


# -- roles and providers --------------------------------------------------------------


def _role_desired(
    spec: Spec,
    where: TreePath,
    entry: RoleSettings,
    account: str,
    trust: list[dict[str, Any]],
    inline: dict[str, Any],
) -> dict[str, Any]:
    name, path = role_name_and_path(spec, where, entry, account)
    boundary = entry.permissions_boundary
    return {
        "name": name,
        "path": path,
        "description": fill(entry.description, spec, account),
        "trust": document(trust),
        "managed_policies": sorted(
            {managed_policy_arn(spec, fill(p, spec, account)) for p in entry.managed_policies}
        ),
        "inline_policies": inline,
        "permissions_boundary": (
            None if boundary is None else managed_policy_arn(spec, fill(boundary, spec, account))
        ),
        "max_session_duration": entry.max_session_duration,
        "tags": {**base_tags(spec), **fill(entry.tags, spec, account)},
    }


def _roles(spec: Spec, names: _Names, key: str, role: Role) -> list[RoleInstance]:
    where: TreePath = ("roles", key)
    instances = []
    for account in selected(spec, role.deploy_to):
        entries = [fill(e.model_dump(), spec, account) for e in role.trust]
        trust = [trust_statement(names, TrustEntry.model_validate(e)) for e in entries]
        trusted = {
            ref for e in entries for r in e["roles"] if (ref := names.role_arn(r)[1]) is not None
        }
        inline = _inline_policies(spec, role, account, names, None)
        instances.append(
            RoleInstance(
                where=where,
                account=account,
                desired=_role_desired(spec, where, role, account, trust, inline),
                instance_profile=role.instance_profile,
                trusted_roles=tuple(sorted(trusted)),
                external=role.external,
            )
        )
    return instances


def _deploy_roles(spec: Spec, names: _Names, key: str, role: DeployRole) -> list[RoleInstance]:
    where: TreePath = ("ci", "deploy_roles", key)
    provider = spec.ci.providers.get(role.provider)
    profile = spec.ci.profiles.get(role.profile) if role.profile else None
    host = provider_host(provider) if provider else role.provider
    audiences = provider_audiences(provider) if provider else []
    instances = []
    for account in selected(spec, role.deploy_to):
        provider_arn = f"arn:{names.part}:iam::{{account_id}}:oidc-provider/{host}"
        subjects = [str(fill(s, spec, account)) for s in role.subjects]
        trust = oidc_trust_statements(provider_arn, host, audiences, subjects)
        named_profile = (role.profile, profile) if role.profile and profile else None
        inline = _inline_policies(spec, role, account, names, named_profile)
        grant = state_grant(spec, account, role.plan)
        if grant is not None:  # state isolation: what the state bucket lets it touch
            inline[STATE_POLICY] = grant
        instances.append(
            RoleInstance(
                where=where,
                account=account,
                desired=_role_desired(spec, where, role, account, trust, inline),
                provider_host=host if provider else None,
            )
        )
    return instances


def _providers(spec: Spec, roles: list[RoleInstance]) -> list[ProviderInstance]:
    users: dict[str, set[str]] = {}
    for instance in roles:
        key = str(instance.where[-1])
        if instance.where[0] == "ci":
            users.setdefault(spec.ci.deploy_roles[key].provider, set()).add(instance.account)
    instances = []
    for key, provider in spec.ci.providers.items():
        accounts = set(selected(spec, provider.deploy_to)) | users.get(key, set())
        for account in sorted(accounts):
            instances.append(
                ProviderInstance(
                    where=("ci", "providers", key),
                    account=account,
                    host=provider_host(provider),
                    desired={
                        "url": provider_url(provider).rstrip("/"),
                        "client_ids": sorted(set(provider_audiences(provider))),
                        "thumbprints": sorted({t.lower() for t in provider_thumbprints(provider)}),
                        "tags": {**base_tags(spec), **fill(provider.tags, spec, account)},
                    },
                )
            )
    return instances


def role_entries(spec: Spec) -> list[tuple[TreePath, RoleSettings]]:
    """Every role entry of both sections, with its place in the spec."""
    entries: list[tuple[TreePath, RoleSettings]] = [
        (("roles", key), role) for key, role in spec.roles.items()
    ]
    entries += [(("ci", "deploy_roles", key), role) for key, role in spec.ci.deploy_roles.items()]
    return entries


def iam_layout(spec: Spec) -> IamLayout:
    """Every role and OIDC provider the spec deploys, in every account it goes to."""
    entries = role_entries(spec)
    names = _Names(spec, entries)
    roles: list[RoleInstance] = []
    for key, role in spec.roles.items():
        roles += _roles(spec, names, key, role)
    for key, deploy in spec.ci.deploy_roles.items():
        roles += _deploy_roles(spec, names, key, deploy)
    selections = {(*where, "deploy_to"): selected(spec, e.deploy_to) for where, e in entries}
    for key, provider in spec.ci.providers.items():
        if provider.deploy_to is not None:
            selections[("ci", "providers", key, "deploy_to")] = selected(spec, provider.deploy_to)
    return IamLayout(roles=roles, providers=_providers(spec, roles), selections=selections)
