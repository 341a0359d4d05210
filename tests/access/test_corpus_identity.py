"""Corpus: evaluation order, identity/resource/boundary/session rules, matching, variables."""

from __future__ import annotations

from typing import Any

import pytest

from .corpus import (
    ADMIN,
    ALLOWED,
    ASSUME,
    B_ROLE,
    EXPLICIT,
    FED_USER,
    IMPLICIT,
    OBJECT,
    OTHER_SESSION,
    ROLE,
    S3_ONLY,
    SESSION,
    TARGET_ROLE,
    USER,
    A,
    B,
    Case,
    allow,
    check,
    deny,
    grant,
    ids,
    policy,
    request,
    scps,
)

CARLOS_POLICY = {
    "name": "carlos",
    "document": policy(
        {
            "Sid": "AllowS3ListRead",
            "Effect": "Allow",
            "Action": ["s3:GetBucketLocation", "s3:ListAllMyBuckets"],
            "Resource": "arn:aws:s3:::*",
        },
        {
            "Sid": "AllowS3Self",
            "Effect": "Allow",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"],
        },
        {"Sid": "DenyS3Logs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"},
    ),
}
CARLOS_BUCKET = policy(
    grant({"AWS": USER}, "s3:*", ["arn:aws:s3:::carlossalazar/*", "arn:aws:s3:::carlossalazar"])
)

# The cross-account example: Carlos in 111111111111, the Production bucket in 222222222222.
CARLOS_X = "arn:aws:iam::111111111111:user/carlossalazar"
CARLOS_X_POLICY = policy(
    {"Sid": "AllowS3ListRead", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
    {
        "Sid": "AllowS3ProductionObjectActions",
        "Effect": "Allow",
        "Action": "s3:*Object*",
        "Resource": "arn:aws:s3:::Production/*",
    },
    {
        "Sid": "DenyS3Logs",
        "Effect": "Deny",
        "Action": "s3:*",
        "Resource": ["arn:aws:s3:::*log*", "arn:aws:s3:::*log*/*"],
    },
)
PRODUCTION_BUCKET = policy(
    grant(
        {"AWS": CARLOS_X},
        ["s3:GetObject*", "s3:PutObject*", "s3:ReplicateObject", "s3:RestoreObject"],
        "arn:aws:s3:::Production/*",
    )
)


def carlos(resource: str, **fields: Any) -> dict[str, Any]:
    return {
        "principal": USER,
        "action": "s3:PutObject",
        "resource": resource,
        "resource_account": A,
    } | fields


def carlos_x(resource: str, **fields: Any) -> dict[str, Any]:
    base = {
        "principal": CARLOS_X,
        "action": "s3:PutObject",
        "resource": resource,
        "resource_account": "222222222222",
        "identity_policies": [CARLOS_X_POLICY],
    }
    return base | fields


EVALUATION_ORDER = [
    Case("identity allow", request(identity_policies=[policy(allow("s3:GetObject"))]), ALLOWED),
    Case(
        "identity deny beats identity allow",
        request(
            identity_policies=[policy(allow("s3:*"), deny("s3:GetObject", OBJECT, Sid="NoState"))]
        ),
        EXPLICIT,
        statement="NoState",
    ),
    Case(
        "boundary deny",
        request(
            identity_policies=[policy(allow("s3:*"))],
            permission_boundaries=[policy(allow("*"), deny("s3:Get*", Sid="BoundaryDeny"))],
        ),
        EXPLICIT,
        statement="BoundaryDeny",
    ),
    Case(
        "session policy deny",
        request(
            principal=SESSION,
            identity_policies=[policy(allow("s3:*"))],
            session_policy=policy(allow("*"), deny("s3:GetObject", Sid="SessionDeny")),
        ),
        EXPLICIT,
        statement="SessionDeny",
    ),
    Case(
        "resource policy deny to everyone beats identity allow",
        request(
            identity_policies=[policy(allow("s3:*"))],
            resource_policy=policy(
                grant("*", "s3:*", "arn:aws:s3:::state-bucket/*", "Deny", Sid="Lock")
            ),
        ),
        EXPLICIT,
        statement="Lock",
    ),
    Case(
        "resource policy deny naming another principal does not apply",
        request(
            identity_policies=[policy(allow("s3:*"))],
            resource_policy=policy(
                grant({"AWS": B}, "s3:*", "arn:aws:s3:::state-bucket/*", "Deny")
            ),
        ),
        ALLOWED,
    ),
    Case(
        "explicit deny is found before a missing SCP allow",
        request(
            identity_policies=[policy(deny("s3:*", Sid="Nope"))],
            service_control_policies=scps(ou=[]),
        ),
        EXPLICIT,
        statement="Nope",
    ),
    Case("no policy at all", request(), IMPLICIT, step="identity_policies"),
    Case(
        "an allow for another action",
        request(identity_policies=[policy(allow("s3:PutObject"))]),
        IMPLICIT,
        step="identity_policies",
    ),
]

DOCS_EXAMPLES = [
    Case(
        "carlos: put to a log bucket is explicitly denied",
        carlos("arn:aws:s3:::carlossalazar-logs", identity_policies=[CARLOS_POLICY]),
        EXPLICIT,
        statement="DenyS3Logs",
    ),
    Case(
        "carlos: put to his own bucket (identity and bucket policy)",
        carlos(
            "arn:aws:s3:::carlossalazar/notes.txt",
            identity_policies=[CARLOS_POLICY],
            resource_policy=CARLOS_BUCKET,
        ),
        ALLOWED,
    ),
    Case(
        "carlos: the bucket policy alone allows within the account",
        carlos("arn:aws:s3:::carlossalazar/notes.txt", resource_policy=CARLOS_BUCKET),
        ALLOWED,
        statement="#0",
    ),
    Case(
        "cross-account carlos: Production-logs is denied in the trusted account",
        carlos_x("arn:aws:s3:::Production-logs/file"),
        EXPLICIT,
        statement="DenyS3Logs",
    ),
    Case(
        "cross-account carlos: Production allowed by both accounts",
        carlos_x("arn:aws:s3:::Production/file", resource_policy=PRODUCTION_BUCKET),
        ALLOWED,
    ),
    Case(
        "cross-account: identity allows, no bucket policy",
        carlos_x("arn:aws:s3:::Production/file"),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "cross-account: bucket policy allows, identity does not",
        carlos_x(
            "arn:aws:s3:::Production/file", identity_policies=[], resource_policy=PRODUCTION_BUCKET
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "cross-account: bucket policy delegates to the account, identity allows",
        carlos_x(
            "arn:aws:s3:::Production/file",
            resource_policy=policy(
                grant({"AWS": "111111111111"}, "s3:PutObject", "arn:aws:s3:::Production/*")
            ),
        ),
        ALLOWED,
    ),
    Case(
        "cross-account: bucket policy for the account, not the action",
        carlos_x(
            "arn:aws:s3:::Production/file",
            resource_policy=policy(
                grant({"AWS": "arn:aws:iam::111111111111:root"}, "s3:GetObject")
            ),
        ),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "IAM example: iam:*Report is denied, iam:Get* allowed",
        request(
            "iam:GetOrganizationsAccessReport",
            "*",
            identity_policies=[
                policy(
                    allow(["iam:Get*", "iam:List*"], Sid="AllowGetList"),
                    deny("iam:*Report", Sid="DenyReports"),
                )
            ],
        ),
        EXPLICIT,
        statement="DenyReports",
    ),
    Case(
        "IAM example: iam:CreatePolicy is implicitly denied",
        request(
            "iam:CreatePolicy",
            "*",
            identity_policies=[policy(allow(["iam:Get*", "iam:List*"]), deny("iam:*Report"))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
]

GETS_ONLY = {"name": "gets-only", "document": policy(allow("s3:Get*"))}
BOUNDARY_CASES = [
    Case(
        "boundary limits the identity policy",
        request(
            "s3:PutObject",
            identity_policies=[policy(allow("s3:*"))],
            permission_boundaries=[GETS_ONLY],
        ),
        IMPLICIT,
        step="permission_boundaries",
    ),
    Case(
        "inside the boundary",
        request(identity_policies=[policy(allow("s3:*"))], permission_boundaries=[GETS_ONLY]),
        ALLOWED,
    ),
    Case(
        "a boundary grants nothing by itself",
        request(permission_boundaries=[GETS_ONLY]),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "every boundary must allow",
        request(
            identity_policies=ADMIN,
            permission_boundaries=[
                GETS_ONLY,
                {"name": "puts-only", "document": policy(allow("s3:Put*"))},
            ],
        ),
        IMPLICIT,
        step="permission_boundaries",
    ),
    Case(
        "same account: a resource policy naming the role is limited by the boundary",
        request(
            "s3:PutObject",
            permission_boundaries=[GETS_ONLY],
            resource_policy=policy(
                grant({"AWS": ROLE}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        IMPLICIT,
        step="permission_boundaries",
    ),
    Case(
        "same account: a resource policy naming the role needs no identity policy",
        request(
            "s3:PutObject",
            resource_policy=policy(
                grant({"AWS": ROLE}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        ALLOWED,
    ),
    Case(
        "same account: a resource policy naming the session is not limited by the boundary",
        request(
            "s3:PutObject",
            principal=SESSION,
            permission_boundaries=[GETS_ONLY],
            resource_policy=policy(
                grant({"AWS": SESSION}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        ALLOWED,
    ),
    Case(
        "same account: a resource policy naming the user is not limited by the boundary",
        request(
            "s3:PutObject",
            principal=USER,
            permission_boundaries=[GETS_ONLY],
            resource_policy=policy(
                grant({"AWS": USER}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        ALLOWED,
    ),
    Case(
        "same account: Principal * is not limited by the boundary",
        request(
            "s3:PutObject",
            permission_boundaries=[GETS_ONLY],
            resource_policy=policy(grant("*", "s3:PutObject", "arn:aws:s3:::state-bucket/*")),
        ),
        ALLOWED,
    ),
    Case(
        "same account: a resource policy naming only the account delegates to IAM",
        request(
            "s3:PutObject",
            resource_policy=policy(
                grant({"AWS": A}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "a role ARN with a path names the role's sessions",
        request(
            "s3:PutObject",
            principal=SESSION,
            resource_policy=policy(
                grant(
                    {"AWS": f"arn:aws:iam::{A}:role/team/deploy"},
                    "s3:PutObject",
                    "arn:aws:s3:::state-bucket/*",
                )
            ),
        ),
        ALLOWED,
    ),
    Case(
        "the closest principal match decides: an account grant before a role grant",
        request(
            "s3:PutObject",
            resource_policy=policy(
                grant({"AWS": A}, "s3:PutObject", "arn:aws:s3:::state-bucket/*"),
                grant({"AWS": ROLE}, "s3:*", "arn:aws:s3:::state-bucket/*", Sid="Deployer"),
            ),
        ),
        ALLOWED,
        statement="Deployer",
    ),
]

SESSION_CASES = [
    Case(
        "the session policy limits the role's permissions",
        request(
            "s3:PutObject",
            principal=SESSION,
            identity_policies=[policy(allow("s3:*"))],
            session_policy=policy(allow("s3:GetObject")),
        ),
        IMPLICIT,
        step="session_policy",
    ),
    Case(
        "inside the session policy",
        request(
            principal=SESSION,
            identity_policies=[policy(allow("s3:*"))],
            session_policy=policy(allow("s3:GetObject")),
        ),
        ALLOWED,
    ),
    Case(
        "a session policy grants nothing by itself",
        request(principal=SESSION, session_policy=policy(allow("s3:GetObject"))),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "a resource policy naming the role is limited by the session policy",
        request(
            "s3:PutObject",
            principal=SESSION,
            session_policy=policy(allow("s3:GetObject")),
            resource_policy=policy(
                grant({"AWS": ROLE}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        IMPLICIT,
        step="session_policy",
    ),
    Case(
        "a resource policy naming the session is not limited by the session policy",
        request(
            "s3:PutObject",
            principal=SESSION,
            session_policy=policy(allow("s3:GetObject")),
            resource_policy=policy(
                grant({"AWS": SESSION}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        ALLOWED,
    ),
    Case(
        "a resource policy naming another session of the same role",
        request(
            "s3:PutObject",
            principal=SESSION,
            resource_policy=policy(
                grant({"AWS": OTHER_SESSION}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")
            ),
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "a federated user session without a session policy has no permissions",
        request(principal=FED_USER, identity_policies=ADMIN),
        IMPLICIT,
        step="session_policy",
    ),
    Case(
        "a federated user session within its session policy",
        request(
            principal=FED_USER, identity_policies=ADMIN, session_policy=policy(allow("s3:Get*"))
        ),
        ALLOWED,
    ),
]

ASSUME_CASES = [
    Case(
        "same account: the trust policy names the caller's role, no identity policy needed",
        request(ASSUME, TARGET_ROLE, resource_policy=policy(grant({"AWS": ROLE}, ASSUME))),
        ALLOWED,
    ),
    Case(
        "same account: the trust policy names the account, the identity policy must allow",
        request(
            ASSUME,
            TARGET_ROLE,
            resource_policy=policy(grant({"AWS": f"arn:aws:iam::{A}:root"}, ASSUME)),
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "same account: trust names the account and the identity policy allows",
        request(
            ASSUME,
            TARGET_ROLE,
            identity_policies=[policy(allow(ASSUME, TARGET_ROLE))],
            resource_policy=policy(grant({"AWS": A}, ASSUME)),
        ),
        ALLOWED,
    ),
    Case(
        "a role cannot be assumed without its trust policy allowing",
        request(ASSUME, TARGET_ROLE, identity_policies=[policy(allow(ASSUME, TARGET_ROLE))]),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "a trust policy for another principal",
        request(
            ASSUME,
            TARGET_ROLE,
            identity_policies=ADMIN,
            resource_policy=policy(grant({"AWS": f"arn:aws:iam::{A}:role/other"}, ASSUME)),
        ),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "cross-account: trust in B names the role in A, identity in A allows",
        request(
            ASSUME,
            B_ROLE,
            resource_account=B,
            identity_policies=[policy(allow(ASSUME, f"arn:aws:iam::{B}:role/*"))],
            resource_policy=policy(grant({"AWS": ROLE}, ASSUME)),
        ),
        ALLOWED,
    ),
    Case(
        "cross-account: the trust allows but the caller's identity policy does not",
        request(
            ASSUME, B_ROLE, resource_account=B, resource_policy=policy(grant({"AWS": ROLE}, ASSUME))
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "cross-account: the account is taken from the role ARN",
        request(
            ASSUME,
            B_ROLE,
            resource_account=None,
            resource_policy=policy(grant({"AWS": ROLE}, ASSUME)),
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "cross-account: the caller's SCPs apply",
        request(
            ASSUME,
            B_ROLE,
            resource_account=B,
            identity_policies=ADMIN,
            resource_policy=policy(grant({"AWS": ROLE}, ASSUME)),
            service_control_policies=scps(ou=[S3_ONLY]),
        ),
        IMPLICIT,
        step="service_control_policies",
        level="ou-plat",
    ),
    Case(
        "trust with an external id: missing",
        request(
            ASSUME,
            B_ROLE,
            resource_account=B,
            identity_policies=ADMIN,
            resource_policy=policy(
                grant({"AWS": A}, ASSUME, Condition={"StringEquals": {"sts:ExternalId": "s3cr3t"}})
            ),
        ),
        IMPLICIT,
        step="resource_policy",
    ),
    Case(
        "trust with an external id: given",
        request(
            ASSUME,
            B_ROLE,
            resource_account=B,
            context={"sts:ExternalId": "s3cr3t"},
            identity_policies=ADMIN,
            resource_policy=policy(
                grant({"AWS": A}, ASSUME, Condition={"StringEquals": {"sts:ExternalId": "s3cr3t"}})
            ),
        ),
        ALLOWED,
    ),
    Case(
        "KMS: the key policy enables IAM policies of the account",
        request(
            "kms:Decrypt",
            f"arn:aws:kms:eu-west-1:{A}:key/1234abcd",
            identity_policies=[policy(allow("kms:Decrypt"))],
            resource_policy=policy(grant({"AWS": f"arn:aws:iam::{A}:root"}, "kms:*", "*")),
        ),
        ALLOWED,
    ),
    Case(
        "KMS: without a key policy, IAM policies alone do not allow",
        request("kms:Decrypt", f"arn:aws:kms:eu-west-1:{A}:key/1234abcd", identity_policies=ADMIN),
        IMPLICIT,
        step="resource_policy",
    ),
]

AUDIT_SESSION = (
    f"arn:aws:sts::{B}:assumed-role/cross-account-read-only-role/cross-account-audit-app"
)
AUDIT_ROLE = f"arn:aws:iam::{B}:role/cross-account-read-only-role"
AUDIT_BUCKET = "arn:aws:s3:::Bucket_AccountAudit"


def audit(principal: str, not_principal: list[str]) -> dict[str, Any]:
    return request(
        principal=principal,
        identity_policies=ADMIN,
        resource=f"{AUDIT_BUCKET}/report.csv",
        resource_policy=policy(
            grant({"AWS": B}, "s3:GetObject", f"{AUDIT_BUCKET}/*"),
            {
                "Sid": "DenyAllButAudit",
                "Effect": "Deny",
                "NotPrincipal": {"AWS": not_principal},
                "Action": "s3:*",
                "Resource": [AUDIT_BUCKET, f"{AUDIT_BUCKET}/*"],
            },
        ),
    )


NOT_CASES = [
    Case(
        "NotAction deny: everything but IAM is denied",
        request(
            identity_policies=[
                policy(
                    allow("*"),
                    {"Sid": "OnlyIam", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*"},
                )
            ]
        ),
        EXPLICIT,
        statement="OnlyIam",
    ),
    Case(
        "NotAction deny: IAM actions pass",
        request(
            "iam:CreateUser",
            f"arn:aws:iam::{A}:user/bob",
            identity_policies=[
                policy(allow("*"), {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"})
            ],
        ),
        ALLOWED,
    ),
    Case(
        "NotAction allow: everything except IAM",
        request(
            "iam:CreateUser",
            f"arn:aws:iam::{A}:user/bob",
            identity_policies=[policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "NotResource allow: outside the secret prefix",
        request(
            resource="arn:aws:s3:::state-bucket/public/x",
            identity_policies=[
                policy(
                    {
                        "Effect": "Allow",
                        "Action": "s3:*",
                        "NotResource": "arn:aws:s3:::state-bucket/secret/*",
                    }
                )
            ],
        ),
        ALLOWED,
    ),
    Case(
        "NotResource allow: the secret prefix is excluded",
        request(
            resource="arn:aws:s3:::state-bucket/secret/x",
            identity_policies=[
                policy(
                    {
                        "Effect": "Allow",
                        "Action": "s3:*",
                        "NotResource": "arn:aws:s3:::state-bucket/secret/*",
                    }
                )
            ],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "NotPrincipal deny: the listed session, role and account pass",
        audit(AUDIT_SESSION, [AUDIT_SESSION, AUDIT_ROLE, f"arn:aws:iam::{B}:root"]),
        ALLOWED,
    ),
    Case(
        "NotPrincipal deny: another session of the role is denied",
        audit(
            f"arn:aws:sts::{B}:assumed-role/cross-account-read-only-role/other",
            [AUDIT_SESSION, AUDIT_ROLE, f"arn:aws:iam::{B}:root"],
        ),
        EXPLICIT,
        statement="DenyAllButAudit",
    ),
    Case(
        "NotPrincipal deny: listing only the session still denies it (role and account unlisted)",
        audit(AUDIT_SESSION, [AUDIT_SESSION]),
        EXPLICIT,
        statement="DenyAllButAudit",
    ),
    Case(
        "NotPrincipal deny: a user listed with its account passes",
        audit(
            f"arn:aws:iam::{B}:user/Bob", [f"arn:aws:iam::{B}:user/Bob", f"arn:aws:iam::{B}:root"]
        ),
        ALLOWED,
    ),
]

WILDCARD_CASES = [
    Case(
        "actions ignore case",
        request("s3:GetObject", identity_policies=[policy(allow("S3:getobject"))]),
        ALLOWED,
    ),
    Case(
        "action wildcards ignore case",
        request("s3:GetObject", identity_policies=[policy(allow("s3:get*"))]),
        ALLOWED,
    ),
    Case(
        "? matches one character",
        request("s3:GetObject", identity_policies=[policy(allow("s3:Get?bject"))]),
        ALLOWED,
    ),
    Case(
        "? does not match two characters",
        request("s3:GetObject", identity_policies=[policy(allow("s3:G?Object"))]),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "an action pattern matches the whole action",
        request("s3:GetObjectAcl", identity_policies=[policy(allow("s3:GetObject"))]),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "ARNs are case-sensitive",
        request(identity_policies=[policy(allow("s3:*", "arn:aws:s3:::State-Bucket/*"))]),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "ARN wildcards do not cross the first five colons",
        request(
            "someservice:Read",
            "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt",
            identity_policies=[policy(allow("*", "arn:aws:someservice:*:111122223333:finance/*"))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "the resource part may contain colons and slashes",
        request(
            "logs:PutLogEvents",
            f"arn:aws:logs:eu-west-1:{A}:log-group:/aws/lambda/fn:log-stream:2024/06/01",
            identity_policies=[
                policy(allow("logs:*", f"arn:aws:logs:eu-west-1:{A}:log-group:/aws/lambda/*"))
            ],
        ),
        ALLOWED,
    ),
    Case(
        "wildcards in region and account segments",
        request(
            "sqs:SendMessage",
            f"arn:aws:sqs:eu-west-1:{A}:queue-1",
            identity_policies=[policy(allow("sqs:*", "arn:aws:sqs:*:*:queue-?"))],
        ),
        ALLOWED,
    ),
    Case(
        "? in the resource part matches exactly one character",
        request(
            "sqs:SendMessage",
            f"arn:aws:sqs:eu-west-1:{A}:queue-10",
            identity_policies=[policy(allow("sqs:*", "arn:aws:sqs:*:*:queue-?"))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "Resource * matches requests on * (actions without resource-level permissions)",
        request(
            "s3:ListAllMyBuckets", "*", identity_policies=[policy(allow("s3:ListAllMyBuckets"))]
        ),
        ALLOWED,
    ),
    Case(
        "an ARN pattern does not match a request on *",
        request(
            "s3:ListAllMyBuckets",
            "*",
            identity_policies=[policy(allow("s3:ListAllMyBuckets", "arn:aws:s3:::*"))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
]

HOME = "arn:aws:s3:::mybucket/${aws:username}/*"
BOB = f"arn:aws:iam::{A}:user/bob"
TEAM_BUCKET = "arn:aws:s3:::DOC-EXAMPLE-BUCKET-${aws:PrincipalTag/team, 'company-wide'}"
VARIABLE_CASES = [
    Case(
        "${aws:username} in a resource: the user's own prefix",
        request(
            "s3:PutObject",
            "arn:aws:s3:::mybucket/bob/notes.txt",
            principal=BOB,
            identity_policies=[policy(allow("s3:PutObject", HOME))],
        ),
        ALLOWED,
    ),
    Case(
        "${aws:username} in a resource: another user's prefix",
        request(
            "s3:PutObject",
            "arn:aws:s3:::mybucket/alice/notes.txt",
            principal=BOB,
            identity_policies=[policy(allow("s3:PutObject", HOME))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "without Version 2012-10-17, ${...} is plain text",
        request(
            "s3:PutObject",
            "arn:aws:s3:::mybucket/bob/notes.txt",
            principal=BOB,
            identity_policies=[policy(allow("s3:PutObject", HOME), version="2008-10-17")],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "${aws:username} does not exist for roles: the resource matches nothing",
        request(
            "s3:PutObject",
            "arn:aws:s3:::mybucket/deploy/notes.txt",
            identity_policies=[policy(allow("s3:PutObject", HOME))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "a tag variable with a default: the tag is set",
        request(
            "s3:GetObject",
            "arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow",
            context={"aws:PrincipalTag/team": "yellow"},
            identity_policies=[policy(allow("s3:GetObject", TEAM_BUCKET))],
        ),
        ALLOWED,
    ),
    Case(
        "a tag variable with a default: no tag, the default bucket",
        request(
            "s3:GetObject",
            "arn:aws:s3:::DOC-EXAMPLE-BUCKET-company-wide",
            identity_policies=[policy(allow("s3:GetObject", TEAM_BUCKET))],
        ),
        ALLOWED,
    ),
    Case(
        "a tag variable with a default: no tag, not the team bucket",
        request(
            "s3:GetObject",
            "arn:aws:s3:::DOC-EXAMPLE-BUCKET-yellow",
            identity_policies=[policy(allow("s3:GetObject", TEAM_BUCKET))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "${*} is a literal asterisk",
        request(
            "s3:GetObject",
            "arn:aws:s3:::mybucket/x",
            identity_policies=[policy(allow("s3:GetObject", "arn:aws:s3:::mybucket/${*}"))],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "${*} matches an asterisk",
        request(
            "s3:GetObject",
            "arn:aws:s3:::mybucket/*",
            identity_policies=[policy(allow("s3:GetObject", "arn:aws:s3:::mybucket/${*}"))],
        ),
        ALLOWED,
    ),
    Case(
        "a variable's value is literal, not a wildcard",
        request(
            "s3:GetObject",
            "arn:aws:s3:::mybucket/anything",
            context={"aws:PrincipalTag/prefix": "*"},
            identity_policies=[
                policy(allow("s3:GetObject", "arn:aws:s3:::mybucket/${aws:PrincipalTag/prefix}"))
            ],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
]

CONDITION_CASES = [
    Case(
        "IpAddress: from the office range",
        request(
            context={"aws:SourceIp": "203.0.113.7"},
            identity_policies=[
                policy(allow("s3:*", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
            ],
        ),
        ALLOWED,
    ),
    Case(
        "IpAddress: from elsewhere",
        request(
            context={"aws:SourceIp": "198.51.100.7"},
            identity_policies=[
                policy(allow("s3:*", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
            ],
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "Bool: deny without TLS",
        request(
            context={"aws:SecureTransport": False},
            identity_policies=ADMIN,
            resource_policy=policy(
                grant(
                    "*",
                    "s3:*",
                    "arn:aws:s3:::state-bucket/*",
                    "Deny",
                    Sid="TLSOnly",
                    Condition={"Bool": {"aws:SecureTransport": "false"}},
                )
            ),
        ),
        EXPLICIT,
        statement="TLSOnly",
    ),
    Case(
        "ForAllValues with a missing key makes a Deny apply",
        request(
            identity_policies=[
                policy(
                    allow("*"),
                    deny(
                        "*",
                        Sid="TagKeys",
                        Condition={"ForAllValues:StringNotLike": {"aws:TagKeys": "key1*"}},
                    ),
                )
            ]
        ),
        EXPLICIT,
        statement="TagKeys",
    ),
    Case(
        "ForAnyValue with a missing key does not make a Deny apply",
        request(
            identity_policies=[
                policy(
                    allow("*"),
                    deny("*", Condition={"ForAnyValue:StringEquals": {"aws:TagKeys": "secret"}}),
                )
            ]
        ),
        ALLOWED,
    ),
    Case(
        "a context key given in another case",
        request(
            context={"AWS:SOURCEIP": "203.0.113.7"},
            identity_policies=[
                policy(allow("s3:*", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}))
            ],
        ),
        ALLOWED,
    ),
    Case(
        "aws:PrincipalArn is set from the caller (session -> role ARN)",
        request(
            principal=SESSION,
            identity_policies=[
                policy(allow("s3:*", Condition={"ArnEquals": {"aws:PrincipalArn": ROLE}}))
            ],
        ),
        ALLOWED,
    ),
    Case(
        "aws:PrincipalAccount is set from the caller",
        request(
            identity_policies=[
                policy(allow("s3:*", Condition={"StringEquals": {"aws:PrincipalAccount": B}}))
            ]
        ),
        IMPLICIT,
        step="identity_policies",
    ),
    Case(
        "aws:ResourceAccount is set from the resource",
        request(
            identity_policies=[
                policy(allow("s3:*", Condition={"StringEquals": {"aws:ResourceAccount": A}}))
            ]
        ),
        ALLOWED,
    ),
]


CASES = (
    EVALUATION_ORDER
    + DOCS_EXAMPLES
    + BOUNDARY_CASES
    + SESSION_CASES
    + ASSUME_CASES
    + NOT_CASES
    + WILDCARD_CASES
    + VARIABLE_CASES
    + CONDITION_CASES
)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_corpus(case: Case) -> None:
    check(case)
