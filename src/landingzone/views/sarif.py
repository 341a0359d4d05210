"""Findings as SARIF 2.1.0, the format GitHub code scanning (and other tools) read.

Each result carries its rule, a level (`error` for a check that does not
hold, `warning` for a lint finding) and the spec file and line of the
policy, role or check it is about, so code scanning shows it on that line.
File paths are made relative to the directory lz runs in (a CI job runs at
the repository's root), which is what code scanning resolves them against.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landingzone.access.lint import Finding
from landingzone.errors import Location
from landingzone.proofs.checks import CheckResult

if TYPE_CHECKING:
    from landingzone.resources.access_analyzer import ExternalAccessFinding

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
CHECK_FAILED = "check-failed"
CHECK_ERROR = "check-error"
EXTERNAL_ACCESS = "external-access"
ERRORS = (CHECK_FAILED, CHECK_ERROR, EXTERNAL_ACCESS)  # rules whose results fail the run

# Every rule lz reports, with what it means (docs/access.md describes each).
RULES = {
    CHECK_FAILED: "A property of the spec's `checks:` does not hold",
    CHECK_ERROR: "A check of the spec's `checks:` cannot be evaluated against this organization",
    EXTERNAL_ACCESS: "IAM Access Analyzer finds a resource reachable from outside the organization",
    "mutating-any-resource": 'An identity policy allows mutating actions on Resource "*"',
    "passrole-any-resource": 'An identity policy allows iam:PassRole on Resource "*"',
    "trust-any-principal": "A trust policy lets any AWS principal assume the role",
    "trust-any-subject": "An OIDC trust admits subjects of any repository or project",
    "unknown-action": "An action (or pattern) that names no action of any AWS service",
    "scp-matches-nothing": "An SCP statement none of whose actions exists, so it never matches",
    "unknown-condition-key": "A service condition key the service does not define",
}


@dataclass(frozen=True)
class Result:
    """One SARIF result: rule, level (`error`, `warning`, `note`), message, spec location."""

    rule: str
    level: str
    message: str
    location: Location | None = None


def lint_results(
    findings: Iterable[Finding], locate: Callable[[str], Location | None]
) -> list[Result]:
    """Lint findings as warnings, at the spec line of the role or SCP (`locate(address)`)."""
    return [
        Result(
            f.rule,
            "warning",
            f"{f.policy}, statement {f.statement}: {f.message}",
            locate(f.address) if f.address else None,
        )
        for f in findings
    ]


def check_results(
    results: Iterable[CheckResult], locate: Callable[[int], Location | None]
) -> list[Result]:
    """Checks that do not hold (or cannot be evaluated) as errors, at the check's spec line
    (`locate(index)`, the check's position in `checks:`)."""
    found = []
    for index, result in enumerate(results):
        if result.passed:
            continue
        check = result.check
        if result.error:
            found.append(
                Result(CHECK_ERROR, "error", f"{check.name}: {result.error}", locate(index))
            )
            continue
        example = result.counterexample
        why = ""
        if example is not None:
            route = " -> ".join([example.actor.key, *(h.role for h in example.path)])
            verdict = "allowed" if example.allowed else "denied"
            why = (
                f"; counter-example: {route}: {example.action} on {example.resource} is "
                f"{verdict} ({example.decision.explanation})"
            )
        message = f"{check.name}: expected {check.expect}{why}"
        found.append(Result(CHECK_FAILED, "error", message, locate(index)))
    return found


def external_access_results(
    findings: Iterable[ExternalAccessFinding], locate: Callable[[str], Location | None]
) -> list[Result]:
    """Active Access Analyzer findings as errors, at the spec line of the analyzer that found
    them (`locate(address)`)."""
    return [Result(EXTERNAL_ACCESS, "error", f.describe(), locate(f.analyzer)) for f in findings]


def _uri(location: Location, root: Path, cwd: Path) -> str:
    path = Path(location.file)
    if not path.is_absolute():
        path = root / path
    return Path(os.path.relpath(path.resolve(), cwd.resolve())).as_posix()


def sarif_log(
    results: Iterable[Result], *, root: Path, version: str, cwd: Path | None = None
) -> dict[str, Any]:
    """The SARIF log of one run of lz (`root`: the spec directory locations are relative to)."""
    found = list(results)
    used = sorted({r.rule for r in found} | {CHECK_FAILED})
    index = {rule: n for n, rule in enumerate(used)}
    here = cwd or Path.cwd()
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "landingzone",
                        "version": version,
                        "rules": [_rule(rule) for rule in used],
                    }
                },
                "results": [_result(r, index, root, here) for r in found],
            }
        ],
    }


def _rule(rule: str) -> dict[str, Any]:
    text = RULES.get(rule, rule)
    return {
        "id": rule,
        "shortDescription": {"text": text},
        "defaultConfiguration": {"level": "error" if rule in ERRORS else "warning"},
    }


def _result(result: Result, index: Mapping[str, int], root: Path, cwd: Path) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ruleId": result.rule,
        "ruleIndex": index[result.rule],
        "level": result.level,
        "message": {"text": result.message},
    }
    if result.location is not None:
        found["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(result.location, root, cwd)},
                    "region": {"startLine": max(1, result.location.line)},
                }
            }
        ]
    return found
