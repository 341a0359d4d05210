"""Did-you-mean hints for names a user mistyped."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

_LISTED = 12  # names shown in a "does not exist" message


def closest(name: str, choices: Iterable[str]) -> str | None:
    """The choice closest to `name`, if one is close enough to be a likely typo."""
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """` (did you mean "x"?)` for a close choice, else an empty string."""
    match = closest(name, choices)
    return f' (did you mean "{match}"?)' if match else ""


def choices(kind: str, names: Collection[str], wanted: str) -> str:
    """`did you mean "x"? units: a, b, c` for a name that does not exist."""
    if not names:
        return f"no {kind} are declared"
    listed = sorted(names)
    shown = ", ".join(listed[:_LISTED])
    if len(listed) > _LISTED:
        shown += f", ... ({len(listed)} in all)"
    likely = closest(wanted, listed)
    return (f'did you mean "{likely}"? ' if likely else "") + f"{kind}: {shown}"
