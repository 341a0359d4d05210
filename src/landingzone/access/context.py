"""The request context: condition keys and their values.

Keys are case-insensitive (AWS: `aws:CurrentTime` is `AWS:currenttime`), so
they are stored lower-cased. Every value is kept as a tuple: a single value is
a one-element tuple, a multivalued key (`aws:TagKeys`) a longer one, and an
empty list an empty tuple (a "null data set").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.access.errors import RequestError

Scalar = str | int | float | bool
Values = tuple[Scalar, ...]


def scalar_text(value: Scalar) -> str:
    """A context or policy value as the string AWS compares (`true`, `10`, `1.5`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Context:
    """Immutable mapping of lower-cased condition keys to value tuples."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Values] | None = None):
        self._values: dict[str, Values] = dict(values or {})

    @classmethod
    def from_json(cls, mapping: Any) -> Context:
        """Validate a JSON object of `key: scalar | [scalar, ...]` (raises `RequestError`)."""
        if not isinstance(mapping, dict):
            raise RequestError(f"context must be an object of condition keys, got {mapping!r}")
        values: dict[str, Values] = {}
        for key, value in mapping.items():
            folded = key.lower()
            if folded in values:
                raise RequestError(f"context key {key!r} is given twice (keys ignore case)")
            items = value if isinstance(value, list) else [value]
            bad = [item for item in items if not isinstance(item, (str, int, float))]
            if bad:
                raise RequestError(
                    f"context key {key!r}: values must be strings, numbers, booleans "
                    f"or lists of them, got {bad[0]!r}"
                )
            values[folded] = tuple(items)
        return cls(values)

    def get(self, key: str) -> Values | None:
        """The values of a lower-cased key, or None if the request does not carry it."""
        return self._values.get(key)

    def variable(self, key: str) -> str | None:
        """The value of a lower-cased key as a policy variable: single-valued keys only."""
        values = self._values.get(key)
        if values is None or len(values) != 1:
            return None
        return scalar_text(values[0])

    def with_defaults(self, defaults: Mapping[str, Values]) -> Context:
        """A context with `defaults` added for keys the request does not carry."""
        if not defaults:
            return self
        return Context({**defaults, **self._values})
