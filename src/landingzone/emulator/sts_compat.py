"""AssumeRole as AWS refuses it: only into a role that exists and trusts the caller's account.

moto 5.2.5 issues credentials for any role ARN, existing or not, so a wrong
role name or an account still being created would be reachable. While
`refusals` is on, AssumeRole answers AccessDenied unless the role exists and
its trust policy allows sts:AssumeRole to the caller's account (its root, or
any principal ARN of that account, or "*"; conditions are not evaluated).

AssumeRoleWithWebIdentity (a CI job's OIDC token) goes through moto's
AssumeRole, which the check above would refuse for every role that trusts
an identity provider. It answers AccessDenied unless the role exists and
its trust policy allows sts:AssumeRoleWithWebIdentity to a `Federated`
principal (the token's claims and the conditions are not evaluated), and
ValidationError for a DurationSeconds under 900 or over the role's
MaxSessionDuration, as AWS does.
"""

from __future__ import annotations

import json
from typing import Any

import moto.sts.urls
from moto.iam.exceptions import NotFoundException
from moto.iam.models import iam_backends
from moto.sts.models import AssumedRole, STSBackend, sts_backends

from landingzone.emulator.controls import refusing
from landingzone.emulator.patching import overrides, use_backend
from landingzone.emulator.wire import EmulatorError

ROLE_ACCOUNT = 4  # arn:aws:iam::<account>:role/<name>
MIN_DURATION = 900  # DurationSeconds: 15 minutes at least


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def trusts(trust_policy: str, account_id: str) -> bool:
    """Whether a role trust policy lets principals of `account_id` assume the role."""
    for statement in _as_list(json.loads(trust_policy).get("Statement", [])):
        actions = _as_list(statement.get("Action", []))
        if statement.get("Effect") != "Allow" or not {"sts:AssumeRole", "sts:*", "*"} & set(
            actions
        ):
            continue
        principal = statement.get("Principal", {})
        aws = _as_list(principal.get("AWS", [])) if isinstance(principal, dict) else [principal]
        for entry in aws:
            if entry in ("*", account_id) or str(entry).startswith(f"arn:aws:iam::{account_id}:"):
                return True
    return False


def trusts_federated(trust_policy: str) -> bool:
    """Whether a role trust policy lets an identity provider's tokens assume the role."""
    for statement in _as_list(json.loads(trust_policy).get("Statement", [])):
        actions = set(_as_list(statement.get("Action", [])))
        principal = statement.get("Principal", {})
        if (
            statement.get("Effect") == "Allow"
            and {"sts:AssumeRoleWithWebIdentity", "sts:*", "*"} & actions
            and isinstance(principal, dict)
            and principal.get("Federated")
        ):
            return True
    return False


class STSCompatBackend(STSBackend):
    """moto's STS backend that refuses AssumeRole as AWS does."""

    @property
    def _url_module(self) -> Any:
        return moto.sts.urls

    @overrides
    def assume_role(
        self,
        region_name: str,
        role_session_name: str,
        role_arn: str,
        policy: str,
        duration: int,
        external_id: str,
    ) -> AssumedRole:
        """AssumeRole into an existing role that trusts the caller's account."""
        if refusing():
            self._check_trust(role_arn)
        return super().assume_role(
            region_name, role_session_name, role_arn, policy, duration, external_id
        )

    @overrides
    def assume_role_with_web_identity(self, **kwargs: Any) -> AssumedRole:
        """AssumeRoleWithWebIdentity into an existing role that trusts an identity
        provider, for a duration the role allows."""
        if refusing():
            role_arn, duration = kwargs["role_arn"], kwargs["duration"]
            denied = EmulatorError(
                "AccessDenied",
                f"Not authorized to perform sts:AssumeRoleWithWebIdentity ({role_arn})",
            )
            role = self._role(role_arn, denied)
            if not trusts_federated(role.assume_role_policy_document):
                raise denied
            if duration < MIN_DURATION:
                raise EmulatorError(
                    "ValidationError",
                    f"1 validation error detected: Value '{duration}' at 'durationSeconds' "
                    f"failed to satisfy constraint: Member must have value greater than or "
                    f"equal to {MIN_DURATION}",
                )
            if duration > int(role.max_session_duration or 3600):
                raise EmulatorError(
                    "ValidationError",
                    "The requested DurationSeconds exceeds the MaxSessionDuration set for "
                    "this role.",
                )
        return STSBackend.assume_role(self, **kwargs)

    def _check_trust(self, role_arn: str) -> None:
        denied = EmulatorError(
            "AccessDenied",
            f"User in account {self.account_id} is not authorized to perform: "
            f"sts:AssumeRole on resource: {role_arn}",
        )
        role = self._role(role_arn, denied)
        if not trusts(role.assume_role_policy_document, self.account_id):
            raise denied

    def _role(self, role_arn: str, denied: EmulatorError) -> Any:
        """The IAM role an ARN names; `denied` when it names none."""
        parts = role_arn.split(":")
        if len(parts) < 6:
            raise denied
        try:
            return iam_backends[parts[ROLE_ACCOUNT]][self.partition].get_role_by_arn(role_arn)
        except NotFoundException:
            raise denied from None


def install() -> None:
    """Make moto serve STS through this module (idempotent)."""
    use_backend(sts_backends, STSCompatBackend)
