"""The rules of the `roles` and `ci` sections (listed for users in docs/spec.md).

Two passes: the entries as written (names that must exist, shapes of
principals, subjects, profiles), then the roles and providers they turn into
in every account (duplicates, the dangerous shapes of `spec/iam_rules.py`,
AWS's limits). Every problem is reported at the file:line of its entry,
once, however many accounts the entry goes to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.access import catalog
from landingzone.access.errors import PolicyError
from landingzone.access.policy import PolicyKind, parse_policy
from landingzone.errors import SpecProblem
from landingzone.graph.iam_documents import IamLayout, RoleInstance, iam_layout
from landingzone.nodes import MANAGEMENT
from landingzone.spec import iam_rules as rules
from landingzone.spec.iam_schema import (
    GENERATED_POLICY_PREFIX,
    PROFILE_POLICY_PREFIX,
    DeployRole,
    Provider,
    RoleSettings,
    Targets,
    TrustEntry,
)
from landingzone.spec.placeholders import PlaceholderError, fill_placeholders
from landingzone.spec.policy_rules import sid_problem
from landingzone.spec.provenance import Provenance, format_path
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.spec.units import all_unit_paths, well_formed
from landingzone.suggest import choices

URL_MAX = 255
AUDIENCE_MAX = 255
AUDIENCES_MAX = 100


def _entry(path: TreePath) -> TreePath:
    """The entry a path is inside: ("roles", KEY) or ("ci", SECTION, KEY)."""
    return path[:2] if path[0] == "roles" else path[:3]


def _subject(where: TreePath) -> str:
    """How messages name an entry: `role "x"`, `deploy role "x"`, `provider "x"`."""
    kinds = {"roles": "role", "deploy_roles": "deploy role", "providers": "provider"}
    return f'{kinds.get(str(where[-2]), "profile")} "{where[-1]}"'


class _IamChecker:
    """Checks the sections against the whole spec and collects the problems."""

    def __init__(
        self,
        spec: Spec,
        provenance: Provenance,
        skipped: Mapping[str, set[str]],
        layout: IamLayout,
    ):
        self.spec = spec
        self.provenance = provenance
        self.problems: list[SpecProblem] = []
        self._seen: set[tuple[TreePath, str]] = set()
        # Entries with a problem already reported: what they turn into is not checked
        # again (it would only echo the problem).
        self.broken: set[TreePath] = set()
        # Names of roles whose deploy_to is wrong: references to them are not reported.
        self.unplaced: set[str] = set()
        self.accounts = {*spec.accounts, *skipped.get("accounts", ())}
        self.units = all_unit_paths(filter(well_formed, [*spec.units, *skipped.get("units", ())]))
        self.skipped_roles = set(skipped.get("roles", ()))
        self.layout = layout
        self.deployed: dict[str, set[str]] = {}  # account -> role names (lower case)
        for instance in self.layout.roles:
            self.deployed.setdefault(instance.account, set()).add(instance.desired["name"].lower())

    def report(self, path: TreePath, message: str) -> None:
        """Report once per place and message (an entry deployed to many accounts)."""
        self.broken.add(_entry(path))
        if (path, message) not in self._seen:
            self._seen.add((path, message))
            self.problems.append(SpecProblem(message, self.provenance.where(*path)))

    # -- names that must exist -------------------------------------------------------

    def account_exists(self, path: TreePath, subject: str, name: str) -> bool:
        if name == MANAGEMENT or name in self.accounts:
            return True
        found = choices("accounts", self.accounts, name)
        self.report(path, f'{subject}: account "{name}" does not exist ({found}; or "management")')
        return False

    def targets(self, path: TreePath, subject: str, targets: Targets) -> None:
        known = [
            self.account_exists((*path, "accounts", i), subject, name)
            for i, name in enumerate(targets.accounts)
        ]
        for i, unit in enumerate(targets.units):
            if unit not in self.units:
                found = choices("units", self.units, unit)
                self.report(
                    (*path, "units", i), f'{subject}: unit "{unit}" does not exist ({found})'
                )
                known.append(False)
        if all(known) and not self.layout.selections.get(path):
            self.report(path, f"{subject}: deploy_to selects no account")

    def role_reference(self, path: TreePath, subject: str, reference: str) -> None:
        """`ACCOUNT:ROLE` naming a role the spec deploys there, or a role ARN."""
        if "*" in reference or "?" in reference:
            self.report(
                path,
                f'{subject}: role "{reference}" has a wildcard: it would name any role; '
                "name roles exactly",
            )
            return
        if reference.startswith("arn:"):
            if not rules.ROLE_ARN.match(reference):
                self.report(
                    path,
                    f'{subject}: "{reference}" is not a role ARN '
                    "(arn:aws:iam::123456789012:role/NAME)",
                )
            return
        account, sep, name = reference.rpartition(":")
        if not sep or not account or not name:
            self.report(path, f'{subject}: "{reference}" is not ACCOUNT:ROLE or a role ARN')
            return
        if rules.ACCOUNT_ID.match(account) or not self.account_exists(path, subject, account):
            return
        there = self.deployed.get(account, set())
        known = name.lower() in there or name in self.skipped_roles | self.unplaced
        if not known and name != self.spec.organization.access_role:
            found = choices(f"roles in {account}", there, name)
            self.report(
                path, f'{subject}: role "{name}" is not deployed in account "{account}" ({found})'
            )

    def placeholders(self, path: TreePath, value: Any) -> None:
        """Strings with `{region}` (IAM is global), unknown placeholders or stray braces."""
        if isinstance(value, str):
            try:
                fill_placeholders(
                    value, org=self.spec.organization.name, account="a", account_id="0" * 12
                )
            except PlaceholderError as exc:
                self.report(path, f"{format_path(path)}: {exc}")
        elif isinstance(value, dict):
            for key, item in value.items():
                self.placeholders((*path, key), item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.placeholders((*path, index), item)

    # -- entries as written ------------------------------------------------------------

    def role_settings(self, path: TreePath, entry: RoleSettings) -> None:
        subject = _subject(path)
        self.placeholders(path, entry.model_dump(exclude_defaults=True))
        policies: list[tuple[TreePath, str]] = [
            ((*path, "managed_policies", i), p) for i, p in enumerate(entry.managed_policies)
        ]
        if entry.permissions_boundary is not None:
            policies.append(((*path, "permissions_boundary"), entry.permissions_boundary))
        for where, policy in policies:
            if not (rules.POLICY_ARN.match(policy) or rules.AWS_POLICY_NAME.match(policy)):
                self.report(
                    where,
                    f'{subject}: "{policy}" is neither a policy ARN nor the name of an AWS '
                    "managed policy",
                )
        for name, inline in entry.inline_policies.items():
            inline_path = (*path, "inline_policies", name)
            if not rules.POLICY_NAME.match(name):
                self.report(
                    inline_path, f'{subject}: inline policy name "{name}" is not valid in IAM'
                )
            elif name.startswith(GENERATED_POLICY_PREFIX):
                self.report(
                    inline_path,
                    f'{subject}: inline policy names starting with "{GENERATED_POLICY_PREFIX}" '
                    "are lz's (assume_roles, profiles)",
                )
            self.grammar(
                inline_path, f'{subject}: inline policy "{name}"', inline, PolicyKind.IDENTITY
            )
        for i, reference in enumerate(entry.assume_roles):
            self.role_reference((*path, "assume_roles", i), subject, reference)

    def grammar(self, path: TreePath, subject: str, document: Any, kind: PolicyKind) -> None:
        try:
            parse_policy(document, kind=kind, label=subject)
        except PolicyError as exc:
            where = f" (statement {exc.statement})" if exc.statement else ""
            self.report(path, f"{subject}{where}: {exc.detail}")
            return
        for statement in rules.statements_of(document):
            problem = sid_problem(statement.get("Sid"))
            if problem:
                self.report(path, f"{subject}: {problem}")

    def trust_entry(self, path: TreePath, subject: str, entry: TrustEntry) -> None:
        if not (entry.accounts or entry.roles or entry.services):
            self.report(path, f"{subject}: a trust entry names accounts, roles or services")
        for i, account in enumerate(entry.accounts):
            where = (*path, "accounts", i)
            if account == "*":
                self.report(
                    where,
                    f'{subject}: the role would be trusted by "*": any AWS principal could '
                    "assume it; name accounts",
                )
            elif not rules.ACCOUNT_ID.match(account):
                self.account_exists(where, subject, account)
        for i, reference in enumerate(entry.roles):
            self.role_reference((*path, "roles", i), subject, reference)
        for i, service in enumerate(entry.services):
            if not rules.SERVICE_PRINCIPAL.match(service):
                self.report(
                    (*path, "services", i),
                    f'{subject}: "{service}" is not a service principal (ec2.amazonaws.com)',
                )
        if entry.services and (entry.mfa or entry.external_id is not None):
            self.report(
                path,
                f"{subject}: services present no MFA and no external ID; give them a trust "
                "entry of their own",
            )
        if entry.external_id is not None and not rules.EXTERNAL_ID.match(entry.external_id):
            self.report(
                (*path, "external_id"),
                f"{subject}: an external ID is 2 to 1224 characters of letters, digits "
                "and +=,.@:/-_",
            )

    def placements(self) -> None:
        """Every deploy_to, first: a role placed nowhere is not reported again where it
        is referenced."""
        entries: list[tuple[TreePath, RoleSettings]] = [
            (("roles", key), role) for key, role in self.spec.roles.items()
        ]
        entries += [(("ci", "deploy_roles", k), r) for k, r in self.spec.ci.deploy_roles.items()]
        for path, entry in entries:
            reported = len(self.problems)
            self.targets((*path, "deploy_to"), _subject(path), entry.deploy_to)
            if len(self.problems) > reported:
                self.unplaced.add(entry.name or str(path[-1]))
        for key, provider in self.spec.ci.providers.items():
            if provider.deploy_to is not None:
                path = ("ci", "providers", key, "deploy_to")
                self.targets(path, f'provider "{key}"', provider.deploy_to)

    def roles(self) -> None:
        for key, role in self.spec.roles.items():
            path: TreePath = ("roles", key)
            self.role_settings(path, role)
            if not role.trust:
                self.report((*path, "trust"), f'role "{key}": trust names nobody')
            for i, entry in enumerate(role.trust):
                self.trust_entry((*path, "trust", i), f'role "{key}"', entry)

    def deploy_roles(self) -> None:
        ci = self.spec.ci
        for key, role in ci.deploy_roles.items():
            path: TreePath = ("ci", "deploy_roles", key)
            subject = f'deploy role "{key}"'
            self.role_settings(path, role)
            provider = ci.providers.get(role.provider)
            if provider is None:
                found = choices("providers", ci.providers, role.provider)
                self.report(
                    (*path, "provider"),
                    f'{subject}: provider "{role.provider}" does not exist ({found})',
                )
            else:
                self.subjects(path, subject, provider, role)
            if role.profile is not None and role.profile not in ci.profiles:
                found = choices("profiles", ci.profiles, role.profile)
                self.report(
                    (*path, "profile"),
                    f'{subject}: profile "{role.profile}" does not exist ({found})',
                )

    def subjects(self, path: TreePath, subject: str, provider: Provider, role: DeployRole) -> None:
        for i, value in enumerate(role.subjects):
            problem = rules.subject_problem(provider.type, value, any_ref=role.plan)
            if problem:
                self.report((*path, "subjects", i), f'{subject}: subject "{value}": {problem}')

    def providers(self) -> None:
        for key, provider in self.spec.ci.providers.items():
            path: TreePath = ("ci", "providers", key)
            subject = f'provider "{key}"'
            url = provider.url
            if url is not None and not (
                url.startswith("https://") and len(url) > 8 and len(url) <= URL_MAX
            ):
                self.report(
                    (*path, "url"),
                    f'{subject}: the URL is "https://" and a host (and path), at most '
                    f"{URL_MAX} characters",
                )
            audiences = provider.audiences or []
            if len(audiences) > AUDIENCES_MAX or any(
                not 0 < len(a) <= AUDIENCE_MAX for a in audiences
            ):
                self.report(
                    (*path, "audiences"),
                    f"{subject}: at most {AUDIENCES_MAX} audiences of 1 to {AUDIENCE_MAX} "
                    "characters",
                )
            thumbprints = provider.thumbprints or []
            if len(thumbprints) > rules.THUMBPRINTS_MAX or any(
                not rules.THUMBPRINT.match(t) for t in thumbprints
            ):
                self.report(
                    (*path, "thumbprints"),
                    f"{subject}: at most {rules.THUMBPRINTS_MAX} thumbprints of 40 hex digits",
                )

    def profiles(self) -> None:
        for key, profile in self.spec.ci.profiles.items():
            path: TreePath = ("ci", "profiles", key)
            subject = f'profile "{key}"'
            if not rules.PREFIX.match(profile.prefix):
                self.report(
                    (*path, "prefix"),
                    f"{subject}: a prefix is 1 to 32 characters of letters, digits and +=,.@_-",
                )
            lists = {
                "read_services": profile.read_services,
                "regional_services": profile.regional_services,
                "global_services": profile.global_services,
                "unscoped_services": profile.unscoped_services,
            }
            for field, services in lists.items():
                for i, service in enumerate(services):
                    problem = self.service_problem(field, service)
                    if problem:
                        self.report((*path, field, i), f'{subject}: {field} "{service}": {problem}')

    @staticmethod
    def service_problem(field: str, service: str) -> str | None:
        if not rules.SERVICE_PREFIX.match(service):
            return "not an IAM service prefix (ec2, lambda, s3, ...)"
        if field == "read_services":
            return None
        if service in rules.UNGRANTABLE_SERVICES:
            return (
                "a profile never grants it wholesale (iam: true scopes IAM to the prefix; "
                "assume_roles grants sts:AssumeRole)"
            )
        if field == "unscoped_services" and not catalog.accountless_arns(service):
            return (
                "its ARNs name an account: scope it with regional_services or "
                "global_services (unscoped_services may only list services with resources "
                "whose ARNs carry no account, such as s3, route53 and apigateway)"
            )
        return None

    # -- what the entries turn into ----------------------------------------------------

    def instances(self) -> None:
        quotas = self.spec.organization.quotas
        first: dict[tuple[str, str], RoleInstance] = {}
        for instance in self.layout.roles:
            desired, path = instance.desired, instance.where
            subject = _subject(path)
            name = desired["name"]
            other = first.setdefault((instance.account, name.lower()), instance)
            if other is not instance:
                self.report(
                    path,
                    f'{subject}: role "{name}" in account "{instance.account}" is also '
                    f"declared by {format_path(other.where)} "
                    f"({self.provenance.where(*other.where)}; role names are unique per "
                    "account, ignoring case)",
                )
            if self.echoes(path):
                continue
            self.instance_names(path, subject, desired)
            if instance.external:  # another tool's role: lz never writes it, so its shape is theirs
                continue
            self.trust(path, subject, desired["trust"], quotas.trust_policy_characters)
            self.permissions(instance, subject, quotas.managed_policies_per_role)
        self.self_management()
        self.cycles(first)
        hosts: dict[tuple[str, str], TreePath] = {}
        for provider in self.layout.providers:
            where = hosts.setdefault((provider.account, provider.host), provider.where)
            if where != provider.where:
                self.report(
                    provider.where,
                    f'{_subject(provider.where)}: account "{provider.account}" already has the '
                    f'provider "{provider.host}" from {format_path(where)}',
                )

    def echoes(self, path: TreePath) -> bool:
        """Whether problems of this role would only echo ones already reported (its entry,
        its provider or its profile has one)."""
        if path in self.broken:
            return True
        if path[0] != "ci":
            return False
        role = self.spec.ci.deploy_roles[str(path[-1])]
        return bool(
            {("ci", "providers", role.provider), ("ci", "profiles", role.profile or "")}
            & self.broken
        )

    def instance_names(self, path: TreePath, subject: str, desired: Mapping[str, Any]) -> None:
        name_problem = rules.role_name_problem(desired["name"])
        if name_problem:
            self.report(path, f'{subject}: name "{desired["name"]}": {name_problem}')
        elif desired["name"] == self.spec.organization.access_role:
            self.report(
                path,
                f'{subject}: "{desired["name"]}" is organization.access_role, the role lz '
                "reaches member accounts through; lz does not manage it",
            )
        path_problem = rules.path_problem(desired["path"])
        if path_problem:
            self.report((*path, "path"), f'{subject}: path "{desired["path"]}": {path_problem}')
        if len(desired["description"]) > rules.DESCRIPTION_MAX:
            self.report(
                (*path, "description"),
                f"{subject}: the description is over {rules.DESCRIPTION_MAX} characters",
            )

    def trust(self, path: TreePath, subject: str, trust: Mapping[str, Any], quota: int) -> None:
        where = (*path, "trust") if path[0] == "roles" else (*path, "subjects")
        for problem in rules.trust_problems(trust):
            self.report(where, f"{subject}: {problem}")
        self.grammar(where, f"{subject}: trust", trust, PolicyKind.RESOURCE)
        size = rules.policy_size(trust)
        if size > quota:
            self.report(
                where,
                f"{subject}: the trust policy is {size} characters, over the quota of {quota} "
                "(organization.quotas.trust_policy_characters)",
            )

    def permissions(self, instance: RoleInstance, subject: str, quota: int) -> None:
        desired, path = instance.desired, instance.where
        managed = desired["managed_policies"]
        if len(managed) > quota:
            self.report(
                (*path, "managed_policies"),
                f"{subject}: {len(managed)} managed policies, over the quota of {quota} per "
                "role (organization.quotas.managed_policies_per_role)",
            )
        total = 0
        for name, policy in desired["inline_policies"].items():
            total += rules.policy_size(policy)
            profile = self.from_profile(instance, name)
            where = (*path, "profile") if profile else (*path, "inline_policies", name)
            label = f'profile "{name.removeprefix(PROFILE_POLICY_PREFIX)}"' if profile else name
            for problem in rules.mutating_on_any_resource(policy):
                self.report(where, f"{subject}: {label}: {problem}")
        if total > rules.ROLE_POLICIES_CHARACTERS:
            self.report(
                path,
                f"{subject}: its inline policies take {total} characters in account "
                f'"{instance.account}", over AWS\'s limit of {rules.ROLE_POLICIES_CHARACTERS} '
                "per role",
            )

    def from_profile(self, instance: RoleInstance, policy: str) -> bool:
        """Whether a permission profile of the spec generated the inline policy `policy`."""
        if instance.where[0] != "ci" or not policy.startswith(PROFILE_POLICY_PREFIX):
            return False
        return policy.removeprefix(PROFILE_POLICY_PREFIX) in self.spec.ci.profiles

    def self_management(self) -> None:
        """A deploy role whose profile lets it change IAM roles named like itself."""
        for instance in self.layout.roles:
            if instance.where[0] != "ci":
                continue
            role = self.spec.ci.deploy_roles[str(instance.where[-1])]
            profile = self.spec.ci.profiles.get(role.profile or "")
            name = instance.desired["name"]
            if profile and profile.iam and name.lower().startswith(profile.prefix.lower() + "-"):
                self.report(
                    instance.where,
                    f'{_subject(instance.where)}: "{name}" starts with its profile\'s prefix '
                    f'"{profile.prefix}-": the role could rewrite its own trust and permissions',
                )

    def cycles(self, roles: Mapping[tuple[str, str], RoleInstance]) -> None:
        """Roles that trust each other in a circle: AWS needs a trusted role to exist
        before a trust policy names it, so one of them could never be created."""
        edges = {
            key: [(a, n.lower()) for a, n in instance.trusted_roles]
            for key, instance in roles.items()
        }
        for start, instance in roles.items():
            if self.reaches(edges, start, start):
                self.report(
                    (*instance.where, "trust"),
                    f"{_subject(instance.where)}: its trust names roles that trust it in turn "
                    "(a cycle): AWS needs a trusted role to exist first; break the circle",
                )

    @staticmethod
    def reaches(
        edges: Mapping[tuple[str, str], list[tuple[str, str]]],
        start: tuple[str, str],
        goal: tuple[str, str],
    ) -> bool:
        seen: set[tuple[str, str]] = set()
        stack = list(edges.get(start, []))
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, []))
        return False


def check_iam(
    spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]]
) -> list[SpecProblem]:
    """Every problem of the `roles` and `ci` sections, each at its file:line."""
    checker = _IamChecker(spec, provenance, skipped, iam_layout(spec))
    checker.placements()
    checker.roles()
    checker.deploy_roles()
    checker.providers()
    checker.profiles()
    checker.instances()
    return checker.problems
