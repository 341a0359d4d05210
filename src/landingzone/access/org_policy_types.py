"""The AWS Organizations policy types a spec can declare, with AWS's limits for each.

Sizes and attachments per target from "Quotas and service limits for AWS
Organizations", maximum and minimum values
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html#min-max-values).
A policy's `type` in the spec is the key of `POLICY_TYPES`; `aws` is the
`Type` the Organizations API takes.
"""

from __future__ import annotations

from dataclasses import dataclass

SCP_TYPE = "service_control"
RCP_TYPE = "resource_control"
FULL_AWS_ACCESS = "FullAWSAccess"  # AWS's SCP, attached everywhere while SCPs are enabled
RCP_FULL_AWS_ACCESS = "RCPFullAWSAccess"  # AWS's RCP, attached everywhere once RCPs are enabled


@dataclass(frozen=True)
class OrgPolicyType:
    """One Organizations policy type: its API name, limits and AWS-managed default."""

    key: str
    aws: str
    title: str
    max_characters: int
    max_per_target: int
    aws_managed: str | None = None  # the policy AWS keeps attached to every target

    @property
    def plural(self) -> str:
        """`tag policies`, `declarative policies for EC2`."""
        return self.title.replace("policy", "policies", 1)

    @property
    def guide(self) -> str:
        """The AWS Organizations User Guide page for this type."""
        return f"https://docs.aws.amazon.com/organizations/latest/userguide/{_PAGES[self.key]}"


POLICY_TYPES: dict[str, OrgPolicyType] = {
    t.key: t
    for t in (
        OrgPolicyType(
            SCP_TYPE, "SERVICE_CONTROL_POLICY", "service control policy", 5120, 5, FULL_AWS_ACCESS
        ),
        OrgPolicyType(
            RCP_TYPE,
            "RESOURCE_CONTROL_POLICY",
            "resource control policy",
            5120,
            5,
            RCP_FULL_AWS_ACCESS,
        ),
        OrgPolicyType("tag", "TAG_POLICY", "tag policy", 10000, 10),
        OrgPolicyType("backup", "BACKUP_POLICY", "backup policy", 10000, 10),
        OrgPolicyType(
            "aiservices_opt_out", "AISERVICES_OPT_OUT_POLICY", "AI services opt-out policy", 2500, 5
        ),
        OrgPolicyType(
            "declarative_ec2", "DECLARATIVE_POLICY_EC2", "declarative policy for EC2", 10000, 10
        ),
    )
}
_PAGES = {
    SCP_TYPE: "orgs_manage_policies_scps_syntax.html",
    RCP_TYPE: "orgs_manage_policies_rcps_syntax.html",
    "tag": "orgs_manage_policies_example-tag-policies.html",
    "backup": "orgs_manage_policies_backup_syntax.html",
    "aiservices_opt_out": "orgs_manage_policies_ai-opt-out_syntax.html",
    "declarative_ec2": "orgs_manage_policies_declarative_syntax.html",
}
BY_AWS_TYPE = {t.aws: t for t in POLICY_TYPES.values()}
AWS_MANAGED_POLICIES = {t.aws_managed: t for t in POLICY_TYPES.values() if t.aws_managed}


def aws_type(key: str) -> str:
    """The Organizations API `Type` of a spec policy type (`service_control` -> SCP)."""
    return POLICY_TYPES[key].aws
