"""IAM as lz uses it: AWS managed policies, OIDC client IDs, UpdateRole, trust principals.

- AWS managed policies (`arn:aws:iam::aws:policy/...`) exist in every account:
  moto only has them with MOTO_IAM_LOAD_MANAGED_POLICIES, which builds all of
  them (about 1,600) in every account's backend. Here one is added to an
  account's backend the first time a call names it (from moto's own copy).
- AddClientIDToOpenIDConnectProvider and RemoveClientIDFromOpenIDConnectProvider,
  which moto does not implement.
- UpdateRole changes only the parameters given (moto reset an omitted
  Description to none and MaxSessionDuration to 3600).
- CreateRole and UpdateAssumeRolePolicy refuse (while `refusals` is on), with
  MalformedPolicyDocument "Invalid principal in policy", a trust policy whose
  principal is a role or an OIDC provider that does not exist in its account.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from typing import Any

import moto.iam.urls
from moto.core.responses import ActionResult, EmptyResult
from moto.iam.exceptions import MalformedPolicyDocument
from moto.iam.models import AWSManagedPolicy, IAMBackend, iam_backends
from moto.iam.responses import IamResponse

from landingzone.emulator.controls import refusing
from landingzone.emulator.patching import overrides, routes_to, use_backend

_AWS_POLICY = "arn:aws:iam::aws:policy"
# Adding a policy to an account's backend while another request iterates its
# policies (moto's server is threaded) would fail that request.
_POLICIES_LOCK = threading.RLock()


@cache
def _aws_policies() -> dict[str, tuple[str, dict[str, Any]]]:
    """moto's copy of the AWS managed policies: ARN -> (name, data). Parsed once."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    return {
        f"{_AWS_POLICY}{data.get('Path', '/')}{name}": (name, data)
        for name, data in json.loads(aws_managed_policies_data).items()
    }


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def trust_principals(document: str) -> list[tuple[str, str]]:
    """The (kind, ARN) principals of a trust policy that name roles or OIDC providers."""
    try:
        policy = json.loads(document)
    except ValueError:
        return []  # moto's own validation reports it
    statements = policy.get("Statement", []) if isinstance(policy, dict) else []
    found = []
    for statement in _as_list(statements):
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        if not isinstance(principal, dict):
            continue
        for kind in ("AWS", "Federated"):
            for arn in _as_list(principal.get(kind, [])):
                if isinstance(arn, str) and (":role/" in arn or ":oidc-provider/" in arn):
                    found.append((kind, arn))
    return found


class IamCompatBackend(IAMBackend):
    """moto's IAM backend with AWS managed policies on demand and AWS's trust checks."""

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    def use_aws_policy(self, arn: str | None) -> None:
        """Make the AWS managed policy `arn` exist in this account (if it is one)."""
        if not arn or arn in self.managed_policies:
            return
        known = _aws_policies().get(arn)
        if known is not None:
            name, data = known
            policy = AWSManagedPolicy.from_data(name, self.account_id, self.region_name, data)
            self.aws_managed_policies.append(policy)
            self.managed_policies[arn] = policy

    def check_trust(self, document: str) -> None:
        """Refuse a trust policy naming a role or OIDC provider that does not exist."""
        if not refusing():
            return
        for kind, arn in trust_principals(document):
            account = arn.split(":")[4]
            backend = iam_backends[account][self.partition]
            if kind == "AWS":
                exists = any(role.arn == arn for role in backend.roles.values())
            else:
                exists = arn in backend.open_id_providers
            if not exists:
                shown = json.dumps({kind: arn}, separators=(",", ":"))[1:-1]
                raise MalformedPolicyDocument(f"Invalid principal in policy: {shown}")

    @overrides
    def create_role(
        self, role_name: str, assume_role_policy_document: str, *args: Any, **kwargs: Any
    ) -> Any:
        self.check_trust(assume_role_policy_document)
        return super().create_role(role_name, assume_role_policy_document, *args, **kwargs)

    @overrides
    def update_assume_role_policy(self, role_name: str, policy_document: str) -> None:
        self.check_trust(policy_document)
        super().update_assume_role_policy(role_name, policy_document)

    @overrides
    def attach_role_policy(self, policy_arn: str, role_name: str) -> None:
        with _POLICIES_LOCK:
            self.use_aws_policy(policy_arn)
            super().attach_role_policy(policy_arn, role_name)

    @overrides
    def detach_role_policy(self, policy_arn: str, role_name: str) -> None:
        with _POLICIES_LOCK:
            super().detach_role_policy(policy_arn, role_name)

    @overrides
    def get_policy(self, policy_arn: str) -> Any:
        with _POLICIES_LOCK:
            self.use_aws_policy(policy_arn)
            return super().get_policy(policy_arn)

    def add_client_id(self, arn: str, client_id: str) -> None:
        """AddClientIDToOpenIDConnectProvider: idempotent, as in AWS."""
        provider = self.get_open_id_connect_provider(arn)
        if client_id not in provider.client_id_list:
            provider.client_id_list.append(client_id)

    def remove_client_id(self, arn: str, client_id: str) -> None:
        """RemoveClientIDFromOpenIDConnectProvider: removing an absent ID is no error."""
        provider = self.get_open_id_connect_provider(arn)
        if client_id in provider.client_id_list:
            provider.client_id_list.remove(client_id)


class IamCompatResponse(IamResponse):
    """IAM's API with the client-ID operations and AWS's UpdateRole."""

    @property
    def compat_backend(self) -> IamCompatBackend:
        """This caller's backend (the compatibility subclass)."""
        backend = self.backend
        assert isinstance(backend, IamCompatBackend)
        return backend

    @overrides
    def update_role(self) -> ActionResult:
        """UpdateRole: only the parameters given change."""
        role = self.backend.get_role(self._get_param("RoleName"))
        description = self._get_param("Description")
        duration = self._get_param("MaxSessionDuration")
        if description is not None:
            role.description = description
        if duration is not None:
            role.max_session_duration = duration
        return EmptyResult()

    def add_client_id_to_open_id_connect_provider(self) -> ActionResult:
        """AddClientIDToOpenIDConnectProvider."""
        self.compat_backend.add_client_id(
            self._get_param("OpenIDConnectProviderArn"), self._get_param("ClientID")
        )
        return EmptyResult()

    def remove_client_id_from_open_id_connect_provider(self) -> ActionResult:
        """RemoveClientIDFromOpenIDConnectProvider."""
        self.compat_backend.remove_client_id(
            self._get_param("OpenIDConnectProviderArn"), self._get_param("ClientID")
        )
        return EmptyResult()


_ROUTES = routes_to(moto.iam.urls, IamCompatResponse)


def install() -> None:
    """Make moto serve IAM through this module (idempotent)."""
    use_backend(iam_backends, IamCompatBackend)
