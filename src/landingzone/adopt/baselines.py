"""Baseline settings found in the accounts, as profiles of the spec's `baselines` section.

Read per account (`adopt/members.py`): the IAM password policy, EBS encryption
by default in the home region, and the account's S3 Block Public Access. Each
distinct set of settings becomes a profile (`imported-1`, `imported-2`, ...,
the most common first); it is assigned to the organization when every account
has it, else to each unit whose accounts all share it, and to single accounts
otherwise. Only what is set is written: a setting left at AWS's default
(no password policy, no Block Public Access configuration, EBS encryption
off) is not in any profile, so lz leaves it alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.resources.iam_account import PASSWORD_POLICY_FIELDS
from landingzone.resources.s3_account import BLOCK_FIELDS
from landingzone.spec.units import parents

PROFILE_PREFIX = "imported-"


@dataclass(frozen=True)
class LiveSettings:
    """One account's baseline settings, in a profile's form (empty: none set)."""

    account: str
    settings: Mapping[str, Any]


@dataclass
class Assigned:
    """The profiles, and who they are assigned to."""

    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    organization: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)


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


def assign(found: list[LiveSettings], unit_of: Mapping[str, str]) -> Assigned:
    """Profiles for the settings found, and their assignment (see the module docstring).

    `unit_of` maps every account key of the spec to its unit path ("" for the root);
    an account not in `found` (not read, or not active) has no settings.
    """
    settings = {f.account: f.settings for f in found if f.settings}
    counts = Counter(_identity(s) for s in settings.values())
    ordered = sorted(counts, key=lambda identity: (-counts[identity], identity))
    names = {identity: f"{PROFILE_PREFIX}{n}" for n, identity in enumerate(ordered, 1)}
    result = Assigned(profiles={names[i]: json.loads(i) for i in ordered})
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
