"""IAM Identity Center as the access model sees it: people reach accounts through SAML.

Each permission set assigned in an account becomes, in that account, the
role `AWSReservedSSO_<set>_<suffix>` (path `/aws-reserved/sso.amazonaws.com/`)
with the set's policies, trusted by the account's SAML provider
`AWSSSO_<id>_DO_NOT_DELETE` for `sts:AssumeRoleWithSAML`. The groups and
users assigned are actors (`sso:group/NAME`, `sso:user/NAME`) that act only
by signing in to those roles. AWS picks the suffixes at random; the model's
are its own (stable per set and account), so name these roles with a
pattern: `role:prod/AWSReservedSSO_Admin_*`.
"""

from __future__ import annotations

import hashlib
from typing import Any

ASSUME_SAML = "sts:AssumeRoleWithSAML"
SAML_AUDIENCE = "https://signin.aws.amazon.com/saml"
RESERVED_PATH = "/aws-reserved/sso.amazonaws.com/"
INLINE_POLICY = "AwsSSOInlinePolicy"
PROVIDER = "AWSSSO_" + hashlib.sha256(b"lz-model").hexdigest()[:16] + "_DO_NOT_DELETE"


def reserved_role_name(permission_set: str, account: str) -> str:
    """The model's name of a permission set's role in an account."""
    suffix = hashlib.sha256(f"{permission_set}/{account}".encode()).hexdigest()[:16]
    return f"AWSReservedSSO_{permission_set}_{suffix}"


def saml_provider_arn(account_id: str) -> str:
    """The SAML provider Identity Center keeps in each account it provisions to."""
    return f"arn:aws:iam::{account_id}:saml-provider/{PROVIDER}"


def trust_document(account_id: str) -> dict[str, Any]:
    """The trust policy of a reserved role, as Identity Center writes it."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": saml_provider_arn(account_id)},
                "Action": [ASSUME_SAML, "sts:TagSession"],
                "Condition": {"StringEquals": {"SAML:aud": SAML_AUDIENCE}},
            }
        ],
    }


def parse_label(label: str) -> tuple[str, str, str]:
    """`ACCOUNT/group:NAME` (a permission set's `assignments`) -> (account, GROUP, NAME)."""
    account, _, rest = label.partition("/")
    kind, _, name = rest.partition(":")
    return account, kind.upper(), name


def actor_key(principal_type: str, name: str) -> str:
    """`sso:group/NAME` or `sso:user/NAME`."""
    return f"sso:{principal_type.lower()}/{name}"
