"""A live organization as a spec directory, in the layout the examples use.

    landingzone.yaml            organization, units (the OU tree), state
    catalog/accounts/UNIT.yaml  accounts, one file per top-level unit (root.yaml: under the root)
    catalog/policies.yaml       every Organizations policy, by name, with its type
    catalog/roles.yaml          cross-account roles (`--include roles`)
    catalog/baselines.yaml      baseline profiles (`--include baselines`)
    catalog/ci.yaml             OIDC providers and CI deploy roles (`--include ci`)
    catalog/network.yaml        networks, peerings, transit gateways, private zones
                                (`--include network`: adopt/network_links.py)
    policies/NAME.json          each policy's document, as AWS holds it
    import-report.md            what stays outside, and why (adopt/report.py)

Everything is sorted (units by path, accounts by key, policies by name, tags
by key) and written the same way every time, so an import of an unchanged
organization gives the same bytes. Accounts are adopted by `id:`. lz's own
tags (ManagedBy, CreatedBy) and AWS's (`aws:*`) are not written: lz sets the
first, nobody sets the others.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from landingzone.access.org_policy_types import BY_AWS_TYPE
from landingzone.adopt.baselines import Assigned
from landingzone.adopt.owners import owner_of, why
from landingzone.adopt.read import LiveOrg
from landingzone.adopt.report import NOT_EXPRESSIBLE, OWNED, UNREADABLE, Note
from landingzone.nodes import CREATED_BY_KEY, MANAGED_BY_KEY, MANAGEMENT
from landingzone.resources.org_snapshot import OrgPolicy

DEFAULT_ACCESS_ROLE = "OrganizationAccountAccessRole"
ROLES_FILE = "catalog/roles.yaml"
BASELINES_FILE = "catalog/baselines.yaml"
CI_FILE = "catalog/ci.yaml"
NETWORK_FILE = "catalog/network.yaml"
SHORT = 40  # a map whose values are no longer than this is written on one line
_LZ_TAGS = {MANAGED_BY_KEY, CREATED_BY_KEY}


@dataclass(frozen=True)
class Options:
    """What the spec says that AWS does not: lz's name for the organization and where lz works."""

    name: str
    home_region: str
    profile: str | None = None
    state_account: str = MANAGEMENT
    state_key: str | None = None  # default: the spec's (landingzone/state.json)
    access_role: str = DEFAULT_ACCESS_ROLE


@dataclass
class Layout:
    """The files of the spec (relative path -> text), the report's notes and the counts."""

    files: dict[str, str] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def slug(text: str) -> str:
    """A file name or key made of `a-z0-9-` (`Log Archive` -> `log-archive`)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def spec_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags a spec holds, sorted: not lz's own, not AWS's (`aws:*`)."""
    return {k: v for k, v in sorted(tags.items()) if k not in _LZ_TAGS and not k.startswith("aws:")}


def lay_out(
    live: LiveOrg,
    options: Options,
    roles: dict[str, dict[str, Any]] | None = None,
    baselines: Assigned | None = None,
    ci: dict[str, Any] | None = None,
    network: dict[str, Any] | None = None,
) -> Layout:
    """The spec directory for what was read (see the module docstring); `roles` is the
    `roles` section (`adopt/roles.py`), written to catalog/roles.yaml; `baselines` the
    profiles and their assignment (`adopt/baselines.py`), to catalog/baselines.yaml;
    `network` the networking sections (`adopt/network_links.py`), to catalog/network.yaml."""
    out = Layout()
    assigned = baselines or Assigned()
    snap = live.snap
    policies = _policies(live, out)
    keys = account_keys(live)

    def attached(target_id: str) -> list[str]:
        names = {snap.policies[p].name for p in snap.attached.get(target_id, ())}
        return sorted(n for n in names if n in policies)

    def own_tags(resource_id: str) -> dict[str, str]:
        return spec_tags(live.tags.get(resource_id, {}))

    organization: dict[str, Any] = {
        "name": options.name,
        "home_region": options.home_region,
        "management_account_id": snap.management_account_id,
    }
    if options.profile:
        organization["profile"] = options.profile
    if options.access_role != DEFAULT_ACCESS_ROLE:
        organization["access_role"] = options.access_role
    if snap.root_id and attached(snap.root_id):
        organization["policies"] = _flow(attached(snap.root_id))
    if assigned.organization:
        organization["baseline"] = assigned.organization
    if snap.feature_set != "ALL":
        out.notes.append(
            Note(
                NOT_EXPRESSIBLE,
                f"feature set {snap.feature_set}",
                "lz needs all features (EnableAllFeatures, accepted by every member); "
                "until then the first plan shows this one change",
            )
        )

    units: dict[str, Any] = {}
    for unit in sorted(snap.units.values(), key=lambda u: u.path):
        entry: dict[str, Any] = {}
        if attached(unit.id):
            entry["policies"] = _flow(attached(unit.id))
        if own_tags(unit.id):
            entry["tags"] = _flow_map(own_tags(unit.id))
        if unit.path in assigned.units:
            entry["baseline"] = assigned.units[unit.path]
        if "/" in unit.name:
            out.notes.append(
                Note(NOT_EXPRESSIBLE, f"unit {unit.path}", 'its name holds "/", a path separator')
            )
            continue
        units[unit.path] = entry

    by_file: dict[str, dict[str, Any]] = {}
    files_of_tops = _account_files(snap.units.values())
    for account_id, key in sorted(keys.items(), key=lambda item: item[1]):
        account = snap.accounts[account_id]
        unit_path = snap.path_of(account.parent_id)
        entry = {"id": account.id, "email": account.email}
        if key != account.name:
            entry["name"] = account.name
        if unit_path:
            entry["unit"] = unit_path
        if own_tags(account.id):
            entry["tags"] = _flow_map(own_tags(account.id))
        if attached(account.id):
            entry["policies"] = _flow(attached(account.id))
        if key in assigned.accounts:
            entry["baseline"] = assigned.accounts[key]
        if account.status != "ACTIVE":
            out.notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    f"account {key} ({account.id}) is {account.status}",
                    "kept in the spec as a member; lz does not reopen or close it",
                )
            )
        top = unit_path.split("/")[0] if unit_path else ""
        by_file.setdefault(files_of_tops[top], {})[key] = entry
    _management_notes(live, out, attached, own_tags)

    accounts_files = sorted(by_file)
    imports = [f for f in ("catalog/policies.yaml",) if policies] + accounts_files
    if assigned.profiles:
        imports.append(BASELINES_FILE)
        out.files[BASELINES_FILE] = _yaml(
            {"baselines": {"profiles": assigned.profiles}},
            "# Baseline settings found in the accounts, one profile per distinct set\n"
            "# (`lz import --include baselines`); who has which is in the units and accounts.\n",
        )
    if ci:
        imports.append(CI_FILE)
        out.files[CI_FILE] = _yaml(
            {"ci": ci},
            "# OIDC providers and the CI roles that trust them (`lz import --include ci`).\n",
        )
    if network:
        imports.append(NETWORK_FILE)
        out.files[NETWORK_FILE] = _yaml(
            _flow_leaves(network),
            "# Networks, peerings, transit gateways and private zones, as they exist\n"
            "# (`lz import --include network`).\n",
        )
    if roles:
        imports.append(ROLES_FILE)
        out.files[ROLES_FILE] = _yaml(
            {"roles": roles},
            "# Cross-account roles, as they exist (`lz import --include roles`).\n",
        )
    root: dict[str, Any] = {}
    if imports:
        root["import"] = imports
    root["organization"] = organization
    if units:
        root["units"] = units
    root["state"] = {"account": options.state_account}
    if options.state_key:
        root["state"]["key"] = options.state_key
    out.files["landingzone.yaml"] = _yaml(
        root,
        f"# The organization {snap.org_id} (management account {snap.management_account_id}),\n"
        "# written by `lz import`. Edit it and run `lz plan` as usual; import-report.md\n"
        "# names what stays outside the spec, and why.\n",
    )
    for path in accounts_files:
        out.files[path] = _yaml({"accounts": by_file[path]}, "# Accounts, by unit.\n")
    if policies:
        out.files.update(_policy_files(policies))
    out.notes.extend(
        Note(UNREADABLE, skipped.what, skipped.line.split(": ", 1)[-1]) for skipped in live.skipped
    )
    out.counts = {
        "units": len(units),
        "accounts": len(keys),
        "policies": len(policies),
        "external": sum(1 for name in policies if owner_of(name)),
        "roles": len(roles or {}),
        "baseline profiles": len(assigned.profiles),
        "deploy roles": len((ci or {}).get("deploy_roles", {})),
    }
    return out


def _policy_files(policies: Mapping[str, tuple[OrgPolicy, str]]) -> dict[str, str]:
    """catalog/policies.yaml and one JSON document per policy under policies/."""
    files: dict[str, str] = {}
    catalog: dict[str, Any] = {}
    for name, (policy, file_name) in sorted(policies.items()):
        spec_type = BY_AWS_TYPE[policy.type].key
        entry: dict[str, Any] = {} if spec_type == "service_control" else {"type": spec_type}
        if policy.description:
            entry["description"] = policy.description
        entry["file"] = f"../policies/{file_name}"
        if owner_of(name):
            entry["external"] = True
        catalog[name] = entry
        files[f"policies/{file_name}"] = (
            json.dumps(policy.document, indent=2, ensure_ascii=False) + "\n"
        )
    files["catalog/policies.yaml"] = _yaml(
        {"policies": catalog},
        "# Every Organizations policy, by name; `type` is service_control unless it says\n"
        "# otherwise. `external: true`: owned by another tool, never changed by lz.\n",
    )
    return files


def _policies(live: LiveOrg, out: Layout) -> dict[str, tuple[OrgPolicy, str]]:
    """The policies the spec declares, by name, with their JSON file's name."""
    snap = live.snap
    chosen: dict[str, tuple[OrgPolicy, str]] = {}
    taken: set[str] = set()
    for policy in sorted(snap.policies.values(), key=lambda p: (p.name, p.id)):
        if policy.aws_managed or policy.id in live.unreadable_policies:
            continue
        if policy.type not in BY_AWS_TYPE:
            out.notes.append(
                Note(NOT_EXPRESSIBLE, f"policy {policy.name}", f"type {policy.type} has no spec")
            )
            continue
        if policy.name in chosen:
            out.notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    f"policy {policy.name} ({policy.id}, {policy.type})",
                    "another policy has the same name; the spec keys policies by name",
                )
            )
            continue
        file_name = _unique(slug(policy.name), taken) + ".json"
        chosen[policy.name] = (policy, file_name)
        owner = owner_of(policy.name)
        if owner:
            out.notes.append(Note(OWNED, f"policy {policy.name}", why(owner)))
        tags = spec_tags(live.tags.get(policy.id, {}))
        if tags:
            out.notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    f"tags of policy {policy.name}",
                    f"{_inline(tags)}: the spec has no per-policy tags; lz leaves them as they are",
                )
            )
    return chosen


def account_keys(live: LiveOrg) -> dict[str, str]:
    """Every member account's key in the spec (its name made a slug), by account ID."""
    snap = live.snap
    taken = {MANAGEMENT}
    keys: dict[str, str] = {}
    members = [a for a in snap.accounts.values() if a.id != snap.management_account_id]
    for account in sorted(members, key=lambda a: (a.name, a.id)):
        wanted = account.name if account.name == slug(account.name) else slug(account.name)
        keys[account.id] = _unique(wanted, taken, suffix=account.id[-4:])
    return keys


def _account_files(units: Any) -> dict[str, str]:
    """The accounts file of each top-level unit ("" is the root)."""
    tops = sorted({u.path.split("/")[0] for u in units})
    taken: set[str] = set()
    files = {"": f"catalog/accounts/{_unique('root', taken)}.yaml"}
    for top in tops:
        files[top] = f"catalog/accounts/{_unique(slug(top), taken)}.yaml"
    return files


def _management_notes(live: LiveOrg, out: Layout, attached: Any, own_tags: Any) -> None:
    """The management account is `management` in the spec: its tags and policies stay outside."""
    management = live.snap.management_account_id
    if management is None:
        return
    if own_tags(management):
        out.notes.append(
            Note(
                NOT_EXPRESSIBLE,
                f"tags of the management account ({management})",
                f"{_inline(own_tags(management))}: the spec has no management account entry",
            )
        )
    if attached(management):
        out.notes.append(
            Note(
                NOT_EXPRESSIBLE,
                f"policies attached to the management account ({management})",
                f"{', '.join(attached(management))}: the spec attaches policies to member accounts "
                "only (SCPs never restrict the management account); lz leaves them attached",
            )
        )


def _unique(wanted: str, taken: set[str], suffix: str = "") -> str:
    """`wanted`, or `wanted-SUFFIX` / `wanted-2`... if taken; the result is taken from then on."""
    candidate, n = wanted, 2
    if candidate in taken and suffix:
        candidate = f"{wanted}-{suffix}"
    while candidate in taken:
        candidate, n = f"{wanted}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _inline(tags: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(tags.items()))


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _flow_map(items: Mapping[str, str]) -> CommentedMap:
    mapping = CommentedMap(items)
    if len(items) <= 4:
        mapping.fa.set_flow_style()
    return mapping


def _flow_leaves(value: Any) -> Any:
    """Lists of names and small maps of plain values in flow style (`tiers: [private]`,
    `requester: {network: dev, tiers: [private]}`), as the examples write them."""
    if isinstance(value, list) and _flat(value):
        return _flow(value)
    if not isinstance(value, dict):
        return value
    short = all(len(str(v)) <= SHORT for v in value.values() if not isinstance(v, list))
    if value and len(value) <= 4 and short and all(_flat([v]) or _flat(v) for v in value.values()):
        mapping = CommentedMap((k, _flow_leaves(v)) for k, v in value.items())
        mapping.fa.set_flow_style()
        return mapping
    return {k: _flow_leaves(v) for k, v in value.items()}


def _flat(items: Any) -> bool:
    """A list of plain values (no maps, no lists)."""
    return isinstance(items, list) and not any(isinstance(v, dict | list) for v in items)


def _yaml(data: Mapping[str, Any], header: str) -> str:
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    yaml.dump(_plain(data), stream)
    return header + stream.getvalue()


def _plain(value: Any) -> Any:
    """Dicts as ordered maps (flow-styled leaves kept) for the dumper."""
    if isinstance(value, CommentedMap | CommentedSeq):
        return value
    if isinstance(value, dict):
        return CommentedMap((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_plain(v) for v in value)
    return value
