"""Semantic checks of the `security` section.

Like `spec/checks.py`: every problem at the file:line that set the value,
all in one run. The rules are listed for users in docs/spec.md ("security").
"""

from __future__ import annotations

from collections.abc import Mapping

from landingzone.errors import SpecProblem
from landingzone.spec.delegation import DELEGABLE_SERVICES, service_principal, short_name
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.suggest import choices, did_you_mean
from landingzone.spec.tree import TreePath

MANAGEMENT = "management"


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


def check_security(
    spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]] | None = None
) -> list[SpecProblem]:
    """Every problem of the `security` section, each at the file:line that caused it."""
    if spec.security is None:
        return []
    checker = _Checker(spec, provenance, skipped or {})
    checker.account()
    checker.delegated_services()
    return checker.problems
