"""Which baseline an account gets: the nearest assignment, then its overrides.

The nearest assignment wins: the account's own `baseline`, else that of the
innermost unit above it that has one, else `organization.baseline`.
`baseline: none` at any level means no baseline from there down (unless a
nearer level assigns one). The account's `baseline_overrides` are then
deep-merged over the profile: maps merge key by key, lists and scalars
replace, and keys an override does not write keep the profile's value.

The management account (`MANAGEMENT`) gets a baseline only when
`baselines.management` names a profile (opt-in), with that section's
`overrides`; no assignment of the organization or a unit reaches it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from landingzone.nodes import MANAGEMENT
from landingzone.spec.baselines import NO_BASELINE, Profile
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.spec.units import parents


@dataclass(frozen=True)
class Assignment:
    """The profile assigned to an account and the spec key that assigns it."""

    profile: str  # a profile name, or NO_BASELINE
    path: TreePath  # e.g. ("units", "plat", "baseline")


def assignment(spec: Spec, account: str) -> Assignment | None:
    """The nearest assignment for a spec account (or the management account), or None
    when nothing assigns one."""
    if account == MANAGEMENT:
        chosen = spec.baselines.management
        if chosen is None:
            return None
        return Assignment(chosen.profile, ("baselines", "management", "profile"))
    own = spec.accounts[account]
    if own.baseline is not None:
        return Assignment(own.baseline, ("accounts", account, "baseline"))
    if own.unit:
        for path in reversed([*parents(own.unit), own.unit]):
            unit = spec.units.get(path)
            if unit is not None and unit.baseline is not None:
                return Assignment(unit.baseline, ("units", path, "baseline"))
    if spec.organization.baseline is not None:
        return Assignment(spec.organization.baseline, ("organization", "baseline"))
    return None


def overrides_of(spec: Spec, account: str) -> tuple[Profile | None, TreePath]:
    """An account's baseline overrides and the spec path that writes them."""
    if account == MANAGEMENT:
        chosen = spec.baselines.management
        return (chosen.overrides if chosen else None), ("baselines", "management", "overrides")
    return spec.accounts[account].baseline_overrides, ("accounts", account, "baseline_overrides")


def profile_data(profile: Profile | None) -> dict[str, Any]:
    """What a profile (or an override) writes: its keys that are not None."""
    return profile.model_dump(exclude_none=True) if profile is not None else {}


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` merged onto `base`: maps recursively, anything else replaced."""
    merged = dict(base)
    for key, value in over.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)
        else:
            merged[key] = value
    return merged


def effective_data(spec: Spec, account: str) -> dict[str, Any] | None:
    """The account's baseline as plain data (profile + overrides), or None for no baseline.

    Profiles an assignment names but the spec lacks count as empty (the
    checks report the name).
    """
    found = assignment(spec, account)
    if found is None or found.profile == NO_BASELINE:
        return None
    base = profile_data(spec.baselines.profiles.get(found.profile))
    return deep_merge(base, profile_data(overrides_of(spec, account)[0]))


def effective_profile(spec: Spec, account: str) -> Profile | None:
    """The account's baseline (profile + overrides) of a valid spec, or None."""
    data = effective_data(spec, account)
    return None if data is None else Profile.model_validate(data)


def value_path(spec: Spec, account: str, inside: TreePath) -> TreePath:
    """The spec path that writes the value at `inside` (a path within a profile) of
    the account's merged baseline: its override when that sets it, else its profile."""
    overrides, path = overrides_of(spec, account)
    value: Any = profile_data(overrides)
    for key in inside:
        if not isinstance(value, Mapping) or key not in value:
            break
        value = value[key]
    else:
        return (*path, *inside)
    found = assignment(spec, account)
    if found is None or found.profile == NO_BASELINE:
        return path
    return ("baselines", "profiles", found.profile, *inside)
