"""Read the root file and everything it imports, in merge order.

`import:` (top level only) lists paths relative to the importing file; globs
are expanded and sorted. Imports come before the importing file (depth-first,
in the order listed); a file reached twice is read once; a cycle is an error
that prints it. Files are read within the bounds of `spec/files.py`; the root
file's `allow_paths:` (top level, root file only) names the directories
outside the spec directory that imports and policy files may read.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from pathlib import Path

from landingzone.errors import Location, SpecProblem
from landingzone.spec.files import ALLOW_PATHS_KEY, FileRefused, SpecPaths, read_text
from landingzone.spec.tree import Node
from landingzone.spec.yamlsource import parse_yaml

IMPORT_KEY = "import"


@dataclass(frozen=True)
class SourceFile:
    """One spec file, parsed, with what it imports."""

    path: Path  # absolute, resolved
    label: str  # as shown to users: relative to the spec root directory
    tree: Node  # its top-level map, without `import` (and `allow_paths`)
    reaches: frozenset[str]  # labels of every file it imports, directly or not


def label_for(path: Path, root_dir: Path) -> str:
    """How a file is named in messages: relative to the spec root directory."""
    return Path(os.path.relpath(path, root_dir)).as_posix()


def _expand(pattern: str, base: Path, paths: SpecPaths) -> list[Path]:
    """The files an import entry names, sorted; globs may use `**`.

    Raises `FileRefused` for a glob whose fixed part (`../shared` of
    `../shared/*.yaml`) is outside the permitted directories: it is not
    expanded (`/**/*.yaml` would walk the whole disk)."""
    joined = os.path.join(base, pattern)
    if not glob.has_magic(pattern):
        return [Path(joined).resolve()] if os.path.isfile(joined) else []
    parts = Path(joined).parts
    fixed = Path(*parts[: next(i for i, part in enumerate(parts) if glob.has_magic(part))])
    if not paths.permits(fixed.resolve()):
        raise FileRefused(paths.outside(f'import "{pattern}"'))
    candidates = glob.glob(joined, recursive=True)
    return sorted(Path(match).resolve() for match in candidates if os.path.isfile(match))


class _Reader:
    def __init__(self, root_dir: Path):
        self.root_dir = root_dir
        self.paths = SpecPaths(root_dir)
        self.done: dict[Path, SourceFile | None] = {}
        self.order: list[SourceFile] = []
        self.stack: list[Path] = []
        self.problems: list[SpecProblem] = []

    def label(self, path: Path) -> str:
        return label_for(path, self.root_dir)

    def visit(self, path: Path, via: Location | None) -> SourceFile | None:
        if path in self.done:
            return self.done[path]
        if path in self.stack:
            cycle = [self.label(p) for p in self.stack[self.stack.index(path) :]]
            chain = " -> ".join([*cycle, self.label(path)])
            self.problems.append(SpecProblem(f"import cycle: {chain}", via))
            return None
        self.stack.append(path)
        source = self._read(path, via)
        self.stack.pop()
        self.done[path] = source
        if source is not None:
            self.order.append(source)
        return source

    def _read(self, path: Path, via: Location | None) -> SourceFile | None:
        label = self.label(path)
        try:
            text = read_text(path, label, self.paths)
        except FileRefused as exc:  # at the import, or at the root file's first line
            self.problems.append(SpecProblem(str(exc), via or Location(label, 1)))
            return None
        tree, problems = parse_yaml(text, label)
        self.problems += problems
        if tree is None and problems:
            return None
        # A file with duplicate keys still has imports worth following.
        tree = tree or Node({}, Location(label, 1))
        if not tree.is_map():
            self.problems.append(
                SpecProblem("a spec file must be a map of sections", tree.location)
            )
            return None
        self._allow(tree.value.pop(ALLOW_PATHS_KEY, None), root=via is None)
        reaches: set[str] = set()
        for pattern, location in self._paths(tree.value.pop(IMPORT_KEY, None), IMPORT_KEY):
            try:
                matches = _expand(pattern, path.parent, self.paths)
            except FileRefused as exc:
                self.problems.append(SpecProblem(str(exc), location))
                continue
            if not matches:
                self.problems.append(SpecProblem(f'import "{pattern}" matches no file', location))
            for match in matches:
                imported = self.visit(match, location)
                if imported is not None:
                    reaches |= {imported.label, *imported.reaches}
        return SourceFile(path, label, tree, frozenset(reaches))

    def _paths(self, node: Node | None, key: str) -> list[tuple[str, Location]]:
        """The entries of a top-level list of paths (`import`, `allow_paths`)."""
        if node is None:
            return []
        if not isinstance(node.value, list):
            self.problems.append(SpecProblem(f"`{key}` must be a list of paths", node.location))
            return []
        entries = []
        for item in node.value:
            if isinstance(item.value, str) and item.value and "\x00" not in item.value:
                entries.append((item.value, item.location))
            else:
                self.problems.append(
                    SpecProblem(
                        f"an `{key}` entry must be a non-empty path (without NUL)", item.location
                    )
                )
        return entries

    def _allow(self, node: Node | None, *, root: bool) -> None:
        """Add the root file's `allow_paths` (directories, relative to it) to the permitted."""
        if node is not None and not root:
            self.problems.append(
                SpecProblem(
                    f"`{ALLOW_PATHS_KEY}` is only read in the root file "
                    "(whoever runs lz reviews that one)",
                    node.location,
                )
            )
            return
        allowed = list(self.paths.allowed)
        for entry, location in self._paths(node, ALLOW_PATHS_KEY):
            directory = (self.root_dir / entry).resolve()
            if not os.path.isdir(directory):  # False for any error, a name too long say
                self.problems.append(
                    SpecProblem(f'{ALLOW_PATHS_KEY}: "{entry}" is not a directory', location)
                )
            else:
                allowed.append(directory)
        self.paths = SpecPaths(self.root_dir, tuple(allowed))


def read_sources(root_file: Path) -> tuple[list[SourceFile], SpecPaths, list[SpecProblem]]:
    """Every file of the spec in merge order (imports first, root last), where
    the spec may read files, and the problems met reading them (unreadable,
    refused or invalid files, imports that match nothing, cycles)."""
    root_file = root_file.resolve()
    reader = _Reader(root_file.parent)
    reader.visit(root_file, None)
    return reader.order, reader.paths, reader.problems
