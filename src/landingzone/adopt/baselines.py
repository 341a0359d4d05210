"""Baseline settings found in the accounts, as profiles of the spec's `baselines` section.

Read per account (`adopt/members.py`): the IAM password policy, the account
alias, EBS encryption by default and the GuardDuty detector in the home
region, the account's S3 Block Public Access, and its monthly cost budgets.
Each distinct set of settings becomes a profile (`imported-1`, `imported-2`,
..., the most common first); it is assigned to the organization when every
account has it, else to each unit whose accounts all share it, and to single
accounts otherwise. The management account's set becomes
`baselines.management` (the organization's assignments never reach it).
Only what is set is written: a setting left at AWS's default (no password
policy, no alias, no Block Public Access configuration, EBS encryption off,
no detector, no budget) is not in any profile, so lz leaves it alone.

Names that hold the account's key (or, for an alias, its ID) are written as
patterns (`acme-{account}`, `{account}-monthly`, `{account_id}`), so that
accounts set up alike share a profile; an alias without either is the
account's own (`accounts.*.alias`). A budget's name takes `{account}` only
(the spec's budget names allow no other placeholder).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.nodes import MANAGEMENT
from landingzone.resources.budgets import money
from landingzone.resources.iam_account import PASSWORD_POLICY_FIELDS
from landingzone.resources.s3_account import BLOCK_FIELDS
from landingzone.spec.units import parents

PROFILE_PREFIX = "imported-"
DEFAULT_FINDING_FREQUENCY = "SIX_HOURS"  # GuardDuty's, and the spec's default
MAX_ALERT_EMAILS = 10  # AWS Budgets: subscribers per notification


@dataclass(frozen=True)
class LiveSettings:
    """One account's baseline settings, in a profile's form (empty: none set)."""

    account: str
    settings: Mapping[str, Any]
    alias: str | None = None  # an alias no pattern describes: the account's own


@dataclass
class Assigned:
    """The profiles, and who they are assigned to."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    organization: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)
    management: str | None = None  # `baselines.management.profile`
    aliases: dict[str, str] = field(default_factory=dict)  # account key -> its own alias
    log_archive: dict[str, Any] | None = None  # `baselines.log_archive` (adopt/trails.py)


def password_policy(policy: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A password policy as GetAccountPasswordPolicy returns it, in the spec's keys
    (AWS's defaults left out); None when the account has none."""
    if policy is None:
        return None
    written = {}
    for attr, (param, default) in PASSWORD_POLICY_FIELDS.items():
        value = policy.get(param) or default
        if value != default:
            written[attr] = value
    return written


def public_access_block(block: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The account's Block Public Access in the spec's keys (true is the default)."""
    if block is None:
        return None
    return {attr: False for attr, param in BLOCK_FIELDS.items() if not block.get(param)}


def as_pattern(name: str, key: str, account_id: str | None = None) -> str:
    """`name` with the account's ID (when given) as `{account_id}`, else its key as
    `{account}` (as a whole word), else as it is (braces doubled: the spec's literal ones)."""
    name = name.replace("{", "{{").replace("}", "}}")
    if account_id and account_id in name:
        return name.replace(account_id, "{account_id}")
    return re.sub(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", "{account}", name)


def guardduty(detector: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A detector as GetDetector returns it, as the profile's `guardduty` (defaults left out)."""
    if detector is None:
        return None
    written: dict[str, Any] = {}
    if detector.get("Status") != "ENABLED":
        written["enabled"] = False
    frequency = detector.get("FindingPublishingFrequency") or DEFAULT_FINDING_FREQUENCY
    if frequency != DEFAULT_FINDING_FREQUENCY:
        written["finding_publishing_frequency"] = frequency
    return written


def budget(found: Mapping[str, Any], alerts: list[dict[str, Any]]) -> tuple[dict[str, Any], str]:
    """A budget as DescribeBudgets returns it (with its alerts as `resources.budgets` reads
    them) as a profile's budget; or {} and why the spec cannot say it."""
    limit = found.get("BudgetLimit") or {}
    shape = (found.get("BudgetType"), found.get("TimeUnit"), limit.get("Unit"))
    if shape != ("COST", "MONTHLY", "USD"):
        return {}, "the spec's budgets are monthly COST budgets in USD; this one is " + " ".join(
            str(part) for part in shape
        )
    if any(found.get("CostFilters", {}).values()):
        return {}, "it has cost filters, which the spec does not write"
    written: list[dict[str, Any]] = []
    for alert in alerts:
        if alert.get("subscribers"):
            others = ", ".join(alert["subscribers"])
            return {}, f"an alert also notifies {others}; the spec's alerts notify e-mails only"
        odd = sorted(set(alert) - {"percent", "forecasted", "emails"})
        if odd or not 0 < alert["percent"] <= 100:
            return {}, "an alert is not an e-mail alert above a percentage (0 to 100) of the limit"
        if not 1 <= len(alert["emails"]) <= MAX_ALERT_EMAILS:
            return {}, f"an alert has no e-mail subscriber, or more than {MAX_ALERT_EMAILS}"
        entry: dict[str, Any] = {"percent": _number(alert["percent"]), "emails": alert["emails"]}
        if alert["forecasted"]:
            entry["forecasted"] = True
        written.append(entry)
    result: dict[str, Any] = {"limit_usd": _number(money(limit["Amount"]))}
    if written:
        result["alerts"] = sorted(written, key=lambda a: (a["percent"], a.get("forecasted", False)))
    return result, ""


def _number(value: Any) -> int | float:
    """500 for "500" or 500.0, 12.5 for "12.5": as a person writes it in YAML."""
    number = float(value)
    return int(number) if number.is_integer() else number


def assign(found: list[LiveSettings], unit_of: Mapping[str, str]) -> Assigned:
    """Profiles for the settings found, and their assignment (see the module docstring).

    `unit_of` maps every account key of the spec to its unit path ("" for the root);
    an account not in `found` (not read, or not active) has no settings.
    """
    settings = {f.account: f.settings for f in found if f.settings}
    counts = Counter(_identity(s) for a, s in settings.items() if a != MANAGEMENT)
    if MANAGEMENT in settings:  # the management account's own set comes last
        counts.setdefault(_identity(settings[MANAGEMENT]), 0)
    ordered = sorted(counts, key=lambda identity: (-counts[identity], identity))
    names = {identity: f"{PROFILE_PREFIX}{n}" for n, identity in enumerate(ordered, 1)}
    result = Assigned(profiles={names[i]: json.loads(i) for i in ordered})
    result.aliases = {f.account: f.alias for f in found if f.alias and f.account != MANAGEMENT}
    if MANAGEMENT in settings:
        result.management = names[_identity(settings[MANAGEMENT])]
    wanted = {a: names[_identity(settings[a])] if a in settings else None for a in unit_of}
    if not wanted:
        return result
    if len(set(wanted.values())) == 1 and None not in wanted.values():
        result.organization = next(iter(wanted.values()))
        return result
    units = sorted({p for u in unit_of.values() if u for p in [*parents(u), u]})
    for unit in sorted(units, key=lambda p: (p.count("/"), p)):
        inside = {wanted[a] for a, u in unit_of.items() if u == unit or u.startswith(unit + "/")}
        shared = next(iter(inside)) if len(inside) == 1 else None
        if shared is not None and shared != _inherited(result, unit):
            result.units[unit] = shared
    for account, unit in sorted(unit_of.items()):
        # A unit has a profile only when all its accounts share it, so an account
        # without settings never inherits one: only accounts with settings are named.
        profile = wanted[account]
        if profile is not None and profile != _inherited(result, unit, including=True):
            result.accounts[account] = profile
    return result


def _inherited(result: Assigned, unit: str, *, including: bool = False) -> str | None:
    """The profile a unit (or, with `including`, an account in it) gets from above."""
    chain = [*parents(unit), unit] if unit and including else parents(unit) if unit else []
    for path in reversed(chain):
        if path in result.units:
            return result.units[path]
    return result.organization


def _identity(settings: Mapping[str, Any]) -> str:
    return json.dumps(settings, sort_keys=True)
