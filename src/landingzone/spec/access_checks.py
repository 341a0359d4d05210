"""The `checks:` section: access properties that must hold (see docs/access.md).

    checks:
      - name: feature branches cannot assume the prod deploy role
        principal: github:coalition/infra@refs/heads/feature/*
        action: sts:AssumeRole*
        resource: role:prod/github-actions-prod
        expect: deny
        context: {aws:SourceIp: 203.0.113.7}

`principal`, `action` and `resource` may be patterns (and `action` and
`resource` lists); `except` lists principals (patterns too) to leave out of
`principal`; a check holds when every principal, action and resource it
expands to gets the expected answer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AccessCheck(BaseModel):
    """One property: `principal` may (`allow`) or may not (`deny`) do `action` on `resource`."""

    # The strictness of schema.StrictModel (this module is imported by schema.py).
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    name: str = Field(min_length=1)
    description: str = ""
    principal: str = Field(min_length=1)
    # Principals (patterns allowed) `principal` expands to but the check leaves out:
    # "no group but break-glass can administer prod".
    exceptions: list[str] = Field(default_factory=list, alias="except")
    action: str | list[str]
    resource: str | list[str]
    expect: Literal["allow", "deny"]
    context: dict[str, str | list[str]] = Field(default_factory=dict)

    @property
    def actions(self) -> list[str]:
        """`action` as a list."""
        return [self.action] if isinstance(self.action, str) else list(self.action)

    @property
    def resources(self) -> list[str]:
        """`resource` as a list."""
        return [self.resource] if isinstance(self.resource, str) else list(self.resource)
