"""`lz validate` and `lz describe`: check a spec, show it resolved."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from landingzone import ui
from landingzone.cli.app import app
from landingzone.errors import SpecInvalid

SpecDir = Annotated[
    Path,
    typer.Argument(
        help="The spec: a directory holding landingzone.yaml, or a root file.",
        metavar="DIR",
        show_default=False,
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@app.command()
def validate(directory: SpecDir, as_json: JsonFlag = False) -> None:
    """Check a spec without touching AWS, and report every problem at once.

    Reads the root file and its imports, merges them, and checks the schema
    and every rule of docs/spec.md (references, quotas, e-mails, policies...).
    Each problem is printed as `file:line: message`. Exit code 0 when the
    spec is valid, 1 when it is not.

    Example:

        lz validate ./landingzone
        ok: 3 accounts, 2 units, 2 policies from 4 files

        lz validate ./landingzone --json | jq '.problems[].message'
    """
    from landingzone.spec.units import all_unit_paths
    from landingzone.validate import load_spec

    ui.mode.json = as_json
    try:
        loaded = load_spec(directory)
    except SpecInvalid as exc:
        if not as_json:
            raise
        ui.emit_json({"valid": False, "problems": [p.to_json() for p in exc.problems]})
        raise typer.Exit(exc.exit_code) from exc
    spec = loaded.spec
    counts = {
        "accounts": len(spec.accounts),
        "units": len(all_unit_paths(spec.units)),
        "policies": len(spec.policies),
        "files": len(loaded.files),
    }
    if as_json:
        ui.emit_json({"valid": True, "fingerprint": loaded.fingerprint(), **counts})
        return
    ui.err.print(
        f"ok: {_plural(counts['accounts'], 'account')}, {_plural(counts['units'], 'unit')}, "
        f"{counts['policies']} polic{'y' if counts['policies'] == 1 else 'ies'} "
        f"from {_plural(counts['files'], 'file')}",
        markup=False,
    )


@app.command()
def describe(
    directory: SpecDir,
    provenance: Annotated[
        bool,
        typer.Option(
            "--provenance", help="End every value with `# file:line`, where the spec sets it."
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Print the resolved spec: all files merged, `{org}` filled, policy files
    read in, defaults shown.

    With `--provenance`, each value says which file and line set it (or
    `# default`): the way to answer "where does this come from?" in a layered
    spec. With `--json`: `{"spec": {...}, "provenance": {"accounts.dev.email":
    "catalog/accounts.yaml:3", ...}}`.

    Example:

        lz describe ./landingzone --provenance | grep -A3 'dev:'
    """
    from landingzone.spec.render import provenance_map, resolved, to_yaml
    from landingzone.validate import load_spec

    ui.mode.json = as_json
    loaded = load_spec(directory)
    if as_json:
        ui.emit_json({"spec": resolved(loaded), "provenance": provenance_map(loaded)})
    else:
        sys.stdout.write(to_yaml(loaded, with_provenance=provenance))
