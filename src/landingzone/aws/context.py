"""What a resource kind gets to work with during one run (plan or apply)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from landingzone.aws.session import Sessions
from landingzone.errors import AwsError
from landingzone.nodes import CREATED_BY_KEY, MANAGEMENT, account_address

T = TypeVar("T")

# How many calls may run at once against one service in one account (AWS
# throttles per account and service; Organizations is the strictest, and all
# of its calls come from the management account).
SERVICE_CONCURRENCY = {"organizations": 4, "iam": 6}
DEFAULT_SERVICE_CONCURRENCY = 8


@dataclass
class Settings:
    """Per-spec settings the kinds need."""

    org: str
    home_region: str
    access_role: str
    # Options that belong to particular kinds, filled from the spec by the graph
    # layer (`graph.run_options`); the engine passes them on without reading them.
    options: Mapping[str, Any] = field(default_factory=dict)
    poll_interval: float = 1.0  # first wait between CreateAccount status polls (then x1.5)
    poll_timeout: float = 1800.0  # AWS may take many minutes to create an account


@dataclass
class Context:
    """Sessions, the ID registry, a per-run read cache and the run's settings."""

    sessions: Sessions
    settings: Settings
    warnings: list[str] = field(default_factory=list)
    _ids: dict[str, str] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _limits: dict[str, threading.BoundedSemaphore] = field(default_factory=dict)
    _key_locks: dict[str, threading.Lock] = field(default_factory=dict)

    # -- identities -----------------------------------------------------------

    def set_id(self, address: str, physical_id: str) -> None:
        """Remember the AWS ID of the resource at `address` (from a read or a create)."""
        with self._lock:
            self._ids[address] = physical_id

    def id_of(self, address: str) -> str | None:
        """The AWS ID of the resource at `address`, if it exists."""
        with self._lock:
            return self._ids.get(address)

    def account_id(self, account: str) -> str | None:
        """The 12-digit ID of a spec account (or of the management account)."""
        if account == MANAGEMENT:
            return self.sessions.management_account_id
        return self.id_of(account_address(account))

    def require_account_id(self, account: str) -> str:
        """Like `account_id`, but an error if the account does not exist yet."""
        account_id = self.account_id(account)
        if account_id is None:
            raise AwsError(f"account {account} does not exist yet", account=account)
        return account_id

    # -- clients ----------------------------------------------------------------

    def client(self, service: str, account: str = MANAGEMENT, region: str | None = None) -> Any:
        """A client for `service` in a spec account (by name) and region."""
        account_id = None if account == MANAGEMENT else self.require_account_id(account)
        return self.sessions.client(service, account_id, region)

    @contextmanager
    def limit(self, service: str, account: str = MANAGEMENT) -> Iterator[None]:
        """Bound the number of concurrent calls to one service in one account (by name)."""
        key = f"{account}/{service}"
        with self._lock:
            sem = self._limits.get(key)
            if sem is None:
                n = SERVICE_CONCURRENCY.get(service, DEFAULT_SERVICE_CONCURRENCY)
                sem = self._limits[key] = threading.BoundedSemaphore(n)
        with sem:
            yield

    # -- caching ----------------------------------------------------------------

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """Compute a value once per run (e.g. the organization's tree) and share it.

        Each key has its own lock, so computing one value never waits for another.
        """
        with self._lock:
            if key in self._cache:
                return self._cache[key]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._cache:
                    return self._cache[key]
            value = compute()
            with self._lock:
                self._cache[key] = value
            return value

    def share(self, key: str, value: Any) -> None:
        """Set a run-wide value for `cached` to return (a kind's `prepare` does)."""
        with self._lock:
            self._cache[key] = value

    def cached_under(self, prefix: str) -> dict[str, Any]:
        """The values computed so far whose keys start with `prefix` (to `share` them with
        another context of the same moment: `lz import` hands its reads to its plan)."""
        with self._lock:
            return {k: v for k, v in self._cache.items() if k.startswith(prefix)}

    # -- tags -----------------------------------------------------------------

    def creation_tags(self, tags: dict[str, str]) -> dict[str, str]:
        """Tags for a resource being created: desired tags plus CreatedBy."""
        return {**tags, CREATED_BY_KEY: self.sessions.identity()["Arn"]}

    def warn(self, message: str) -> None:
        """Add a warning to the plan (something lz will not or cannot do)."""
        with self._lock:
            if message not in self.warnings:
                self.warnings.append(message)
