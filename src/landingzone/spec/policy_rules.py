"""The grammar of a service control policy document, checked before AWS sees it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping

from landingzone.access.matching import is_action_pattern
from landingzone.spec.tree import TreePath
from landingzone.suggest import did_you_mean

VERSIONS = ("2012-10-17", "2008-10-17")
DOCUMENT_KEYS = ("Version", "Id", "Statement")
STATEMENT_KEYS = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition")
# Each statement needs exactly one key of each pair.
REQUIRED_PAIRS = (("Action", "NotAction"), ("Resource", "NotResource"))
# docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
GRAMMAR = "AWS's IAM JSON policy grammar"
SID = re.compile(r"^[A-Za-z0-9]*$")  # "ASCII letters and numbers" (IAM JSON reference: Sid)
RESOURCE = re.compile(r"^(?:\*|arn:[^:]+:[^:]*:[^:]*:[^:]*:.+)$")  # "*" or an ARN

Finding = tuple[TreePath, str]  # a path inside the document, and what is wrong there


def minified_size(document: Mapping[str, object]) -> int:
    """The document's size as AWS counts it against the SCP quota: minified JSON."""
    return len(json.dumps(document, separators=(",", ":")))


def is_names(value: object) -> bool:
    """A string, or a non-empty list of strings (Action, Resource)."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, str) for item in value)
    return isinstance(value, str)


def _unknown_keys(
    found: Mapping[str, object], allowed: tuple[str, ...], path: TreePath, what: str
) -> Iterator[Finding]:
    for key in found:
        if key in ("Principal", "NotPrincipal"):
            yield (*path, key), f"SCPs do not take {key}: they apply to the accounts below them"
        elif key not in allowed:
            yield (*path, key), f'unknown key "{key}" in a {what}{did_you_mean(key, allowed)}'


def _statement(statement: object, path: TreePath) -> Iterator[Finding]:
    if not isinstance(statement, dict):
        yield path, "a statement must be a map"
        return
    yield from _unknown_keys(statement, STATEMENT_KEYS, path, "statement")
    effect = statement.get("Effect")
    if effect not in ("Allow", "Deny"):
        got = "none" if effect is None else json.dumps(effect)
        yield (*path, "Effect"), f'Effect must be "Allow" or "Deny", got {got}'
    problem = sid_problem(statement.get("Sid"))
    if problem:
        yield (*path, "Sid"), problem
    for pair in REQUIRED_PAIRS:
        present = [key for key in pair if key in statement]
        if len(present) != 1:
            yield path, f"a statement needs exactly one of {pair[0]} or {pair[1]}"
        for key in present:
            if not is_names(statement[key]):
                yield (*path, key), f"{key} must be a string or a non-empty list of strings"
            else:
                yield from _names(statement[key], (*path, key), key)
    if "Condition" in statement:
        yield from _condition(statement["Condition"], (*path, "Condition"))


def sid_problem(sid: object) -> str | None:
    """What is wrong with a statement's Sid (None: no Sid, or a good one)."""
    if sid is None or (isinstance(sid, str) and SID.match(sid)):
        return None
    return f"Sid {json.dumps(sid)} may hold only ASCII letters and digits ({GRAMMAR})"


def _names(value: str | list[str], path: TreePath, key: str) -> Iterator[Finding]:
    """Each action is `*` or `service:Action`; each resource `*` or an ARN."""
    action = key.endswith("Action")
    items = (
        [(path, value)]
        if isinstance(value, str)
        else [((*path, i), v) for i, v in enumerate(value)]
    )
    for where, name in items:
        if action and not is_action_pattern(name):
            yield where, f'{key} {json.dumps(name)} is not "*" or "service:Action" ({GRAMMAR})'
        if not action and not RESOURCE.match(name):
            yield (
                where,
                f'{key} {json.dumps(name)} is not "*" or an ARN '
                "(arn:partition:service:region:account:resource)",
            )


def _condition(condition: object, path: TreePath) -> Iterator[Finding]:
    """A map of operators, each a map of keys to a value or a non-empty list of values."""
    if not isinstance(condition, dict):
        yield path, "Condition must be a map"
        return
    for operator, block in condition.items():
        if not isinstance(block, dict) or not block:
            yield (*path, operator), f"Condition {operator} must map condition keys to values"
            continue
        for key, value in block.items():
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, str | int | float | bool) for v in values):
                yield (
                    (*path, operator, key),
                    f"Condition {operator} {key}: a value is a string, number or true/false, "
                    "or a non-empty list of them",
                )


def check_scp_document(document: Mapping[str, object]) -> Iterator[Finding]:
    """Where `document` breaks the SCP grammar: Version, Statement (a map or a
    non-empty list), each statement's Effect, Action/NotAction,
    Resource/NotResource and Condition; no Principal; no unknown keys."""
    yield from _unknown_keys(document, DOCUMENT_KEYS, (), "policy document")
    if document.get("Version") not in VERSIONS:
        got = document.get("Version")
        shown = "none" if got is None else json.dumps(got)
        yield ("Version",), f'Version must be "2012-10-17" (or "2008-10-17"), got {shown}'
    yield from each_statement(document, _statement)


def each_statement(
    document: Mapping[str, object], check: Callable[[object, TreePath], Iterator[Finding]]
) -> Iterator[Finding]:
    """`check` each statement of `Statement` (a map or a non-empty list), at its path."""
    statements = document.get("Statement")
    if isinstance(statements, dict):
        yield from check(statements, ("Statement",))
    elif isinstance(statements, list) and statements:
        for index, statement in enumerate(statements):
            yield from check(statement, ("Statement", index))
    else:
        yield ("Statement",), "Statement must be a statement or a non-empty list of statements"
