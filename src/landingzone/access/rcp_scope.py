"""The services resource control policies apply to.

From "Resource control policies (RCPs)", list of AWS services that support
RCPs (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html):
an RCP restricts requests to resources of these services only; a request to
any other service is not evaluated against RCPs, and an RCP statement may
name only these services' actions.
"""

from __future__ import annotations

RCP_SERVICES = (
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "ecr",
    "aoss",
    "cognito-identity",
    "logs",
    "dynamodb",
)


def rcps_apply_to(service: str) -> bool:
    """True if RCPs restrict requests to `service` (a lower-case service prefix)."""
    return service.lower() in RCP_SERVICES
