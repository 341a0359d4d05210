"""Which AWS services take a delegated administrator in AWS Organizations.

From "AWS services that you can use with AWS Organizations"
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrated-services-list.html),
the services whose table row says "Supports delegated administrator: Yes",
by service principal. The spec's `security.delegated_services` is checked
against this list, and the emulator refuses RegisterDelegatedAdministrator
for any other principal, as AWS does: one list for both (the emulator may use
`access`, which is why it lives here).
"""

from __future__ import annotations

SUFFIX = ".amazonaws.com"

DELEGABLE_SERVICES = frozenset(
    {
        "access-analyzer.amazonaws.com",
        "account.amazonaws.com",
        "auditmanager.amazonaws.com",
        "backup.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "compute-optimizer.amazonaws.com",
        "config.amazonaws.com",
        "config-multiaccountsetup.amazonaws.com",
        "detective.amazonaws.com",
        "devops-guru.amazonaws.com",
        "fms.amazonaws.com",
        "guardduty.amazonaws.com",
        "health.amazonaws.com",
        "inspector2.amazonaws.com",
        "ipam.amazonaws.com",
        "license-manager.amazonaws.com",
        "macie.amazonaws.com",
        "member.org.stacksets.cloudformation.amazonaws.com",
        "reachabilityanalyzer.networkinsights.amazonaws.com",
        "securityhub.amazonaws.com",
        "securitylake.amazonaws.com",
        "servicecatalog.amazonaws.com",
        "ssm.amazonaws.com",
        "sso.amazonaws.com",
        "storage-lens.s3.amazonaws.com",
    }
)


def service_principal(name: str) -> str:
    """A service principal from a principal or its short form (`guardduty`)."""
    return name if name.endswith(SUFFIX) else name + SUFFIX


def short_name(principal: str) -> str:
    """The short form of a service principal (`guardduty.amazonaws.com` -> `guardduty`)."""
    return principal.removesuffix(SUFFIX)
