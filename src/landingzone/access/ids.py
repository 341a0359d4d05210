"""Account IDs for the access model: real ones where known, synthetic ones otherwise.

Offline (before apply) most accounts do not exist yet, yet policies name them
through `{account_id:NAME}` placeholders. Each such account gets a stable
synthetic 12-digit ID derived from its name (always starting with `9`, so
explanations can say which IDs are made up), and every placeholder is filled
with the same ID everywhere.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MANAGEMENT = "management"
PLACEHOLDER = re.compile(r"\{account_id(?::([A-Za-z0-9_.@+-]+))?\}")
SYNTHETIC_PREFIX = "9"


def synthetic_id(name: str) -> str:
    """A valid, stable, made-up account ID for `name` (`9` and 11 digits of its hash)."""
    digest = int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16)
    return SYNTHETIC_PREFIX + f"{digest % 10**11:011d}"


@dataclass
class AccountIds:
    """Names <-> IDs of the organization's accounts (`management` included)."""

    known: Mapping[str, str | None]
    _ids: dict[str, str] = field(default_factory=dict, init=False)
    _names: dict[str, str] = field(default_factory=dict, init=False)
    synthetic: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        for name, known in self.known.items():
            self._ids[name] = known or self._made_up(name)
            self._names[self._ids[name]] = name

    def _made_up(self, name: str) -> str:
        made = synthetic_id(name)
        self.synthetic.add(made)
        return made

    def id_of(self, name: str) -> str | None:
        """The ID of the account named `name`, or None if the organization has no such account."""
        return self._ids.get(name)

    def name_of(self, account_id: str) -> str | None:
        """The spec name of the account with this ID, or None for accounts outside."""
        return self._names.get(account_id)

    def names(self) -> list[str]:
        """Every account name, `management` first."""
        return sorted(self._ids, key=lambda name: (name != MANAGEMENT, name))

    def is_synthetic(self, account_id: str) -> bool:
        """True if the ID was made up (the account does not exist yet)."""
        return account_id in self.synthetic

    def fill(self, value: Any, account: str) -> Any:
        """`value` with `{account_id}` (the account `account`) and `{account_id:NAME}` filled."""
        if isinstance(value, str) and "{account_id" in value:
            return PLACEHOLDER.sub(
                lambda m: self._ids.get(m.group(1) or account, m.group(0)), value
            )
        if isinstance(value, dict):
            return {key: self.fill(item, account) for key, item in value.items()}
        if isinstance(value, list):
            return [self.fill(item, account) for item in value]
        return value
