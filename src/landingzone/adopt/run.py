"""The sequence of `lz import`: read, lay out, check OUT_DIR, write, record in state."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landingzone.adopt.baselines import Assigned, assign
from landingzone.adopt.ci import ci_section
from landingzone.adopt.control_tower import recognise
from landingzone.adopt.layout import (
    DEFAULT_ACCESS_ROLE,
    ROLES_FILE,
    Layout,
    Options,
    account_keys,
    lay_out,
    slug,
)
from landingzone.adopt.members import Findings, key_alias, read_accounts
from landingzone.adopt.network_links import NetworkImport, network_import
from landingzone.adopt.network_links import refused as refused_networks
from landingzone.adopt.network_read import read_networks
from landingzone.adopt.output import (
    PRODUCT,
    diff_lines,
    foreign_files,
    preview,
    spec_problems,
    write,
)
from landingzone.adopt.read import ORGANIZATION_READS, LiveOrg, read_organization
from landingzone.adopt.report import (
    NOT_EXPRESSIBLE,
    NOT_YET,
    OWNED,
    REPORT_FILE,
    Note,
    render_report,
)
from landingzone.adopt.roles import role_entries
from landingzone.adopt.state import StateWritten, adopt_into_state, trial_changes
from landingzone.adopt.trails import (
    ARCHIVE_KINDS,
    ArchiveTrial,
    LiveRecorder,
    LiveTrail,
    archive_settings,
)
from landingzone.aws.context import Context, Settings
from landingzone.aws.session import Sessions, choose_credentials
from landingzone.errors import LzError
from landingzone.export.writer import WriteReport, written_by
from landingzone.nodes import MANAGEMENT

LAYERS = ("org", "baselines", "roles", "ci", "network")
# Layers written into the spec as a whole (the rest: in part, or listed).
WRITTEN = {"roles", "ci", "network", "baselines"}
# What each optional layer will hold, for the report while it is not imported.
_LATER = {
    "baselines": "baseline settings (written as profiles to catalog/baselines.yaml): password "
    "policy, alias, EBS encryption, S3 Block Public Access, GuardDuty, budgets, and trails and "
    "Config recorders with their log archive",
    "roles": "cross-account IAM roles (written to catalog/roles.yaml)",
    "ci": "OIDC providers and CI deploy roles (written to catalog/ci.yaml)",
    "network": "VPCs, peerings, transit gateways and private hosted zones (written to "
    "catalog/network.yaml)",
}
NAME_LENGTH = 30  # `{name}-landingzone-state` stays within S3's 63 characters
MAX_VALIDATIONS = 3  # refused roles dropped, then the rest validated again
_ROLE_KEY = re.compile(r"^  (\S.*):\s*$")  # a role's key in catalog/roles.yaml


@dataclass
class ImportResult:
    """What one `lz import` did."""

    out: Path
    layout: Layout
    files: WriteReport
    written: bool  # False: differences found and not written (no --force)
    diff: list[str] = field(default_factory=list)
    state: StateWritten | None = None
    read_calls: int = 0

    def to_json(self) -> dict[str, object]:
        """The summary for `--json`."""
        return {
            "out": str(self.out),
            "written": self.written,
            "counts": self.layout.counts,
            "files": self.files.to_json(),
            "outside": [
                {"section": n.section, "what": n.what, "why": n.why}
                for n in sorted(set(self.layout.notes))
            ],
            "state": None
            if self.state is None
            else {
                "location": self.state.location,
                "adopted": self.state.adopted,
                "forgotten": self.state.forgotten,
                "created": self.state.created,
            },
            "api_calls": {
                "read": self.read_calls,
                "state": self.state.api_calls if self.state else 0,
            },
        }


def run_import(
    out: Path,
    *,
    name: str | None,
    home_region: str,
    profile: str | None,
    endpoint_url: str | None,
    include: Iterable[str] = ("org",),
    state_account: str = MANAGEMENT,
    state_key: str | None = None,
    access_role: str = DEFAULT_ACCESS_ROLE,
    force: bool = False,
    with_state: bool = True,
) -> ImportResult:
    """Import the organization the credentials manage into `out` (see `lz import --help`)."""
    layers = set(include) | {"org"}
    unknown = sorted(layers - set(LAYERS))
    if unknown:
        raise LzError(
            f"--include: unknown layer {', '.join(unknown)} (layers: {', '.join(LAYERS)})"
        )
    foreign = foreign_files(out)
    if foreign and not force:
        listed = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise LzError(
            f"{out} holds files lz import did not write ({listed}): another spec, or one edited "
            "since. Import into a new directory, or pass --force to write lz's files beside them "
            "(lz never removes a file it did not write)"
        )

    sessions = Sessions(
        credentials=choose_credentials(profile, None),
        home_region=home_region,
        access_role=access_role,
        endpoint_url=endpoint_url,
    )
    identity = sessions.identity()
    ctx = Context(
        sessions=sessions,
        settings=Settings(org=name or "import", home_region=home_region, access_role=access_role),
    )
    live = read_organization(ctx)
    snap = live.snap
    if snap.management_account_id != identity["Account"]:
        raise LzError(
            f"these credentials belong to account {identity['Account']}, a member of "
            f"organization {snap.org_id}; lz import reads the organization from its management "
            f"account ({snap.management_account_id})"
        )
    tower = recognise(ctx, live, home_region)
    live.external = set(tower.external)
    management = snap.accounts.get(identity["Account"])
    org_name = name or slug(management.name if management else "organization")[:NAME_LENGTH]
    options = Options(
        name=org_name,
        home_region=home_region,
        profile=profile,
        state_account=state_account,
        state_key=state_key,
        access_role=access_role,
    )
    keys = {**account_keys(live), identity["Account"]: MANAGEMENT}
    active = [
        (key, account_id)
        for account_id, key in keys.items()
        if snap.accounts[account_id].status == "ACTIVE"
    ]
    found = read_accounts(sessions, active, layers, home_region, access_role)
    roles, refused = role_entries(found.roles, keys)
    ci, ci_notes = ci_section(found.ci_roles, found.providers)
    units = {
        key: snap.path_of(snap.accounts[account_id].parent_id)
        for account_id, key in keys.items()
        if key != MANAGEMENT
    }
    # Control Tower keeps the baseline of the accounts it set up: none is imported for them.
    theirs = {keys[a] for a in live.external if a in keys}
    settings = [s for s in found.settings if s.account not in theirs]
    baselines = assign(settings, units) if "baselines" in layers else None
    net = NetworkImport()
    if "network" in layers:
        net = network_import(read_networks(ctx, active, home_region))
    layout = _accepted_layout(live, options, roles, refused, baselines, ci, net.sections)
    network_refused = refused_networks(layout.files) if net.sections else None
    if network_refused:  # none written, and said why
        why_not = f"lz validate refuses them ({network_refused}); none written, left as they are"
        net = NetworkImport(notes=[*net.notes, Note(NOT_EXPRESSIBLE, "the networks read", why_not)])
        layout = _accepted_layout(live, options, roles, refused, baselines, ci, {})
    if "baselines" in layers:
        trial = _with_log_archive(found, theirs, keys, sessions, ctx)
        baselines = assign(trial.merged(settings), units)
        baselines.log_archive = trial.log_archive
        if trial.log_archive is not None:
            tried = _accepted_layout(live, options, roles, [], baselines, ci, net.sections)
            changes = trial_changes(
                tried.files,
                ARCHIVE_KINDS,
                profile=profile,
                endpoint_url=endpoint_url,
                reads=ctx.cached_under(ORGANIZATION_READS),
            )
            if changes:
                trial.refuse(changes)
            else:
                layout = tried
        refused += trial.notes
    layout.counts.update(net.counts if "network" in layers else {})
    layout.notes += found.notes + refused + ci_notes + net.notes + tower.notes
    regional = sorted(layers & {"baselines", "network"})
    if regional:  # what other regions hold is not read: said, not dropped silently
        layout.notes.append(
            Note(
                NOT_YET,
                "regions other than " + home_region,
                f"the {' and '.join(regional)} layers read {home_region} only; what other "
                "regions hold is not read (`lz import --region REGION` into another directory "
                "lists it)",
            )
        )
    layout.notes += [
        Note(
            NOT_YET,
            f"the {layer} layer",
            f"{_LATER[layer]}: "
            + (
                "read; what was found is listed in this report, not yet written into the spec"
                if layer in layers
                else f"not read (`--include {layer}` lists what exists)"
            ),
        )
        for layer in LAYERS
        if layer != "org" and not (layer in WRITTEN and layer in layers)
    ]
    header = {
        "organization": f"{snap.org_id} (lz name: {org_name})",
        "management account": str(snap.management_account_id),
        "home region": home_region,
        "Control Tower": tower.summary,
        "layers asked for": ", ".join(sorted(layers)),
    }
    files = {**layout.files, REPORT_FILE: render_report(header, layout.counts, layout.notes)}
    result = ImportResult(out, layout, preview(out, files), written=False, read_calls=0)
    result.read_calls = sessions.counter.total
    earlier = bool(written_by(out, PRODUCT))
    changed = result.files.created or result.files.changed or result.files.removed
    if earlier and changed and not force:
        result.diff = diff_lines(out, files, result.files)
        return result
    result.files = write(out, files)
    result.written = True
    if with_state:
        result.state = adopt_into_state(
            out,
            profile=profile,
            endpoint_url=endpoint_url,
            reads=ctx.cached_under(ORGANIZATION_READS),
            known=net.known,
        )
    return result


def _with_log_archive(
    found: Findings, theirs: set[str], keys: dict[str, str], sessions: Sessions, ctx: Context
) -> ArchiveTrial:
    """The trails and recorders as settings with their log archive (`adopt/trails.py`),
    those in accounts Control Tower set up named as its own."""
    trails = [t for t in found.trails if t.account not in theirs]
    recorders = [r for r in found.recorders if r.account not in theirs]
    every: list[LiveTrail | LiveRecorder] = [*found.trails, *found.recorders]
    notes = [
        Note(OWNED, item.label, "in an account Control Tower set up: left to it")
        for item in every
        if item.account in theirs
    ]
    region = ctx.settings.home_region
    archive = archive_settings(
        trails, recorders, keys, functools.partial(key_alias, sessions, region)
    )
    return ArchiveTrial(archive, notes)


def _accepted_layout(
    live: LiveOrg,
    options: Options,
    roles: dict[str, dict[str, Any]],
    notes: list[Note],
    baselines: Assigned | None,
    ci: dict[str, Any],
    network: dict[str, Any],
) -> Layout:
    """The layout, without the roles whose shape lz refuses (`lz validate`'s IAM rules:
    a role trusted by "*", an inline policy changing anything anywhere); those are
    named in `notes` with the rule."""
    for _ in range(MAX_VALIDATIONS):
        layout = lay_out(live, options, roles, baselines, ci, network)
        refused = _refused_roles(layout.files) if roles else {}
        if not refused:
            return layout
        for key, message in sorted(refused.items()):
            notes.append(
                Note(NOT_EXPRESSIBLE, f"role {key} ({ROLES_FILE})", f"lz refuses it: {message}")
            )
            roles.pop(key, None)
    return lay_out(live, options, {}, baselines, {}, network)


def _refused_roles(files: dict[str, str]) -> dict[str, str]:
    """Roles of catalog/roles.yaml that `lz validate` refuses, with its first message."""
    problems = spec_problems(files)
    if not problems:
        return {}
    starts = [
        (number, match.group(1).strip("'\""))
        for number, line in enumerate(files[ROLES_FILE].splitlines(), 1)
        if (match := _ROLE_KEY.match(line))
    ]
    refused: dict[str, str] = {}
    for problem in problems:
        where = problem.location
        if where is None or where.file != ROLES_FILE:
            continue
        key = next((k for n, k in reversed(starts) if n <= where.line), None)
        if key is not None:
            refused.setdefault(key, problem.message)
    return refused
