"""`import-report.md`: what `lz import` left outside the spec, and why.

Nothing is dropped silently: a resource another tool owns, a setting the spec
cannot express, a part AWS would not show, and a layer not imported yet each
get a line here, grouped by reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

REPORT_FILE = "import-report.md"

OWNED = "Owned by another tool (external: read, never changed)"
NOT_EXPRESSIBLE = "Not expressible in the spec (left in AWS as it is)"
UNREADABLE = "Could not be read (the rest was imported)"
NOT_YET = "Not imported yet"
SECTIONS = (UNREADABLE, OWNED, NOT_EXPRESSIBLE, NOT_YET)


@dataclass(frozen=True, order=True)
class Note:
    """One thing the report names: under which heading, what, and why."""

    section: str
    what: str
    why: str


def render_report(
    header: Mapping[str, str], counts: Mapping[str, int], notes: Iterable[Note]
) -> str:
    """The report as Markdown; the same input gives the same bytes."""
    lines = ["# lz import report", ""]
    lines += [f"- {key}: {value}" for key, value in header.items()]
    lines += ["", "Imported: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + ".", ""]
    by_section: dict[str, list[Note]] = {}
    for note in sorted(set(notes)):
        by_section.setdefault(note.section, []).append(note)
    if not by_section:
        lines += ["Everything read is in the spec; nothing was left outside.", ""]
    for section in SECTIONS:
        found = by_section.get(section)
        if not found:
            continue
        lines += [f"## {section}", ""]
        lines += [f"- **{note.what}**: {note.why}" for note in found]
        lines.append("")
    return "\n".join(lines)
