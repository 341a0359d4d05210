"""Access proofs: the IAM policy language, the evaluator and the org access model.

The public API:

- `parse_policy(document, kind=PolicyKind.X, label=...)` -> `Policy` (parse once,
  evaluate many times);
- `Request(principal=Principal.parse(...), action=..., resource=..., ...)`;
- `evaluate(request)` -> `Decision` (outcome, explanation, deciding statement,
  missing allow, every matched statement);
- `simulate(document)`: the JSON interface of `lz access simulate`.
"""

from landingzone.access.context import Context
from landingzone.access.decision import Decision, MissingAllow, Outcome, StatementRef, Step
from landingzone.access.errors import PolicyError, RequestError
from landingzone.access.evaluator import evaluate
from landingzone.access.policy import Effect, Policy, PolicyKind, parse_policy
from landingzone.access.principal import Principal, PrincipalKind
from landingzone.access.request import PolicyLevel, Request
from landingzone.access.simulate import simulate

__all__ = [
    "Context",
    "Decision",
    "Effect",
    "MissingAllow",
    "Outcome",
    "Policy",
    "PolicyError",
    "PolicyKind",
    "PolicyLevel",
    "Principal",
    "PrincipalKind",
    "Request",
    "RequestError",
    "StatementRef",
    "Step",
    "evaluate",
    "parse_policy",
    "simulate",
]
