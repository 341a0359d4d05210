"""`terraform fmt`'s layout for the HCL lz writes: indentation and aligned `=`.

This follows hclwrite's formatter (which `terraform fmt` runs), line by line:

- **Indentation**: two spaces per open bracket. A line that opens more
  brackets than it closes is indented at the current level and raises it; a
  line that closes more than it opens lowers the level first (so a closing
  `}` lines up with the line that opened it).
- **Alignment**: a line is an *assignment* when it has an `=` after its first
  token and the rest of the line is bracket-balanced (`name = value`, not
  `tags = {`). Consecutive assignment lines form a chain; within a chain
  every `=` is placed one space after the longest name. Any other line (a
  blank line, a block header, a closing brace, a comment) ends the chain.

Token spacing inside a line is left as written: lz writes it canonically
(`[a, b]`, `{ for k, v in m : k => v }`, `f(x)`). Strings are opaque: a bracket
or `=` inside quotes counts for nothing. Heredocs are not supported.
"""

from __future__ import annotations

from dataclasses import dataclass

_OPENERS = "{[("
_CLOSERS = "}])"
_NOT_ASSIGN_BEFORE = "=!<>"  # `==`, `!=`, `<=`, `>=`


@dataclass
class _Line:
    text: str  # stripped
    net: int  # brackets opened minus closed
    eq: int | None  # index of the assignment `=`, if the line is an assignment


def _scan(text: str) -> _Line:
    """Bracket balance and assignment position of one stripped line."""
    depth_at: list[int] = []  # running bracket count at each character
    depth = 0
    first_eq: int | None = None
    i = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i = _string_end(text, i)
            depth_at.extend([depth] * (i - len(depth_at)))
            continue
        if c == "#" or text.startswith("//", i):
            break
        if c in _OPENERS:
            depth += 1
        elif c in _CLOSERS:
            depth -= 1
        elif (
            c == "="
            and first_eq is None
            and i > 0
            and text[i - 1] not in _NOT_ASSIGN_BEFORE
            and text[i + 1 : i + 2] not in ("=", ">")
        ):
            first_eq = i
        depth_at.append(depth)
        i += 1
    eq = None
    if first_eq is not None and text[:first_eq].strip():
        before = depth_at[first_eq - 1] if first_eq > 0 else 0
        if depth - before == 0:
            eq = first_eq
    return _Line(text, depth, eq)


def _string_end(text: str, start: int) -> int:
    """Index just past the quoted string starting at `start` (escapes honoured)."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == '"':
            return i + 1
        i += 1
    raise ValueError(f"unterminated string in HCL line: {text}")


def format_hcl(source: str) -> str:
    """Re-indent and align `source` as `terraform fmt` does; ends with one newline."""
    lines = [_scan(raw.strip()) for raw in source.strip("\n").split("\n")]
    indents = _indents(lines)
    out = [
        " " * indent + line.text if line.text else ""
        for line, indent in zip(lines, indents, strict=True)
    ]
    _align(lines, indents, out)
    return "\n".join(out) + "\n"


def _indents(lines: list[_Line]) -> list[int]:
    """hclwrite's indent stack: each entry is how many brackets one line opened."""
    stack: list[int] = []
    result: list[int] = []
    for line in lines:
        if line.net > 0:
            result.append(2 * len(stack))
            stack.append(line.net)
            continue
        closing = -line.net
        while closing > 0 and stack:
            if closing >= stack[-1]:
                closing -= stack.pop()
            else:
                stack[-1] -= closing
                closing = 0
        result.append(2 * len(stack))
    return result


def _align(lines: list[_Line], indents: list[int], out: list[str]) -> None:
    """Align the `=` of each chain of consecutive assignment lines."""
    chain: list[int] = []
    for i in [*range(len(lines)), len(lines)]:
        line = lines[i] if i < len(lines) else None
        if line is not None and line.eq is not None:
            chain.append(i)
            continue
        if chain:
            width = max(indents[j] + len(lines[j].text[: lines[j].eq].rstrip()) for j in chain)
            for j in chain:
                eq = lines[j].eq
                assert eq is not None
                lead = " " * indents[j] + lines[j].text[:eq].rstrip()
                rest = lines[j].text[eq + 1 :].lstrip()
                out[j] = f"{lead.ljust(width)} = {rest}".rstrip()
            chain = []
