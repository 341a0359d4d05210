"""State documents in S3, written through a journal.

State records what lz manages: for every resource, its address, AWS ID, the
account and region it lives in, whether lz created it (only then may lz
delete it), and the attributes last applied. It is one JSON document in the
state bucket (versioned, so every write is kept). Each change an apply makes
is written at once as a small journal entry beside it (`engine/journal.py`),
and the entries are folded into the document when apply takes the lock and
at the end of the run, so an interrupted apply loses nothing and a change
costs the same whatever the size of the state.

The document is only written conditionally (`If-Match` the version this run
read or wrote last, `If-None-Match: *` for the first): a run that lost its
lock to another can never overwrite what the other wrote.

Before the state bucket exists (the very first apply creates it), state is
kept in a local spill file beside the spec, `.lz/state.json`; once the
bucket exists the spill file is uploaded and removed.

The lock is in `engine/lock.py`.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from landingzone import __version__
from landingzone.aws.session import Sessions, aws_error, error_code
from landingzone.engine.journal import Journal, new_run_id
from landingzone.errors import LzError
from landingzone.nodes import ResourceRecord

# 2: changes are journaled as entries beside the document (older lz would not read them).
STATE_FORMAT = 2


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
    journal_through: str = ""  # the last journal entry folded into this document

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
            "journal_through": self.journal_through,
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
            journal_through=data.get("journal_through", ""),
        )

    def apply_entry(self, entry: Mapping[str, Any]) -> None:
        """Replay one journal entry (a removal, then an upsert)."""
        if entry.get("remove"):
            self.resources.pop(entry["remove"], None)
        if entry.get("upsert"):
            record = ResourceRecord.from_json(entry["upsert"])
            self.resources[record.address] = record
        self.serial = max(self.serial, int(entry.get("serial", 0)))


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
    """Reads state and journals changes; thread-safe, and no lock is held across a write."""

    def __init__(self, location: StateLocation, sessions: Sessions, *, actor: str = ""):
        self.location = location
        self.sessions = sessions
        self.actor = actor
        self.doc = StateDoc()
        self.remote = False  # True once state is kept in the bucket
        self.run = new_run_id()
        self._lock = threading.Lock()
        self._seq = 0
        self._etag: str | None = None  # the state object's version this run read or wrote
        self._unfolded: list[str] = []  # journal entries not yet folded into the object
        self._spill_left = False  # a spill file beside remote state: fold it, then delete it

    # -- reading ----------------------------------------------------------------

    def load(self) -> StateDoc:
        """Read state: the bucket's document and its journal, else the spill file, else empty."""
        self.remote, self._etag, self._unfolded = False, None, []
        remote = self._read_remote()
        spill = self._read_spill()
        self._spill_left = remote is not None and spill is not None
        if remote is not None:
            self.remote = True
            self.doc = remote
            self._replay()
            if spill is not None:  # an interrupted bootstrap: keep what it recorded
                for address, record in spill.resources.items():
                    self.doc.resources.setdefault(address, record)
        else:
            self.doc = spill or StateDoc()
        return self.doc

    def changed_since_load(self) -> bool:
        """Whether another run wrote state since `load` (2 calls: the object's ETag, the journal).

        Every change lz makes to AWS is journaled, and every run that ends
        folds its entries into a new version of the object: if neither moved,
        no lz run changed AWS in between either.
        """
        if not self.remote:
            return True
        head = self._state_object("head_object")
        if head is None:
            return True
        return head["ETag"] != self._etag or self._journal().keys() != self._unfolded

    @property
    def unfolded(self) -> int:
        """Changes not yet folded into the state object: journal entries, a spill file."""
        return len(self._unfolded) + self._spill_left

    def _s3(self) -> Any:
        return self.sessions.client("s3", self.location.account_id, self.location.region)

    def _journal(self) -> Journal:
        return Journal(
            self._s3,
            bucket=self.location.bucket,
            key=self.location.key,
            account=self.location.account_id,
            region=self.location.region,
        )

    def _where(self) -> dict[str, Any]:
        return {
            "account": self.location.account_id,
            "region": self.location.region,
            "resource": f"s3://{self.location.bucket}/{self.location.key}",
        }

    def _state_object(self, method: str) -> dict[str, Any] | None:
        """GetObject or HeadObject of the state object; None if it (or its bucket) is missing."""
        try:
            answer: dict[str, Any] = getattr(self._s3(), method)(
                Bucket=self.location.bucket, Key=self.location.key
            )
        except ClientError as exc:
            if error_code(exc) in ("NoSuchKey", "NoSuchBucket", "404"):
                return None
            raise aws_error(exc, **self._where()) from exc
        return answer

    def _read_remote(self) -> StateDoc | None:
        if self.location.account_id is None:
            return None
        body = self._state_object("get_object")
        if body is None:
            return None
        self._etag = body["ETag"]
        return StateDoc.from_json(json.loads(body["Body"].read()))

    def _replay(self) -> None:
        """Apply the journal entries written after the document (a killed run's)."""
        journal = self._journal()
        keys = journal.keys()
        self._unfolded = list(keys)  # all of them go at the next compaction
        newer = [k for k in keys if k > self.doc.journal_through]
        for entry in journal.read(newer):
            self.doc.apply_entry(entry)
        if newer:
            self.doc.journal_through = newer[-1]

    def _read_spill(self) -> StateDoc | None:
        path = self.location.spill_file
        if not path.exists():
            return None
        return StateDoc.from_json(json.loads(path.read_text()))

    # -- writing ----------------------------------------------------------------

    def journal(self, *, upsert: ResourceRecord | None = None, remove: str | None = None) -> None:
        """Record one change: a journal entry in the bucket, or the spill file before it exists.

        Returns once the change is durable. Only the in-memory document is
        updated under the store's lock; the entry is written outside it.
        """
        with self._lock:
            if remove is not None:
                self.doc.resources.pop(remove, None)
            if upsert is not None:
                upsert.updated_at = now_iso()
                self.doc.resources[upsert.address] = upsert
            self.doc.lineage = self.doc.lineage or str(uuid.uuid4())
            self.doc.serial += 1
            if not self.remote:
                self._write_spill()
                return
            self._seq += 1
            journal = self._journal()
            key = journal.entry_key(self.run, self._seq)
            self._unfolded.append(key)
            entry = {
                "seq": self._seq,
                "serial": self.doc.serial,
                "at": now_iso(),
                "by": self.actor,
                "upsert": asdict(upsert) if upsert is not None else None,
                "remove": remove,
            }
        journal.write(key, entry)

    def compact(self) -> None:
        """Fold the journal into the state object (one conditional PUT), then delete the entries."""
        with self._lock:
            if not self.remote or not (self._unfolded or self._spill_left or self._etag is None):
                return
            folded = list(self._unfolded)
            self.doc.journal_through = max([self.doc.journal_through, *folded])
            self._put_state()
            self._unfolded = []
        if folded:
            self._journal().delete(folded)

    def go_remote(self) -> None:
        """The bucket exists now: move state there (and drop the spill file)."""
        with self._lock:
            self.remote = True
            self._put_state()

    def _stamp(self) -> bytes:
        self.doc.lineage = self.doc.lineage or str(uuid.uuid4())
        self.doc.updated_at = now_iso()
        self.doc.updated_by = self.actor
        return json.dumps(self.doc.to_json(), indent=1, sort_keys=True).encode()

    def _write_spill(self) -> None:
        body = self._stamp()
        self.location.spill_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.location.spill_file.with_suffix(".tmp")
        tmp.write_bytes(body)
        os.replace(tmp, self.location.spill_file)

    def _put_state(self) -> None:
        """Write the whole document, only over the version this run read or wrote last."""
        body = self._stamp()
        condition = {"IfMatch": self._etag} if self._etag else {"IfNoneMatch": "*"}
        s3 = self._s3()
        try:
            written = s3.put_object(
                Bucket=self.location.bucket,
                Key=self.location.key,
                Body=body,
                ContentType="application/json",
                ServerSideEncryption="AES256",
                **condition,
            )
        except ClientError as exc:
            if error_code(exc) not in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise aws_error(exc, **self._where()) from exc
            written = self._own_retry(body)
        self._etag = written["ETag"]
        self.location.spill_file.unlink(missing_ok=True)  # what it held is in the object now
        self._spill_left = False

    def _own_retry(self, body: bytes) -> dict[str, Any]:
        """After a refused conditional write: was it this run's own earlier attempt?

        A retried request whose first attempt landed is refused by its own
        condition; the object then holds exactly this body (SSE-S3: the ETag is
        the MD5 of the content). Anything else means another run wrote state.
        """
        head = self._state_object("head_object")
        mine = hashlib.md5(body, usedforsecurity=False).hexdigest()
        if head is not None and head["ETag"].strip('"') == mine:
            return head
        raise LzError(
            f"s3://{self.location.bucket}/{self.location.key} was written by another run while "
            "this one held the lock (was this run paused past its lock's lease and taken over?); "
            "nothing was overwritten, and every change this run made is in the journal. "
            "Run apply again."
        )
