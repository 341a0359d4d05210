"""Which accounts and regions a section's resources go to.

Shared by every section that deploys into member accounts (baselines, roles,
CI federation, networks): one meaning of "the accounts of unit plat" or "the
regions of account dev" everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from landingzone.errors import Location
from landingzone.nodes import MANAGED_BY_KEY, MANAGED_BY_VALUE, MANAGEMENT, account_address
from landingzone.spec.schema import Spec
from landingzone.spec.units import parents

Where = Callable[..., Location | None]


def account_regions(spec: Spec, account: str) -> list[str]:
    """The regions an account runs in: its own list, else the organization's, else home."""
    if account != MANAGEMENT:
        own = spec.accounts[account].regions
        if own:
            return list(own)
    return list(spec.organization.regions or [spec.organization.home_region])


def account_units(spec: Spec, account: str) -> list[str]:
    """The unit an account is in and every unit above it, innermost last."""
    unit = spec.accounts[account].unit if account != MANAGEMENT else None
    return [*parents(unit), unit] if unit else []


def select_accounts(
    spec: Spec,
    *,
    accounts: Iterable[str] = (),
    units: Iterable[str] = (),
    tags: Mapping[str, str] | None = None,
) -> list[str]:
    """Account names picked by name, by unit (the unit and everything below it) or by tags.

    A selector with several kinds of criteria picks the union; `management`
    may be named in `accounts`. The result is sorted and has no duplicates.
    """
    picked = set(accounts)
    wanted_units = set(units)
    for name in spec.accounts:
        if wanted_units & set(account_units(spec, name)):
            picked.add(name)
        if tags and all(spec.accounts[name].tags.get(k) == v for k, v in tags.items()):
            picked.add(name)
    return sorted(picked)


def base_tags(spec: Spec) -> dict[str, str]:
    """Tags on everything lz creates: ManagedBy and the organization's tags."""
    return {MANAGED_BY_KEY: MANAGED_BY_VALUE, **spec.organization.tags}


def account_depends(account: str) -> frozenset[str]:
    """A node in `account` depends on the account existing (nothing for management)."""
    return frozenset() if account == MANAGEMENT else frozenset({account_address(account)})


def account_id_ref(account: str) -> str:
    """A placeholder for an account's ID, filled in by the planner once the account exists."""
    return f"{{account_id:{account}}}"


def referenced_accounts(value: object) -> set[str]:
    """Accounts named by `{account_id:NAME}` placeholders anywhere in a value."""
    found: set[str] = set()
    if isinstance(value, str):
        found.update(m for m in _REF.findall(value) if m)
    elif isinstance(value, dict):
        for item in value.values():
            found |= referenced_accounts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            found |= referenced_accounts(item)
    return found


_REF = re.compile(r"\{account_id:([A-Za-z0-9_.@+-]+)\}")
