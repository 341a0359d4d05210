"""Latency control: the round trip of an AWS call, for seeing how a run behaves at AWS's speed.

The emulator answers in about a millisecond; AWS in tens of milliseconds (more
from far away). With a latency configured, every AWS call waits that long
before it is served, outside the emulator's one-call-at-a-time lock, so calls
a client has in flight together wait together, as they would on AWS. A run's
wall time then shows its critical path (the round trips one after another),
not just its number of calls.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_MS = 60_000.0


class Latency(BaseModel):
    """A round-trip time added to every AWS call, as a client far from the emulator sees.

    The delay is taken before the call is served and outside the emulator's
    one-call-at-a-time lock, so calls in flight together wait together, as on AWS.
    """

    model_config = ConfigDict(extra="forbid")

    ms: float = Field(default=0.0, ge=0, le=MAX_MS, description="Milliseconds per call.")
    services: dict[str, float] = Field(
        default_factory=dict,
        description="Milliseconds per call of one service (botocore name), instead of `ms`.",
    )

    @field_validator("services")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        for service, ms in value.items():
            if not 0 <= ms <= MAX_MS:
                raise ValueError(f"{service}: {ms} ms is not between 0 and {MAX_MS:.0f}")
        return value

    def seconds(self, service: str) -> float:
        """The delay of one call to `service`, in seconds."""
        return self.services.get(service, self.ms) / 1000.0
