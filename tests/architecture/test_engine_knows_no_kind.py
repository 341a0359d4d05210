"""The engine never names a resource kind (docs/design.md, "The floor plan").

Kinds declare facts (`Kind.bootstrap`) and prepare what they need
(`Kind.prepare`); the engine reads facts. A comparison with a kind's name, or
an address written by hand ("account:..."), in the engine would bring back
the special cases the floor plan removed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import landingzone.engine
from landingzone.resources.base import _KINDS, load_kinds

ENGINE = Path(landingzone.engine.__file__).parent


def kind_names() -> set[str]:
    load_kinds()
    return set(_KINDS)


def kind_mentions(tree: ast.AST, names: set[str]) -> list[str]:
    """Kind names compared against, and addresses written out, in one module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for operand in [node.left, *node.comparators]:
                for const in ast.walk(operand):
                    if isinstance(const, ast.Constant) and const.value in names:
                        found.append(f"line {node.lineno}: compares with kind {const.value!r}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # also the head of an f-string: f"account:{name}" holds "account:"
            prefix, colon, _ = node.value.partition(":")
            if colon and prefix in names:
                found.append(f"line {node.lineno}: writes an address {node.value!r}")
    return found


def test_the_checker_sees_a_kind_name_where_one_is_used() -> None:
    sample = ast.parse('if node.kind == "policy":\n    address = f"account:{name}"\n')
    assert len(kind_mentions(sample, {"policy", "account"})) == 2


def test_no_engine_module_names_a_kind() -> None:
    names = kind_names()
    assert {"account", "state_bucket", "lock_table", "policy"} <= names
    mentions = {
        path.name: kind_mentions(ast.parse(path.read_text()), names)
        for path in sorted(ENGINE.glob("*.py"))
    }
    assert {name: found for name, found in mentions.items() if found} == {}
