"""Identity Center's delegated administrator (`identity_center.account`).

The same registration as the `security` section's `delegated_admin` kind
(RegisterDelegatedAdministrator for `sso.amazonaws.com`), under a kind name
of its own so that each section exports and documents its own: the identity
account is not the security account.
"""

from __future__ import annotations

from landingzone.resources.base import register
from landingzone.resources.security_org import DelegatedAdminKind


@register
class SsoDelegatedAdminKind(DelegatedAdminKind):
    """A member account registered as IAM Identity Center's delegated administrator."""

    name = "sso_delegated_admin"
