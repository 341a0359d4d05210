"""`lz export terraform`, `lz export ci`: hand the landing zone over to Terraform and CI.

The exporters are imported when a command runs, not when the CLI starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from landingzone.cli.app import app
from landingzone.cli.engine_commands import EndpointOpt, JsonOpt, ProfileOpt, open_spec
from landingzone.ui import emit_json, err, mode

if TYPE_CHECKING:
    from landingzone.export.writer import WriteReport

export_app = typer.Typer(
    help="Export the landing zone as Terraform root modules and CI pipelines.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")

OutArg = Annotated[Path, typer.Argument(help="Directory to write into (the repository root).")]
DirArg = Annotated[Path, typer.Argument(help="Spec directory (holds landingzone.yaml).")]


def _show_writes(report: WriteReport, out: Path) -> None:
    err.print(
        f"{out}: {len(report.created)} created, {len(report.changed)} changed, "
        f"{len(report.removed)} removed, {len(report.unchanged)} unchanged"
    )


@export_app.command("terraform")
def terraform_command(
    out: OutArg,
    directory: DirArg = Path("."),
    repo: Annotated[
        str | None,
        typer.Option(
            "--repo",
            help="Default tag Repo with --handover (default: the organization's Repo tag).",
        ),
    ] = None,
    handover: Annotated[
        bool,
        typer.Option(
            "--handover",
            help="Default tags ManagedBy=terraform, Environment, Stack, Repo: the plan retags "
            "everything and lz stops managing it. Without it the first plan changes no tag.",
        ),
    ] = False,
    provider_major: Annotated[
        int,
        typer.Option(
            "--provider-major",
            min=5,
            max=6,
            help="The hashicorp/aws major version to pin: 6 (~> 6.25) or 5 (~> 5.100).",
        ),
    ] = 6,
    endpoint_override: Annotated[
        str | None,
        typer.Option(
            "--endpoint-override",
            metavar="URL",
            help="Also write endpoint_override.tf in every root module: Terraform's provider, "
            "backend and remote state talk to URL (the emulator) instead of AWS.",
        ),
    ] = None,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write modules/, live/<account>-<region>/<stack>/ and bootstrap/ for Terraform.

    Reads the spec and lz's state (never writes AWS). Every root module gets
    backend.tf, provider.tf, versions.tf, terraform.tfvars and imports.tf with
    the real IDs of what lz created, so the first `terraform plan` creates
    nothing lz already made. Exporting again rewrites only what changed.

    Example: `lz export terraform ../infra examples/codewilling`; against the
    emulator: `lz export terraform ../infra examples/codewilling
    --endpoint-override "$AWS_ENDPOINT_URL"`.
    """
    from landingzone.export.inventory import inventory_of
    from landingzone.export.stacks import Target
    from landingzone.export.terraform import build_estate
    from landingzone.export.writer import write_tree

    mode.json = as_json
    ws = open_spec(directory, profile, endpoint_url)
    target = Target(provider_major=provider_major, endpoint=endpoint_override, handover=handover)
    estate = build_estate(inventory_of(ws, repo), target)
    report = write_tree(out, estate.files, "terraform")
    if as_json:
        emit_json(
            {
                "files": report.to_json(),
                "stacks": [root.stack.path for root in estate.roots],
                "imports": estate.imports,
                "not_applied": [{"stack": s, "resource": r} for s, r in estate.pending],
                "not_exported_kinds": estate.unexported,
            }
        )
        return
    err.print("Stacks, in the order a first apply takes (each after the stacks it reads):")
    for root in estate.roots:
        imports = sum(len(p.imports) for p in root.parts)
        err.print(f"  {root.stack.path}: {', '.join(root.modules)} ({imports} imports)")
    _show_writes(report, out)
    if estate.pending:
        err.print(
            "[yellow]Not applied by lz yet[/] (exported without an import block; "
            "Terraform will create them):"
        )
        for stack, item in estate.pending:
            err.print(f"  {stack}: {item}")
    if estate.unexported:
        err.print(
            f"[yellow]Not exported[/] (no exporter yet): kinds {', '.join(estate.unexported)}"
        )


@export_app.command("ci")
def ci_command(
    out: OutArg,
    github: Annotated[
        bool,
        typer.Option(
            "--github/--gitlab",
            help="GitHub Actions workflows, or a GitLab CI pipeline.",
            show_default=False,
        ),
    ],
    directory: DirArg = Path("."),
    branch: Annotated[
        str | None,
        typer.Option(
            "--branch",
            help="The branch applies run on (default: ci.pipeline's branch, else main).",
        ),
    ] = None,
    profile: ProfileOpt = None,
    endpoint_url: EndpointOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write CI pipelines for the stacks `lz export terraform` writes.

    Plans run for pull (merge) requests, only for stacks whose directory or
    modules changed; applies run on the main branch, prod-like environments
    only after an approval. CI authenticates with OIDC: no long-lived keys.
    With `ci.pipeline` in the spec, each stack's jobs use its own account's
    deploy roles (read-only plan roles for pull requests), each environment
    applies from its own branch, and `.github/lz-environments.sh` (GitLab:
    `.gitlab/lz-environments.sh`) sets up the environments through the API.

    Example: `lz export ci ../infra examples/codewilling --github`
    """
    from landingzone.export.ci import protected_environments
    from landingzone.export.environments import GITHUB_SCRIPT, GITLAB_SCRIPT
    from landingzone.export.pipelines import ci_files
    from landingzone.export.writer import write_tree

    mode.json = as_json
    ws = open_spec(directory, profile, endpoint_url)
    stacks, files = ci_files(ws, "github" if github else "gitlab", branch)
    report = write_tree(out, files, "ci")
    if as_json:
        emit_json(
            {
                "files": report.to_json(),
                "stacks": [s.path for s in stacks],
                "roles": {s.path: s.roles.to_json() for s in stacks},
            }
        )
        return
    for stack in stacks:
        where = " (in the stack's account)" if stack.roles.in_account else ""
        err.print(
            f"  {stack.path}: environment {stack.environment}, branch {stack.branch}, "
            f"plan role {stack.roles.plan}, apply role {stack.roles.apply}{where}"
        )
    _show_writes(report, out)
    protected = protected_environments(stacks)
    script = GITHUB_SCRIPT if github else GITLAB_SCRIPT
    err.print(
        f"Set up the environments ({', '.join(protected) or 'none'} protected) once, as a "
        f"repository administrator: bash {out / script} "
        f"({'gh auth login or GH_TOKEN' if github else 'GITLAB_TOKEN'} from your environment)."
    )
