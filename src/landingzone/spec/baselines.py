"""The `baselines` section: named baseline profiles and the central log archive.

A profile lists the account settings lz manages in every account it is
assigned to (`organization.baseline`, `units.*.baseline`,
`accounts.*.baseline`; the nearest assignment wins), with per-account
`accounts.*.baseline_overrides` deep-merged over it. Every setting, and every
key inside a setting, is optional: `None` means "not written". A setting the
profile does not write is left alone; a key it does not write takes the
default documented in docs/spec.md (applied when the graph is built, see
`graph/baselines.py`), so that an override only carries what it changes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from landingzone.spec.strict import StrictModel

NO_BASELINE = "none"  # `baseline: none`: no baseline for this unit or account
FindingFrequency = Literal["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"]
DeliveryFrequency = Literal[
    "One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"
]


class PasswordPolicy(StrictModel):
    """The IAM account password policy (all of UpdateAccountPasswordPolicy).

    AWS sets the whole policy at once: keys not written take AWS's defaults
    (6 characters, nothing required, users cannot change their password,
    passwords never expire, reuse allowed, no hard expiry).
    """

    minimum_length: int | None = Field(None, ge=6, le=128)
    require_symbols: bool | None = None
    require_numbers: bool | None = None
    require_uppercase: bool | None = None
    require_lowercase: bool | None = None
    allow_users_to_change: bool | None = None
    max_age_days: int | None = Field(None, ge=1, le=1095)
    reuse_prevention: int | None = Field(None, ge=1, le=24)
    hard_expiry: bool | None = None


class EbsEncryption(StrictModel):
    """EBS encryption by default, in every region of the account."""

    enabled: bool | None = None  # default true
    # The default KMS key: a key ARN or `alias/NAME` (in each account and
    # region). Not written: lz leaves the default key as it is.
    kms_key: str | None = None


class PublicAccessBlock(StrictModel):
    """The account-level S3 Block Public Access settings (each defaults to true)."""

    block_public_acls: bool | None = None
    ignore_public_acls: bool | None = None
    block_public_policy: bool | None = None
    restrict_public_buckets: bool | None = None


class GuardDuty(StrictModel):
    """A GuardDuty detector in every region of the account."""

    enabled: bool | None = None  # default true
    finding_publishing_frequency: FindingFrequency | None = None  # default SIX_HOURS


class ConfigRule(StrictModel):
    """An AWS managed Config rule, when it needs more than its name."""

    name: str = Field(min_length=1)
    # The managed rule's source identifier; by default derived from the name
    # (`restricted-ssh` -> INCOMING_SSH_DISABLED, `root-account-mfa-enabled`
    # -> ROOT_ACCOUNT_MFA_ENABLED).
    identifier: str | None = None
    parameters: dict[str, str] | None = None


class AwsConfig(StrictModel):
    """AWS Config: recorder, delivery channel to the log archive, managed rules."""

    delivery_frequency: DeliveryFrequency | None = None  # default TwentyFour_Hours
    rules: list[str | ConfigRule] | None = None


class CloudTrail(StrictModel):
    """A multi-region trail in every account, delivering to the log archive."""

    name: str | None = None  # default "{org}-trail"


class BudgetAlert(StrictModel):
    """An e-mail alert when spend reaches a percentage of the budget's limit."""

    percent: int | float
    emails: list[str]
    forecasted: bool = False  # alert on forecasted spend instead of actual spend


class Budget(StrictModel):
    """A monthly cost budget of the account, in USD; its key is its name."""

    limit_usd: int | float | None = None  # required (in the profile or an override)
    alerts: list[BudgetAlert] | None = None


class Profile(StrictModel):
    """A baseline profile: the settings it manages in every account it targets."""

    password_policy: PasswordPolicy | None = None
    # An alias pattern such as "{org}-{account}"; an account's own `alias` wins.
    alias: str | None = None
    ebs_encryption: EbsEncryption | None = None
    s3_public_access_block: PublicAccessBlock | None = None
    guardduty: GuardDuty | None = None
    config: AwsConfig | None = None
    cloudtrail: CloudTrail | None = None
    budgets: dict[str, Budget] | None = None
    # Delete the default VPC of every region (it holds nothing lz created).
    remove_default_vpcs: bool | None = None


class LogArchive(StrictModel):
    """Where CloudTrail and AWS Config deliver: one bucket and key in one account."""

    account: str  # an account of the spec (the log archive account)
    # `{account}` and `{account_id}` are those of the log archive account.
    bucket: str = "{org}-logs-{account_id}"
    kms_key: str = "{org}-logs"  # the alias (without `alias/`) of the trails' KMS key


class ManagementBaseline(StrictModel):
    """The management account's baseline (opt-in): a profile, and overrides merged over it.

    A budget in it covers the whole organization's spend (consolidated billing).
    """

    profile: str = Field(min_length=1)
    overrides: Profile | None = None


class Baselines(StrictModel):
    """The `baselines` section."""

    log_archive: LogArchive | None = None
    profiles: dict[str, Profile] = Field(default_factory=dict)
    management: ManagementBaseline | None = None
