"""Calling AWS: every item of a paginated list, and one call, with errors that
name the account, region and resource they happened at."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from landingzone.aws.session import AWS_CALL_ERRORS, aws_error

T = TypeVar("T")


def pages(
    client: Any,
    method: str,
    key: str,
    *,
    account: str | None = None,
    region: str | None = None,
    resource: str | None = None,
    **kwargs: Any,
) -> Iterator[Any]:
    """Every item of a paginated list call; an AWS error becomes an AwsError."""
    try:
        for page in client.get_paginator(method).paginate(**kwargs):
            yield from page.get(key, [])
    except AWS_CALL_ERRORS as exc:
        raise aws_error(exc, account=account, region=region, resource=resource) from exc


def call(
    fn: Callable[..., T],
    *,
    account: str | None = None,
    region: str | None = None,
    resource: str | None = None,
    **kwargs: Any,
) -> T:
    """Call a boto3 method; an AWS error becomes an AwsError naming where it happened."""
    try:
        return fn(**kwargs)
    except AWS_CALL_ERRORS as exc:
        raise aws_error(exc, account=account, region=region, resource=resource) from exc
