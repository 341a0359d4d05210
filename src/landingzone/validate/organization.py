"""Semantic checks: what a valid spec guarantees before anything touches AWS.

Each rule reports every offending value at the file:line that set it, and all
rules run in one pass. The rules are listed, for users, in docs/spec.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from landingzone.access.org_policy_types import RCP_FULL_AWS_ACCESS, RCP_TYPE
from landingzone.errors import Location, SpecProblem
from landingzone.spec.limits import partition_of, region_problem
from landingzone.spec.org_policy_checks import (
    attachment_problems,
    document_findings,
    scp_names,
    size_problem,
)
from landingzone.spec.provenance import Provenance, format_path
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.spec.units import all_unit_paths, well_formed
from landingzone.suggest import choices as _choices
from landingzone.validate.iam import check_iam

MANAGEMENT = "management"  # state.account: the organization's management account
FULL_AWS_ACCESS = "FullAWSAccess"  # the AWS-managed SCP lz keeps attached everywhere
EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
ACCOUNT_NAME = re.compile(r"^[\x20-\x7e]{1,50}$")
ALIAS = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$")
OU_NAME_MAX = 128
_SUBJECTS = {"accounts": "account", "units": "unit"}  # how entries are named in messages


def _unit_path_problem(path: str, max_depth: int) -> str | None:
    segments = path.split("/")
    if not well_formed(path):
        return 'a unit path is OU names separated by single "/", with none empty'
    too_long = next((s for s in segments if len(s) > OU_NAME_MAX), None)
    if too_long is not None:
        return f'the OU name "{too_long[:20]}..." is over {OU_NAME_MAX} characters'
    if len(segments) > max_depth:
        return (
            f"{len(segments)} levels deep, over the limit of {max_depth} "
            "(organization.quotas.ou_depth)"
        )
    return None


class _Checker:
    def __init__(self, spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]]):
        self.spec = spec
        self.provenance = provenance
        self.problems: list[SpecProblem] = []
        # Entries left out after schema errors still exist for references.
        units = [*spec.units, *skipped.get("units", ())]
        self.units = all_unit_paths(filter(well_formed, units))
        self.accounts = {*spec.accounts, *skipped.get("accounts", ())}
        self.policies = {*spec.policies, *skipped.get("policies", ()), FULL_AWS_ACCESS}
        if any(policy.type == RCP_TYPE for policy in spec.policies.values()):
            self.policies.add(RCP_FULL_AWS_ACCESS)  # AWS attaches it once RCPs are enabled

    def report(self, path: TreePath, message: str, related: Location | None = None) -> None:
        self.problems.append(
            SpecProblem(message, self.provenance.where(*path), (related,) if related else ())
        )

    def unique(self, seen: dict[str, TreePath], key: str, path: TreePath, what: str) -> None:
        """Report `what` (at `path`) when an earlier entry used `key` already."""
        first = seen.setdefault(key, path)
        if first != path:
            where = self.provenance.where(*first)
            owner = f'{_SUBJECTS[str(first[0])]} "{first[1]}"'
            self.report(path, f"{what} is already used by {owner} ({where})", where)

    def accounts_identity(self) -> None:
        emails: dict[str, TreePath] = {}
        names: dict[str, TreePath] = {}
        for key, account in self.spec.accounts.items():
            subject = f'account "{key}"'
            if key == MANAGEMENT:
                self.report(
                    ("accounts", key),
                    f'{subject}: "{MANAGEMENT}" is reserved for the management account '
                    "(state.account: management); give this account another key",
                )
            email_path: TreePath = ("accounts", key, "email")
            if not (6 <= len(account.email) <= 64 and EMAIL.match(account.email)):
                self.report(
                    email_path,
                    f'{subject}: e-mail "{account.email}" is not a valid address '
                    "(name@domain.tld, 6 to 64 characters: Organizations CreateAccount, Email)",
                )
            else:
                what = f'{subject}: e-mail "{account.email}"'
                self.unique(emails, account.email.lower(), email_path, what)
            name, name_path = (
                (key, ("accounts", key))
                if account.name is None
                else (account.name, ("accounts", key, "name"))
            )
            if not ACCOUNT_NAME.match(name):
                self.report(
                    name_path,
                    f'{subject}: name "{name}" must be 1 to 50 printable ASCII characters',
                )
            else:
                self.unique(names, name, name_path, f'{subject}: name "{name}"')

    def unit_paths(self) -> None:
        depth = self.spec.organization.quotas.ou_depth
        claimed: dict[str, TreePath] = {}
        for path, unit in self.spec.units.items():
            problem = _unit_path_problem(path, depth)
            if problem:
                self.report(("units", path), f'unit "{path}": {problem}')
            for index, old in enumerate(unit.moved_from):
                where: TreePath = ("units", path, "moved_from", index)
                problem = _unit_path_problem(old, depth)
                if problem:
                    self.report(where, f'unit "{path}": moved_from "{old}": {problem}')
                elif old in self.units:
                    self.report(
                        where,
                        f'unit "{path}": moved_from "{old}" is also a unit of the spec; '
                        "a unit cannot be moved away from a path that still exists",
                    )
                else:
                    self.unique(claimed, old, where, f'unit "{path}": moved_from "{old}"')

    def unit_reference(self, subject: str, unit: str | None, path: TreePath) -> None:
        if unit is not None and unit not in self.units:
            choices = _choices("units", self.units, unit)
            self.report(path, f'{subject}: unit "{unit}" does not exist ({choices})')

    def policy_list(self, subject: str, names: list[str], path: TreePath) -> None:
        """References, repeats and the per-target quota of one target's policies."""
        for index, name in enumerate(names):
            if name not in self.policies:
                choices = _choices("policies", self.policies, name)
                self.report(
                    (*path, index), f'{subject}: policy "{name}" does not exist ({choices})'
                )
            elif name in names[:index]:
                self.report((*path, index), f'{subject}: policy "{name}" is listed twice')
        for problem in attachment_problems(self.spec, names):
            self.report(path, f"{subject}: {problem}")
        quota = self.spec.organization.quotas.policies_per_target
        attached = len(set(scp_names(self.spec, names)) - {FULL_AWS_ACCESS}) + 1
        if attached > quota:
            self.report(
                path,
                f"{subject}: {attached} policies would be attached ({attached - 1} listed plus "
                f"{FULL_AWS_ACCESS}, which lz keeps attached), over the quota of {quota} per "
                "target (organization.quotas.policies_per_target)",
            )

    def references(self) -> None:
        organization = self.spec.organization
        self.policy_list("organization", organization.policies, ("organization", "policies"))
        self.unit_reference(
            "organization",
            organization.removed_accounts_unit,
            ("organization", "removed_accounts_unit"),
        )
        for path, unit in self.spec.units.items():
            self.policy_list(f'unit "{path}"', unit.policies, ("units", path, "policies"))
        for key, account in self.spec.accounts.items():
            subject = f'account "{key}"'
            self.unit_reference(subject, account.unit, ("accounts", key, "unit"))
            self.policy_list(subject, account.policies, ("accounts", key, "policies"))
        state_account = self.spec.state.account
        if state_account != MANAGEMENT and state_account not in self.accounts:
            choices = _choices("accounts", self.accounts, state_account)
            self.report(
                ("state", "account"),
                f'state: account "{state_account}" does not exist ({choices}; '
                f'or "{MANAGEMENT}" for the management account)',
            )

    def policy_documents(self) -> None:
        for name, policy in self.spec.policies.items():
            path: TreePath = ("policies", name)
            if name in (FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS):
                self.report(
                    path,
                    f'policy "{name}": the name is AWS\'s managed policy; lz keeps that one '
                    "attached, reference it without declaring it",
                )
            size = size_problem(self.spec, policy)
            if size is not None:
                self.report((*path, "document"), f'policy "{name}": {size}')
            for inside, message in document_findings(policy):
                self.report((*path, "document", *inside), f'policy "{name}": {message}')

    def aliases(self) -> None:
        seen: dict[str, TreePath] = {}
        for key, account in self.spec.accounts.items():
            alias = account.alias
            path: TreePath = ("accounts", key, "alias")
            if alias is None:
                continue
            if not ALIAS.match(alias):
                self.report(
                    path,
                    f'account "{key}": alias "{alias}" must be 3 to 63 characters of a-z, 0-9 '
                    'and "-", not starting or ending with "-" nor with "--" inside',
                )
            else:
                self.unique(seen, alias, path, f'account "{key}": alias "{alias}"')

    def regions(self) -> None:
        organization, state = self.spec.organization, self.spec.state
        found: list[tuple[TreePath, str | None]] = [
            (("organization", "home_region"), organization.home_region),
            (("state", "region"), state.region),
        ]
        found += [
            (("organization", "regions", i), r) for i, r in enumerate(organization.regions or [])
        ]
        for key, account in self.spec.accounts.items():
            found += [
                (("accounts", key, "regions", i), r) for i, r in enumerate(account.regions or [])
            ]
        partition = partition_of(organization.home_region)
        for path, region in found:
            problem = None if region is None else region_problem(region, partition)
            if problem:
                self.report(path, f"{format_path(path)}: {problem}")


def check_spec(
    spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]] | None = None
) -> list[SpecProblem]:
    """Every semantic problem of `spec`, each at the file:line that caused it.

    `skipped` names entries (by section: accounts, units, policies) that were
    left out of `spec` because they are invalid; references to them are fine.
    """
    checker = _Checker(spec, provenance, skipped or {})
    checker.accounts_identity()
    checker.unit_paths()
    checker.references()
    checker.policy_documents()
    checker.aliases()
    checker.regions()
    return [*checker.problems, *check_iam(spec, provenance, skipped or {})]
