"""Read policy documents given as `file:` (and permission sets' `inline_policy_file`)
into the spec tree.

The JSON file is relative to the YAML file that set `file` (its provenance).
Its parsed document goes into `document`, keeping JSON line numbers for every
value, so after loading every policy has a `document`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from landingzone.errors import Location, SpecProblem
from landingzone.spec.files import FileRefused, SpecPaths, read_text
from landingzone.spec.imports import label_for
from landingzone.spec.tree import Node, child, from_plain
from landingzone.spec.yamlsource import parse_yaml


def _read_document(
    subject: str, path: Path, label: str, via: Location, paths: SpecPaths
) -> tuple[Node | None, list[SpecProblem]]:
    """The JSON object in `path` as a located tree, or the problems reading it, each
    naming `subject` (`policy "NAME"`)."""
    try:
        text = read_text(path, label, paths)
    except FileRefused as exc:
        return None, [SpecProblem(f"{subject}: {exc}", via)]
    try:
        data = json.loads(text)
    except RecursionError:  # nested past Python's limit: the YAML reader says where
        return None, parse_yaml(text, label)[1]
    except json.JSONDecodeError as exc:
        where = Location(label, exc.lineno)
        return None, [
            SpecProblem(f"{subject}: invalid JSON: {exc.msg} (column {exc.colno})", where)
        ]
    if not isinstance(data, dict):
        return None, [
            SpecProblem(f"{subject}: {label} must hold a JSON object", Location(label, 1))
        ]
    # JSON is YAML 1.2: parsing it again gives every value its line (and
    # catches duplicate keys, which json.loads lets through).
    node, problems = parse_yaml(text, label)
    if node is None:  # valid JSON that the YAML parser rejects: lines for the file only
        return from_plain(data, Location(label, 1)), []
    return (None, problems) if problems else (node, [])


@dataclass
class InlinedFiles:
    """What `inline_policy_files` did."""

    paths: list[Path] = field(default_factory=list)  # the JSON files read
    problems: list[SpecProblem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)  # policies whose file could not be used


def inline_policy_files(tree: Node, paths: SpecPaths) -> InlinedFiles:
    """Put the document of every `file:` policy into its `document`, and of every
    permission set's `inline_policy_file` into its `inline_policy`; files are
    read within `paths` (the spec directory and the directories it allows)."""
    result = InlinedFiles()
    _permission_set_files(tree, paths, result)
    policies = child(tree, "policies")
    if policies is None or not policies.is_map():
        return result
    root_dir = paths.root_dir
    for name, policy in policies.value.items():
        file_node = child(policy, "file")
        if file_node is None or not isinstance(file_node.value, str):
            continue  # no file, or not a string: the schema reports it
        if "document" in policy.value:
            result.problems.append(
                SpecProblem(
                    f'policy "{name}": set `document` or `file`, not both '
                    f"(document at {policy.value['document'].location})",
                    file_node.location,
                    (policy.value["document"].location,),
                )
            )
            result.broken.add(name)
            continue
        path = (root_dir / file_node.location.file).parent / file_node.value
        label = label_for(path, root_dir)
        document, found = _read_document(f'policy "{name}"', path, label, file_node.location, paths)
        if document is None:
            result.problems += found
            result.broken.add(name)
        else:
            result.paths.append(path.resolve())
            policy.value["document"] = document
    return result


def _permission_set_files(tree: Node, paths: SpecPaths, result: InlinedFiles) -> None:
    """`identity_center.permission_sets.NAME.inline_policy_file` into its `inline_policy`."""
    sets = child(tree, "identity_center", "permission_sets")
    if sets is None or not sets.is_map():
        return
    for name, entry in sets.value.items():
        file_node = child(entry, "inline_policy_file")
        if file_node is None or not isinstance(file_node.value, str):
            continue  # no file, or not a string: the schema reports it
        subject = f'permission set "{name}"'
        if "inline_policy" in entry.value:
            result.problems.append(
                SpecProblem(
                    f"{subject}: set `inline_policy` or `inline_policy_file`, not both "
                    f"(inline_policy at {entry.value['inline_policy'].location})",
                    file_node.location,
                    (entry.value["inline_policy"].location,),
                )
            )
            continue
        path = (paths.root_dir / file_node.location.file).parent / file_node.value
        label = label_for(path, paths.root_dir)
        document, found = _read_document(subject, path, label, file_node.location, paths)
        if document is None:
            result.problems += found
        else:
            result.paths.append(path.resolve())
            entry.value["inline_policy"] = document
