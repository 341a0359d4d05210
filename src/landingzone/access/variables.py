"""Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`.

A policy string is parsed once into a `Template`; `resolve` substitutes the
request's values. Values substituted for variables, and the `${*}`, `${?}`,
`${$}` escapes, are literal text: their `*` and `?` are never wildcards. A
variable whose key is missing from the request (and has no default) makes
the whole string unresolvable: it then matches nothing (AWS: "the value is
effectively null").

Variables exist only in policies with `"Version": "2012-10-17"`; in older or
unversioned policies `${...}` is plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from landingzone.access.matching import Pieces

VARIABLES_VERSION = "2012-10-17"
ESCAPES = frozenset("*?$")
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_DEFAULT = re.compile(r"(?P<key>[^,]+?)\s*,\s*'(?P<default>[^']*)'")

Lookup = Callable[[str], str | None]


@dataclass(frozen=True, slots=True)
class Variable:
    """One `${key}` or `${key, 'default'}` reference; `key` is lower-cased (keys ignore case)."""

    key: str
    default: str | None


@dataclass(frozen=True, slots=True)
class Template:
    """A policy string split into literal text and variable references."""

    parts: tuple[str | Variable, ...]

    @property
    def static(self) -> Pieces | None:
        """The pieces if the template has no variables (resolved once, at parse time)."""
        texts = [part for part in self.parts if isinstance(part, str)]
        if len(texts) != len(self.parts):
            return None
        return tuple((text, True) for text in texts)

    def resolve(self, lookup: Lookup) -> Pieces | None:
        """Substitute request values; None if a variable has neither a value nor a default."""
        pieces: list[tuple[str, bool]] = []
        for part in self.parts:
            if isinstance(part, str):
                pieces.append((part, True))
                continue
            value = part.key if part.key in ESCAPES else lookup(part.key)
            if value is None:
                value = part.default
            if value is None:
                return None
            pieces.append((value, False))
        return tuple(pieces)


def parse_template(text: str, *, variables: bool) -> Template:
    """Split `text` into literal runs and `${...}` references.

    Raises `ValueError` for an unterminated `${` or an empty reference.
    """
    if not variables or "${" not in text:
        return Template(parts=(text,)) if text else Template(parts=())
    parts: list[str | Variable] = []
    position = 0
    for found in _VARIABLE.finditer(text):
        if found.start() > position:
            parts.append(text[position : found.start()])
        parts.append(_parse_reference(found.group(1), text))
        position = found.end()
    rest = text[position:]
    if "${" in rest:
        raise ValueError(f"unterminated policy variable in {text!r}")
    if rest:
        parts.append(rest)
    return Template(parts=tuple(parts))


def _parse_reference(body: str, text: str) -> Variable:
    stripped = body.strip()
    if stripped in ESCAPES:
        return Variable(key=stripped, default=None)
    with_default = _DEFAULT.fullmatch(stripped)
    if with_default:
        return Variable(key=with_default["key"].lower(), default=with_default["default"])
    if not stripped or "," in stripped or "'" in stripped:
        raise ValueError(f"malformed policy variable ${{{body}}} in {text!r}")
    return Variable(key=stripped.lower(), default=None)
