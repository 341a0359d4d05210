"""The grammar of a service control policy document, checked before AWS sees it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from landingzone.spec.tree import TreePath
from landingzone.suggest import did_you_mean

VERSIONS = ("2012-10-17", "2008-10-17")
DOCUMENT_KEYS = ("Version", "Id", "Statement")
STATEMENT_KEYS = ("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition")
# Each statement needs exactly one key of each pair.
REQUIRED_PAIRS = (("Action", "NotAction"), ("Resource", "NotResource"))

Finding = tuple[TreePath, str]  # a path inside the document, and what is wrong there


def minified_size(document: Mapping[str, object]) -> int:
    """The document's size as AWS counts it against the SCP quota: minified JSON."""
    return len(json.dumps(document, separators=(",", ":")))


def _is_names(value: object) -> bool:
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
    for pair in REQUIRED_PAIRS:
        present = [key for key in pair if key in statement]
        if len(present) != 1:
            yield path, f"a statement needs exactly one of {pair[0]} or {pair[1]}"
        for key in present:
            if not _is_names(statement[key]):
                yield (*path, key), f"{key} must be a string or a non-empty list of strings"
    if "Condition" in statement and not isinstance(statement["Condition"], dict):
        yield (*path, "Condition"), "Condition must be a map"


def check_scp_document(document: Mapping[str, object]) -> Iterator[Finding]:
    """Where `document` breaks the SCP grammar: Version, Statement (a map or a
    non-empty list), each statement's Effect, Action/NotAction,
    Resource/NotResource and Condition; no Principal; no unknown keys."""
    yield from _unknown_keys(document, DOCUMENT_KEYS, (), "policy document")
    if document.get("Version") not in VERSIONS:
        got = document.get("Version")
        shown = "none" if got is None else json.dumps(got)
        yield ("Version",), f'Version must be "2012-10-17" (or "2008-10-17"), got {shown}'
    statements = document.get("Statement")
    if isinstance(statements, dict):
        yield from _statement(statements, ("Statement",))
    elif isinstance(statements, list) and statements:
        for index, statement in enumerate(statements):
            yield from _statement(statement, ("Statement", index))
    else:
        yield ("Statement",), "Statement must be a statement or a non-empty list of statements"
