"""Read a landing-zone spec: read and merge its files, fill `{org}`, read
policy files, check the schema. `landingzone.validate.load_spec` reads, then
runs the semantic checks; every problem is reported in one `SpecInvalid`.

Files that cannot be read or parsed (or imports that fail) stop the load
after that stage, since anything later would only report their echoes;
everything else (conflicts, placeholders, schema, semantic rules) is
reported together.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from landingzone.errors import SpecInvalid, SpecProblem
from landingzone.spec.imports import read_sources
from landingzone.spec.limits import check_text
from landingzone.spec.merge import merge_sources
from landingzone.spec.placeholders import fill_org, substitute_org
from landingzone.spec.policy_files import inline_policy_files
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.tree import child, flatten
from landingzone.spec.validation import validate_tree

ROOT_FILE = "landingzone.yaml"


@dataclass(frozen=True)
class LoadedSpec:
    """A valid spec, with where every value came from."""

    spec: Spec  # validated model
    root: Path  # directory of the root file
    files: tuple[Path, ...]  # every file loaded: spec files in merge order, then policy files
    provenance: Provenance
    tree: dict[str, Any]  # merged plain tree (after {org} substitution), JSON-able

    def fingerprint(self) -> str:
        """sha256 of the canonical JSON of `tree`: equal specs, equal fingerprints."""
        canonical = json.dumps(self.tree, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _root_file(path: Path) -> Path:
    if path.is_dir():
        path = path / ROOT_FILE
        if not path.is_file():
            raise SpecInvalid([SpecProblem(f"no {ROOT_FILE} in {path.parent}")])
    elif not path.is_file():
        raise SpecInvalid([SpecProblem(f"no such spec file or directory: {path}")])
    return path.resolve()


@dataclass(frozen=True)
class ReadSpec:
    """A spec read, merged and checked against the schema, before semantic checks.

    `spec` is None when the schema refused the whole tree; `skipped` names the
    entries left out because they are invalid; `problems` are every problem
    found so far, each at its file:line.
    """

    spec: Spec | None
    skipped: dict[str, set[str]]
    problems: list[SpecProblem]
    root: Path
    files: tuple[Path, ...]
    provenance: Provenance
    tree: dict[str, Any]

    def loaded(self, more: Sequence[SpecProblem] = ()) -> LoadedSpec:
        """The valid spec, with defaults the spec did not write (state.bucket, say)
        given `{org}` too. Raises `SpecInvalid` with every problem found (these
        and `more`, from the semantic checks)."""
        problems = [*self.problems, *more]
        if problems or self.spec is None:
            raise SpecInvalid(problems)
        spec = Spec.model_validate(fill_org(self.spec.model_dump(), self.spec.organization.name))
        return LoadedSpec(spec, self.root, self.files, self.provenance, self.tree)


def read_spec(path: str | Path) -> ReadSpec:
    """Read the spec at `path` (a directory, its landingzone.yaml, or a root file):
    imports, merge, `{org}`, policy files and the schema; no semantic checks
    (`landingzone.validate.load_spec` adds those).

    Files that cannot be read or parsed stop here with `SpecInvalid`.
    """
    root_file = _root_file(Path(path))
    root_dir = root_file.parent
    sources, paths, problems = read_sources(root_file)
    if problems:
        raise SpecInvalid(problems)
    merged, problems = merge_sources(sources)
    inlined = inline_policy_files(merged, paths)
    problems += inlined.problems
    org = child(merged, "organization", "name")
    problems += substitute_org(merged, org.value if org and isinstance(org.value, str) else None)
    tree, records = flatten(merged)
    provenance = Provenance(records)
    problems += check_text(tree, provenance)
    validated = validate_tree(tree, provenance, inlined.broken)
    problems += validated.problems
    files = tuple(dict.fromkeys([*(source.path for source in sources), *inlined.paths]))
    return ReadSpec(validated.spec, validated.skipped, problems, root_dir, files, provenance, tree)
