"""What a query names, turned into the model's actors, actions and resources.

- principals: `role:ACCOUNT/NAME`, `account:NAME`, `sso:group/NAME` and
  `sso:user/NAME` (IAM Identity Center; globs allowed), ARNs of
  roles and account roots, `service:NAME.amazonaws.com`, and OIDC subjects
  (`github:...`, `gitlab:...`, `oidc:HOST:SUB`, patterns allowed: expanded
  to one concrete subject per trust condition they overlap, plus one more);
- actions: `service:Action`, or a pattern expanded with the IAM catalog;
- resources: an ARN (its account may be written as a name, `arn:aws:iam::prod:role/x`,
  or as `{account_id:NAME}`), `*`, `role:ACCOUNT/NAME`,
  or an ARN pattern matched against the resources the model knows.
"""

from __future__ import annotations

from collections.abc import Iterable

from landingzone.access import catalog
from landingzone.access.context import Values
from landingzone.access.errors import RequestError
from landingzone.access.globs import Glob
from landingzone.access.ids import MANAGEMENT
from landingzone.access.matching import compile_arn, is_action_pattern, literal
from landingzone.access.model import AccessModel, Actor, ActorKind
from landingzone.access.oidc import describe, members, parse_subject
from landingzone.access.oidc import label as subject_label
from landingzone.access.principal import Principal

OIDC_SCHEMES = ("github:", "gitlab:", "oidc:")
_LISTED = 10


def is_pattern(text: str) -> bool:
    """True if `text` has a `*` or `?` wildcard."""
    return "*" in text or "?" in text


def actors_for(model: AccessModel, text: str) -> list[Actor]:
    """The actors a principal (or principal pattern) names; `RequestError` if none."""
    if text.startswith(OIDC_SCHEMES):
        pattern = parse_subject(text)
        known = model.subject_patterns.get(pattern.host, [])
        return [oidc_actor(model, pattern.host, sub) for sub in members(pattern, known)]
    if text.startswith(("role:", "account:", "sso:")):
        kind = {"role": ActorKind.ROLE, "account": ActorKind.ACCOUNT, "sso": ActorKind.SSO}[
            text.split(":", 1)[0]
        ]
        return _matching(text, [a for a in model.actors.values() if a.kind is kind])
    if text.startswith("service:") or text.endswith(".amazonaws.com"):
        service = text.removeprefix("service:")
        key = f"service:{service}"
        found = model.actors.get(key)
        return [found or Actor(key, ActorKind.SERVICE, service, Principal.parse(service))]
    return [_arn_actor(model, text)]


def _matching(text: str, actors: list[Actor]) -> list[Actor]:
    glob = Glob(text)
    found = [actor for actor in actors if glob.matches(actor.key)]
    if not found:
        shown = ", ".join(sorted(a.key for a in actors)[:_LISTED]) or "none"
        raise RequestError(f"principal {text!r} names nothing in the model (known: {shown})")
    return sorted(found, key=lambda a: a.key)


def _arn_actor(model: AccessModel, text: str) -> Actor:
    role = model.role_by_arn(text)
    if role is not None:
        return model.actors[role.key]
    principal = Principal.parse(text)
    account = principal.account
    if principal.text.endswith(":root") and account is not None:
        name = model.ids.name_of(account)
        if name is not None:
            return model.actors[f"account:{name}"]
        return model.actors.get(f"external:{account}") or Actor(
            f"external:{account}", ActorKind.EXTERNAL, f"account {account}", principal
        )
    raise RequestError(
        f"principal {text!r} is not a role, account or OIDC subject the model knows "
        "(lz models roles, account roots, services and OIDC subjects)"
    )


def oidc_actor(model: AccessModel, host: str, subject: str) -> Actor:
    """The actor for one concrete OIDC subject (the model's own if it has one)."""
    key = subject_label(host, subject)
    found = model.actors.get(key)
    if found is not None and found.subject == subject:
        return found
    return Actor(
        key, ActorKind.OIDC, describe(host, Glob(subject, False)), None, host=host, subject=subject
    )


def actions_for(text: str) -> list[str]:
    """The actions an action or action pattern names; `RequestError` if none."""
    if not is_action_pattern(text) or text == "*":
        raise RequestError(f"action {text!r} is not 'service:Action' (wildcards allowed)")
    if not is_pattern(text):
        return [text]
    found = catalog.expand(text)
    if not found:
        raise RequestError(f"action pattern {text!r} matches no action of the IAM catalog")
    return found


def resources_for(model: AccessModel, text: str) -> list[str]:
    """The resources a resource or pattern names; `RequestError` if none."""
    filled = with_account_ids(model, model.ids.fill(text, MANAGEMENT))
    if "{account_id" in filled:
        raise RequestError(f"resource {text!r}: unknown account in {{account_id:NAME}}")
    if filled.startswith("role:"):
        glob = Glob(filled)
        found = [role.arn for role in model.roles.values() if glob.matches(role.key)]
        if not found:
            raise RequestError(f"resource {text!r} names no role of the model")
        return sorted(found)
    if filled == "*" or not is_pattern(filled):
        if filled != "*" and (not filled.startswith("arn:") or len(filled.split(":", 5)) != 6):
            raise RequestError(f"resource {text!r} is not '*', an ARN or role:ACCOUNT/NAME")
        return [filled]
    matches = compile_arn(literal(filled))
    found = [arn for arn in known_resources(model) if matches(arn)]
    if not found:
        raise RequestError(f"resource pattern {text!r} matches no resource the model knows")
    return found


def with_account_ids(model: AccessModel, arn: str) -> str:
    """An ARN whose account is written as an account's name, with the account's ID."""
    parts = arn.split(":", 5)
    if len(parts) == 6 and parts[4] and (account_id := model.ids.id_of(parts[4])):
        parts[4] = account_id
        return ":".join(parts)
    return arn


def known_resources(model: AccessModel) -> list[str]:
    """ARNs of the resources the model knows: roles, buckets, OIDC providers."""
    found = [role.arn for role in model.roles.values()]
    found += [f"arn:aws:s3:::{name}" for name in model.buckets]
    found += [f"arn:aws:iam::{acct}:oidc-provider/{host}" for acct, host in model.providers]
    return sorted(found)


def parse_context(pairs: Iterable[str]) -> dict[str, Values]:
    """`key=value` pairs (a key given twice is multivalued), keys lower-cased."""
    context: dict[str, tuple[str, ...]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise RequestError(f"context {pair!r} is not KEY=VALUE")
        context[key.lower()] = (*context.get(key.lower(), ()), value)
    return dict(context)
