"""The state journal: one small S3 object per change, folded into the state object later.

Beside the state object `<key>` in the state bucket:

    <key>.journal/<run>/<seq>.json
        run   when the run started (UTC, to the microsecond) and 8 random hex
              digits: the names sort in the order runs started
        seq   8 digits: the order of the changes within the run
        body  {"seq", "serial", "at", "by", "upsert": record | null, "remove": address | null}

Each change an apply makes is one PUT of its own entry (a few hundred bytes,
whatever the size of the state), made by the worker that made the change,
holding no lock: a throttled, retrying write delays only its own operation.
An entry is written before its operation counts as done, so a run killed at
any instant has every finished change either in the state object or in an
entry (and what it created carries the `ManagedBy` tag, so even a change
killed between AWS and the journal is found and adopted).

Compaction folds the entries into the state object: one PUT of the whole
state, recording in `journal_through` the last entry folded in, then the
folded entries are deleted. Reading state replays, in name order, the
entries after `journal_through` (entries at or before it are already in the
state object: a run killed between the PUT and the delete leaves them, and
they are ignored, then deleted by the next compaction). Apply compacts when
it takes the lock (what a killed run left) and at the end of the run.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from landingzone.aws.session import aws_error

# DeleteObjects takes at most 1,000 keys per request.
DELETE_BATCH = 1000
READ_CONCURRENCY = 8


def new_run_id() -> str:
    """A run's journal directory name: its start time (sorts in order) and a random suffix."""
    started = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{started}-{secrets.token_hex(4)}"


class Journal:
    """The journal entries of one state object."""

    def __init__(
        self,
        s3: Callable[[], Any],
        *,
        bucket: str,
        key: str,
        account: str | None,
        region: str,
    ):
        self._s3 = s3
        self.bucket = bucket
        self.prefix = f"{key}.journal/"
        self._where = {"account": account, "region": region}

    def entry_key(self, run: str, seq: int) -> str:
        """The object name of entry `seq` of run `run`."""
        return f"{self.prefix}{run}/{seq:08d}.json"

    def _error(self, exc: ClientError | BotoCoreError, key: str) -> Exception:
        return aws_error(exc, resource=f"s3://{self.bucket}/{key}", **self._where)

    def write(self, key: str, entry: dict[str, Any]) -> None:
        """Write one entry (a new object: entries are never overwritten)."""
        try:
            self._s3().put_object(
                Bucket=self.bucket,
                Key=key,
                Body=json.dumps(entry, sort_keys=True).encode(),
                ContentType="application/json",
                ServerSideEncryption="AES256",
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._error(exc, key) from exc

    def keys(self) -> list[str]:
        """Every entry's name, in order."""
        found: list[str] = []
        try:
            pages = (
                self._s3()
                .get_paginator("list_objects_v2")
                .paginate(Bucket=self.bucket, Prefix=self.prefix)
            )
            for page in pages:
                found.extend(o["Key"] for o in page.get("Contents", []))
        except (ClientError, BotoCoreError) as exc:
            raise self._error(exc, self.prefix) from exc
        return sorted(k for k in found if k.endswith(".json"))

    def read(self, keys: list[str]) -> list[dict[str, Any]]:
        """The entries with these names, in the same order."""

        def get(key: str) -> dict[str, Any]:
            try:
                body = self._s3().get_object(Bucket=self.bucket, Key=key)["Body"].read()
            except (ClientError, BotoCoreError) as exc:
                raise self._error(exc, key) from exc
            entry: dict[str, Any] = json.loads(body)
            return entry

        if len(keys) < 2:
            return [get(k) for k in keys]
        with ThreadPoolExecutor(max_workers=READ_CONCURRENCY) as pool:
            return list(pool.map(get, keys))

    def delete(self, keys: list[str]) -> None:
        """Delete entries (already folded into the state object)."""
        for start in range(0, len(keys), DELETE_BATCH):
            batch = keys[start : start + DELETE_BATCH]
            try:
                self._s3().delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True},
                )
            except (ClientError, BotoCoreError) as exc:
                raise self._error(exc, self.prefix) from exc
