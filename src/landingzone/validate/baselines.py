"""Semantic checks of the `baselines` section and the baseline assignments.

Like `spec/checks.py`: every problem at the file:line that caused it, all in
one run. A profile's values are checked once, where the profile declares
them; an account's `baseline_overrides` once, where the account declares
them; what needs the account's merged baseline (a budget's limit, the alias
and trail name filled for the account, the log archive a trail needs) once
per account, at the value's own place (in the override if it sets it, else
in the profile).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

from landingzone.errors import Location, SpecProblem
from landingzone.nodes import MANAGEMENT
from landingzone.spec.baseline_resolution import (
    assignment,
    effective_data,
    profile_data,
    value_path,
)
from landingzone.spec.baselines import NO_BASELINE
from landingzone.spec.config_rules import catalogue, identifier_for, known_names
from landingzone.spec.limits import BUCKET, budget_amount_problem
from landingzone.spec.placeholders import PlaceholderError, fill_placeholders
from landingzone.spec.provenance import Provenance, format_path
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.suggest import choices, closest
from landingzone.validate.organization import ALIAS, EMAIL

SAMPLE_ACCOUNT_ID = "123456789012"  # stands in for account IDs lz learns only in AWS
KMS_ALIAS = re.compile(r"^(?!aws/)[A-Za-z0-9/_-]{1,250}$")
KMS_KEY = re.compile(
    r"^(alias/[A-Za-z0-9/_-]+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+))$"
)
TRAIL_NAME = re.compile(r"^[A-Za-z0-9](?!.*[._-]{2})[A-Za-z0-9._-]{1,126}[A-Za-z0-9]$")
BUDGET_NAME = re.compile(r"^[^:\\]{1,100}$")
MAX_ALERTS = 5  # notifications per budget (AWS quota)
MAX_EMAILS = 10  # e-mail subscribers per notification (AWS quota)

Report = Callable[[TreePath, str], None]


class _Checker:
    def __init__(self, spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]]):
        self.spec = spec
        self.provenance = provenance
        self.problems: list[SpecProblem] = []
        self.profiles = set(spec.baselines.profiles)
        # Accounts left out after schema errors still exist for references.
        self.account_names = {*spec.accounts, *skipped.get("accounts", ())}

    def report(self, path: TreePath, message: str, related: Location | None = None) -> None:
        problem = SpecProblem(message, self.provenance.where(*path), (related,) if related else ())
        if problem not in self.problems:
            self.problems.append(problem)

    # -- names and references ------------------------------------------------------

    def profile_names(self) -> None:
        if NO_BASELINE in self.profiles:
            self.report(
                ("baselines", "profiles", NO_BASELINE),
                f'profile "{NO_BASELINE}": the name is reserved (`baseline: {NO_BASELINE}` '
                "means no baseline); give the profile another name",
            )

    def assignments(self) -> None:
        targets: list[tuple[str, str | None, TreePath]] = [
            ("organization", self.spec.organization.baseline, ("organization", "baseline"))
        ]
        targets += [
            (f'unit "{path}"', unit.baseline, ("units", path, "baseline"))
            for path, unit in self.spec.units.items()
        ]
        targets += [
            (f'account "{key}"', account.baseline, ("accounts", key, "baseline"))
            for key, account in self.spec.accounts.items()
        ]
        management = self.spec.baselines.management
        if management is not None:
            where: TreePath = ("baselines", "management", "profile")
            targets.append(("the management account", management.profile, where))
        for subject, name, path in targets:
            if name is not None and name != NO_BASELINE and name not in self.profiles:
                listed = choices("profiles", self.profiles, name)
                self.report(
                    path,
                    f'{subject}: baseline profile "{name}" does not exist ({listed}; '
                    f'or "{NO_BASELINE}" for no baseline)',
                )

    def log_archive(self) -> None:
        archive = self.spec.baselines.log_archive
        if archive is None:
            return
        path: TreePath = ("baselines", "log_archive")
        if archive.account not in self.account_names:
            listed = choices("accounts", self.account_names, archive.account)
            self.report(
                (*path, "account"),
                f'log_archive: account "{archive.account}" does not exist ({listed})',
            )
            return
        home = self.spec.organization.home_region
        bucket = self.filled(
            (*path, "bucket"), archive.bucket, account=archive.account, region=home
        )
        if bucket is not None and not BUCKET.match(bucket):
            self.report(
                (*path, "bucket"),
                f'log_archive: bucket "{bucket}" is not a valid S3 bucket name (3 to 63 '
                'characters of a-z, 0-9, "." and "-", starting and ending with a letter or digit)',
            )
        alias = self.filled((*path, "kms_key"), archive.kms_key, account=archive.account)
        if alias is not None and not KMS_ALIAS.match(alias):
            self.report(
                (*path, "kms_key"),
                f'log_archive: kms_key "{alias}" is not a KMS alias name (1 to 250 '
                'characters of A-Z, a-z, 0-9, "/", "_" and "-", without "alias/", not "aws/...")',
            )

    def filled(
        self, path: TreePath, text: str, *, account: str, region: str | None = None
    ) -> str | None:
        """`text` filled for `account` (a sample ID), or None after reporting a problem.

        Unknown placeholders and stray braces are the loader's to report (in
        every string); this reports placeholders without a value here, such as
        `{region}` in a setting that is not per region.
        """
        values = {"org": self.spec.organization.name, "account": account}
        try:
            fill_placeholders(text, **values, account_id=SAMPLE_ACCOUNT_ID, region="us-east-1")
        except PlaceholderError:
            return None
        try:
            return fill_placeholders(text, **values, account_id=SAMPLE_ACCOUNT_ID, region=region)
        except PlaceholderError as exc:
            self.report(path, f"{format_path(path)}: {exc}")
            return None

    # -- values, where they are written ---------------------------------------------

    def declared_values(self) -> None:
        for name, profile in self.spec.baselines.profiles.items():
            _values(
                profile_data(profile),
                ("baselines", "profiles", name),
                f'profile "{name}"',
                self.report,
            )
        for key, account in self.spec.accounts.items():
            _values(
                profile_data(account.baseline_overrides),
                ("accounts", key, "baseline_overrides"),
                f'account "{key}": baseline_overrides',
                self.report,
            )
        management = self.spec.baselines.management
        if management is not None:
            _values(
                profile_data(management.overrides),
                ("baselines", "management", "overrides"),
                "the management account: overrides",
                self.report,
            )

    # -- the merged baseline of each account ----------------------------------------

    def accounts(self) -> None:
        aliases: dict[str, tuple[str, TreePath]] = {}
        for key in [*sorted(self.spec.accounts), MANAGEMENT]:
            data = effective_data(self.spec, key)
            found = assignment(self.spec, key)
            if data is None or found is None or found.profile not in self.profiles:
                data = {}
            self.account_alias(key, data, aliases)
            if data:
                self.account_baseline(key, data)

    def account_alias(
        self,
        key: str,
        data: Mapping[str, Any],
        seen: dict[str, tuple[str, TreePath]],
    ) -> None:
        own = self.spec.accounts[key].alias if key != MANAGEMENT else None
        if own is not None:  # format and uniqueness of accounts.*.alias: spec/checks.py
            seen.setdefault(own, (key, ("accounts", key, "alias")))
            return
        if "alias" not in data:
            return
        path = value_path(self.spec, key, ("alias",))
        alias = self.filled(path, data["alias"], account=key)
        if alias is None:
            return
        subject = f'account "{key}": alias "{alias}" (from the pattern "{data["alias"]}")'
        if not ALIAS.match(alias):
            self.report(
                path,
                f'{subject} must be 3 to 63 characters of a-z, 0-9 and "-", not starting or '
                'ending with "-" nor with "--" inside; set accounts.*.alias for this account',
            )
        elif "{account_id}" not in data["alias"]:
            other, other_path = seen.setdefault(alias, (key, path))
            if other != key:
                where = self.provenance.where(*other_path)
                self.report(path, f'{subject} is already used by account "{other}" ({where})')

    def account_baseline(self, key: str, data: Mapping[str, Any]) -> None:
        subject = f'account "{key}"' if key != MANAGEMENT else "the management account"

        def origin(inside: TreePath) -> TreePath:
            return value_path(self.spec, key, inside)

        for setting in ("cloudtrail", "config"):
            if setting in data and self.spec.baselines.log_archive is None:
                self.report(
                    origin((setting,)),
                    f"{subject}: {setting} delivers to the log archive, but "
                    "baselines.log_archive is not set (the account and bucket to deliver to)",
                )
        trail = data.get("cloudtrail")
        if trail is not None and "name" in trail:
            path = origin(("cloudtrail", "name"))
            name = self.filled(path, trail["name"], account=key)
            if name is not None and not TRAIL_NAME.match(name):
                self.report(
                    path,
                    f'{subject}: trail name "{name}" must be 3 to 128 characters of A-Z, a-z, '
                    '0-9, ".", "_" and "-", start and end with a letter or digit, and have no '
                    "two of . _ - in a row",
                )
        for budget, settings in (data.get("budgets") or {}).items():
            path = origin(("budgets", budget))
            name = self.filled(path, budget, account=key)
            if name is not None and not BUDGET_NAME.match(name):
                self.report(
                    path, f'{subject}: budget name "{name}" must be 1 to 100 characters, no : or \\'
                )
            if settings.get("limit_usd") is None:
                self.report(
                    path,
                    f'{subject}: budget "{budget}" has no limit_usd (set it in the profile or '
                    "in the account's baseline_overrides)",
                )
        kms_key = (data.get("ebs_encryption") or {}).get("kms_key")
        if kms_key is not None:
            path = origin(("ebs_encryption", "kms_key"))  # per region: {region} is fine
            self.filled(path, kms_key, account=key, region=self.spec.organization.home_region)


# -- value checks, on a profile or an override as written ----------------------------


def _values(data: Mapping[str, Any], base: TreePath, subject: str, report: Report) -> None:
    """Rules on the values a profile or an override writes."""
    kms_key = (data.get("ebs_encryption") or {}).get("kms_key")
    if kms_key is not None and not KMS_KEY.match(_sample(kms_key)):
        report(
            (*base, "ebs_encryption", "kms_key"),
            f'{subject}: ebs_encryption.kms_key "{kms_key}" is not a KMS key ARN, alias ARN '
            "or alias/NAME",
        )
    rules = (data.get("config") or {}).get("rules")
    if rules is not None:
        _config_rules(rules, (*base, "config", "rules"), subject, report)
    for name, budget in (data.get("budgets") or {}).items():
        _budget(budget, (*base, "budgets", name), f'{subject}: budget "{name}"', report)


def _sample(text: str) -> str:
    """`text` with sample values for the per-account placeholders (for format checks)."""
    try:
        return fill_placeholders(
            text, org="org", account="account", account_id=SAMPLE_ACCOUNT_ID, region="us-east-1"
        )
    except PlaceholderError:  # the loader reports it
        return text


def _config_rules(rules: list[Any], base: TreePath, subject: str, report: Report) -> None:
    known = catalogue()
    seen: set[str] = set()
    for index, rule in enumerate(rules):
        path: TreePath = (*base, index)
        name = rule if isinstance(rule, str) else rule["name"]
        if name in seen:
            report(path, f'{subject}: config rule "{name}" is listed twice')
        seen.add(name)
        given = None if isinstance(rule, str) else rule.get("identifier")
        identifier = given or identifier_for(name)
        if identifier not in known:
            if given:
                report(
                    (*path, "identifier"),
                    f'{subject}: "{given}" is not an AWS managed Config rule identifier',
                )
            else:
                likely = closest(name, known_names())
                hint = f'did you mean "{likely}"? ' if likely else ""
                report(
                    path,
                    f'{subject}: "{name}" is not an AWS managed Config rule ({hint}give '
                    "`identifier:` when the rule's identifier is not its name in upper case)",
                )
            continue
        parameters = {} if isinstance(rule, str) else rule.get("parameters") or {}
        _rule_parameters(parameters, known[identifier], path, f'{subject}: rule "{name}"', report)


def _rule_parameters(
    given: Mapping[str, str], rule: Any, path: TreePath, subject: str, report: Report
) -> None:
    for parameter in sorted(set(given) - rule.allowed):
        allowed = ", ".join(sorted(rule.allowed)) or "none"
        report(
            (*path, "parameters", parameter),
            f'{subject}: unknown parameter "{parameter}" (parameters: {allowed})',
        )
    for parameter in sorted(rule.required - set(given)):
        report(path, f'{subject}: the required parameter "{parameter}" is missing')


def _budget(budget: Mapping[str, Any], path: TreePath, subject: str, report: Report) -> None:
    problem = budget_amount_problem(budget.get("limit_usd"))
    if problem:
        report((*path, "limit_usd"), f"{subject}: {problem}")
    alerts = budget.get("alerts") or []
    if len(alerts) > MAX_ALERTS:
        report(
            (*path, "alerts"),
            f"{subject}: {len(alerts)} alerts, over AWS's limit of {MAX_ALERTS} per budget",
        )
    seen: set[tuple[float, bool]] = set()
    for index, alert in enumerate(alerts):
        where: TreePath = (*path, "alerts", index)
        percent = alert["percent"]
        if not 0 < percent <= 100:
            report(
                (*where, "percent"),
                f"{subject}: alert percent must be more than 0 and at most 100, got {percent}",
            )
        key = (float(percent), bool(alert.get("forecasted")))
        if key in seen:
            report(where, f"{subject}: two alerts at {percent}% of the same kind")
        seen.add(key)
        _emails(alert["emails"], (*where, "emails"), subject, report)


def _emails(emails: Collection[str], path: TreePath, subject: str, report: Report) -> None:
    if not emails:
        report(path, f"{subject}: an alert needs at least one e-mail address")
    if len(emails) > MAX_EMAILS:
        report(
            path, f"{subject}: {len(emails)} e-mails, over AWS's limit of {MAX_EMAILS} per alert"
        )
    for index, email in enumerate(emails):
        if not EMAIL.match(email):
            report((*path, index), f'{subject}: "{email}" is not a valid e-mail address')


def check_baselines(
    spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]] | None = None
) -> list[SpecProblem]:
    """Every problem of the baselines section and of the baseline assignments.

    `skipped` names entries left out of `spec` because they are invalid (see
    `check_spec`); references to them are fine.
    """
    checker = _Checker(spec, provenance, skipped or {})
    checker.profile_names()
    checker.assignments()
    checker.log_archive()
    checker.declared_values()
    checker.accounts()
    return checker.problems
