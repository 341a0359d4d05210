"""Placeholders in spec strings: `{org}`, `{account}`, `{account_id}`, `{region}`.

`{org}` (organization.name) is filled when the spec loads; the others stay
until the graph is built per account and region (`fill_placeholders`).
`{{` and `}}` are literal braces. A `$` before `{` starts an IAM policy
variable (`${aws:username}`) or a CI expression (`${{ github.ref }}`), which
is never a placeholder. Any other `{name}` is an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from landingzone.errors import SpecProblem
from landingzone.spec.provenance import format_path
from landingzone.spec.tree import Node, walk
from landingzone.suggest import closest

PLACEHOLDERS = ("org", "account", "account_id", "region")

_TOKEN = re.compile(r"\$\{\{.*?\}\}|\$\{[^}]*\}|\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PlaceholderError(ValueError):
    """A string has an unknown placeholder, a stray brace, or a placeholder with no value."""


def _render(text: str, values: Mapping[str, str], *, final: bool) -> str:
    """Fill `values` into `text`. Not `final`: escapes and placeholders without
    a value are kept for a later fill. `final`: escapes become braces and a
    placeholder without a value is an error."""

    def replace(match: re.Match[str]) -> str:
        token, name = match.group(0), match.group(1)
        if token.startswith("$"):
            return token
        if token in ("{{", "}}"):
            return token[0] if final else token
        if name is None:
            raise PlaceholderError(f'stray "{token}"; write "{token * 2}" for a literal brace')
        if name not in PLACEHOLDERS:
            likely = closest(name, PLACEHOLDERS)
            known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            hint = (
                f"did you mean {{{likely}}}?"
                if likely
                else f"placeholders: {known}; write {{{{ and }}}} for literal braces"
            )
            raise PlaceholderError(f"unknown placeholder {token} ({hint})")
        if name in values:
            return values[name]
        if final:
            raise PlaceholderError(f"{token} has no value here")
        return token

    return _TOKEN.sub(replace, text)


def fill_placeholders(
    text: str,
    *,
    org: str,
    account: str | None = None,
    account_id: str | None = None,
    region: str | None = None,
) -> str:
    """`text` with every placeholder filled and `{{`/`}}` turned into braces.

    Call it per account and region on strings of a loaded spec (where `{org}`
    is already filled). Raises `PlaceholderError` for a placeholder whose
    value is not given (`{region}` in a per-account name, say).
    """
    given = {"org": org, "account": account, "account_id": account_id, "region": region}
    values = {name: value for name, value in given.items() if value is not None}
    return _render(text, values, final=True)


def _org_values(org: str | None) -> dict[str, str]:
    # The name goes into strings that are filled again later: escape its braces.
    return {} if org is None else {"org": org.replace("{", "{{").replace("}", "}}")}


def substitute_org(tree: Node, org: str | None) -> list[SpecProblem]:
    """Fill `{org}` into every string of `tree` in place (when `org` is known)
    and report every unknown placeholder or stray brace at its line."""
    values = _org_values(org)
    problems = []
    for path, node in walk(tree):
        if isinstance(node.value, str):
            try:
                node.value = _render(node.value, values, final=False)
            except PlaceholderError as exc:
                problems.append(SpecProblem(f"{format_path(path)}: {exc}", node.location))
    return problems


def fill_org(data: Any, org: str) -> Any:
    """Plain `data` with `{org}` filled into every string (escapes and other
    placeholders kept); for values the spec did not write, like defaults.
    Raises `PlaceholderError` for a malformed string."""
    if isinstance(data, dict):
        return {key: fill_org(value, org) for key, value in data.items()}
    if isinstance(data, list):
        return [fill_org(item, org) for item in data]
    return _render(data, _org_values(org), final=False) if isinstance(data, str) else data
