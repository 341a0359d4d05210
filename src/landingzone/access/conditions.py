"""The `Condition` element: operators, set operators, `...IfExists`, `Null`.

Rules (AWS "IAM JSON policy elements: Condition operators" and "Creating a
condition with multiple keys or values"):

- Operators and keys in a block are AND'ed; the values listed for one key are
  OR'ed. For a negated operator (`StringNotEquals`, `NotIpAddress`, ...) the
  key must match *none* of the values.
- A key missing from the request: the condition is false, except that negated
  operators are true; `...IfExists` makes it true; `ForAllValues:` is true and
  `ForAnyValue:` false. An empty list of values counts as missing.
- `ForAllValues:` every request value must match (a negated operator: match
  none of the policy values); `ForAnyValue:` at least one must. Without a set
  operator, a multivalued request key matches if any of its values does.
- Policy variables are allowed in the String, ARN and Bool operators. A value
  whose variable cannot be resolved matches nothing (so negated operators hold).
- `Null: true` holds when the key is missing, `Null: false` when it is present.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import lru_cache
from typing import Any

from landingzone.access.context import Context, Scalar, scalar_text
from landingzone.access.matching import Pieces, compile_arn, compile_wildcard
from landingzone.access.variables import Template, parse_template

ValuePredicate = Callable[[Scalar], bool]
Compiler = Callable[[Pieces], ValuePredicate]
IF_EXISTS = "IfExists"
_EPOCH = re.compile(r"-?\d+(\.\d+)?")
_YEAR_MONTH = re.compile(r"\d{4}-\d{2}")


class SetOperator(StrEnum):
    """The qualifiers for multivalued keys."""

    ANY = "ForAnyValue"
    ALL = "ForAllValues"


def _text(pieces: Pieces) -> str:
    return "".join(text for text, _ in pieces)


def _string_equals(pieces: Pieces) -> ValuePredicate:
    expected = _text(pieces)
    return lambda value: scalar_text(value) == expected


def _string_equals_ignore_case(pieces: Pieces) -> ValuePredicate:
    expected = _text(pieces).casefold()
    return lambda value: scalar_text(value).casefold() == expected


def _string_like(pieces: Pieces) -> ValuePredicate:
    matches = compile_wildcard(pieces)
    return lambda value: matches(scalar_text(value))


def _arn_like(pieces: Pieces) -> ValuePredicate:
    matches = compile_arn(pieces)
    return lambda value: isinstance(value, str) and matches(value)


def _to_decimal(value: Scalar) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _to_datetime(value: Scalar) -> datetime | None:
    if isinstance(value, bool):
        return None
    text = str(value).strip()
    try:
        if _EPOCH.fullmatch(text):
            return datetime.fromtimestamp(float(text), tz=UTC)
        if _YEAR_MONTH.fullmatch(text):
            text += "-01"
        moment = datetime.fromisoformat(text)
    except (ValueError, OverflowError, OSError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _ordered(
    convert: Callable[[Scalar], Any], compare: Callable[[Any, Any], bool], what: str
) -> Compiler:
    """A compiler comparing `request value <compare> policy value` after `convert`."""

    def compile_value(pieces: Pieces) -> ValuePredicate:
        text = _text(pieces)
        expected = convert(text)
        if expected is None:
            raise ValueError(f"{text!r} is not {what}")

        def predicate(value: Scalar) -> bool:
            actual = convert(value)
            return actual is not None and compare(actual, expected)

        return predicate

    return compile_value


def _bool(pieces: Pieces) -> ValuePredicate:
    expected = _text(pieces).lower()
    if expected not in ("true", "false"):
        raise ValueError(f"{_text(pieces)!r} is not true or false")
    return lambda value: scalar_text(value).lower() == expected


def _decode_base64(value: Scalar) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        return None


def _binary_equals(pieces: Pieces) -> ValuePredicate:
    expected = _decode_base64(_text(pieces))
    if expected is None:
        raise ValueError(f"{_text(pieces)!r} is not base64")
    return lambda value: _decode_base64(value) == expected


@lru_cache(maxsize=4096)
def _to_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _ip_address(pieces: Pieces) -> ValuePredicate:
    network = ipaddress.ip_network(_text(pieces).strip(), strict=False)

    def predicate(value: Scalar) -> bool:
        address = _to_address(str(value))
        return address is not None and address in network

    return predicate


@dataclass(frozen=True, slots=True)
class Operator:
    """A condition operator: how one policy value is compiled, and whether it is negated."""

    compiler: Compiler
    negated: bool = False
    variables: bool = False


def _families() -> dict[str, Operator]:
    numeric = {
        "Equals": operator.eq,
        "LessThan": operator.lt,
        "LessThanEquals": operator.le,
        "GreaterThan": operator.gt,
        "GreaterThanEquals": operator.ge,
    }
    table = {
        "StringEquals": Operator(_string_equals, variables=True),
        "StringNotEquals": Operator(_string_equals, negated=True, variables=True),
        "StringEqualsIgnoreCase": Operator(_string_equals_ignore_case, variables=True),
        "StringNotEqualsIgnoreCase": Operator(
            _string_equals_ignore_case, negated=True, variables=True
        ),
        "StringLike": Operator(_string_like, variables=True),
        "StringNotLike": Operator(_string_like, negated=True, variables=True),
        "Bool": Operator(_bool, variables=True),
        "BinaryEquals": Operator(_binary_equals),
        "IpAddress": Operator(_ip_address),
        "NotIpAddress": Operator(_ip_address, negated=True),
        "ArnEquals": Operator(_arn_like, variables=True),
        "ArnLike": Operator(_arn_like, variables=True),
        "ArnNotEquals": Operator(_arn_like, negated=True, variables=True),
        "ArnNotLike": Operator(_arn_like, negated=True, variables=True),
    }
    for family, convert, what in (
        ("Numeric", _to_decimal, "a number"),
        ("Date", _to_datetime, "an ISO 8601 date or epoch time"),
    ):
        for suffix, compare in numeric.items():
            table[family + suffix] = Operator(_ordered(convert, compare, what))
        table[family + "NotEquals"] = Operator(_ordered(convert, operator.eq, what), negated=True)
    return table


OPERATORS = _families()


@lru_cache(maxsize=8192)
def _compile_resolved(compiler: Compiler, pieces: Pieces) -> ValuePredicate | None:
    """Compile a value after variable substitution; an invalid result matches nothing."""
    try:
        return compiler(pieces)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ValueTest:
    """One operator applied to one key, with its (OR'ed) policy values.

    `label` is the operator and key as written (`StringLike aws:userid`);
    `key` is lower-cased for look-ups.
    """

    label: str
    key: str
    set_operator: SetOperator | None
    if_exists: bool
    negated: bool
    compiler: Compiler
    predicates: tuple[ValuePredicate, ...]
    templates: tuple[Template, ...]

    def _resolved(self, context: Context) -> tuple[ValuePredicate, ...]:
        if not self.templates:
            return self.predicates
        extra: list[ValuePredicate] = []
        for template in self.templates:
            pieces = template.resolve(context.variable)
            compiled = None if pieces is None else _compile_resolved(self.compiler, pieces)
            if compiled is not None:
                extra.append(compiled)
        return self.predicates + tuple(extra)

    def holds(self, context: Context) -> bool:
        """Evaluate against the request context."""
        values = context.get(self.key)
        if not values:
            if self.if_exists or self.set_operator is SetOperator.ALL:
                return True
            return self.negated and self.set_operator is None
        predicates = self._resolved(context)
        if self.set_operator is None:
            hit = any(p(value) for value in values for p in predicates)
            return hit != self.negated
        per_value = (any(p(value) for p in predicates) != self.negated for value in values)
        return all(per_value) if self.set_operator is SetOperator.ALL else any(per_value)


@dataclass(frozen=True, slots=True)
class NullTest:
    """`Null`: is the key missing (`true`) or present (`false`)?"""

    label: str
    key: str
    expect_missing: tuple[bool, ...]

    def holds(self, context: Context) -> bool:
        """True if the key's presence is one of the listed expectations."""
        return (not context.get(self.key)) in self.expect_missing


ConditionTest = ValueTest | NullTest


def parse_conditions(block: Any, *, variables: bool) -> tuple[ConditionTest, ...]:
    """Parse a `Condition` element; raise `ValueError` saying what is wrong."""
    if not isinstance(block, dict):
        raise ValueError(f"Condition must be an object of operators, got {block!r}")
    tests: list[ConditionTest] = []
    for name, keys in block.items():
        if not isinstance(keys, dict) or not keys:
            raise ValueError(f"Condition operator {name}: expected an object of keys, got {keys!r}")
        for key, raw in keys.items():
            values = _policy_values(name, key, raw)
            tests.append(_parse_test(name, key, values, variables=variables))
    return tuple(tests)


def _policy_values(name: str, key: str, raw: Any) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ValueError(f"Condition {name} {key}: no values")
    for item in items:
        if not isinstance(item, (str, int, float)):
            raise ValueError(
                f"Condition {name} {key}: values must be strings, numbers or booleans, got {item!r}"
            )
    return [scalar_text(item) for item in items]


def _parse_test(name: str, key: str, values: list[str], *, variables: bool) -> ConditionTest:
    set_name, colon, base = name.rpartition(":")
    set_operator = None
    if colon:
        try:
            set_operator = SetOperator(set_name)
        except ValueError:
            raise ValueError(f"unknown condition set operator {set_name!r} in {name!r}") from None
    if_exists = base.endswith(IF_EXISTS) and base != IF_EXISTS
    if if_exists:
        base = base.removesuffix(IF_EXISTS)
    if base == "Null":
        if if_exists or set_operator is not None:
            raise ValueError(f"{name}: Null takes neither IfExists nor a set operator")
        return _null_test(key, values)
    spec = OPERATORS.get(base)
    if spec is None:
        raise ValueError(f"unknown condition operator {name!r}")
    predicates: list[ValuePredicate] = []
    templates: list[Template] = []
    for value in values:
        try:
            template = parse_template(value, variables=variables and spec.variables)
            static = template.static
            if static is None:
                templates.append(template)
            else:
                predicates.append(spec.compiler(static))
        except ValueError as exc:
            raise ValueError(f"Condition {name} {key}: {exc}") from None
    return ValueTest(
        label=f"{name} {key}",
        key=key.lower(),
        set_operator=set_operator,
        if_exists=if_exists,
        negated=spec.negated,
        compiler=spec.compiler,
        predicates=tuple(predicates),
        templates=tuple(templates),
    )


def _null_test(key: str, values: list[str]) -> NullTest:
    expectations = []
    for value in values:
        if value.lower() not in ("true", "false"):
            raise ValueError(f"Condition Null {key}: {value!r} is not true or false")
        expectations.append(value.lower() == "true")
    return NullTest(label=f"Null {key}", key=key.lower(), expect_missing=tuple(expectations))
