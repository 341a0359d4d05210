"""The JSON interface of `lz access simulate`: request documents in, decisions out.

The request format is fixed and documented in `docs/access.md`. Policies are
parsed leniently: shapes AWS would refuse to store are evaluated with a
warning in the answer's `warnings`. A policy in
any list may be a bare document or `{"name": "...", "document": {...}}`; the
name labels it in explanations and errors (default: its place in the request,
such as `identity_policies[0]`).
"""

from __future__ import annotations

import json
from typing import Any

from landingzone.access.context import Context
from landingzone.access.decision import Decision, StatementRef
from landingzone.access.errors import RequestError
from landingzone.access.evaluator import evaluate
from landingzone.access.policy import Policy, PolicyKind, parse_policy
from landingzone.access.principal import Principal
from landingzone.access.request import PolicyLevel, Request
from landingzone.errors import LzError

REQUIRED_KEYS = ("principal", "action", "resource")
OPTIONAL_KEYS = (
    "resource_account",
    "context",
    "identity_policies",
    "permission_boundaries",
    "session_policy",
    "resource_policy",
    "service_control_policies",
    "resource_control_policies",
    "management_account",
)
NAMED_POLICY_KEYS = frozenset({"name", "document"})
LEVEL_KEYS = frozenset({"target", "policies"})


def load_json(text: str, source: str) -> Any:
    """Parse JSON, refusing duplicate keys (AWS rejects them in policies)."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise RequestError(
            f"{source}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise RequestError(f"duplicate key {key!r} in a JSON object")
        result[key] = value
    return result


def simulate(document: Any) -> Any:
    """Evaluate one request object or a list of them; return JSON results in the same shape.

    One request that is malformed raises. In a list, each malformed request
    answers `{"error": {"code", "message"}}` in its place and the others are
    still evaluated.
    """
    if isinstance(document, list):
        results: list[dict[str, Any]] = []
        for index, item in enumerate(document):
            try:
                results.append(_answer(item))
            except LzError as exc:
                error = RequestError(f"request[{index}]: {exc}")
                results.append({"error": {"code": exc.code, "message": str(error)}})
        return results
    return _answer(document)


def failed_requests(results: Any) -> int:
    """How many requests of a `simulate` result answered with an error."""
    return sum("error" in item for item in results) if isinstance(results, list) else 0


def _answer(document: Any) -> dict[str, Any]:
    request = parse_request(document)
    answer = decision_to_json(evaluate(request))
    answer["warnings"] = [
        warning for policy in _all_policies(request) for warning in policy.warnings
    ]
    return answer


def _all_policies(request: Request) -> list[Policy]:
    policies = [*request.identity_policies, *request.permission_boundaries]
    policies += [p for p in (request.session_policy, request.resource_policy) if p is not None]
    for levels in (request.service_control_policies, request.resource_control_policies):
        policies += [policy for level in levels or () for policy in level.policies]
    return policies


def parse_request(document: Any) -> Request:
    """Turn one request object into a typed `Request` (raises `RequestError`/`PolicyError`)."""
    if not isinstance(document, dict):
        raise RequestError(f"a request must be a JSON object, got {document!r}")
    unknown = sorted(set(document) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise RequestError(
            f"unknown request key {unknown[0]!r} "
            f"(known: {', '.join(REQUIRED_KEYS + OPTIONAL_KEYS)})"
        )
    resources = document.get("resource")
    if isinstance(resources, list) and resources and all(isinstance(r, str) for r in resources):
        document = {**document, "resource": resources[0]}
    else:
        resources = [resources]
    for key in REQUIRED_KEYS:
        if not isinstance(document.get(key), str):
            raise RequestError(f"request key {key!r} must be a string, got {document.get(key)!r}")
    return Request(
        principal=Principal.parse(document["principal"]),
        action=document["action"],
        resource=document["resource"],
        other_resources=tuple(resources[1:]),
        resource_account=_optional_string(document, "resource_account"),
        management_account=_optional_string(document, "management_account"),
        context=Context.from_json(document.get("context", {})),
        identity_policies=_policies(document, "identity_policies", PolicyKind.IDENTITY),
        permission_boundaries=_policies(document, "permission_boundaries", PolicyKind.BOUNDARY),
        session_policy=_single(document, "session_policy", PolicyKind.SESSION),
        resource_policy=_single(document, "resource_policy", PolicyKind.RESOURCE),
        service_control_policies=_levels(document, "service_control_policies", PolicyKind.SCP),
        resource_control_policies=_levels(document, "resource_control_policies", PolicyKind.RCP),
    )


def _optional_string(document: dict[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is not None and not isinstance(value, str):
        raise RequestError(f"request key {key!r} must be a string or null, got {value!r}")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise RequestError(f"{where} must be a list, got {value!r}")
    return value


def _policy(entry: Any, kind: PolicyKind, where: str) -> Policy:
    """A bare policy document, or `{"name": ..., "document": ...}`."""
    if isinstance(entry, dict) and "document" in entry:
        extra = sorted(set(entry) - NAMED_POLICY_KEYS)
        if extra or not isinstance(entry.get("name"), str) or not entry["name"]:
            raise RequestError(
                f'{where}: a named policy is {{"name": "...", "document": {{...}}}}, '
                f"got keys {sorted(entry)}"
            )
        return parse_policy(entry["document"], kind=kind, label=entry["name"], lenient=True)
    return parse_policy(entry, kind=kind, label=where, lenient=True)


def _policies(document: dict[str, Any], key: str, kind: PolicyKind) -> tuple[Policy, ...]:
    entries = _list(document.get(key) or [], key)
    return tuple(_policy(entry, kind, f"{key}[{i}]") for i, entry in enumerate(entries))


def _single(document: dict[str, Any], key: str, kind: PolicyKind) -> Policy | None:
    entry = document.get(key)
    return None if entry is None else _policy(entry, kind, key)


def _levels(document: dict[str, Any], key: str, kind: PolicyKind) -> tuple[PolicyLevel, ...] | None:
    if document.get(key) is None:
        return None
    levels = []
    for i, level in enumerate(_list(document[key], key)):
        where = f"{key}[{i}]"
        if not isinstance(level, dict) or set(level) != LEVEL_KEYS:
            raise RequestError(
                f'{where} must be {{"target": "...", "policies": [...]}}, got {level!r}'
            )
        if not isinstance(level["target"], str) or not level["target"]:
            raise RequestError(f"{where}.target must be a non-empty string")
        entries = _list(level["policies"], f"{where}.policies")
        policies = tuple(
            _policy(entry, kind, f"{where}.policies[{j}]") for j, entry in enumerate(entries)
        )
        levels.append(PolicyLevel(target=level["target"], policies=policies))
    return tuple(levels)


def statement_to_json(ref: StatementRef) -> dict[str, Any]:
    """A matched statement as JSON; `statement` is its Sid, or `#index` without one."""
    return {
        "policy": ref.policy,
        "kind": ref.kind.value,
        "statement": ref.sid or f"#{ref.index}",
        "index": ref.index,
        "effect": ref.effect.value,
        "level": ref.level,
        "principal_match": ref.principal_match.name.lower() if ref.principal_match else None,
    }


def decision_to_json(decision: Decision) -> dict[str, Any]:
    """A decision in the documented output format."""
    missing = decision.missing_allow_at
    return {
        "decision": decision.outcome.value,
        "explanation": decision.explanation,
        "decided_by": statement_to_json(decision.decided_by) if decision.decided_by else None,
        "missing_allow_at": (
            {
                "step": missing.step.value,
                "level": missing.level,
                "policy": missing.policy,
                "closest": statement_to_json(missing.closest) if missing.closest else None,
                "failed_condition": missing.failed_condition,
            }
            if missing
            else None
        ),
        "matched_statements": [statement_to_json(ref) for ref in decision.matched],
        "notes": list(decision.notes),
    }
