"""Lint findings on the policies the spec writes, checked against the IAM catalog.

Rules (docs/access.md lists them for users):

- `mutating-any-resource`: an identity policy allows mutating actions (any
  access level but Read and List) on `Resource: "*"`, other than actions
  named exactly that AWS authorizes only on `"*"` (`route53:CreateHostedZone`);
- `passrole-any-resource`: `iam:PassRole` on `Resource: "*"`;
- `trust-any-principal`: a trust policy allows `"*"` without a condition;
- `trust-any-subject`: an OIDC trust with no `HOST:sub` condition, or one a
  subject of any repository or project meets;
- `unknown-action`: an action (or pattern) that names no action of the
  catalog; in an SCP statement whose every action is unknown, the statement
  can never match (`scp-matches-nothing`);
- `unknown-condition-key`: a service condition key the catalog does not know.

AWS managed policies and the roles AWS Organizations creates are not linted:
lz lints what the spec writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any

from landingzone.access import catalog
from landingzone.access.globs import Glob
from landingzone.access.managed_policies import is_aws_managed
from landingzone.access.matching import compile_actions
from landingzone.access.model import AccessModel, host_of
from landingzone.access.oidc import unlisted_subject
from landingzone.suggest import did_you_mean

_SHOWN = 5


@dataclass(frozen=True)
class Finding:
    """One finding: the rule, the policy and statement, and what is wrong."""

    rule: str
    policy: str
    statement: str
    message: str
    address: str = ""  # the graph address of the role or SCP that holds the policy

    def to_json(self) -> dict[str, str]:
        """The finding as documented in docs/access.md."""
        return {
            "rule": self.rule,
            "policy": self.policy,
            "statement": self.statement,
            "message": self.message,
        }


def lint(model: AccessModel) -> list[Finding]:
    """Every finding of the model's spec-written policies: identity, trust and SCPs."""
    findings: list[Finding] = []
    for key, documents in sorted(model.identity_documents.items()):
        for label, document in documents:
            if not is_aws_managed(label):
                findings += _at(key, _policy(label, document, identity=True))
    for role in sorted(model.roles.values(), key=lambda r: r.key):
        if role.implied is None:
            findings += _at(role.key, _trust(f"trust policy of {role.key}", role.trust_document))
    for name, document in sorted(model.scp_documents.items()):
        findings += _at(f"policy:{name}", _policy(f"SCP {name}", document, identity=False))
    return findings


def _at(address: str, findings: list[Finding]) -> list[Finding]:
    return [replace(finding, address=address) for finding in findings]


def _statements(document: Mapping[str, Any]) -> Iterator[tuple[str, Mapping[str, Any]]]:
    raw = document.get("Statement", [])
    for index, statement in enumerate(raw if isinstance(raw, list) else [raw]):
        sid = statement.get("Sid")
        yield (f'"{sid}" (#{index})' if sid else f"#{index}"), statement


def _as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _policy(label: str, document: Mapping[str, Any], *, identity: bool) -> list[Finding]:
    findings = []
    for where, statement in _statements(document):
        actions = _as_list(statement.get("Action", statement.get("NotAction", [])))
        unknown = [a for a in actions if a != "*" and not catalog.expand(a)]
        for action in unknown:
            findings.append(Finding("unknown-action", label, where, _unknown_action(action)))
        if not identity and unknown and len(unknown) == len(actions) and "Action" in statement:
            findings.append(
                Finding(
                    "scp-matches-nothing",
                    label,
                    where,
                    "no action of the statement exists, so it never matches anything",
                )
            )
        findings += _condition_keys(label, where, statement)
        if identity and statement.get("Effect") == "Allow" and "Action" in statement:
            findings += _broad(label, where, actions, statement)
    return findings


def _unknown_action(action: str) -> str:
    service = action.split(":", 1)[0].lower()
    if service not in catalog.services():
        return f'"{action}": no AWS service has the prefix "{service}"'
    known = catalog.expand(f"{service}:*")
    return f'"{action}" names no action of {service}{did_you_mean(action, known)}'


def _broad(
    label: str, where: str, actions: list[str], statement: Mapping[str, Any]
) -> list[Finding]:
    resources = _as_list(statement.get("Resource", []))
    if "*" not in resources:
        return []
    findings = []
    if compile_actions(actions)("iam:passrole"):
        findings.append(
            Finding(
                "passrole-any-resource",
                label,
                where,
                'iam:PassRole on Resource "*": the role can hand any role to a service',
            )
        )
    if "*" in actions:
        mutating = ["every action"]
    else:
        mutating = sorted(
            {
                a
                for pattern in actions
                for a in catalog.expand(pattern)
                if catalog.is_mutating(a) and not catalog.only_on_any_resource(pattern)
            }
        )
    if mutating:
        shown = ", ".join(mutating[:_SHOWN]) + (
            f", ... ({len(mutating)} in all)" if len(mutating) > _SHOWN else ""
        )
        findings.append(
            Finding(
                "mutating-any-resource",
                label,
                where,
                f'mutating actions allowed on Resource "*": {shown}',
            )
        )
    return findings


def _condition_keys(label: str, where: str, statement: Mapping[str, Any]) -> list[Finding]:
    findings = []
    for keys in (statement.get("Condition") or {}).values():
        for key in keys if isinstance(keys, dict) else {}:
            service = key.partition(":")[0]
            if service.lower() in catalog.services() and not catalog.is_condition_key(key):
                findings.append(
                    Finding(
                        "unknown-condition-key",
                        label,
                        where,
                        f'condition key "{key}" is not a key of {service.lower()}',
                    )
                )
    return findings


def _trust(label: str, document: Mapping[str, Any]) -> list[Finding]:
    findings = []
    for where, statement in _statements(document):
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal", {})
        condition = statement.get("Condition") or {}
        aws = _as_list(principal.get("AWS", [])) if isinstance(principal, dict) else []
        if (principal == "*" or "*" in aws or "NotPrincipal" in statement) and not condition:
            findings.append(
                Finding(
                    "trust-any-principal",
                    label,
                    where,
                    "any AWS principal, in any account, can assume the role",
                )
            )
        federated = principal.get("Federated", []) if isinstance(principal, dict) else []
        for host in {host_of(f) for f in _as_list(federated) if "saml-provider" not in f}:
            problem = _open_subject(host, condition)
            if problem:
                findings.append(Finding("trust-any-subject", label, where, problem))
    return findings


def _open_subject(host: str, condition: Mapping[str, Any]) -> str | None:
    """Why an OIDC trust admits any subject of `host`, if it does."""
    values = [
        Glob(value, "Like" in operator)
        for operator, keys in condition.items()
        if isinstance(keys, dict)
        for key, raw in keys.items()
        if key.lower() == f"{host}:sub".lower()
        for value in _as_list(raw)
    ]
    if not values:
        return f"no {host}:sub condition: every subject of {host} (any repository) can assume it"
    other = unlisted_subject(host)
    loose = [v.text for v in values if v.matches(other)]
    if loose:
        return f"{host}:sub {loose[0]!r} admits subjects of any repository or project"
    return None
