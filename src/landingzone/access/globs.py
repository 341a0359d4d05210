"""Wildcard patterns as sets of strings: membership and a witness of an intersection.

A pattern is text plus whether its `*` and `?` are wildcards (`StringLike`)
or literal (`StringEquals`). `witness(a, b)` finds a string both patterns
match (a breadth-first search over the product of their automata), which is
how the access model finds a concrete OIDC subject in the overlap of two
trust conditions, or of a check's principal pattern and a trust condition.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cached_property

from landingzone.access.matching import Predicate, compile_wildcard, literal

_STAR = object()
_ONE = object()
_SEGMENT_ONE = object()  # a character other than ":"
_SEGMENT_STAR = object()  # a run of characters other than ":"
_STARS = (_STAR, _SEGMENT_STAR)
FILLER = "x"


@dataclass(frozen=True)
class Glob:
    """A pattern: `text`, with wildcards when `wild` (else matched literally).

    A shape (`segments`) is only ever intersected (`witness`), never matched.
    """

    text: str
    wild: bool = True
    segments: bool = False  # a shape: `+` is one or more characters other than ":"

    @property
    def is_literal(self) -> bool:
        """True if the pattern matches exactly one string."""
        wildcards = "*?+" if self.segments else "*?"
        return not self.wild or not any(char in self.text for char in wildcards)

    def matches(self, value: str) -> bool:
        """Does the whole of `value` match?"""
        if self.is_literal:
            return value == self.text
        return self._predicate(value)

    @cached_property
    def _predicate(self) -> Predicate:
        return compile_wildcard(literal(self.text))

    @cached_property
    def tokens(self) -> tuple[object, ...]:
        """Characters, with `_STAR`/`_ONE` for active wildcards."""
        if self.is_literal:
            return tuple(self.text)
        tokens: list[object] = []
        for char in self.text:
            if self.segments and char == "+":
                tokens += [_SEGMENT_ONE, _SEGMENT_STAR]
            else:
                tokens.append(_STAR if char == "*" else _ONE if char == "?" else char)
        return tuple(tokens)

    def example(self) -> str:
        """One string the pattern matches (each wildcard filled with a short filler)."""
        return "".join(
            t if isinstance(t, str) else (FILLER if t is _ONE else FILLER * 3) for t in self.tokens
        )


def readable_witness(a: Glob, b: Glob) -> str | None:
    """`witness`, preferring strings where no `*` of either pattern is left empty."""
    return witness(_non_empty(a), _non_empty(b)) or witness(a, b)


def _non_empty(glob: Glob) -> Glob:
    if glob.is_literal:
        return glob
    return Glob(glob.text.replace("*", "?*"), glob.wild, glob.segments)


def _closure(tokens: tuple[object, ...], i: int) -> list[int]:
    out = [i]
    while i < len(tokens) and tokens[i] in _STARS:
        i += 1
        out.append(i)
    return out


def _step(tokens: tuple[object, ...], i: int, char: str) -> int | None:
    if i >= len(tokens):
        return None
    token = tokens[i]
    if token is _STAR or (token is _SEGMENT_STAR and char != ":"):
        return i
    if token is _ONE or token == char or (token is _SEGMENT_ONE and char != ":"):
        return i + 1
    return None


def _may_overlap(a: Glob, b: Glob) -> bool:
    """A cheap test: the literal heads (and tails) of both patterns must agree."""

    def head(glob: Glob) -> str:
        text = []
        for token in glob.tokens:
            if not isinstance(token, str):
                break
            text.append(token)
        return "".join(text)

    def tail(glob: Glob) -> str:
        text = []
        for token in reversed(glob.tokens):
            if not isinstance(token, str):
                break
            text.append(token)
        return "".join(reversed(text))

    ha, hb, ta, tb = head(a), head(b), tail(a), tail(b)
    return (ha.startswith(hb) or hb.startswith(ha)) and (ta.endswith(tb) or tb.endswith(ta))


def witness(a: Glob, b: Glob) -> str | None:
    """A string both patterns match, or None if they have none in common.

    Wildcards are filled with `FILLER` where possible (a wildcard that
    matches anything is given a readable run of characters).
    """
    if a.is_literal:
        return a.text if b.matches(a.text) else None
    if b.is_literal:
        return b.text if a.matches(b.text) else None
    if not _may_overlap(a, b):
        return None
    ta, tb = a.tokens, b.tokens
    alphabet = sorted({t for t in (*ta, *tb) if isinstance(t, str)} | {FILLER})
    alphabet.remove(FILLER)
    alphabet.insert(0, FILLER)
    start = [(i, j) for i in _closure(ta, 0) for j in _closure(tb, 0)]
    parent: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = dict.fromkeys(start)
    queue = deque(start)
    while queue:
        state = queue.popleft()
        i, j = state
        if i == len(ta) and j == len(tb):
            chars: list[str] = []
            cursor: tuple[int, int] | None = state
            while cursor is not None and parent[cursor] is not None:
                back = parent[cursor]
                assert back is not None
                cursor, char = back
                chars.append(char)
            return "".join(reversed(chars))
        for char in alphabet:
            ni, nj = _step(ta, i, char), _step(tb, j, char)
            if ni is None or nj is None:
                continue
            for ci in _closure(ta, ni):
                for cj in _closure(tb, nj):
                    if (ci, cj) not in parent:
                        parent[(ci, cj)] = (state, char)
                        queue.append((ci, cj))
    return None
