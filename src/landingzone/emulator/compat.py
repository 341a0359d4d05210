"""The compatibility layer: every place where the emulator makes moto behave like AWS.

Each `*_compat` module documents the AWS behaviour it follows (see also
docs/emulator.md) and installs itself into moto with `install()`.
"""

from __future__ import annotations

from landingzone.emulator import (
    accessanalyzer_service,
    budgets_compat,
    cloudtrail_compat,
    cloudtrail_org_compat,
    config_compat,
    config_org_compat,
    controltower_service,
    delegation_compat,
    ec2_compat,
    ec2_defaults_compat,
    events_compat,
    guardduty_compat,
    guardduty_org_compat,
    iam_compat,
    kms_compat,
    organizations_compat,
    ram_compat,
    route53_compat,
    routing_compat,
    s3_compat,
    s3_policy_compat,
    securityhub_compat,
    sso_compat,
    sts_compat,
)


def install() -> None:
    """Install the whole compatibility layer into moto (idempotent, checked)."""
    routing_compat.install()
    organizations_compat.install()
    delegation_compat.install()  # extends organizations_compat's backend
    iam_compat.install()
    s3_compat.install()
    s3_policy_compat.install()
    ram_compat.install()
    ec2_compat.install()
    ec2_defaults_compat.install()  # extends ec2_compat's backend
    route53_compat.install()
    sts_compat.install()
    guardduty_compat.install()
    guardduty_org_compat.install()  # extends guardduty_compat's backend
    events_compat.install()
    budgets_compat.install()
    kms_compat.install()
    cloudtrail_compat.install()
    cloudtrail_org_compat.install()  # extends cloudtrail_compat's backend
    config_compat.install()
    config_org_compat.install()  # extends config_compat's backend
    securityhub_compat.install()
    sso_compat.install()


def after_reset() -> None:
    """Clear what moto's reset leaves behind."""
    organizations_compat.after_reset()
    accessanalyzer_service.reset()
    controltower_service.reset()
