"""AssumeRole as AWS refuses it: only into a role that exists and trusts the caller's account.

moto 5.2.5 issues credentials for any role ARN, existing or not, so a wrong
role name or an account still being created would be reachable. While
`refusals` is on, AssumeRole answers AccessDenied unless the role exists and
its trust policy allows sts:AssumeRole to the caller's account (its root, or
any principal ARN of that account, or "*"; conditions are not evaluated).
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

    def _check_trust(self, role_arn: str) -> None:
        parts = role_arn.split(":")
        denied = EmulatorError(
            "AccessDenied",
            f"User in account {self.account_id} is not authorized to perform: "
            f"sts:AssumeRole on resource: {role_arn}",
        )
        if len(parts) < 6:
            raise denied
        try:
            role = iam_backends[parts[ROLE_ACCOUNT]][self.partition].get_role_by_arn(role_arn)
        except NotFoundException:
            raise denied from None
        if not trusts(role.assume_role_policy_document, self.account_id):
            raise denied


def install() -> None:
    """Make moto serve STS through this module (idempotent)."""
    use_backend(sts_backends, STSCompatBackend)
