"""Checks of an exported Terraform tree that need no Terraform: parse, resolve, schema."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions

from tests.export.provider_schema import BlockSchema

OPTIONS = SerializationOptions(strip_string_quotes=True, with_comments=False)
META_ARGUMENTS = {"count", "for_each", "provider", "depends_on", "lifecycle"}
MARKERS = {"__is_block__", "__start_line__", "__end_line__"}
REMOTE_STATE_ARGUMENTS = {"backend", "config", "defaults", "workspace"}


@functools.lru_cache(maxsize=512)
def parse_text(text: str) -> dict[str, Any]:
    """HCL text, parsed by python-hcl2 (raises on a syntax error); callers must not change it."""
    return dict(hcl2.loads(text, serialization_options=OPTIONS))


def parse(path: Path) -> dict[str, Any]:
    """One .tf or .tfvars file."""
    return parse_text(path.read_text())


def parse_tree(root: Path) -> dict[Path, dict[str, Any]]:
    """Every .tf file under `root`."""
    return {path: parse(path) for path in sorted(root.rglob("*.tf"))}


def labelled(doc: dict[str, Any], block_type: str) -> Iterator[tuple[tuple[str, ...], dict]]:
    """(labels, body) of every block of a type: resource "t" "n" -> (("t", "n"), body)."""
    for entry in doc.get(block_type, []):
        yield from _unwrap(entry, ())


def _unwrap(
    entry: dict[str, Any], labels: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], dict]]:
    if entry.get("__is_block__"):
        yield labels, entry
        return
    for label, inner in entry.items():
        yield from _unwrap(inner, (*labels, label))


def root_modules(root: Path) -> list[Path]:
    """Directories holding a backend: the root modules."""
    return sorted(p.parent for p in root.rglob("backend.tf"))


def imports(stack: Path) -> list[tuple[str, str]]:
    """(to, id) of every import block of a root module."""
    doc = parse(stack / "imports.tf")
    return [(body["to"].strip("${}"), body["id"]) for body in doc.get("import", [])]


def split_address(address: str) -> tuple[str, str, str, str | None]:
    """module.M.TYPE.NAME["key"] -> (M, TYPE, NAME, key)."""
    head, _, key = address.partition("[")
    parts = head.split(".")
    assert parts[0] == "module" and len(parts) == 4, address
    return parts[1], parts[2], parts[3], (key[:-1].strip('"') if key else None)


def import_problems(stack: Path) -> list[str]:
    """Import addresses that name no resource of the root module's module calls."""
    main = parse(stack / "main.tf")
    resources = {
        labels[0]: {
            found: body
            for path in (stack / call["source"]).resolve().glob("*.tf")
            for found, body in labelled(parse(path), "resource")
        }
        for labels, call in labelled(main, "module")
    }
    problems = []
    for to, _ in imports(stack):
        module, type_, name, key = split_address(to)
        if module not in resources:
            problems.append(f"{stack}: {to}: no module {module}")
            continue
        body = resources[module].get((type_, name))
        if body is None:
            problems.append(f"{stack}: {to}: module {module} has no {type_}.{name}")
        elif (key is None) == ("for_each" in body):
            problems.append(f"{stack}: {to}: key and for_each disagree")
    return problems


def schema_problems(doc: dict[str, Any], schemas: dict[tuple[str, str], BlockSchema]) -> list[str]:
    """Resource types, arguments and blocks that the provider does not have."""
    problems: list[str] = []
    for labels, body in labelled(doc, "resource"):
        schema = schemas.get(("resource", labels[0]))
        if schema is None:
            problems.append(f"resource type {labels[0]} does not exist")
        else:
            problems += _body_problems(body, schema, ".".join(labels), META_ARGUMENTS)
    for labels, body in labelled(doc, "provider"):
        problems += _body_problems(body, schemas[("provider", labels[0])], f"provider {labels[0]}")
    for labels, body in labelled(doc, "data"):
        if labels[0] == "terraform_remote_state":
            problems += [
                f"data.{labels[1]}: {a}" for a in set(body) - REMOTE_STATE_ARGUMENTS - MARKERS
            ]
        else:
            schema = schemas.get(("data", labels[0]))
            if schema is None:
                problems.append(f"data source {labels[0]} does not exist")
            else:
                problems += _body_problems(body, schema, f"data.{'.'.join(labels)}", META_ARGUMENTS)
    return problems


def used_types(doc: dict[str, Any]) -> set[tuple[str, str]]:
    """The (kind, type) pairs a file uses."""
    found = {("resource", labels[0]) for labels, _ in labelled(doc, "resource")}
    found |= {("provider", labels[0]) for labels, _ in labelled(doc, "provider")}
    found |= {("data", labels[0]) for labels, _ in labelled(doc, "data")}
    return found


def _body_problems(
    body: dict[str, Any],
    schema: BlockSchema,
    where: str,
    meta: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    problems = []
    for name, value in body.items():
        if name in MARKERS or name in meta:
            continue
        if name == "dynamic":  # dynamic "NAME" { for_each = ..., content { NAME's arguments } }
            problems += _dynamic_problems(value, schema, where)
            continue
        nested = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, dict)]
        if nested and all(v.get("__is_block__") for v in nested):
            if name not in schema.blocks:
                problems.append(f"{where}: no block {name}")
                continue
            for item in nested:
                problems += _body_problems(item, schema.blocks[name], f"{where}.{name}")
        elif name not in schema.attributes:
            problems.append(f"{where}: no argument {name}")
    return problems


def _dynamic_problems(value: list[dict[str, Any]], schema: BlockSchema, where: str) -> list[str]:
    problems = []
    for entry in value:
        for name, body in entry.items():
            if name not in schema.blocks:
                problems.append(f"{where}: no block {name}")
                continue
            problems += [
                f"{where}.dynamic.{name}: {a}"
                for a in set(body) - {"for_each", "iterator", "labels", "content"} - MARKERS
            ]
            for content in body.get("content", []):
                problems += _body_problems(content, schema.blocks[name], f"{where}.{name}")
    return problems


def state_key(stack: Path) -> str:
    """The key of a root module's own state in the S3 backend."""
    return str(parse(stack / "backend.tf")["terraform"][0]["backend"][0]["s3"]["key"])


def reads(stack: Path) -> list[str]:
    """The state keys of the stacks a root module reads through terraform_remote_state."""
    remote = stack / "remote_state.tf"
    found = parse(remote).get("data", []) if remote.exists() else []
    return sorted(
        body["config"]["key"] for data in found for body in data["terraform_remote_state"].values()
    )
