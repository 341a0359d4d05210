"""Corpus: SCPs and RCPs, level by level, with their exemptions."""

from __future__ import annotations

from typing import Any

import pytest

from .corpus import (
    ADMIN,
    ALLOWED,
    DENY_ALL,
    DENY_ALL_RCP,
    EXPLICIT,
    FULL,
    IMPLICIT,
    MGMT,
    NO_TRAIL,
    RCP_FULL,
    S3_ONLY,
    SERVICE_ROLE,
    SLR,
    A,
    B,
    Case,
    allow,
    check,
    deny,
    grant,
    ids,
    levels,
    policy,
    rcps,
    request,
    scps,
)

SCP_CASES = [
    Case(
        "SCPs allow at every level",
        request(identity_policies=ADMIN, service_control_policies=scps()),
        ALLOWED,
    ),
    Case(
        "the OU allows only S3: EC2 is implicitly denied at the OU",
        request(
            "ec2:RunInstances",
            "*",
            identity_policies=ADMIN,
            service_control_policies=scps(ou=[S3_ONLY]),
        ),
        IMPLICIT,
        step="service_control_policies",
        level="ou-plat",
    ),
    Case(
        "the OU allows only S3: S3 is allowed",
        request(identity_policies=ADMIN, service_control_policies=scps(ou=[S3_ONLY])),
        ALLOWED,
    ),
    Case(
        "no SCP allows at the account level",
        request(identity_policies=ADMIN, service_control_policies=scps(account=[])),
        IMPLICIT,
        step="service_control_policies",
        level=A,
    ),
    Case(
        "root allows only S3: every level below is irrelevant",
        request(
            "sqs:SendMessage",
            "*",
            identity_policies=ADMIN,
            service_control_policies=levels(
                ("r-root", [S3_ONLY]), ("ou-plat", [FULL]), (A, [FULL])
            ),
        ),
        IMPLICIT,
        step="service_control_policies",
        level="r-root",
    ),
    Case(
        "nested OUs: the allow is missing at the child OU",
        request(
            identity_policies=ADMIN,
            service_control_policies=levels(
                ("r-root", [FULL]),
                ("ou-parent", [FULL]),
                ("ou-child", [{"name": "ec2-only", "document": policy(allow("ec2:*"))}]),
                (A, [FULL]),
            ),
        ),
        IMPLICIT,
        step="service_control_policies",
        level="ou-child",
    ),
    Case(
        "SCPs deny stopping CloudTrail even to administrators",
        request(
            "cloudtrail:StopLogging",
            f"arn:aws:cloudtrail:eu-west-1:{A}:trail/org",
            identity_policies=ADMIN,
            service_control_policies=scps(ou=[FULL, NO_TRAIL]),
        ),
        EXPLICIT,
        statement="ProtectCloudTrail",
    ),
    Case(
        "SCP with a region condition: outside the allowed regions",
        request(
            identity_policies=ADMIN,
            context={"aws:RequestedRegion": "us-east-1"},
            service_control_policies=scps(
                ou=[
                    FULL,
                    policy(
                        deny(
                            "*",
                            Sid="Regions",
                            Condition={
                                "StringNotEquals": {
                                    "aws:RequestedRegion": ["eu-west-1", "eu-central-1"]
                                }
                            },
                        )
                    ),
                ]
            ),
        ),
        EXPLICIT,
        statement="Regions",
    ),
    Case(
        "SCP with a region condition: inside the allowed regions",
        request(
            identity_policies=ADMIN,
            context={"aws:RequestedRegion": "eu-central-1"},
            service_control_policies=scps(
                ou=[
                    FULL,
                    policy(
                        deny(
                            "*",
                            Condition={
                                "StringNotEquals": {
                                    "aws:RequestedRegion": ["eu-west-1", "eu-central-1"]
                                }
                            },
                        )
                    ),
                ]
            ),
        ),
        ALLOWED,
    ),
    Case(
        "management account: SCPs do not apply",
        request(
            identity_policies=ADMIN,
            management_account=A,
            service_control_policies=scps(ou=[DENY_ALL]),
        ),
        ALLOWED,
        notes=("service_control_policies not applied: the caller is in the management account",),
    ),
    Case(
        "management account expressed by omitting the SCP list",
        request(identity_policies=ADMIN),
        ALLOWED,
    ),
    Case(
        "a member account is bound even when the management account is named",
        request(
            identity_policies=ADMIN,
            management_account=MGMT,
            service_control_policies=scps(ou=[DENY_ALL]),
        ),
        EXPLICIT,
        statement="DenyAll",
    ),
    Case(
        "service-linked role: SCPs do not apply",
        request(
            principal=SLR, identity_policies=ADMIN, service_control_policies=scps(ou=[DENY_ALL])
        ),
        ALLOWED,
        notes=("service_control_policies not applied: the caller is a service-linked role",),
    ),
    Case(
        "a service role (not service-linked) is bound by SCPs",
        request(
            principal=SERVICE_ROLE,
            identity_policies=ADMIN,
            service_control_policies=scps(ou=[DENY_ALL]),
        ),
        EXPLICIT,
        statement="DenyAll",
    ),
    Case(
        "the root user of a member account is bound by SCPs",
        request(
            principal=f"arn:aws:iam::{A}:root", service_control_policies=scps(account=[DENY_ALL])
        ),
        EXPLICIT,
        statement="DenyAll",
    ),
    Case(
        "the root user has full access to its own account",
        request(principal=f"arn:aws:iam::{A}:root", service_control_policies=scps()),
        ALLOWED,
    ),
]

ORG_ID = "o-abc123"
RCP_PERIMETER = {
    "name": "enforce-identity-perimeter",
    "document": policy(
        grant(
            "*",
            ["s3:*", "sts:AssumeRole"],
            "*",
            "Deny",
            Sid="EnforceOrgIdentities",
            Condition={
                "StringNotEqualsIfExists": {"aws:PrincipalOrgID": ORG_ID},
                "BoolIfExists": {"aws:PrincipalIsAWSService": "false"},
            },
        )
    ),
}
EXTERNAL = f"arn:aws:iam::{B}:role/partner"


def external(**fields: Any) -> dict[str, Any]:
    """A cross-account request into account A that both sides allow."""
    base = request(
        principal=EXTERNAL,
        identity_policies=ADMIN,
        resource_policy=policy(
            grant({"AWS": EXTERNAL}, "s3:GetObject", "arn:aws:s3:::state-bucket/*")
        ),
    )
    return base | fields


RCP_CASES = [
    Case(
        "RCP blocks a principal outside the organization",
        external(
            context={"aws:PrincipalOrgID": "o-other"},
            resource_control_policies=rcps([RCP_FULL, RCP_PERIMETER]),
        ),
        EXPLICIT,
        statement="EnforceOrgIdentities",
    ),
    Case(
        "RCP lets an organization principal through",
        external(
            context={"aws:PrincipalOrgID": ORG_ID},
            resource_control_policies=rcps([RCP_FULL, RCP_PERIMETER]),
        ),
        ALLOWED,
    ),
    Case(
        "RCP: a level without an allow",
        external(
            resource_control_policies=levels(
                ("r-root", [RCP_FULL]), ("ou-plat", []), (A, [RCP_FULL])
            )
        ),
        IMPLICIT,
        step="resource_control_policies",
        level="ou-plat",
    ),
    Case(
        "RCP: resources of the management account are exempt",
        external(
            context={"aws:PrincipalOrgID": "o-other"},
            management_account=A,
            resource_control_policies=rcps([RCP_FULL, RCP_PERIMETER]),
        ),
        ALLOWED,
        notes=("resource_control_policies not applied: the resource is in the management account",),
    ),
    Case(
        "RCP: a service-linked role is exempt",
        request(
            principal=SLR, identity_policies=ADMIN, resource_control_policies=rcps([DENY_ALL_RCP])
        ),
        ALLOWED,
    ),
    Case(
        "RCP: an AWS service is let through by aws:PrincipalIsAWSService",
        request(
            "s3:PutObject",
            "arn:aws:s3:::trail-bucket/AWSLogs/x",
            principal="cloudtrail.amazonaws.com",
            resource_policy=policy(
                grant(
                    {"Service": "cloudtrail.amazonaws.com"},
                    "s3:PutObject",
                    "arn:aws:s3:::trail-bucket/AWSLogs/*",
                )
            ),
            resource_control_policies=rcps([RCP_FULL, RCP_PERIMETER]),
            service_control_policies=scps(ou=[DENY_ALL]),
        ),
        ALLOWED,
        notes=(
            "service_control_policies not applied: the caller is not an IAM principal (service)",
        ),
    ),
    Case(
        "RCP denies everything for the account's resources",
        request(identity_policies=ADMIN, resource_control_policies=rcps([RCP_FULL, DENY_ALL_RCP])),
        EXPLICIT,
    ),
]


CASES = SCP_CASES + RCP_CASES


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_corpus(case: Case) -> None:
    check(case)
