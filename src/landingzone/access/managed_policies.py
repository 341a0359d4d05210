"""Documents of AWS managed policies (`arn:aws:iam::aws:policy/...`), offline.

moto (a pinned dependency of lz's embedded AWS) ships AWS's managed policies
as imported from IAM; lz reads their documents from there, once, on first use.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy"


@lru_cache(maxsize=1)
def _by_arn() -> dict[str, dict[str, Any]]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    table = json.loads(aws_managed_policies_data)
    return {
        f"{AWS_POLICY_PREFIX}{entry['Path']}{name}": entry["Document"]
        for name, entry in table.items()
    }


def is_aws_managed(arn: str) -> bool:
    """True for the ARN of an AWS managed policy."""
    return arn.startswith(AWS_POLICY_PREFIX + "/")


def aws_managed_document(arn: str) -> dict[str, Any] | None:
    """The document of an AWS managed policy, or None if AWS has no such policy."""
    return _by_arn().get(arn)


def aws_managed_names() -> list[str]:
    """The names of every AWS managed policy lz knows (for "did you mean")."""
    return sorted(arn.rsplit("/", 1)[-1] for arn in _by_arn())
