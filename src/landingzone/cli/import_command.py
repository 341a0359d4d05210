"""`lz import`: adopt a running organization (the work is in `landingzone.adopt`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from landingzone.cli.app import app
from landingzone.cli.engine_commands import EndpointOpt, JsonOpt, ProfileOpt
from landingzone.errors import EXIT_CHANGES, EXIT_OK
from landingzone.ui import emit_json, err, mode


@app.command("import")
def import_command(
    out: Annotated[
        Path, typer.Argument(help="Directory to write the spec into (new, or an earlier import).")
    ],
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            help="organization.name in the spec (names the state bucket, {org}). "
            "Default: the management account's name.",
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="organization.home_region, where lz keeps state. "
            "Default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1.",
        ),
    ] = None,
    include: Annotated[
        str,
        typer.Option(
            "--include",
            help="Layers to read, comma-separated: org (always); roles (cross-account roles: "
            "catalog/roles.yaml); ci (OIDC providers, deploy roles: catalog/ci.yaml); "
            "baselines (password policy, EBS encryption, Block Public Access as profiles; "
            "trails and recorders listed); network (VPCs in the home region, peerings, "
            "transit gateways, private zones: catalog/network.yaml).",
        ),
    ] = "org",
    state_account: Annotated[
        str,
        typer.Option(
            "--state-account",
            help="state.account: `management` or an imported account's key.",
        ),
    ] = "management",
    state_key: Annotated[
        str | None,
        typer.Option("--state-key", help="state.key (default landingzone/state.json)."),
    ] = None,
    access_role: Annotated[
        str,
        typer.Option("--access-role", help="The role lz assumes in member accounts."),
    ] = "OrganizationAccountAccessRole",
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write into a directory holding files lz import did not write, or over "
            "differences from an earlier import.",
        ),
    ] = False,
    no_state: Annotated[
        bool,
        typer.Option(
            "--no-state",
            help="Write the spec only; the first apply then adopts everything (and creates "
            "lz's state bucket and lock table).",
        ),
    ] = False,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> int:
    """Adopt a running organization: write its spec, lz's state and a report of what stays outside.

    Reads the organization from its management account (OUs, accounts with
    e-mails and tags, every Organizations policy type in use, their
    attachments) and writes OUT in the layout of the examples:
    `landingzone.yaml` (organization, units, state), `catalog/accounts/*.yaml`
    (accounts by top-level unit, adopted by `id:`), `catalog/policies.yaml` and
    `policies/*.json`, and `import-report.md`. Then it records everything in
    lz's state (creating lz's state bucket and lock table in the state account:
    the only writes to AWS), so the first `lz plan OUT` shows no changes.

    What another tool owns (Control Tower's `aws-guardrails-*` SCPs, StackSets)
    is written with `external: true`: lz reads it, never changes or deletes it;
    its roles, trails and stack sets are named in the report.
    A part AWS refuses to show is named in the report with the account and
    error code; the rest is still written.

    Running it again on an unchanged organization touches no file; on a changed
    one it shows what would change and exits 2, writing only with --force.

    Examples:

      lz import infra/landingzone --profile management --region eu-west-1

      lz import infra/landingzone --profile management --include roles,ci,network

      lz plan infra/landingzone --detailed-exitcode     # 0: nothing to change

    See docs/adopting.md (with and without Control Tower).
    """
    from landingzone.adopt.run import run_import

    mode.json = as_json
    home_region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    result = run_import(
        out,
        name=name,
        home_region=home_region or "us-east-1",
        profile=profile,
        endpoint_url=endpoint_url,
        include=[layer.strip() for layer in include.split(",") if layer.strip()],
        state_account=state_account,
        state_key=state_key,
        access_role=access_role,
        force=force,
        with_state=not no_state,
    )
    if as_json:
        emit_json(result.to_json())
    else:
        counts = ", ".join(f"{n} {what}" for what, n in result.layout.counts.items())
        err.print(f"lz import: {counts}")
        files = result.files
        if not result.written:
            err.print(
                f"{out}: the organization differs from the earlier import "
                f"({len(files.created)} new, {len(files.changed)} changed, "
                f"{len(files.removed)} removed); nothing written. Review, then pass --force:"
            )
            for line in result.diff:
                err.print(f"  {line}", markup=False, highlight=False)
            return EXIT_CHANGES
        if not (files.created or files.changed or files.removed):
            err.print(f"{out}: unchanged (no file touched)")
        else:
            err.print(
                f"{out}: {len(files.created)} created, {len(files.changed)} changed, "
                f"{len(files.removed)} removed, {len(files.unchanged)} unchanged"
            )
        if result.state is not None:
            state = result.state
            made = f"; created {', '.join(state.created)}" if state.created else ""
            err.print(
                f"state {state.location}: {state.adopted} recorded, "
                f"{state.forgotten} forgotten{made}"
            )
        outside = len(set(result.layout.notes))
        err.print(f"{outside} thing(s) left outside the spec: see {out / 'import-report.md'}")
    return EXIT_CHANGES if not result.written else EXIT_OK
