"""Reading the files a spec names, within bounds.

A spec reads its root file, the files it imports and its policy `file:`s.
Each must be a regular file (not `/dev/zero`, a FIFO or a directory) of at
most `MAX_FILE_BYTES`, under the spec directory or a directory the root
file allows with `allow_paths:` (so a spec from a pull request cannot read
`~/.aws/credentials` into a plan). Symbolic links are followed before the
check: a link inside the spec to `/etc/passwd` is outside.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 2 * 1024 * 1024  # one spec or policy file; the largest example is 9 KB
ALLOW_PATHS_KEY = "allow_paths"  # top-level key of the root file


class FileRefused(Exception):
    """A spec file that lz will not read; the message says why."""


@dataclass(frozen=True)
class SpecPaths:
    """Where a spec may read files: its directory and the directories it allows."""

    root_dir: Path  # resolved
    allowed: tuple[Path, ...] = ()  # resolved, from the root file's `allow_paths`

    def permits(self, path: Path) -> bool:
        """True when `path` (resolved) is under the spec directory or an allowed one."""
        return any(path.is_relative_to(base) for base in (self.root_dir, *self.allowed))

    def outside(self, what: str) -> str:
        """Why `what` (a file, an import pattern) outside the permitted directories is refused."""
        return (
            f"{what} is outside the spec directory; lz reads only files under it "
            f"unless the root file allows another directory with `{ALLOW_PATHS_KEY}:` "
            "(docs/spec.md#files-outside-the-spec-directory)"
        )


def read_text(path: Path, label: str, paths: SpecPaths) -> str:
    """The UTF-8 text of the spec file `path` (named `label` in messages).

    Raises `FileRefused` when it is outside the permitted directories, not a
    regular file, larger than `MAX_FILE_BYTES`, unreadable or not UTF-8.
    """
    if "\x00" in str(path):
        raise FileRefused(f"{label!r}: a path cannot hold a NUL byte")
    resolved = path.resolve()
    if not paths.permits(resolved):
        raise FileRefused(paths.outside(f"{label} ({resolved})"))
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        descriptor = os.open(resolved, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise FileRefused(f"cannot read {label}: {exc.strerror}") from exc
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"{label} is not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise FileRefused(_too_big(label, info.st_size))
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # grew while being read
        raise FileRefused(_too_big(label, len(data)))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"cannot read {label}: not UTF-8 ({exc.reason} at byte {exc.start})"
        raise FileRefused(reason) from None


def _too_big(label: str, size: int) -> str:
    return (
        f"{label} is {size:,} bytes, over lz's bound of {MAX_FILE_BYTES:,} bytes for one spec "
        "file (split it with `import:`)"
    )
