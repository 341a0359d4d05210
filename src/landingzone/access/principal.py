"""The principal that makes a request: who it is, which account, which role.

`Principal.parse` understands the identifiers AWS uses for callers:

- `arn:aws:iam::ACCOUNT:root` (the account's root user),
- `arn:aws:iam::ACCOUNT:user/PATH/NAME`,
- `arn:aws:iam::ACCOUNT:role/PATH/NAME` (a session of that role, session name unknown),
- `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`,
- `arn:aws:sts::ACCOUNT:federated-user/NAME` (a `GetFederationToken` session),
- federated identity providers: `arn:aws:iam::ACCOUNT:oidc-provider/HOST`,
  `arn:aws:iam::ACCOUNT:saml-provider/NAME` and the built-in web identity
  providers (`accounts.google.com`, `graph.facebook.com`, `www.amazon.com`,
  `cognito-identity.amazonaws.com`),
- AWS service principals (`cloudtrail.amazonaws.com`),
- `anonymous`: an unauthenticated request (no credentials), which only a
  resource-based policy naming everyone (`"*"`) can allow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from landingzone.access.errors import RequestError

ACCOUNT_ID = re.compile(r"\d{12}")
SERVICE_LINKED_ROLE_PATH = "aws-service-role/"
WEB_IDENTITY_PROVIDERS = frozenset(
    {
        "accounts.google.com",
        "graph.facebook.com",
        "www.amazon.com",
        "cognito-identity.amazonaws.com",
    }
)
SERVICE_PRINCIPAL_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".amazon.com")
ANONYMOUS = "anonymous"


class PrincipalKind(StrEnum):
    """What sort of caller a principal is."""

    ROOT = "root"
    USER = "user"
    ROLE_SESSION = "role_session"
    FEDERATED_USER = "federated_user"
    SERVICE = "service"
    FEDERATED = "federated"
    ANONYMOUS = "anonymous"


# (service, resource type) of an ARN -> the kind of caller it names; `root` has no name.
_IAM_RESOURCE_KINDS = {
    ("iam", "root"): PrincipalKind.ROOT,
    ("iam", "user"): PrincipalKind.USER,
    ("iam", "role"): PrincipalKind.ROLE_SESSION,
    ("iam", "oidc-provider"): PrincipalKind.FEDERATED,
    ("iam", "saml-provider"): PrincipalKind.FEDERATED,
    ("sts", "assumed-role"): PrincipalKind.ROLE_SESSION,
    ("sts", "federated-user"): PrincipalKind.FEDERATED_USER,
}

IAM_KINDS = frozenset(
    {
        PrincipalKind.ROOT,
        PrincipalKind.USER,
        PrincipalKind.ROLE_SESSION,
        PrincipalKind.FEDERATED_USER,
    }
)


@dataclass(frozen=True, slots=True)
class Principal:
    """A caller, parsed once from its identifier.

    `role` is `(account, role name)` for role sessions; `session_arn` is the
    `assumed-role` ARN when the caller was given as a session; `role_path` is
    the role's path when the caller was given as a role ARN (`None` otherwise).
    """

    text: str
    kind: PrincipalKind
    partition: str | None = None
    account: str | None = None
    role: tuple[str, str] | None = None
    session_arn: str | None = None
    role_path: str | None = None

    @property
    def is_iam(self) -> bool:
        """True for principals that live in an account: root, users, role and federated sessions."""
        return self.kind in IAM_KINDS

    @property
    def is_service_linked_role(self) -> bool:
        """True for a role under `role/aws-service-role/` (exempt from SCPs and RCPs)."""
        return self.role_path is not None and self.role_path.startswith(SERVICE_LINKED_ROLE_PATH)

    @property
    def arn(self) -> str | None:
        """The value of `aws:PrincipalArn`: the role's ARN for role sessions."""
        if self.role is not None and self.session_arn is not None:
            account, name = self.role
            return f"arn:{self.partition}:iam::{account}:role/{name}"
        return self.text if self.is_iam else None

    @classmethod
    def parse(cls, text: str) -> Principal:
        """Parse a caller identifier; raise `RequestError` for anything unrecognised."""
        if not text.startswith("arn:"):
            return _parse_non_arn(text)
        parts = text.split(":", 5)
        if len(parts) != 6:
            raise RequestError(
                f"principal {text!r} is not an ARN (arn:partition:service::account:...)"
            )
        _, partition, service, _region, account, resource = parts
        if not ACCOUNT_ID.fullmatch(account):
            raise RequestError(f"principal {text!r}: account {account!r} is not a 12-digit id")
        kind, _, name = resource.partition("/")
        found = _IAM_RESOURCE_KINDS.get((service, kind))
        if found is None or not _name_fits(kind, name):
            raise RequestError(
                f"principal {text!r} is not a root, user, role, assumed-role, federated-user, "
                "oidc-provider or saml-provider ARN"
            )
        if found is not PrincipalKind.ROLE_SESSION:
            return cls(text=text, kind=found, partition=partition, account=account)
        if kind == "assumed-role":
            return cls(
                text=text,
                kind=found,
                partition=partition,
                account=account,
                role=(account, name.split("/", 1)[0]),
                session_arn=text,
            )
        path, _, role_name = name.rpartition("/")
        return cls(
            text=text,
            kind=found,
            partition=partition,
            account=account,
            role=(account, role_name),
            role_path=f"{path}/" if path else "",
        )


def _name_fits(kind: str, name: str) -> bool:
    """`root` has no name, `assumed-role/ROLE/SESSION` two parts, every other kind a name."""
    if kind == "root":
        return name == ""
    if kind == "assumed-role":
        return name.count("/") == 1 and all(name.split("/"))
    return bool(name)


def _parse_non_arn(text: str) -> Principal:
    if text == ANONYMOUS:
        return Principal(text=text, kind=PrincipalKind.ANONYMOUS)
    if text in WEB_IDENTITY_PROVIDERS:
        return Principal(text=text, kind=PrincipalKind.FEDERATED)
    if text.endswith(SERVICE_PRINCIPAL_SUFFIXES) and "*" not in text:
        return Principal(text=text, kind=PrincipalKind.SERVICE)
    raise RequestError(
        f"principal {text!r} is not an ARN, a service principal (NAME.amazonaws.com), "
        f"a built-in web identity provider or {ANONYMOUS!r}"
    )
