"""Decisions per second of the access evaluator on a realistic mix.

Each request is evaluated against an identity-based policy (10 statements,
with conditions and a policy variable), a permissions boundary, an SCP chain
of three levels (root, OU, account; allow lists, region and CloudTrail
denies) and a bucket policy with conditions (TLS, organization, source IP).
The mix covers allows, explicit denies, implicit denies at SCP and boundary
levels, and cross-account requests. Policies and requests are built once, as
an org-wide model would; the timing covers `evaluate` only.

    PYTHONPATH=src python benchmarks/access_eval.py [--decisions N] [--rounds R]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections import Counter
from typing import Any

from landingzone.access import (
    Context,
    PolicyKind,
    PolicyLevel,
    Principal,
    Request,
    evaluate,
    parse_policy,
)

ACCOUNT = "111122223333"
OTHER = "444455556666"
ORG = "o-abc123"
BUCKET = "arn:aws:s3:::state-bucket"


def _identity() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Describe",
                "Effect": "Allow",
                "Action": ["ec2:Describe*", "s3:List*"],
                "Resource": "*",
            },
            {
                "Sid": "Logs",
                "Effect": "Allow",
                "Action": "logs:*",
                "Resource": f"arn:aws:logs:*:{ACCOUNT}:log-group:/app/*",
            },
            {
                "Sid": "State",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": f"{BUCKET}/${{aws:PrincipalTag/team}}/*",
            },
            {
                "Sid": "Queues",
                "Effect": "Allow",
                "Action": "sqs:*",
                "Resource": f"arn:aws:sqs:eu-*:{ACCOUNT}:app-*",
                "Condition": {
                    "StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}
                },
            },
            {
                "Sid": "Assume",
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Resource": f"arn:aws:iam::{OTHER}:role/*",
            },
            {
                "Sid": "Kms",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
            },
            {
                "Sid": "Tagging",
                "Effect": "Allow",
                "Action": "ec2:CreateTags",
                "Resource": "*",
                "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}},
            },
            {"Sid": "NoIam", "Effect": "Deny", "Action": "iam:*", "Resource": "*"},
            {
                "Sid": "NoDeleteState",
                "Effect": "Deny",
                "Action": "s3:DeleteObject",
                "Resource": f"{BUCKET}/*",
            },
            {
                "Sid": "OfficeOnly",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": {
                    "NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]},
                    "Bool": {"aws:ViaAWSService": "false"},
                },
            },
        ],
    }


def _boundary() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:*", "ec2:*", "logs:*", "sts:AssumeRole", "kms:*"],
                "Resource": "*",
            },
            {"Effect": "Deny", "Action": "s3:PutBucketPolicy", "Resource": "*"},
        ],
    }


def _scp_levels() -> tuple[PolicyLevel, ...]:
    full = {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    regions = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Regions",
                "Effect": "Deny",
                "NotAction": ["iam:*", "sts:*", "organizations:*", "support:*"],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}
                },
            }
        ],
    }
    trail = {
        "Statement": [
            {
                "Sid": "ProtectTrail",
                "Effect": "Deny",
                "Action": [
                    "cloudtrail:StopLogging",
                    "cloudtrail:DeleteTrail",
                    "cloudtrail:UpdateTrail",
                ],
                "Resource": "*",
                "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}},
            }
        ],
    }
    workloads = {
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["s3:*", "ec2:*", "logs:*", "sts:*", "kms:*", "sqs:*"],
                "Resource": "*",
            }
        ]
    }

    def level(target: str, *documents: dict[str, Any]) -> PolicyLevel:
        return PolicyLevel(
            target,
            tuple(
                parse_policy(d, kind=PolicyKind.SCP, label=f"{target}-{i}")
                for i, d in enumerate(documents)
            ),
        )

    return (
        level("r-root", full),
        level("ou-workloads", workloads, regions),
        level(ACCOUNT, full, trail),
    )


def _bucket_policy() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TLSOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [BUCKET, f"{BUCKET}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "OrgOnly",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [BUCKET, f"{BUCKET}/*"],
                "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": ORG}},
            },
            {
                "Sid": "Deployers",
                "Effect": "Allow",
                "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:role/deploy", OTHER]},
                "Action": ["s3:GetObject", "s3:PutObject"],
                "Resource": f"{BUCKET}/*",
                "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}},
            },
        ],
    }


def build_requests() -> list[Request]:
    """The mix: each request shares the parsed policies."""
    identity = parse_policy(_identity(), kind=PolicyKind.IDENTITY, label="deploy")
    partner_reads = parse_policy(
        {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{BUCKET}/*"}},
        kind=PolicyKind.IDENTITY,
        label="partner-reads",
    )
    boundary = parse_policy(_boundary(), kind=PolicyKind.BOUNDARY, label="boundary")
    bucket = parse_policy(_bucket_policy(), kind=PolicyKind.RESOURCE, label="state-bucket")
    scps = _scp_levels()
    role = Principal.parse(f"arn:aws:iam::{ACCOUNT}:role/deploy")
    partner = Principal.parse(f"arn:aws:sts::{OTHER}:assumed-role/partner/ci")
    base = {
        "aws:SourceIp": "203.0.113.7",
        "aws:SecureTransport": True,
        "aws:ViaAWSService": False,
        "aws:PrincipalOrgID": ORG,
        "aws:RequestedRegion": "eu-west-1",
        "aws:PrincipalTag/team": "payments",
    }
    mix: list[tuple[Principal, str, str, dict[str, Any]]] = [
        (role, "s3:GetObject", f"{BUCKET}/payments/terraform.tfstate", {}),
        (role, "s3:PutObject", f"{BUCKET}/payments/terraform.tfstate", {}),
        (role, "s3:PutObject", f"{BUCKET}/search/terraform.tfstate", {}),
        (role, "s3:DeleteObject", f"{BUCKET}/payments/terraform.tfstate", {}),
        (role, "s3:GetObject", f"{BUCKET}/payments/x", {"aws:SecureTransport": False}),
        (role, "ec2:DescribeInstances", "*", {}),
        (role, "ec2:RunInstances", "*", {"aws:RequestedRegion": "us-east-1"}),
        (role, "sqs:SendMessage", f"arn:aws:sqs:eu-west-1:{ACCOUNT}:app-orders", {}),
        (
            role,
            "logs:PutLogEvents",
            f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/app/api:log-stream:1",
            {},
        ),
        (role, "iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/x", {}),
        (role, "cloudtrail:StopLogging", f"arn:aws:cloudtrail:eu-west-1:{ACCOUNT}:trail/org", {}),
        (role, "s3:GetObject", f"{BUCKET}/payments/x", {"aws:SourceIp": "198.51.100.1"}),
        (role, "ec2:CreateTags", "*", {"aws:TagKeys": ["team", "owner"]}),
        (partner, "s3:GetObject", f"{BUCKET}/payments/x", {}),
    ]
    requests = []
    for principal, action, resource, extra in mix:
        same_account = principal.account == ACCOUNT
        requests.append(
            Request(
                principal=principal,
                action=action,
                resource=resource,
                resource_account=ACCOUNT,
                context=Context.from_json(base | extra),
                identity_policies=(identity,) if same_account else (partner_reads,),
                permission_boundaries=(boundary,) if same_account else (),
                resource_policy=bucket if action.startswith("s3:") else None,
                service_control_policies=scps if same_account else None,
            )
        )
    return requests


def run(decisions: int, rounds: int) -> dict[str, Any]:
    """Time `decisions` evaluations `rounds` times; report the best round."""
    requests = build_requests()
    outcomes = Counter(evaluate(request).outcome.value for request in requests)
    batch = (requests * (decisions // len(requests) + 1))[:decisions]
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for request in batch:
            evaluate(request)
        best = min(best, time.perf_counter() - start)
    return {
        "benchmark": "access_eval",
        "decisions": decisions,
        "rounds": rounds,
        "best_seconds": round(best, 4),
        "decisions_per_second": round(decisions / best),
        "mix_outcomes": dict(sorted(outcomes.items())),
        "mix_size": len(requests),
        "python": platform.python_version(),
    }


def main() -> None:
    """Parse arguments, run, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run(args.decisions, args.rounds), sort_keys=True))


if __name__ == "__main__":
    main()
