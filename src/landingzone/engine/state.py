"""State documents in S3 and the lock in DynamoDB.

State records what lz manages: for every resource, its address, AWS ID, the
account and region it lives in, whether lz created it (only then may lz
delete it), and the attributes last applied. It is one JSON document in the
state bucket (versioned, so every write is kept) and is written after every
change an apply makes, so an interrupted apply loses nothing.

Before the state bucket exists (the very first apply creates it), state is
kept in a local spill file beside the spec, `.lz/state.json`; once the
bucket exists the spill file is uploaded and removed.

The lock is one DynamoDB item per state document: who holds it, since when,
doing what. A second writer fails at once with that information; `lz unlock
ID` breaks a stale lock on purpose.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from landingzone import __version__
from landingzone.aws.session import Sessions, aws_error, error_code
from landingzone.errors import LockHeld, LzError
from landingzone.nodes import ResourceRecord

STATE_FORMAT = 1


def now_iso() -> str:
    """The current UTC time, ISO-8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class StateDoc:
    """The whole state: metadata and one record per managed resource."""

    lineage: str = ""  # assigned at the first write; "" means no state yet
    serial: int = 0
    organization: str = ""
    updated_at: str = ""
    updated_by: str = ""
    resources: dict[str, ResourceRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Serializable form, stable key order."""
        return {
            "format": STATE_FORMAT,
            "lz_version": __version__,
            "lineage": self.lineage,
            "serial": self.serial,
            "organization": self.organization,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "resources": {a: asdict(r) for a, r in sorted(self.resources.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StateDoc:
        """Parse a state document; refuses formats from a newer lz."""
        if data.get("format", STATE_FORMAT) > STATE_FORMAT:
            raise LzError(
                f"state format {data['format']} was written by a newer lz "
                f"({data.get('lz_version')}); upgrade lz"
            )
        return cls(
            lineage=data["lineage"],
            serial=int(data["serial"]),
            organization=data.get("organization", ""),
            updated_at=data.get("updated_at", ""),
            updated_by=data.get("updated_by", ""),
            resources={
                a: ResourceRecord.from_json(r) for a, r in data.get("resources", {}).items()
            },
        )


@dataclass(frozen=True)
class StateLocation:
    """Where state and lock live."""

    account_id: str | None  # None until the state account exists
    region: str
    bucket: str
    key: str
    lock_table: str
    spill_dir: Path  # local fallback before the bucket exists

    @property
    def lock_id(self) -> str:
        """The lock item's key: one lock per state document."""
        return f"{self.bucket}/{self.key}"

    @property
    def spill_file(self) -> Path:
        """The local spill file."""
        return self.spill_dir / "state.json"


class StateStore:
    """Reads and writes the state document; thread-safe journaling of changes."""

    def __init__(self, location: StateLocation, sessions: Sessions, *, actor: str = ""):
        self.location = location
        self.sessions = sessions
        self.actor = actor
        self.doc = StateDoc()
        self.remote = False  # True once state is kept in the bucket
        self._lock = threading.Lock()

    # -- reading ----------------------------------------------------------------

    def load(self) -> StateDoc:
        """Read state from the bucket if it exists, else the spill file, else empty."""
        remote = self._read_remote()
        spill = self._read_spill()
        if remote is not None:
            self.remote = True
            self.doc = remote
            if spill is not None:  # an interrupted bootstrap: keep what it recorded
                for address, record in spill.resources.items():
                    self.doc.resources.setdefault(address, record)
        else:
            self.doc = spill or StateDoc()
        return self.doc

    def _s3(self) -> Any:
        return self.sessions.client("s3", self.location.account_id, self.location.region)

    def _read_remote(self) -> StateDoc | None:
        if self.location.account_id is None:
            return None
        try:
            body = self._s3().get_object(Bucket=self.location.bucket, Key=self.location.key)
        except ClientError as exc:
            if error_code(exc) in ("NoSuchKey", "NoSuchBucket", "404"):
                return None
            raise aws_error(
                exc,
                account=self.location.account_id,
                region=self.location.region,
                resource=f"s3://{self.location.bucket}/{self.location.key}",
            ) from exc
        return StateDoc.from_json(json.loads(body["Body"].read()))

    def _read_spill(self) -> StateDoc | None:
        path = self.location.spill_file
        if not path.exists():
            return None
        return StateDoc.from_json(json.loads(path.read_text()))

    # -- writing ----------------------------------------------------------------

    def journal(self, *, upsert: ResourceRecord | None = None, remove: str | None = None) -> None:
        """Record one change and write state at once (S3, or the spill file)."""
        with self._lock:
            if remove is not None:
                self.doc.resources.pop(remove, None)
            if upsert is not None:
                upsert.updated_at = now_iso()
                self.doc.resources[upsert.address] = upsert
            self._write()

    def go_remote(self) -> None:
        """The bucket exists now: move state there and drop the spill file."""
        with self._lock:
            self.remote = True
            self._write()
            if self.location.spill_file.exists():
                self.location.spill_file.unlink()

    def _write(self) -> None:
        self.doc.lineage = self.doc.lineage or str(uuid.uuid4())
        self.doc.serial += 1
        self.doc.updated_at = now_iso()
        self.doc.updated_by = self.actor
        body = json.dumps(self.doc.to_json(), indent=1, sort_keys=True).encode()
        if not self.remote:
            self.location.spill_dir.mkdir(parents=True, exist_ok=True)
            tmp = self.location.spill_file.with_suffix(".tmp")
            tmp.write_bytes(body)
            os.replace(tmp, self.location.spill_file)
            return
        try:
            self._s3().put_object(
                Bucket=self.location.bucket,
                Key=self.location.key,
                Body=body,
                ContentType="application/json",
                ServerSideEncryption="AES256",
            )
        except ClientError as exc:
            raise aws_error(
                exc,
                account=self.location.account_id,
                region=self.location.region,
                resource=f"s3://{self.location.bucket}/{self.location.key}",
            ) from exc


# -- the lock -------------------------------------------------------------------


@dataclass(frozen=True)
class LockInfo:
    """Who holds the lock."""

    id: str
    who: str
    operation: str
    created: str
    host: str

    def describe(self) -> str:
        """One line for people."""
        return (
            f"held by {self.who} on {self.host} since {self.created} "
            f"for `{self.operation}` (lock ID {self.id})"
        )


class StateLock:
    """A DynamoDB lock item per state document; conditional writes keep one writer."""

    def __init__(self, location: StateLocation, sessions: Sessions):
        self.location = location
        self.sessions = sessions

    def _ddb(self) -> Any:
        return self.sessions.client("dynamodb", self.location.account_id, self.location.region)

    def _fail(self, exc: ClientError) -> LzError:
        return aws_error(
            exc,
            account=self.location.account_id,
            region=self.location.region,
            resource=f"dynamodb table {self.location.lock_table}",
        )

    def acquire(self, operation: str, who: str) -> LockInfo:
        """Take the lock or raise LockHeld naming the holder."""
        info = LockInfo(
            id=str(uuid.uuid4()),
            who=who or getpass.getuser(),
            operation=operation,
            created=now_iso(),
            host=socket.gethostname(),
        )
        item = {
            "LockID": {"S": self.location.lock_id},
            "ID": {"S": info.id},
            "Who": {"S": info.who},
            "Operation": {"S": info.operation},
            "Created": {"S": info.created},
            "Host": {"S": info.host},
            "Version": {"S": __version__},
        }
        try:
            self._ddb().put_item(
                TableName=self.location.lock_table,
                Item=item,
                ConditionExpression="attribute_not_exists(LockID)",
            )
        except ClientError as exc:
            if error_code(exc) != "ConditionalCheckFailedException":
                raise self._fail(exc) from exc
            holder = self.current()
            detail = holder.describe() if holder else "held (holder unknown)"
            hint = f"lz unlock {holder.id}" if holder else "lz unlock ID"
            raise LockHeld(
                f"the state is locked: {detail}. If that run is dead, break the lock with `{hint}`."
            ) from exc
        return info

    def current(self) -> LockInfo | None:
        """The current holder, if the lock is held."""
        try:
            item = (
                self._ddb()
                .get_item(
                    TableName=self.location.lock_table,
                    Key={"LockID": {"S": self.location.lock_id}},
                    ConsistentRead=True,
                )
                .get("Item")
            )
        except ClientError as exc:
            raise self._fail(exc) from exc
        if not item:
            return None
        return LockInfo(
            id=item["ID"]["S"],
            who=item.get("Who", {}).get("S", "?"),
            operation=item.get("Operation", {}).get("S", "?"),
            created=item.get("Created", {}).get("S", "?"),
            host=item.get("Host", {}).get("S", "?"),
        )

    def release(self, lock_id: str) -> bool:
        """Release the lock if `lock_id` holds it; False if someone else holds it."""
        try:
            self._ddb().delete_item(
                TableName=self.location.lock_table,
                Key={"LockID": {"S": self.location.lock_id}},
                ConditionExpression="ID = :id",
                ExpressionAttributeValues={":id": {"S": lock_id}},
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise self._fail(exc) from exc
        return True

    @contextmanager
    def held(self, operation: str, who: str) -> Iterator[LockInfo]:
        """Hold the lock for the duration of the block; released on every exit path."""
        info = self.acquire(operation, who)
        try:
            yield info
        finally:
            self.release(info.id)
