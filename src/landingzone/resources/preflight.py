"""What a run checks and finds out before it plans: that the caller is the
organization's management account, and whether the state account exists yet."""

from __future__ import annotations

from collections.abc import Mapping

from landingzone.aws.context import Context
from landingzone.errors import LzError
from landingzone.nodes import MANAGEMENT
from landingzone.resources.org_snapshot import tree


def check_management_caller(ctx: Context, identity: Mapping[str, str]) -> None:
    """Refuse credentials of a member account: lz runs as the management account."""
    snap = tree(ctx)
    if snap.exists and snap.management_account_id != identity["Account"]:
        raise LzError(
            f"account {identity['Account']} is a member of organization {snap.org_id}, not its "
            f"management account ({snap.management_account_id}); run lz with the management "
            "account's credentials"
        )


def existing_account_id(ctx: Context, name: str, account_id: str | None, email: str) -> str | None:
    """The ID of spec account `name` if it exists yet (by its `id:`, else by e-mail)."""
    if name == MANAGEMENT:
        return ctx.sessions.management_account_id
    snap = tree(ctx)
    if account_id:
        return account_id if account_id in snap.accounts else None
    found = snap.account_by_email(email)
    return found.id if found else None
