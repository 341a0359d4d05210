"""The organization view: the OU tree with its accounts, the policies attached at each level,
baseline profiles, and protected accounts marked.

Built from node-shaped records (`access/records.py`): the spec's graph
offline, or what a refresh found with `--live`, so both look the same. The
spec adds what only it knows: which accounts are protected and which
baseline profile each gets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from landingzone.access.records import Record
from landingzone.graph.organization import is_protected
from landingzone.nodes import MANAGEMENT
from landingzone.resources.org_snapshot import FULL_AWS_ACCESS, SCP
from landingzone.spec.baseline_resolution import assignment
from landingzone.spec.baselines import NO_BASELINE
from landingzone.spec.schema import Spec
from landingzone.spec.units import parents
from landingzone.views.diagram import Details, Diagram, Group, Item

ROOT = "root"

# How policy types are named in pictures (AWS's type names are long).
POLICY_TYPE_NAMES = {
    SCP: "SCP",
    "RESOURCE_CONTROL_POLICY": "RCP",
    "TAG_POLICY": "tag policy",
    "BACKUP_POLICY": "backup policy",
    "AISERVICES_OPT_OUT_POLICY": "AI opt-out policy",
    "CHATBOT_POLICY": "chatbot policy",
    "DECLARATIVE_POLICY_EC2": "declarative policy",
}


def policy_lines(names: Iterable[str], types: Mapping[str, str]) -> tuple[str, ...]:
    """`SCP: a, b` (one line per policy type) for the policies attached at one level."""
    by_type: dict[str, list[str]] = {}
    for name in names:
        if name == FULL_AWS_ACCESS:
            continue  # attached everywhere by AWS: saying so at every level is noise
        kind = types.get(name, SCP)
        by_type.setdefault(POLICY_TYPE_NAMES.get(kind, kind), []).append(name)
    return tuple(f"{kind}: {', '.join(sorted(found))}" for kind, found in sorted(by_type.items()))


def _baseline(spec: Spec, account: str) -> tuple[str, str]:
    """The account's baseline profile and where it comes from."""
    found = assignment(spec, account)
    if found is None or found.profile == NO_BASELINE:
        return "none", ".".join(map(str, found.path)) if found else "nothing assigns one"
    return found.profile, ".".join(map(str, found.path))


def _rows(rows: Sequence[tuple[str, Any]]) -> Details:
    return tuple((label, str(value)) for label, value in rows if value not in (None, "", [], {}))


def _tags(tags: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(tags.items()))


def org_diagram(spec: Spec, records: Iterable[Record], *, source: str) -> Diagram:
    """The OU tree of `records` (offline: the spec's graph; live: what exists)."""
    found = list(records)
    types = {
        str(r.attrs.get("name", "")): str(r.attrs.get("type", SCP))
        for r in found
        if r.kind == "policy"
    }
    root = next((r for r in found if r.kind == "root"), None)
    units = sorted(
        (r for r in found if r.kind == "unit"),
        key=lambda r: (str(r.attrs["path"]).count("/"), str(r.attrs["path"])),
    )
    accounts = sorted((r for r in found if r.kind == "account"), key=lambda r: r.address)
    org = spec.organization
    diagram = Diagram("org", f"Organization {org.name} ({source})")
    root_policies = list(root.attrs.get("policies", ())) if root else list(org.policies)
    diagram.groups.append(
        Group(
            ROOT,
            f"Root: {org.name}",
            "root",
            lines=policy_lines(root_policies, types)
            + ((f"baseline: {org.baseline}",) if org.baseline else ()),
            details=_rows(
                [
                    ("home region", org.home_region),
                    ("policies", ", ".join(root_policies)),
                    ("baseline", org.baseline),
                    ("tags", _tags(org.tags)),
                ]
            ),
        )
    )
    unit_policies = {str(r.attrs["path"]): list(r.attrs.get("policies", ())) for r in units}
    for record in units:
        path = str(record.attrs["path"])
        parent = path.rpartition("/")[0]
        spec_unit = spec.units.get(path)
        policies = list(record.attrs.get("policies", ()))
        baseline = spec_unit.baseline if spec_unit else None
        diagram.groups.append(
            Group(
                f"unit:{path}",
                f"OU {path.rpartition('/')[2]}",
                "unit",
                parent=f"unit:{parent}" if parent in unit_policies else ROOT,
                lines=policy_lines(policies, types)
                + ((f"baseline: {baseline}",) if baseline else ()),
                details=_rows(
                    [
                        ("path", path),
                        ("id", record.id),
                        ("policies", ", ".join(policies)),
                        ("baseline", baseline),
                        ("tags", _tags(record.attrs.get("tags") or {})),
                    ]
                ),
            )
        )
    diagram.items.append(
        Item(
            f"account:{MANAGEMENT}",
            "management",
            "account",
            group=ROOT,
            lines=(
                "management account",
                *([org.management_account_id] if org.management_account_id else []),
            ),
            details=_rows(
                [
                    ("role", "the organization's management account (SCPs do not apply)"),
                    ("id", org.management_account_id),
                ]
            ),
            flags=frozenset({"management"}),
        )
    )
    for record in accounts:
        diagram.items.append(_account(spec, record, types, unit_policies, root_policies))
    return diagram


def _account(
    spec: Spec,
    record: Record,
    types: Mapping[str, str],
    unit_policies: Mapping[str, list[str]],
    root_policies: list[str],
) -> Item:
    name = record.address.split(":", 1)[1]
    attrs = record.attrs
    unit = str(attrs.get("unit") or "")
    policies = list(attrs.get("policies", ()))
    spec_account = spec.accounts.get(name)
    protected = spec_account is not None and is_protected(name, spec_account)
    profile, assigned = _baseline(spec, name) if spec_account else ("unknown", "")
    chain = [f"root: {', '.join(root_policies) or '-'}"]
    for path in [*parents(unit), unit] if unit else []:
        chain.append(f"OU {path}: {', '.join(unit_policies.get(path, [])) or '-'}")
    chain.append(f"account: {', '.join(policies) or '-'}")
    lines = [*([record.id] if record.id else []), *policy_lines(policies, types)]
    lines.append(f"baseline: {profile}")
    if protected:
        lines.append("protected")
    return Item(
        record.address,
        str(attrs.get("name") or name),
        "account",
        group=f"unit:{unit}" if unit in unit_policies else ROOT,
        lines=tuple(lines),
        details=_rows(
            [
                ("account", name),
                ("id", record.id),
                ("email", attrs.get("email")),
                ("unit", unit or "(root)"),
                ("policies", ", ".join(policies)),
                ("SCP chain", " → ".join(chain)),
                ("baseline", f"{profile} ({assigned})" if assigned else profile),
                ("protected", "yes: changes need an explicit approval" if protected else "no"),
                ("alias", spec_account.alias if spec_account else None),
                ("regions", ", ".join(spec_account.regions or []) if spec_account else None),
                ("tags", _tags(attrs.get("tags") or {})),
            ]
        ),
        flags=frozenset({"protected"}) if protected else frozenset(),
    )
