"""Schema validation of the merged tree, tolerant enough to go on checking.

When some accounts, units or policies are invalid, the spec is validated
again without them, so the semantic checks still run on the rest and every
problem is reported in one run.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from landingzone.errors import SpecProblem
from landingzone.spec.network import NETWORK_SECTIONS
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.schema_errors import problems_from_errors

# Sections whose entries are independent: an invalid one can be left out.
ENTRY_SECTIONS = ("accounts", "units", "policies", "roles", *NETWORK_SECTIONS)


@dataclass
class Validated:
    """The outcome of schema validation."""

    # The spec; when there are problems, the spec without its invalid entries
    # (None when the invalid part cannot be left out, e.g. `organization`).
    spec: Spec | None
    problems: list[SpecProblem]
    # Entries left out, by section: they exist, so references to them are fine.
    skipped: dict[str, set[str]] = field(default_factory=dict)


def _validate(tree: Mapping[str, Any]) -> tuple[Spec | None, list[ErrorDetails]]:
    try:
        return Spec.model_validate(tree), []
    except ValidationError as exc:
        return None, exc.errors()


def _drop(
    tree: dict[str, Any], locs: Iterable[tuple[str | int, ...]], skipped: dict[str, set[str]]
) -> bool:
    """Drop from `tree` (in place) the entries holding `locs`; False if that is not possible."""
    for section, *rest in locs:
        entries = tree.get(str(section))
        if section in ENTRY_SECTIONS and rest and isinstance(entries, dict):
            tree[str(section)] = {k: v for k, v in entries.items() if k != rest[0]}
            skipped.setdefault(str(section), set()).add(str(rest[0]))
        elif section in ENTRY_SECTIONS or section not in Spec.model_fields:
            tree.pop(str(section), None)  # a section of the wrong type, or an unknown key
        else:
            return False
    return True


def validate_tree(
    tree: Mapping[str, Any], provenance: Provenance, broken_policies: Collection[str] = ()
) -> Validated:
    """Validate the merged tree against the schema.

    `broken_policies` are policies already reported (an unreadable `file`):
    they are left out of validation but still count as existing.
    """
    candidate = dict(tree)
    skipped: dict[str, set[str]] = {}
    if broken_policies:
        _drop(candidate, [("policies", name) for name in broken_policies], skipped)
    spec, errors = _validate(candidate)
    if not errors:
        return Validated(spec, [], skipped)
    problems = problems_from_errors(errors, provenance)
    if not _drop(candidate, [error["loc"] for error in errors], skipped):
        return Validated(None, problems, skipped)
    spec, _ = _validate(candidate)
    return Validated(spec, problems, skipped)
