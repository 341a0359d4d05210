"""Whether `lz import` may write into OUT_DIR, and what it would change there.

OUT_DIR may be missing or empty, or hold what an earlier import wrote (the
manifest of `export.writer` lists it as product `import`). Then: the same
bytes are left untouched; differences are shown and written only with
`--force` (the team may have edited the spec since). A directory holding
anything else (another spec, edits that added files) is refused unless
`--force`; even then lz only writes its own files, never removes others.
"""

from __future__ import annotations

import difflib
import tempfile
from collections.abc import Mapping
from pathlib import Path

from landingzone.errors import LzError, SpecInvalid, SpecProblem
from landingzone.export.writer import MANIFEST, WriteReport, write_tree, written_by
from landingzone.validate import load_spec

PRODUCT = "import"
STATE_SPILL = ".lz"  # lz's local state before the bucket exists
MAX_DIFF_LINES = 40


def foreign_files(out: Path) -> list[str]:
    """Files in OUT_DIR that no earlier import wrote, sorted (lz's own `.lz/` aside)."""
    if not out.exists():
        return []
    if not out.is_dir():
        raise LzError(f"{out} is a file; lz import writes a spec directory")
    ours = set(written_by(out, PRODUCT)) | {MANIFEST}
    found = (p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return sorted(f for f in found if f not in ours and not f.startswith(STATE_SPILL + "/"))


def preview(out: Path, files: Mapping[str, str]) -> WriteReport:
    """What writing `files` would create, change and remove (nothing is written)."""
    return write_tree(out, files, PRODUCT, dry_run=True)


def write(out: Path, files: Mapping[str, str]) -> WriteReport:
    """Write `files`: only those whose bytes differ; drop what an earlier import wrote and
    this one does not."""
    return write_tree(out, files, PRODUCT)


def diff_lines(out: Path, files: Mapping[str, str], report: WriteReport) -> list[str]:
    """A short unified diff of the changed files, for people."""
    lines: list[str] = []
    for relative in report.changed:
        before = (out / relative).read_text().splitlines()
        after = files[relative].splitlines()
        lines += difflib.unified_diff(before, after, relative, relative, n=1, lineterm="")
    lines += [f"+++ {relative} (new)" for relative in report.created]
    lines += [f"--- {relative} (removed)" for relative in report.removed]
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"... {len(lines) - MAX_DIFF_LINES} more lines"]
    return lines


def spec_problems(files: Mapping[str, str]) -> list[SpecProblem]:
    """What `lz validate` says of these files (relative path -> text) as a spec directory."""
    with tempfile.TemporaryDirectory() as tmp:
        for relative, text in files.items():
            path = Path(tmp) / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        try:
            load_spec(Path(tmp))
        except SpecInvalid as exc:
            return exc.problems
    return []
