"""Reads in flight together: at AWS's latency a read's time is its round trips.

A kind whose read needs several independent calls (the settings of a bucket,
the lists of every OU of one level of the organization) runs them with
`in_parallel`, so they cost one round trip instead of one each. Calls stay the
same; only their order in time changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from landingzone.errors import AwsError

T = TypeVar("T")

# Calls in flight at once for one `in_parallel` (they come from one account and
# usually one service, where AWS throttles; throttling is retried with backoff).
MAX_IN_FLIGHT = 8


def in_parallel(reads: Sequence[Callable[[], T]], limit: int = MAX_IN_FLIGHT) -> list[T]:
    """Run reads together, at most `limit` in flight; their answers, in order.

    An error of one read is raised once every read has finished.
    """
    if len(reads) < 2:
        return [read() for read in reads]
    with ThreadPoolExecutor(max_workers=min(limit, len(reads))) as pool:
        return list(pool.map(lambda read: read(), reads))


def caught(read: Callable[[], T]) -> Callable[[], T | AwsError]:
    """`read`, returning its AwsError instead of raising it: for reads whose failures
    are reported one by one while the others' answers are kept (`lz import`)."""

    def run() -> T | AwsError:
        try:
            return read()
        except AwsError as exc:
            return exc

    return run
