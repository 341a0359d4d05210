"""CI roles and their OIDC providers as the spec's `ci` section.

A provider (GitHub's token service, or a GitLab) becomes a `ci.providers`
entry with its audiences and thumbprints as they are, deployed to every
account that has it with the same settings. A role that trusts one becomes a
`ci.deploy_roles` entry when its trust is exactly the one lz writes: the
provider's tokens with its audiences and a list of subjects (`StringEquals`
for exact subjects, `StringLike` for patterns, `graph/iam_documents.py`).
Anything else is named in the report, and stays as it is in AWS.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from landingzone.adopt.report import NOT_EXPRESSIBLE, Note
from landingzone.adopt.roles import LiveRole, as_list, deployed, settings_entry
from landingzone.graph.iam_documents import GITHUB_URL, oidc_trust_statements
from landingzone.resources.base import canonical_policy

GITHUB_HOST = GITHUB_URL.removeprefix("https://")
WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity"


@dataclass(frozen=True)
class LiveProvider:
    """An OIDC provider as IAM describes it (GetOpenIDConnectProvider)."""

    account: str
    account_id: str
    arn: str
    host: str  # the URL without https://
    client_ids: tuple[str, ...]
    thumbprints: tuple[str, ...]
    tags: Mapping[str, str]


def ci_section(
    roles: list[LiveRole], providers: list[LiveProvider]
) -> tuple[dict[str, Any], list[Note]]:
    """The `ci` section (providers and deploy roles), and what was left out."""
    notes: list[Note] = []
    entries, key_of = _providers(providers, notes)
    by_arn = {p.arn: p for p in providers}
    deploy: list[tuple[str, dict[str, Any]]] = []
    for role in sorted(roles, key=lambda r: (r.name, r.account)):
        entry, problem = _deploy_role(role, by_arn, key_of)
        if entry is None:
            notes.append(Note(NOT_EXPRESSIBLE, role.label, problem))
        else:
            deploy.append((role.account, entry))
    section: dict[str, Any] = {}
    if entries:
        section["providers"] = entries
    if deploy:
        section["deploy_roles"] = deployed(deploy)
    return section, notes


def _providers(
    providers: list[LiveProvider], notes: list[Note]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Provider entries by key, and the key of each provider ARN."""
    grouped: dict[str, tuple[dict[str, Any], list[LiveProvider]]] = {}
    for provider in sorted(providers, key=lambda p: (p.host, p.account)):
        kind = (
            "github"
            if provider.host == GITHUB_HOST
            else "gitlab"
            if "gitlab" in provider.host
            else None
        )
        if kind is None:
            notes.append(
                Note(
                    NOT_EXPRESSIBLE,
                    f"OIDC provider {provider.host} in account {provider.account}",
                    "lz writes GitHub and GitLab providers only",
                )
            )
            continue
        entry: dict[str, Any] = {"type": kind}
        if kind == "gitlab":
            entry["url"] = f"https://{provider.host}"
        entry["audiences"] = sorted(provider.client_ids)
        entry["thumbprints"] = sorted(t.lower() for t in provider.thumbprints)
        if provider.tags:
            entry["tags"] = dict(sorted(provider.tags.items()))
        grouped.setdefault(json.dumps(entry, sort_keys=True), (entry, []))[1].append(provider)
    entries: dict[str, Any] = {}
    key_of: dict[str, str] = {}
    taken: set[str] = set()
    for entry, found in sorted(grouped.values(), key=lambda g: (g[1][0].host, g[1][0].account)):
        base = "github" if entry["type"] == "github" else found[0].host.split(".")[0]
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        entries[key] = {**entry, "deploy_to": {"accounts": sorted(p.account for p in found)}}
        key_of.update({p.arn: key for p in found})
    return entries, key_of


def _deploy_role(
    role: LiveRole, by_arn: Mapping[str, LiveProvider], key_of: Mapping[str, str]
) -> tuple[dict[str, Any] | None, str]:
    """A deploy role's entry (without `deploy_to`), or None and why not."""
    statements = as_list(role.trust.get("Statement", []))
    arns = {
        str(a) for s in statements for a in as_list((s.get("Principal") or {}).get("Federated", []))
    }
    if len(arns) != 1 or next(iter(arns)) not in key_of:
        return None, "its trust names no OIDC provider of its own account that lz writes"
    provider = by_arn[next(iter(arns))]
    subjects: set[str] = set()
    for statement in statements:
        for operator in ("StringEquals", "StringLike"):
            subjects.update(
                str(s)
                for s in as_list(
                    statement.get("Condition", {}).get(operator, {}).get(f"{provider.host}:sub", [])
                )
            )
    expected = oidc_trust_statements(
        provider.arn, provider.host, sorted(provider.client_ids), sorted(subjects)
    )
    if canonical_policy(role.trust) != canonical_policy(
        {"Version": "2012-10-17", "Statement": expected}
    ):
        return None, (
            "its trust is not the shape lz writes (the provider's audiences, and `sub` in "
            "StringEquals or StringLike, nothing else)"
        )
    return settings_entry(role, provider=key_of[provider.arn], subjects=sorted(subjects))
