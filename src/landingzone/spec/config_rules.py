"""AWS managed Config rules: names, source identifiers and parameters.

A managed rule is written by its name (`restricted-ssh`); AWS Config wants
its source identifier (`INCOMING_SSH_DISABLED`). For most rules the
identifier is the name in upper case with `_` for `-`; `IRREGULAR` lists
the rules whose identifier differs. The catalogue of identifiers and their
parameters is AWS's list of managed rules, as moto (a dependency of lz, for
the embedded AWS) ships it.
"""

from __future__ import annotations

import functools
import gzip
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

# Managed rules whose identifier is not their name in upper snake case.
IRREGULAR = {
    "restricted-ssh": "INCOMING_SSH_DISABLED",
    "restricted-common-ports": "RESTRICTED_INCOMING_TRAFFIC",
    "cloudtrail-enabled": "CLOUD_TRAIL_ENABLED",
    "multi-region-cloudtrail-enabled": "MULTI_REGION_CLOUD_TRAIL_ENABLED",
    "ec2-instances-in-vpc": "INSTANCES_IN_VPC",
    "ec2-instance-managed-by-systems-manager": "EC2_INSTANCE_MANAGED_BY_SSM",
}


@dataclass(frozen=True)
class RuleParameters:
    """The parameters a managed rule takes."""

    allowed: frozenset[str]
    required: frozenset[str]


def identifier_for(name: str) -> str:
    """The source identifier of the managed rule called `name`."""
    return IRREGULAR.get(name, name.upper().replace("-", "_"))


def name_for(identifier: str) -> str:
    """The usual name of the managed rule with this identifier."""
    for name, irregular in IRREGULAR.items():
        if irregular == identifier:
            return name
    return identifier.lower().replace("_", "-")


@functools.cache
def catalogue() -> dict[str, RuleParameters]:
    """Every managed rule identifier with its parameters."""
    spec = importlib.util.find_spec("moto")
    assert spec is not None and spec.submodule_search_locations, "moto is a dependency of lz"
    path = Path(spec.submodule_search_locations[0]) / "config/resources/aws_managed_rules.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rules = json.load(handle)["ManagedRules"]
    return {
        identifier: RuleParameters(
            allowed=frozenset(p["Name"] for p in info.get("Parameters", [])),
            required=frozenset(p["Name"] for p in info.get("Parameters", []) if not p["Optional"]),
        )
        for identifier, info in rules.items()
    }


def known_names() -> list[str]:
    """The names of every managed rule (for did-you-mean hints)."""
    return sorted(name_for(identifier) for identifier in catalogue())
