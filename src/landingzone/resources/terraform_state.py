"""Terraform's state bucket and lock table in a member account
(`state.isolation: per_account_bucket`, graph/terraform_state.py).

The same bucket and table as lz's own backend (`state_backend.py`), created
in the account through its access role; unlike lz's they are ordinary kinds,
applied after the accounts exist, not bootstrapped before lz's state.
"""

from __future__ import annotations

from landingzone.resources.base import register
from landingzone.resources.s3_bucket import BucketKind
from landingzone.resources.state_backend import LockTableKind


@register
class TerraformStateBucketKind(BucketKind):
    """A member account's own Terraform state bucket."""

    name = "terraform_state_bucket"


@register
class TerraformLockTableKind(LockTableKind):
    """A member account's own Terraform lock table."""

    name = "terraform_lock_table"
    bootstrap = False
