"""IAM account settings: the password policy and the account alias.

Both are account settings (`account_setting.py`): one per account, written
in place, forgotten (left as they are) when they leave the spec. Read cost:
one call each per account (GetAccountPasswordPolicy, ListAccountAliases).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.aws.session import aws_error, error_code
from landingzone.nodes import Node
from landingzone.resources.account_setting import AccountSettingKind
from landingzone.resources.base import register

# Desired attribute -> UpdateAccountPasswordPolicy parameter, and AWS's default.
PASSWORD_POLICY_FIELDS: dict[str, tuple[str, Any]] = {
    "minimum_length": ("MinimumPasswordLength", 6),
    "require_symbols": ("RequireSymbols", False),
    "require_numbers": ("RequireNumbers", False),
    "require_uppercase": ("RequireUppercaseCharacters", False),
    "require_lowercase": ("RequireLowercaseCharacters", False),
    "allow_users_to_change": ("AllowUsersToChangePassword", False),
    "max_age_days": ("MaxPasswordAge", None),
    "reuse_prevention": ("PasswordReusePrevention", None),
    "hard_expiry": ("HardExpiry", False),
}


def password_policy_desired(written: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of the policy: what the spec writes, AWS's default for the rest."""
    return {
        attr: written[attr] if written.get(attr) is not None else default
        for attr, (_, default) in PASSWORD_POLICY_FIELDS.items()
    }


@register
class PasswordPolicyKind(AccountSettingKind):
    """The IAM account password policy."""

    name = "password_policy"
    service = "iam"

    def read_setting(self, ctx: Context, node: Node) -> dict[str, Any] | None:
        iam = ctx.client("iam", node.account)
        try:
            policy = iam.get_account_password_policy()["PasswordPolicy"]
        except ClientError as exc:
            if error_code(exc) == "NoSuchEntity":
                return None
            raise aws_error(exc, account=node.account, resource=node.address) from exc
        # Absent, false and 0 ("never expire", "no reuse prevention") are AWS's defaults.
        return {
            attr: policy.get(param) or default
            for attr, (param, default) in PASSWORD_POLICY_FIELDS.items()
        }

    def write_setting(
        self, ctx: Context, node: Node, desired: Mapping[str, Any], current: Mapping[str, Any]
    ) -> None:
        iam = ctx.client("iam", node.account)
        fields = {
            param: desired[attr]
            for attr, (param, _) in PASSWORD_POLICY_FIELDS.items()
            if desired[attr] is not None
        }
        call(
            iam.update_account_password_policy,
            account=node.account,
            resource=node.address,
            **fields,
        )


@register
class AccountAliasKind(AccountSettingKind):
    """The IAM account alias (AWS allows one per account, unique across AWS)."""

    name = "account_alias"
    service = "iam"

    def read_setting(self, ctx: Context, node: Node) -> dict[str, Any] | None:
        aliases = self._aliases(ctx, node)
        return {"alias": aliases[0]} if aliases else None

    def _aliases(self, ctx: Context, node: Node) -> list[str]:
        iam = ctx.client("iam", node.account)
        answer = call(iam.list_account_aliases, account=node.account, resource=node.address)
        return list(answer["AccountAliases"])

    def write_setting(
        self, ctx: Context, node: Node, desired: Mapping[str, Any], current: Mapping[str, Any]
    ) -> None:
        iam = ctx.client("iam", node.account)
        where = {"account": node.account, "resource": node.address}
        existing = self._aliases(ctx, node)
        if desired["alias"] in existing:  # an interrupted earlier run set it
            return
        for alias in existing:
            call(iam.delete_account_alias, AccountAlias=alias, **where)
        call(iam.create_account_alias, AccountAlias=desired["alias"], **where)
