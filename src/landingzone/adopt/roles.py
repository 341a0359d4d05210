"""Cross-account IAM roles as entries of the spec's `roles` section.

A role is written when every statement of its trust policy is one lz can
write back the same: `Allow` `sts:AssumeRole` to account roots, role ARNs or
service principals, with any `Condition` (kept raw), no `Sid`. A role that
exists the same way (name, path, trust, policies) in several accounts
becomes one entry deployed to all of them. A role another tool owns (Control
Tower, StackSets: `adopt/owners.py`) is written the same way with
`external: true`: lz reads it and never creates, changes or deletes it.
Anything else (a trust lz cannot express, an `lz-` inline policy) is named in
the report with the reason, and stays as it is in AWS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from landingzone.adopt.owners import why
from landingzone.adopt.report import NOT_EXPRESSIBLE, OWNED, Note

ROLES_FILE = "catalog/roles.yaml"
ROOT_SUFFIX = ":root"
DEFAULT_MAX_SESSION = 3600
_LZ_PREFIX = "lz-"


@dataclass(frozen=True)
class LiveRole:
    """A role as IAM describes it (GetAccountAuthorizationDetails and ListRoles)."""

    account: str  # the account's key in the spec, or `management`
    account_id: str
    name: str
    path: str
    description: str
    trust: Mapping[str, Any]
    managed_policies: tuple[str, ...]
    inline_policies: Mapping[str, Any]
    permissions_boundary: str | None
    max_session_duration: int
    tags: Mapping[str, str]
    owner: str | None = None  # the other tool that owns it (`adopt/owners.py`), if any

    @property
    def label(self) -> str:
        """`role /deployer in account dev (111111111111)`."""
        return f"role {self.path}{self.name} in account {self.account} ({self.account_id})"


def role_entries(
    roles: list[LiveRole], keys: Mapping[str, str]
) -> tuple[dict[str, dict[str, Any]], list[Note]]:
    """The `roles` section for `roles` (`keys`: account ID -> key), and what was left out."""
    notes: list[Note] = []
    entries: list[tuple[str, dict[str, Any]]] = []
    for role in sorted(roles, key=lambda r: (r.name, r.account)):
        entry, problem = _entry(role, keys)
        if role.owner is not None:
            written = f"written to {ROLES_FILE} with external: true (read, never changed)"
            reason = written if entry is not None else f"not written: {problem}"
            notes.append(Note(OWNED, role.label, f"{why(role.owner)}; {reason}"))
            if entry is not None:
                entry["external"] = True
        elif entry is None:
            notes.append(Note(NOT_EXPRESSIBLE, role.label, problem))
        if entry is not None:
            entries.append((role.account, entry))
    return deployed(entries), notes


def deployed(entries: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Entries (account, entry with `name`) as a section: the same entry in several
    accounts is one, deployed to all of them; keyed by name (plus the first account's
    key when one name is set up differently in different accounts)."""
    grouped: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for account, entry in entries:
        grouped.setdefault(json.dumps(entry, sort_keys=True), (entry, []))[1].append(account)
    sections: dict[str, dict[str, Any]] = {}
    names = [entry["name"] for entry, _ in grouped.values()]
    for entry, accounts in sorted(grouped.values(), key=lambda g: (g[0]["name"], g[1])):
        key = entry["name"]
        if names.count(key) > 1:
            key = f"{key}-{accounts[0]}"
        written = {"name": entry["name"]} if key != entry["name"] else {}
        written["deploy_to"] = {"accounts": sorted(accounts)}
        written.update({k: v for k, v in entry.items() if k != "name"})
        sections[key] = written
    return sections


def _entry(role: LiveRole, keys: Mapping[str, str]) -> tuple[dict[str, Any] | None, str]:
    """The role's spec entry (without `deploy_to`), or None and why not."""
    trust: list[dict[str, Any]] = []
    statements = role.trust.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        entry, problem = _trust_entry(statement, keys)
        if entry is None:
            return None, problem
        trust.append(entry)
    return settings_entry(role, trust=trust)


def settings_entry(role: LiveRole, **first: Any) -> tuple[dict[str, Any] | None, str]:
    """What every role lz deploys has (name, path, description, policies, session, tags),
    with `first` after the name; None and why not for a role with lz's own inline policy."""
    lz_made = sorted(n for n in role.inline_policies if n.startswith(_LZ_PREFIX))
    if lz_made:
        return None, f"inline policy {lz_made[0]}: names starting with lz- are lz's own"
    written: dict[str, Any] = {"name": role.name}
    if role.path != "/":
        written["path"] = role.path
    if role.description:
        written["description"] = role.description
    written.update(first)
    if role.managed_policies:
        written["managed_policies"] = sorted(role.managed_policies)
    if role.inline_policies:
        written["inline_policies"] = {
            k: role.inline_policies[k] for k in sorted(role.inline_policies)
        }
    if role.permissions_boundary:
        written["permissions_boundary"] = role.permissions_boundary
    if role.max_session_duration != DEFAULT_MAX_SESSION:
        written["max_session_duration"] = role.max_session_duration
    if role.tags:
        written["tags"] = dict(sorted(role.tags.items()))
    return written, ""


def _trust_entry(
    statement: Mapping[str, Any], keys: Mapping[str, str]
) -> tuple[dict[str, Any] | None, str]:
    """One trust statement as a trust entry, or None and why it cannot be one."""
    extra = sorted(set(statement) - {"Effect", "Principal", "Action", "Condition"})
    if extra:
        return None, f"its trust policy has {', '.join(extra)}, which lz does not write"
    actions = statement.get("Action")
    if statement.get("Effect") != "Allow" or actions not in ("sts:AssumeRole", ["sts:AssumeRole"]):
        return None, "its trust policy allows more than sts:AssumeRole, or denies"
    principal = statement.get("Principal")
    if not isinstance(principal, dict) or set(principal) - {"AWS", "Service"}:
        return None, "its trust policy names federated or anonymous principals"
    entry: dict[str, Any] = {}
    accounts: list[str] = []
    roles: list[str] = []
    for value in as_list(principal.get("AWS", [])):
        text = str(value)
        if text.endswith(ROOT_SUFFIX) and text.startswith("arn:"):
            account_id = text.split(":")[4]
            accounts.append(keys.get(account_id, account_id))
        elif ":role/" in text and "*" not in text:
            roles.append(text)
        else:
            return None, f"its trust policy names {text}, which is not an account or a role"
    if accounts:
        entry["accounts"] = sorted(set(accounts))
    if roles:
        entry["roles"] = sorted(set(roles))
    services = [str(s) for s in as_list(principal.get("Service", []))]
    if services:
        entry["services"] = sorted(set(services))
    condition = statement.get("Condition")
    if condition is not None:
        if not condition:
            return None, "its trust policy has an empty Condition, which lz does not write"
        entry["condition"] = condition
    return entry, ""


def is_cross_account(role: LiveRole) -> bool:
    """Whether the role's trust names a principal of another account."""
    statements = role.trust.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal")
        if not isinstance(principal, dict):
            continue
        for value in as_list(principal.get("AWS", [])):
            text = str(value)
            other = text.split(":")[4] if text.startswith("arn:") else text
            if other != role.account_id:
                return True
    return False


def as_list(value: Any) -> list[Any]:
    """A policy field that may be one value or a list, as a list."""
    return value if isinstance(value, list) else [value]
