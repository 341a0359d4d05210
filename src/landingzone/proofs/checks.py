"""Run the spec's `checks:` against the model: every instance must get the expected answer.

A check expands to principals x actions x resources (`access/targets.py`);
each combination is answered by `can`, through chains of roles. A `deny`
check fails on the first combination that is allowed (its path is the
counter-example), an `allow` check on the first that is denied (its
decision says why).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import product
from typing import Any

from landingzone.access.assume import AssumeGraph
from landingzone.access.context import Values
from landingzone.access.errors import RequestError
from landingzone.access.globs import Glob
from landingzone.access.model import AccessModel
from landingzone.access.queries import Answer, can
from landingzone.access.targets import actions_for, actors_for, resources_for
from landingzone.proofs.pipeline_checks import pipeline_checks
from landingzone.proofs.state_checks import state_checks
from landingzone.spec.access_checks import AccessCheck
from landingzone.spec.schema import Spec


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: how many combinations held, and the first that did not.

    `error` is set when the check cannot be expanded against this model (a
    role of the spec that does not exist yet in a live organization).
    """

    check: AccessCheck
    passed: bool
    tested: int
    counterexample: Answer | None = None
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The result as documented in docs/access.md."""
        return {
            "name": self.check.name,
            "principal": self.check.principal,
            "action": self.check.action,
            "resource": self.check.resource,
            "expect": self.check.expect,
            "passed": self.passed,
            "tested": self.tested,
            "counterexample": self.counterexample.to_json() if self.counterexample else None,
            "error": self.error,
        }


def run_check(model: AccessModel, check: AccessCheck, graph: AssumeGraph) -> CheckResult:
    """Prove one check, or find its counter-example (`graph` built with the check's context)."""
    try:
        actors = [
            actor
            for actor in actors_for(model, check.principal)
            if not any(Glob(pattern).matches(actor.key) for pattern in check.exceptions)
        ]
        actions = [a for pattern in check.actions for a in actions_for(pattern)]
        resources = [r for text in check.resources for r in resources_for(model, text)]
    except RequestError as exc:
        return CheckResult(check, False, 0, error=str(exc))
    context = graph.context
    want = check.expect == "allow"
    tested = 0
    for actor, action, resource in product(actors, actions, resources):
        tested += 1
        answer = can(model, graph, actor, action, resource, context)
        if answer.allowed != want:
            return CheckResult(check, False, tested, counterexample=answer)
    return CheckResult(check, True, tested)


def check_context(check: AccessCheck) -> dict[str, Values]:
    """The check's context keys (lower-cased) and values as the evaluator takes them."""
    return {
        key.lower(): tuple(value) if isinstance(value, list) else (value,)
        for key, value in check.context.items()
    }


def run_checks(model: AccessModel, checks: list[AccessCheck]) -> list[CheckResult]:
    """Every check of the spec, in order; one assumption graph per distinct context."""
    graphs: dict[str, AssumeGraph] = {}
    results = []
    for check in checks:
        context = check_context(check)
        key = json.dumps(sorted(context.items()))
        graph = graphs.setdefault(key, AssumeGraph(model, context))
        results.append(run_check(model, check, graph))
    return results


def spec_checks(spec: Spec) -> list[AccessCheck]:
    """The spec's `checks:`, then the checks its CI pipeline and its state isolation
    imply (proofs/pipeline_checks.py, proofs/state_checks.py)."""
    return [*spec.checks, *pipeline_checks(spec), *state_checks(spec)]
