"""Errors lz raises, each with a stable machine code and a documented exit code.

Exit codes (also in docs/cli.md):

    0   success (plan: no changes)
    1   error: invalid spec, AWS error, lock held, stale plan, refused approval
    2   `plan --detailed-exitcode` / `drift`: there are changes
    3   `check`: a property that must hold does not
    4   `reach`: the source cannot reach the destination
    64  usage error (unknown flag, missing argument)
    130 interrupted (Ctrl-C / SIGTERM); state holds everything done so far
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_CHECKS_FAILED = 3
EXIT_UNREACHABLE = 4
EXIT_USAGE = 64
EXIT_INTERRUPTED = 130


class LzError(Exception):
    """Base class: an error the user can act on. `code` is stable for --json output."""

    code = "error"
    exit_code = EXIT_ERROR

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form of the error, for `--json` output."""
        return {"code": self.code, "message": str(self)}


@dataclass(frozen=True, order=True)
class Location:
    """Where a value was written: a file (relative to the spec root where possible) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class SpecProblem:
    """One problem in a spec, with the place that caused it."""

    message: str
    location: Location | None = None
    related: tuple[Location, ...] = field(default=())

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        # Values from the spec are echoed: a control character is shown, not sent to the terminal.
        return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", prefix + self.message)

    def to_json(self) -> dict[str, Any]:
        """Machine-readable form: file, line, message, related locations."""
        return {
            "file": self.location.file if self.location else None,
            "line": self.location.line if self.location else None,
            "message": self.message,
            "related": [str(r) for r in self.related],
        }


class SpecInvalid(LzError):
    """The spec has one or more problems; all of them are reported together."""

    code = "spec_invalid"

    def __init__(self, problems: list[SpecProblem]):
        self.problems = sorted(problems, key=lambda p: (p.location or Location("", 0), p.message))
        count = len(self.problems)
        head = f"the spec has {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self).splitlines()[0],
            "problems": [p.to_json() for p in self.problems],
        }


class CredentialsError(LzError):
    """No usable, explicitly named credentials (lz never falls back to `default`)."""

    code = "credentials"


class AwsError(LzError):
    """An AWS call failed; names account, region, resource and AWS's error code."""

    code = "aws_error"

    def __init__(
        self,
        message: str,
        *,
        aws_code: str | None = None,
        account: str | None = None,
        region: str | None = None,
        resource: str | None = None,
    ):
        self.aws_code = aws_code
        self.account = account
        self.region = region
        self.resource = resource
        where = ", ".join(
            f"{k} {v}"
            for k, v in (("account", account), ("region", region), ("resource", resource))
            if v
        )
        text = f"{resource}: " if resource else ""
        text += f"{aws_code}: {message}" if aws_code else message
        if account or region:
            text += f" ({where})"
        super().__init__(text)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": str(self),
            "aws_code": self.aws_code,
            "account": self.account,
            "region": self.region,
            "resource": self.resource,
        }


class AwsUnreachable(LzError):
    """AWS (or the endpoint lz was pointed at) could not be reached at all."""

    code = "aws_unreachable"


class LockHeld(LzError):
    """Another run holds the state lock."""

    code = "lock_held"


class StalePlan(LzError):
    """A saved plan no longer matches what exists."""

    code = "stale_plan"


class ApprovalRequired(LzError):
    """The change needs an approval that was not given."""

    code = "approval_required"


class ApplyFailed(LzError):
    """Some operations of an apply failed; the others were applied and journaled."""

    code = "apply_failed"
