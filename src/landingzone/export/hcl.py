"""A small HCL document model: blocks, attributes, values, rendered as Terraform writes them.

Exporters describe Terraform files as `Block`s and `Attr`s whose values are
plain data (strings, numbers, booleans, None, lists, dicts) or `Raw`
expressions (`var.accounts`, `module.organization.account_ids`). `render`
turns them into text and passes it through `fmt.format_hcl`, so every file
comes out in `terraform fmt`'s canonical layout.

Layout rules (the choices `terraform fmt` leaves to the author): top-level
blocks are separated by one blank line; lists of scalars stay on one line;
non-empty maps and lists holding maps are written one entry per line; a
`BLANK` item in a body is an empty line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from landingzone.export.fmt import format_hcl


@dataclass(frozen=True)
class Raw:
    """An HCL expression written as is: `var.x`, `module.m.out`, a function call."""

    text: str


@dataclass(frozen=True)
class Attr:
    """`name = value`."""

    name: str
    value: Any


@dataclass(frozen=True)
class Block:
    """`type "label" ... { body }`."""

    type: str
    labels: tuple[str, ...] = ()
    body: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Comment:
    """A `#` comment line (several lines for a text with newlines)."""

    text: str


class _Blank:
    """An empty line inside a body."""


BLANK = _Blank()
Item = Attr | Block | Comment | _Blank

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_KEYWORDS = frozenset({"true", "false", "null", "for", "in", "if", "else", "endif", "endfor"})


def block(type_: str, *labels: str, body: Iterable[Item] = ()) -> Block:
    """A block; `body` in the order it is written."""
    return Block(type_, tuple(labels), tuple(body))


def attrs(**values: Any) -> tuple[Attr, ...]:
    """Attributes in keyword order: `*attrs(name=Raw("each.key"), tags=...)`."""
    return tuple(Attr(name, value) for name, value in values.items())


def quote(text: str) -> str:
    """A quoted HCL string literal: escapes, and `${` / `%{` written literally."""
    escaped = "".join(_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if c < " " else c) for c in text)
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def key(name: str) -> str:
    """An object key: bare when it is a plain identifier, quoted otherwise."""
    if _IDENTIFIER.match(name) and name not in _KEYWORDS:
        return name
    return quote(name)


def index(collection: str, item: str) -> str:
    """`collection["item"]`."""
    return f"{collection}[{quote(item)}]"


def value(data: Any) -> str:
    """The HCL text of a value (may span lines; `format_hcl` indents it)."""
    if isinstance(data, Raw):
        return data.text
    if data is None:
        return "null"
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int | float):
        return json.dumps(data)
    if isinstance(data, str):
        return quote(data)
    if isinstance(data, Mapping):
        if not data:
            return "{}"
        entries = "\n".join(f"{key(str(k))} = {value(v)}" for k, v in data.items())
        return "{\n" + entries + "\n}"
    if isinstance(data, Sequence):
        if any(isinstance(item, Mapping | list | tuple) for item in data):
            return "[\n" + "".join(f"{value(item)},\n" for item in data) + "]"
        return "[" + ", ".join(value(item) for item in data) + "]"
    raise TypeError(f"no HCL form for {type(data).__name__}: {data!r}")


def _lines(item: Item) -> list[str]:
    if isinstance(item, _Blank):
        return [""]
    if isinstance(item, Comment):
        return [f"# {line}".rstrip() for line in item.text.splitlines()]
    if isinstance(item, Attr):
        return f"{item.name} = {value(item.value)}".split("\n")
    head = " ".join([item.type, *(quote(label) for label in item.labels)])
    if not item.body:
        return [head + " {}"]
    inner = [line for child in item.body for line in _lines(child)]
    return [head + " {", *inner, "}"]


def render(items: Iterable[Item], *, header: str | None = None) -> str:
    """A whole file, canonically formatted.

    Top-level items are separated by a blank line, except consecutive
    one-line attributes (a tfvars file's scalars), which stay together.
    """
    text = "\n".join(_lines(Comment(header))) + "\n" if header else ""
    previous: list[str] | None = None
    for item in items:
        lines = _lines(item)
        together = previous is not None and _one_line_attr(previous) and _one_line_attr(lines)
        if text and not together:
            text += "\n"
        text += "\n".join(lines) + "\n"
        previous = lines if isinstance(item, Attr) else None
    return format_hcl(text)


def _one_line_attr(lines: list[str] | None) -> bool:
    return lines is not None and len(lines) == 1
