"""The AWS Security Hub standards, by the name the spec uses.

From "Standards reference for Security Hub"
(https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html):
each standard's ARN (`arn:PARTITION:securityhub:REGION::standards/ID`, or
for CIS 1.2.0 the older `arn:PARTITION:securityhub:::ruleset/ID`) and the ARN
of an account's subscription to it (`arn:PARTITION:securityhub:REGION:ACCOUNT:subscription/ID`).
A name is `ID` without its version (the newest version) or with it
(`cis-aws-foundations-benchmark/v/1.4.0`). The spec's
`security.securityhub.standards` is checked against this list, and the
emulator's DescribeStandards serves it: one list for both (the emulator may
use `access`, which is why it lives here).
"""

from __future__ import annotations

# Standard ID (name/v/version) -> its title; newest version of each name last.
STANDARDS = {
    "aws-foundational-security-best-practices/v/1.0.0": (
        "AWS Foundational Security Best Practices v1.0.0"
    ),
    "cis-aws-foundations-benchmark/v/1.2.0": "CIS AWS Foundations Benchmark v1.2.0",
    "cis-aws-foundations-benchmark/v/1.4.0": "CIS AWS Foundations Benchmark v1.4.0",
    "cis-aws-foundations-benchmark/v/3.0.0": "CIS AWS Foundations Benchmark v3.0.0",
    "nist-800-53/v/5.0.0": "NIST Special Publication 800-53 Revision 5",
    "pci-dss/v/3.2.1": "PCI DSS v3.2.1",
    "aws-resource-tagging-standard/v/1.0.0": "AWS Resource Tagging Standard v1.0.0",
}
# What EnableSecurityHub turns on when EnableDefaultStandards is true (AWS's default).
DEFAULT_STANDARDS = (
    "aws-foundational-security-best-practices/v/1.0.0",
    "cis-aws-foundations-benchmark/v/1.2.0",
)
_RULESETS = frozenset({"cis-aws-foundations-benchmark/v/1.2.0"})  # the older ARN form


def standard_id(name: str) -> str | None:
    """The standard's ID (`name/v/version`) for a spec name, or None if AWS has none such."""
    if name in STANDARDS:
        return name
    versions = [s for s in STANDARDS if s.split("/v/", 1)[0] == name]
    return versions[-1] if versions else None


def standard_names() -> list[str]:
    """Every name the spec accepts (without and with a version)."""
    return sorted({s.split("/v/", 1)[0] for s in STANDARDS} | set(STANDARDS))


def standard_arn(partition: str, region: str, standard: str) -> str:
    """The ARN of a standard (by ID) in a region."""
    if standard in _RULESETS:
        return f"arn:{partition}:securityhub:::ruleset/{standard}"
    return f"arn:{partition}:securityhub:{region}::standards/{standard}"


def subscription_arn(partition: str, region: str, account_id: str, standard: str) -> str:
    """The ARN of an account's subscription to a standard (by ID) in a region."""
    return f"arn:{partition}:securityhub:{region}:{account_id}:subscription/{standard}"


def standard_of_arn(arn: str) -> str | None:
    """The standard's ID in a standard's ARN, or None if it names no standard AWS has."""
    for marker in ("::standards/", ":::ruleset/"):
        if marker in arn:
            found = arn.split(marker, 1)[1]
            return found if found in STANDARDS else None
    return None
