"""The `security` section: the organization as one security domain.

One member account, the security tooling account (`security.account`), is
made delegated administrator of the organization's security services, with
AWS service access (trusted access) enabled for each in Organizations. The
sub-sections turn on what that account administers; each one written adds
its service to the delegated ones. Every key and default is documented in
docs/spec.md ("security").
"""

from __future__ import annotations

from pydantic import Field

from landingzone.spec.strict import StrictModel


class Security(StrictModel):
    """The `security` section."""

    # The security tooling account: a member account of the spec, never the
    # management account (AWS refuses it as a delegated administrator).
    account: str = Field(min_length=1)
    # More services to delegate to `account` (service principals, or their
    # short form such as `inspector2`), beyond those the sub-sections imply.
    delegated_services: list[str] = Field(default_factory=list)
