"""Who else owns a resource: Control Tower, StackSets, or nobody (then lz may manage it).

lz never fights another owner. What these rules recognise is written to the
spec as `external: true` (read, never changed or deleted) where the spec can
hold it, and named in the import report with the reason either way.

Control Tower's names are documented in "Resources created by AWS Control
Tower" (https://docs.aws.amazon.com/controltower/latest/userguide/shared-account-resources.html):
guardrail SCPs `aws-guardrails-*`, roles `AWSControlTower*` and
`aws-controltower-*`, the trail `aws-controltower-BaselineCloudTrail`, the
Config recorder `aws-controltower-BaselineConfigRecorder`, stack sets
`AWSControlTowerBP-*`. StackSets name the instances they make
`StackSet-<stack set>-<id>`, and CloudFormation tags what it creates with
`aws:cloudformation:stack-name`.
"""

from __future__ import annotations

from collections.abc import Mapping

CONTROL_TOWER = "Control Tower"
STACKSETS = "CloudFormation StackSets"

_CONTROL_TOWER_PREFIXES = (
    "aws-guardrails-",
    "AWSControlTower",
    "aws-controltower-",
    "awscontroltower",
)
_STACKSET_PREFIXES = ("StackSet-", "stacksets-exec-", "AWSCloudFormationStackSet")
_CLOUDFORMATION_TAG = "aws:cloudformation:stack-name"


def owner_of(name: str, tags: Mapping[str, str] | None = None) -> str | None:
    """The other tool that owns a resource by this name (and tags), or None."""
    if name.startswith(_CONTROL_TOWER_PREFIXES):
        return CONTROL_TOWER
    stack = (tags or {}).get(_CLOUDFORMATION_TAG, "")
    if stack.startswith(_CONTROL_TOWER_PREFIXES) or "AWSControlTower" in stack:
        return CONTROL_TOWER
    if name.startswith(_STACKSET_PREFIXES) or stack.startswith("StackSet-"):
        return STACKSETS
    return None


def why(owner: str) -> str:
    """The report's reason for leaving a resource to its owner."""
    if owner == CONTROL_TOWER:
        return (
            "Control Tower owns it (its name or tags say so); changing it would fight Control "
            "Tower, which repairs or reports drift"
        )
    return "a CloudFormation stack set deploys it; change it in the stack set, not in lz"
