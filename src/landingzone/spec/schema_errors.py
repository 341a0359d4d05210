"""Turn pydantic's validation errors into readable `SpecProblem`s at file:line."""

from __future__ import annotations

import json
import types
from collections.abc import Sequence
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from landingzone.errors import SpecProblem
from landingzone.spec.files import ALLOW_PATHS_KEY
from landingzone.spec.imports import IMPORT_KEY
from landingzone.spec.provenance import Provenance, format_path
from landingzone.spec.schema import ACCOUNT_ID_PATTERN, Spec
from landingzone.spec.tree import TreePath
from landingzone.suggest import closest

_EXPECTED = {
    "string_type": "a string",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a map",
    "model_type": "a map",
    "list_type": "a list",
}


def _shape_at(loc: TreePath) -> tuple[Any, FieldInfo | None]:
    """The type the schema expects at `loc`, and the model field it belongs to."""
    shape: Any = Spec
    field: FieldInfo | None = None
    for key in loc:
        if get_origin(shape) in (Union, types.UnionType):  # `X | None`: look inside X
            shape = next(arg for arg in get_args(shape) if arg is not type(None))
        if isinstance(shape, type) and issubclass(shape, BaseModel):
            field = shape.model_fields.get(str(key))
            if field is None:
                return None, None
            shape = field.annotation
        elif get_origin(shape) in (dict, list):
            shape = get_args(shape)[-1]
        else:
            return None, None
    return shape, field


def _allowed_keys(loc: TreePath) -> list[str]:
    shape, _ = _shape_at(loc)
    if get_origin(shape) in (Union, types.UnionType):  # `X | None`: the keys of X
        shape = next(arg for arg in get_args(shape) if arg is not type(None))
    keys = (
        list(shape.model_fields) if isinstance(shape, type) and issubclass(shape, BaseModel) else []
    )
    return [*keys, IMPORT_KEY, ALLOW_PATHS_KEY] if not loc else keys


def _got(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "nothing (null)"
    if isinstance(value, str):
        text = json.dumps(value)
        return "the string " + (text if len(text) <= 40 else text[:37] + '..."')
    return "a map" if isinstance(value, dict) else "a list"


def _is_account_id(loc: TreePath) -> bool:
    _, field = _shape_at(loc)
    return field is not None and any(
        getattr(item, "pattern", None) == ACCOUNT_ID_PATTERN for item in field.metadata
    )


def _explain(error: ErrorDetails, loc: TreePath) -> str:
    """What is wrong with the value at `loc`, in the user's terms."""
    kind, value, ctx = error["type"], error["input"], error.get("ctx", {})
    if kind == "string_type" and _is_account_id(loc):
        return f"expected a quoted string of 12 digits, got {_got(value)} (put it in quotes)"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ACCOUNT_ID_PATTERN:
        return f"expected 12 digits, got {_got(value)}"
    if kind in _EXPECTED:
        quote = " (put it in quotes)" if kind == "string_type" and value is not None else ""
        return f"expected {_EXPECTED[kind]}, got {_got(value)}{quote}"
    if kind == "literal_error":
        return f"expected {ctx['expected']}, got {_got(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(ctx["error"])
    return f"{error['msg'][0].lower()}{error['msg'][1:]}, got {_got(value)}"


def _problem(error: ErrorDetails, provenance: Provenance) -> SpecProblem:
    loc: TreePath = tuple(error["loc"])
    location = provenance.where(*loc)
    parent = loc[:-1]
    place = f"in {format_path(parent)}" if parent else "at the top level"
    if error["type"] == "extra_forbidden":
        key = str(loc[-1])
        allowed = _allowed_keys(parent)
        likely = closest(key, allowed)
        hint = f'did you mean "{likely}"?' if likely else "allowed: " + ", ".join(allowed)
        return SpecProblem(f'unknown key "{key}" {place} ({hint})', location)
    if error["type"] == "missing":
        return SpecProblem(f'missing required key "{loc[-1]}" {place}', location)
    return SpecProblem(f"{format_path(loc)}: {_explain(error, loc)}", location)


def problems_from_errors(
    errors: Sequence[ErrorDetails], provenance: Provenance
) -> list[SpecProblem]:
    """One problem per pydantic error, located with `provenance`."""
    return [_problem(error, provenance) for error in errors]
