"""Write an export into a directory: only what changed, and nothing lz did not write.

A manifest, `.lz-export.json` at the export's root, lists the files each
product (`terraform`, `ci`) wrote last time. A re-export rewrites files whose
content changed, leaves identical ones untouched (same bytes, same mtime),
and removes the files it wrote before that are no longer part of the export
(an account that left the spec); files lz never wrote are never touched.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".lz-export.json"


@dataclass
class WriteReport:
    """What a write did, by relative path."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, list[str]]:
        """Serializable form."""
        return {
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "removed": self.removed,
        }


def write_tree(
    out: Path, files: Mapping[str, str], product: str, *, dry_run: bool = False
) -> WriteReport:
    """Make `out` hold `files` for `product`; see the module docstring.

    With `dry_run`, only say what would be created, changed and removed.
    """
    report = WriteReport()
    manifest = _read_manifest(out)
    for relative, text in sorted(files.items()):
        path = out / relative
        data = text.encode()
        if path.is_file():
            if path.read_bytes() == data:
                report.unchanged.append(relative)
                continue
            report.changed.append(relative)
        else:
            report.created.append(relative)
        if dry_run:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".lz-tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    for relative in sorted(set(manifest.get(product, [])) - set(files)):
        path = out / relative
        if path.is_file():
            report.removed.append(relative)
            if not dry_run:
                path.unlink()
                _prune_empty(path.parent, out)
    if dry_run:
        return report
    manifest[product] = sorted(files)
    _write_manifest(out, manifest)
    return report


def written_by(out: Path, product: str) -> list[str]:
    """The files `product` wrote into `out` last time (from the manifest)."""
    return _read_manifest(out).get(product, [])


def _read_manifest(out: Path) -> dict[str, list[str]]:
    path = out / MANIFEST
    if not path.is_file():
        return {}
    data = json.loads(path.read_text())
    return {str(k): [str(f) for f in v] for k, v in data.items()}


def _write_manifest(out: Path, manifest: Mapping[str, list[str]]) -> None:
    text = json.dumps(dict(sorted(manifest.items())), indent=1) + "\n"
    path = out / MANIFEST
    if not path.is_file() or path.read_text() != text:
        out.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _prune_empty(directory: Path, out: Path) -> None:
    """Remove directories left empty, up to (not including) `out`."""
    while directory != out and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent
