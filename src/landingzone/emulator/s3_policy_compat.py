"""Bucket-policy conditions in the emulator, as AWS evaluates them for an HTTPS request.

moto 5.2.5 evaluates a bucket policy's conditions with only `StringEquals`
implemented and treats every other operator as matching, so the standard
TLS-only statement (`Deny ... Bool aws:SecureTransport false`) denies every
request. AWS clients reach AWS over HTTPS, so AWS sees `aws:SecureTransport`
= `true` and that statement does not apply. This patch evaluates a
statement's conditions against the emulator's request context
(`aws:SecureTransport` = `true`); a condition the emulator cannot evaluate
makes the statement not apply (neutral), never an unconditional match.
"""

from __future__ import annotations

from typing import Any

REQUEST_CONTEXT = {"aws:securetransport": "true"}
_installed = False


def _condition_applies(operator: str, key: str, expected: Any) -> bool | None:
    """True/False when the emulator can evaluate the condition, None when it cannot."""
    actual = REQUEST_CONTEXT.get(key.lower())
    values = expected if isinstance(expected, list) else [expected]
    base = operator.removesuffix("IfExists")
    if actual is None:
        return operator.endswith("IfExists") or None
    if base in ("Bool", "StringEquals", "StringEqualsIgnoreCase"):
        return any(str(v).lower() == actual for v in values)
    if base in ("StringNotEquals", "StringNotEqualsIgnoreCase"):
        return all(str(v).lower() != actual for v in values)
    return None


def statement_conditions_match(statement: dict[str, Any]) -> bool:
    """Whether every condition of a statement holds for the emulator's request context."""
    for operator, keys in (statement.get("Condition") or {}).items():
        for key, expected in keys.items():
            if not _condition_applies(operator, key, expected):
                return False
    return True


def install() -> None:
    """Patch moto's bucket-policy statement check (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.iam import access_control

    statement_cls = access_control.IAMPolicyStatement
    if not hasattr(statement_cls, "_check_conditions"):
        raise RuntimeError("moto changed: IAMPolicyStatement._check_conditions is gone")
    original = statement_cls.is_action_permitted

    def is_action_permitted(
        self: Any, action: str, resource: str = "*", *args: Any, **kw: Any
    ) -> Any:
        if self._statement.get("Condition") and not statement_conditions_match(self._statement):
            return access_control.PermissionResult.NEUTRAL
        stripped = {k: v for k, v in self._statement.items() if k != "Condition"}
        return original(statement_cls(stripped), action, resource, *args, **kw)

    statement_cls.is_action_permitted = is_action_permitted  # type: ignore[method-assign]
    _installed = True
