"""Errors for malformed policies and requests: always loud, never a silent deny."""

from __future__ import annotations

from typing import Any

from landingzone.errors import LzError


class PolicyError(LzError):
    """A policy document is not valid IAM policy language.

    `policy` is the policy's label, `statement` the statement's Sid or `#index`
    (None for problems outside any statement).
    """

    code = "policy_invalid"

    def __init__(self, message: str, *, policy: str, statement: str | None = None):
        self.policy = policy
        self.statement = statement
        self.detail = message
        where = f'policy "{policy}"'
        if statement is not None:
            where += f", statement {statement}"
        super().__init__(f"{where}: {message}")

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self),
            "policy": self.policy,
            "statement": self.statement,
        }


class RequestError(LzError):
    """An access request (principal, action, resource, context, shape) is malformed."""

    code = "request_invalid"
