"""The result of an evaluation: the outcome and why."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from landingzone.access.matching import PrincipalMatch
from landingzone.access.policy import Effect, PolicyKind


class Outcome(StrEnum):
    """The three results AWS distinguishes."""

    ALLOWED = "allowed"
    EXPLICITLY_DENIED = "explicitly_denied"
    IMPLICITLY_DENIED = "implicitly_denied"


class Step(StrEnum):
    """Where in the evaluation an allow can be missing (named like the request fields)."""

    RCP = "resource_control_policies"
    SCP = "service_control_policies"
    RESOURCE = "resource_policy"
    IDENTITY = "identity_policies"
    BOUNDARY = "permission_boundaries"
    SESSION = "session_policy"
    RESERVED = "reserved_by_aws"


@dataclass(frozen=True, slots=True)
class StatementRef:
    """A statement that matched the request.

    `level` is the SCP/RCP target the policy is attached to; `principal_match`
    says how a resource-based statement named the caller (None for others).
    """

    policy: str
    kind: PolicyKind
    index: int
    sid: str | None
    effect: Effect
    level: str | None = None
    principal_match: PrincipalMatch | None = None

    def describe(self) -> str:
        """`statement "Sid" (#1) of SCP "deny-trail" (attached to ou-plat)`."""
        statement = f'"{self.sid}" (#{self.index})' if self.sid else f"#{self.index}"
        text = f'statement {statement} of {self.kind.noun} "{self.policy}"'
        return f"{text} (attached to {self.level})" if self.level else text


@dataclass(frozen=True, slots=True)
class MissingAllow:
    """The step (and SCP/RCP level or boundary policy) where no statement allowed the request.

    `closest` is an allow statement of that step that covers the request
    except for its condition `failed_condition` (`StringEquals key`), if any.
    """

    step: Step
    level: str | None = None
    policy: str | None = None
    closest: StatementRef | None = None
    failed_condition: str | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """An evaluation's outcome with its explanation.

    `decided_by` is the deciding statement: the explicit deny, or the allow
    the decision rests on (for a cross-account allow, the resource-based one).
    `missing_allow_at` is set for implicit denies. `matched` lists every
    statement that matched, in evaluation order; `notes` says which policy
    kinds were skipped and why.
    """

    outcome: Outcome
    explanation: str
    decided_by: StatementRef | None = None
    missing_allow_at: MissingAllow | None = None
    matched: tuple[StatementRef, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        """True if the request is allowed."""
        return self.outcome is Outcome.ALLOWED
