"""Behaviour controls of the emulator: what it is configured to do, and what it has seen.

The emulator serves one process-wide moto, so there is one `Controls` object per
process (`CONTROLS`). The HTTP control endpoint (`landingzone.emulator.app`)
reads and changes it; the compatibility layer reads it while answering AWS calls.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from landingzone.emulator.latency import Latency


class AccountCreation(BaseModel):
    """How CreateAccount behaves: AWS creates accounts asynchronously."""

    model_config = ConfigDict(extra="forbid")

    polls: int = Field(
        default=0,
        ge=0,
        description="DescribeCreateAccountStatus calls that still report IN_PROGRESS.",
    )
    seconds: float = Field(
        default=0.0, ge=0, description="Time a creation stays IN_PROGRESS at least."
    )
    max_in_progress: int = Field(
        default=5,
        ge=1,
        description="Creations that may be IN_PROGRESS at once in one organization.",
    )


class Fault(BaseModel):
    """An AWS error returned instead of the real answer, for matching calls."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(description="botocore service name, e.g. organizations, s3.")
    operation: str = Field(default="*", description="API operation, e.g. CreateAccount.")
    error: str = Field(description="AWS error code, e.g. TooManyRequestsException.")
    message: str | None = None
    status: int | None = Field(
        default=None, ge=400, le=599, description="HTTP status; default: AWS's model."
    )
    account: str | None = Field(default=None, description="Only calls made by this account.")
    rate: float = Field(default=1.0, ge=0.0, le=1.0, description="Chance per matching call.")
    count: int | None = Field(default=None, ge=1, description="Stop after this many faults.")

    def matches(self, call: CallKey) -> bool:
        """Whether this fault applies to a call (before rate and count)."""
        return (
            self.service == call.service
            and self.operation in ("*", call.operation)
            and self.account in (None, call.account)
        )


class EmulatorConfig(BaseModel):
    """Everything `Emulator.configure` and `POST /_lz/emulator/config` can set."""

    model_config = ConfigDict(extra="forbid")

    account_creation: AccountCreation = Field(default_factory=AccountCreation)
    refusals: bool = Field(
        default=True, description="Refuse what AWS refuses (see docs/emulator.md)."
    )
    faults: list[Fault] = Field(default_factory=list)
    seed: int = Field(default=0, description="Seed of the fault rate's random draws.")
    latency: Latency = Field(default_factory=Latency)

    def updated(self, changes: dict[str, Any]) -> EmulatorConfig:
        """A copy with `changes` applied: each key replaces its value, nested objects merge."""
        current = self.model_dump()
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(current.get(key), dict):
                current[key] = {**current[key], **value}
            else:
                current[key] = value
        return EmulatorConfig.model_validate(current)


@dataclass(frozen=True, order=True)
class CallKey:
    """Who called which API operation."""

    account: str
    service: str
    operation: str


class Controls:
    """The current configuration, the request counters and the fault decisions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._defaults = EmulatorConfig()
        self.config = EmulatorConfig()
        self._random = random.Random(0)
        self._faults_left: list[int | None] = []
        self._calls: Counter[CallKey] = Counter()
        self._faulted: Counter[CallKey] = Counter()

    def configure(self, changes: dict[str, Any]) -> EmulatorConfig:
        """Apply a partial configuration (validated); fault counts and the seed restart."""
        config = self.config.updated(changes)
        with self._lock:
            self._set(config)
        return config

    def set_defaults(self, changes: dict[str, Any]) -> EmulatorConfig:
        """Make `changes` part of the defaults that resets restore, and apply them now.

        `Emulator(latency_ms=...)` uses it: its latency survives `reset()`.
        """
        defaults = EmulatorConfig().updated(changes)
        with self._lock:
            self._defaults = defaults
            self._set(defaults)
        return defaults

    def reset_config(self) -> None:
        """Back to the default configuration (the counters stay)."""
        with self._lock:
            self._set(self._defaults)

    def reset(self) -> None:
        """Back to the default configuration, with zeroed counters."""
        self.reset_config()
        self.clear_calls()

    def _set(self, config: EmulatorConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)
        self._faults_left = [fault.count for fault in config.faults]

    def record(self, call: CallKey, faultable: bool) -> Fault | None:
        """Count a call; return the fault to answer it with, if one is due and possible."""
        with self._lock:
            self._calls[call] += 1
            if not faultable:
                return None
            for index, fault in enumerate(self.config.faults):
                left = self._faults_left[index]
                if left == 0 or not fault.matches(call):
                    continue
                if fault.rate < 1.0 and self._random.random() >= fault.rate:
                    continue
                if left is not None:
                    self._faults_left[index] = left - 1
                self._faulted[call] += 1
                return fault
        return None

    def calls(self) -> list[dict[str, Any]]:
        """Calls seen since the last reset, per (account, service, operation)."""
        with self._lock:
            return [
                {
                    "account": key.account,
                    "service": key.service,
                    "operation": key.operation,
                    "count": count,
                    "faults": self._faulted[key],
                }
                for key, count in sorted(self._calls.items())
            ]

    def clear_calls(self) -> None:
        """Zero the request counters (the configuration stays)."""
        with self._lock:
            self._calls.clear()
            self._faulted.clear()


CONTROLS = Controls()


def refusing() -> bool:
    """Whether the compatibility layer refuses what AWS refuses (on by default)."""
    return CONTROLS.config.refusals
