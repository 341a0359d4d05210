"""Show a resolved spec: as YAML (optionally with `# file:line` on every
value) or as JSON-able documents for `lz describe`."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from landingzone.errors import Location
from landingzone.spec.loader import LoadedSpec
from landingzone.spec.provenance import format_path
from landingzone.spec.tree import TreePath

DEFAULT = "default"  # the annotation of a value the spec does not set
COMMENT_COLUMN = 48  # where `# file:line` annotations line up


def resolved(loaded: LoadedSpec) -> dict[str, Any]:
    """The spec as lz will use it: every key with its value or default, JSON-able."""
    return loaded.spec.model_dump(mode="json", exclude_none=True)


def provenance_map(loaded: LoadedSpec) -> dict[str, str]:
    """`{"accounts.dev.email": "catalog/accounts.yaml:3", ...}` for every recorded value."""
    return {format_path(path): str(where) for path, where in loaded.provenance.items() if path}


def _annotated(value: Any, path: TreePath, records: dict[TreePath, Location]) -> Any:
    """`value` as ruamel round-trip data with a `# file:line` comment after each leaf."""
    data: CommentedMap | CommentedSeq
    if isinstance(value, dict):
        data = CommentedMap(
            (key, _annotated(item, (*path, key), records)) for key, item in value.items()
        )
    elif isinstance(value, list):
        data = CommentedSeq(_annotated(item, (*path, i), records) for i, item in enumerate(value))
    else:
        return value
    keys = value.keys() if isinstance(value, dict) else range(len(value))
    for key in keys:
        item = value[key]
        if not isinstance(item, dict | list) or not item:  # a leaf: scalar or empty
            where = records.get((*path, key))
            data.yaml_add_eol_comment(f"# {where or DEFAULT}", key, column=COMMENT_COLUMN)
    return data


def to_yaml(loaded: LoadedSpec, *, with_provenance: bool = False) -> str:
    """The resolved spec as YAML; with provenance, each value ends in `# file:line`
    (or `# default` where the spec does not set it)."""
    data: Any = resolved(loaded)
    if with_provenance:
        data = _annotated(data, (), dict(loaded.provenance.items()))
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 100
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
