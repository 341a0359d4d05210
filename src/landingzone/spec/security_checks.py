"""Semantic checks of the `security` section.

Like `spec/checks.py`: every problem at the file:line that set the value,
all in one run. The rules are listed for users in docs/spec.md ("security").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from landingzone.errors import SpecProblem
from landingzone.spec.checks import EMAIL
from landingzone.spec.delegation import DELEGABLE_SERVICES, service_principal, short_name
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.suggest import choices, did_you_mean
from landingzone.spec.tree import TreePath

MANAGEMENT = "management"
TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
AGGREGATOR_NAME = re.compile(r"^[\w-]{1,256}$")
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")


class _Checker:
    def __init__(self, spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]]):
        self.spec = spec
        self.provenance = provenance
        self.problems: list[SpecProblem] = []
        # Accounts left out after schema errors still exist for references.
        self.account_names = {*spec.accounts, *skipped.get("accounts", ())}

    def report(self, path: TreePath, message: str) -> None:
        self.problems.append(SpecProblem(message, self.provenance.where(*path)))

    def account(self) -> None:
        assert self.spec.security is not None
        name = self.spec.security.account
        path: TreePath = ("security", "account")
        if name == MANAGEMENT:
            self.report(
                path,
                "security.account: the management account cannot be a delegated "
                "administrator (AWS refuses it: "
                "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR); name a member account",
            )
        elif name not in self.account_names:
            listed = choices("accounts", self.account_names, name)
            self.report(path, f'security.account: account "{name}" does not exist ({listed})')

    def delegated_services(self) -> None:
        assert self.spec.security is not None
        seen: set[str] = set()
        for index, name in enumerate(self.spec.security.delegated_services):
            path: TreePath = ("security", "delegated_services", index)
            principal = service_principal(name)
            if principal not in DELEGABLE_SERVICES:
                hint = did_you_mean(short_name(principal), map(short_name, DELEGABLE_SERVICES))
                self.report(
                    path,
                    f'security.delegated_services: "{name}" is not a service AWS Organizations '
                    f"lets you delegate to a member account{hint} (the list: "
                    "https://docs.aws.amazon.com/organizations/latest/userguide/"
                    "orgs_integrated-services-list.html)",
                )
            elif principal in seen:
                self.report(path, f'security.delegated_services: "{name}" is listed twice')
            seen.add(principal)

    def guardduty(self) -> None:
        assert self.spec.security is not None
        settings = self.spec.security.guardduty
        if settings is None or settings.alerts is None:
            return
        path: TreePath = ("security", "guardduty", "alerts")
        for index, email in enumerate(settings.alerts.emails):
            if not EMAIL.match(email):
                self.report(
                    (*path, "emails", index),
                    f'guardduty.alerts: "{email}" is not an e-mail address',
                )
        topic = self.filled(settings.alerts.topic).replace(
            "{region}", self.spec.organization.home_region
        )
        if not TOPIC_NAME.match(topic):
            self.report(
                (*path, "topic"),
                f'guardduty.alerts: topic "{settings.alerts.topic}" is not an SNS topic name '
                '(1 to 256 characters of A-Z, a-z, 0-9, "-" and "_"; {region} allowed)',
            )

    def filled(self, text: str) -> str:
        """`{org}` filled (the loader fills it only after the checks)."""
        return text.replace("{org}", self.spec.organization.name)

    def config_aggregator(self) -> None:
        assert self.spec.security is not None
        settings = self.spec.security.config_aggregator
        if settings is None:
            return
        path: TreePath = ("security", "config_aggregator")
        name, role = self.filled(settings.name), self.filled(settings.role)
        if not AGGREGATOR_NAME.match(name):
            self.report(
                (*path, "name"),
                f'config_aggregator: name "{name}" is not an aggregator name (1 to 256 '
                'characters of A-Z, a-z, 0-9, "_" and "-")',
            )
        if not ROLE_NAME.match(role):
            self.report(
                (*path, "role"),
                f'config_aggregator: role "{role}" is not an IAM role name (1 to 64 characters '
                "of A-Z, a-z, 0-9 and +=,.@_-)",
            )
        declared = {
            (role_settings.name or key).replace("{org}", self.spec.organization.name).lower()
            for key, role_settings in self.spec.roles.items()
        }
        if role.lower() in declared:
            self.report(
                (*path, "role"),
                f'config_aggregator: role "{role}" is also declared in `roles`; lz makes the '
                "aggregator's role itself: give it another name",
            )


def check_security(
    spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]] | None = None
) -> list[SpecProblem]:
    """Every problem of the `security` section, each at the file:line that caused it."""
    if spec.security is None:
        return []
    checker = _Checker(spec, provenance, skipped or {})
    checker.account()
    checker.delegated_services()
    checker.guardduty()
    checker.config_aggregator()
    return checker.problems
