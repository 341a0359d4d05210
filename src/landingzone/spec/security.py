"""The `security` section: the organization as one security domain.

One member account, the security tooling account (`security.account`), is
made delegated administrator of the organization's security services, with
AWS service access (trusted access) enabled for each in Organizations. The
sub-sections turn on what that account administers; each one written adds
its service to the delegated ones. Every key and default is documented in
docs/spec.md ("security") and docs/security.md.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from landingzone.spec.strict import StrictModel

AutoEnable = Literal["ALL", "NEW", "NONE"]


class FindingAlerts(StrictModel):
    """Findings on the security account's event bus, sent to an SNS topic with e-mails."""

    emails: list[str] = Field(min_length=1)
    # Only findings of at least this severity (GuardDuty: 1-3.9 low, 4-6.9 medium,
    # 7-8.9 high, 9-10 critical). Default: every finding.
    min_severity: float = Field(0, ge=0, le=10)
    topic: str = "{org}-security-findings"  # the SNS topic's name


class OrganizationGuardDuty(StrictModel):
    """GuardDuty for the whole organization, administered by the security account."""

    # Which accounts GuardDuty turns on by itself: ALL (existing and new), NEW, NONE.
    auto_enable: AutoEnable = "ALL"
    alerts: FindingAlerts | None = None


class SecurityHub(StrictModel):
    """AWS Security Hub for the whole organization, administered by the security account."""

    # Standards enabled in every account of the spec, by name (newest version) or
    # name/v/version; the list: access/securityhub_standards.py, docs/security.md.
    standards: list[str] = Field(
        default_factory=lambda: [
            "aws-foundational-security-best-practices",
            "cis-aws-foundations-benchmark",
        ]
    )
    # Security Hub turns itself on in accounts that join the organization later.
    auto_enable: bool = True
    # Which standards it turns on there: AWS's defaults (DEFAULT) or none (NONE).
    auto_enable_standards: Literal["DEFAULT", "NONE"] = "DEFAULT"
    # Findings of every region aggregated into the home region (a finding aggregator).
    aggregate_regions: bool = True


class AccessAnalyzer(StrictModel):
    """An IAM Access Analyzer analyzer of the whole organization in the security account."""

    name: str = "{org}-organization"  # the analyzer's name, in every region


class ConfigAggregator(StrictModel):
    """An AWS Config aggregator in the security account covering the whole organization."""

    name: str = "{org}-organization"
    role: str = "{org}-config-aggregator"  # the IAM role Config assumes to list the accounts


class OrganizationTrail(StrictModel):
    """One multi-region trail of the whole organization, from the management account,
    delivering to the log archive (`baselines.log_archive`): bucket and KMS key."""

    name: str = "{org}-organization-trail"


class Security(StrictModel):
    """The `security` section."""

    # The security tooling account: a member account of the spec, never the
    # management account (AWS refuses it as a delegated administrator).
    account: str = Field(min_length=1)
    # More services to delegate to `account` (service principals, or their
    # short form such as `inspector2`), beyond those the sub-sections imply.
    delegated_services: list[str] = Field(default_factory=list)
    guardduty: OrganizationGuardDuty | None = None
    securityhub: SecurityHub | None = None
    access_analyzer: AccessAnalyzer | None = None
    config_aggregator: ConfigAggregator | None = None
    organization_trail: OrganizationTrail | None = None
