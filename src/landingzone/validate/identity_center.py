"""Semantic checks of the `identity_center` section (listed for users in docs/spec.md).

Every problem at the file:line that set the value, all in one run: the
administering account, permission sets (names, AWS managed policies known
to AWS, the inline policy's grammar and size, the session duration), and
assignments (the permission set, the group and the accounts they name).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from landingzone.access.delegated_services import service_principal
from landingzone.access.errors import PolicyError
from landingzone.access.managed_policies import (
    aws_managed_document,
    aws_managed_names,
    is_aws_managed,
)
from landingzone.access.policy import PolicyKind, parse_policy
from landingzone.errors import SpecProblem
from landingzone.graph.iam_documents import managed_policy_arn
from landingzone.graph.identity_center import SSO, assignment_targets
from landingzone.nodes import MANAGEMENT
from landingzone.resources.base import minified
from landingzone.spec import iam_rules as rules
from landingzone.spec.iam_schema import Targets
from landingzone.spec.identity_center import IdentityCenter, PermissionSet
from landingzone.spec.limits import partition_of, region_problem
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.spec.units import all_unit_paths, well_formed
from landingzone.suggest import choices, did_you_mean

# AWS's limits, from the IAM Identity Center API reference and quotas page:
PERMISSION_SET_NAME = re.compile(r"^[\w+=,.@-]{1,32}$")  # CreatePermissionSet `Name`
INLINE_POLICY_MAX = 32768  # PutInlinePolicyToPermissionSet `InlinePolicy`: 1-32,768 characters
MANAGED_POLICIES_MAX = 20  # managed + customer managed policies per permission set (quota)
RELAY_STATE_MAX = 240  # CreatePermissionSet `RelayState`
DESCRIPTION_MAX = 700  # CreatePermissionSet `Description`
SESSION = re.compile(r"^PT(?:(\d+)H)?(?:(\d+)M)?$")  # ISO 8601, as `SessionDuration`
SESSION_MIN, SESSION_MAX = 3600, 12 * 3600  # 1 to 12 hours


def session_seconds(duration: str) -> int | None:
    """`PT8H`, `PT1H30M` as seconds; None when it is not that form."""
    match = SESSION.match(duration)
    if not match or not any(match.groups()):
        return None
    return int(match.group(1) or 0) * 3600 + int(match.group(2) or 0) * 60


class _Checker:
    def __init__(self, spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]]):
        assert spec.identity_center is not None
        self.spec = spec
        self.section: IdentityCenter = spec.identity_center
        self.provenance = provenance
        self.problems: list[SpecProblem] = []
        self.accounts = {*spec.accounts, *skipped.get("accounts", ())}
        self.units = all_unit_paths(filter(well_formed, [*spec.units, *skipped.get("units", ())]))

    def report(self, path: TreePath, message: str) -> None:
        self.problems.append(SpecProblem(message, self.provenance.where("identity_center", *path)))

    def account(self) -> None:
        admin = self.section.account
        if admin != MANAGEMENT and admin not in self.accounts:
            found = choices("accounts", self.accounts, admin)
            self.report(
                ("account",),
                f'identity_center.account: account "{admin}" does not exist ({found}; '
                'or "management")',
            )
        region = self.section.region
        if region is not None:
            partition = partition_of(self.spec.organization.home_region)
            problem = region_problem(region, partition)
            if problem:
                self.report(("region",), f"identity_center.region: {problem}")
        security = self.spec.security
        delegated = security is not None and SSO in {
            service_principal(name) for name in security.delegated_services
        }
        if security is not None and delegated and security.account != admin:
            self.report(
                ("account",),
                f'identity_center.account is "{admin}" but security.delegated_services '
                f'delegates Identity Center to "{security.account}": AWS has one '
                "delegated administrator per service",
            )

    def permission_set(self, name: str, entry: PermissionSet) -> None:
        path: TreePath = ("permission_sets", name)
        subject = f'permission set "{name}"'
        if not PERMISSION_SET_NAME.match(name):
            self.report(
                path,
                f"{subject}: a name is 1 to 32 letters, digits and +=,.@_- (AWS's "
                "CreatePermissionSet)",
            )
        for index, policy in enumerate(entry.managed_policies):
            self.managed_policy((*path, "managed_policies", index), subject, policy)
        if entry.permissions_boundary is not None:
            bound = entry.permissions_boundary
            where = (*path, "permissions_boundary")
            if (bound.managed_policy is None) == (bound.customer_managed_policy is None):
                self.report(
                    where,
                    f"{subject}: permissions_boundary takes one of managed_policy or "
                    "customer_managed_policy",
                )
            elif bound.managed_policy is not None:
                self.managed_policy((*where, "managed_policy"), subject, bound.managed_policy)
        count = len(entry.managed_policies) + len(entry.customer_managed_policies)
        if count > MANAGED_POLICIES_MAX:
            self.report(
                (*path, "managed_policies"),
                f"{subject}: {count} managed and customer managed policies; AWS allows "
                f"{MANAGED_POLICIES_MAX} per permission set",
            )
        if entry.inline_policy is not None:
            self.inline_policy((*path, "inline_policy"), subject, entry.inline_policy)
        seconds = session_seconds(entry.session_duration)
        if seconds is None or not SESSION_MIN <= seconds <= SESSION_MAX:
            self.report(
                (*path, "session_duration"),
                f'{subject}: session_duration "{entry.session_duration}" must be an ISO 8601 '
                "duration from PT1H to PT12H (AWS allows 1 to 12 hours)",
            )
        if entry.relay_state is not None and not 1 <= len(entry.relay_state) <= RELAY_STATE_MAX:
            self.report(
                (*path, "relay_state"),
                f"{subject}: relay_state is 1 to {RELAY_STATE_MAX} characters",
            )
        if len(entry.description) > DESCRIPTION_MAX:
            self.report(
                (*path, "description"),
                f"{subject}: description is at most {DESCRIPTION_MAX} characters",
            )

    def managed_policy(self, path: TreePath, subject: str, policy: str) -> None:
        if not (rules.POLICY_ARN.match(policy) or rules.AWS_POLICY_NAME.match(policy)):
            self.report(
                path,
                f'{subject}: "{policy}" is neither a policy ARN nor the name of an AWS '
                "managed policy",
            )
            return
        arn = managed_policy_arn(self.spec, policy)
        if is_aws_managed(arn) and aws_managed_document(arn) is None:
            name = arn.rsplit("/", 1)[-1]
            self.report(
                path,
                f'{subject}: AWS has no managed policy "{policy}"'
                f"{did_you_mean(name, aws_managed_names())}",
            )

    def inline_policy(self, path: TreePath, subject: str, document: Mapping[str, object]) -> None:
        try:
            parse_policy(dict(document), kind=PolicyKind.IDENTITY, label=subject)
        except PolicyError as exc:
            where = f" (statement {exc.statement})" if exc.statement else ""
            self.report(path, f"{subject}: inline_policy{where}: {exc.detail}")
        size = len(minified(dict(document)))
        if size > INLINE_POLICY_MAX:
            self.report(
                path,
                f"{subject}: inline_policy is {size:,} characters; AWS allows "
                f"{INLINE_POLICY_MAX:,} (PutInlinePolicyToPermissionSet)",
            )

    def assignments(self) -> None:
        sets = self.section.permission_sets
        for index, assignment in enumerate(self.section.assignments):
            path: TreePath = ("assignments", index)
            if (assignment.group is None) == (assignment.user is None):
                self.report(path, "assignment: name one of group or user")
                continue
            subject = f"assignment of {assignment.group or assignment.user}"
            if assignment.permission_set not in sets:
                found = choices("permission sets", sets, assignment.permission_set)
                self.report(
                    (*path, "permission_set"),
                    f'{subject}: permission set "{assignment.permission_set}" is not in '
                    f"identity_center.permission_sets ({found})",
                )
            if assignment.group is not None and assignment.group not in self.section.groups:
                found = choices("groups", self.section.groups, assignment.group)
                self.report(
                    (*path, "group"),
                    f'{subject}: group "{assignment.group}" is not in identity_center.groups '
                    f"({found}); declare it, or add it with external: true if your identity "
                    "provider creates it",
                )
            self.targets((*path, "to"), subject, assignment.to)
            if not assignment_targets(self.spec, assignment) and self._targets_known(assignment.to):
                self.report((*path, "to"), f"{subject}: `to` selects no account")

    def _targets_known(self, targets: Targets) -> bool:
        return all(a == MANAGEMENT or a in self.accounts for a in targets.accounts) and all(
            u in self.units for u in targets.units
        )

    def targets(self, path: TreePath, subject: str, targets: Targets) -> None:
        for index, name in enumerate(targets.accounts):
            if name != MANAGEMENT and name not in self.accounts:
                found = choices("accounts", self.accounts, name)
                self.report(
                    (*path, "accounts", index),
                    f'{subject}: account "{name}" does not exist ({found}; or "management")',
                )
        for index, unit in enumerate(targets.units):
            if unit not in self.units:
                found = choices("units", self.units, unit)
                self.report(
                    (*path, "units", index), f'{subject}: unit "{unit}" does not exist ({found})'
                )


def check_identity_center(
    spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]]
) -> list[SpecProblem]:
    """Every problem of the `identity_center` section (none without one)."""
    if spec.identity_center is None:
        return []
    checker = _Checker(spec, provenance, skipped)
    checker.account()
    for name, entry in sorted(checker.section.permission_sets.items()):
        checker.permission_set(name, entry)
    checker.assignments()
    return checker.problems
