"""The state lock: one DynamoDB item per state document, held on a lease its holder renews.

The item (table key `LockID` = `<bucket>/<key>`) records who holds the lock
and whether that holder is still there:

    ID         this hold's ID (what `lz unlock` asks for)
    Who        the caller's ARN          Host, Pid   where the run is
    Machine    host, boot and PID namespace: equal only where the PID can be checked
    Operation  what the run is doing     Created     when it took the lock
    Expires    when the lease runs out (epoch seconds) unless the holder renews it
    Lease      the lease's length in seconds

Rules:

- Taking the lock is a conditional put (`attribute_not_exists(LockID)`): of
  two runs, exactly one wins; the other fails at once naming the holder.
- The holder renews its lease every lease/4 seconds on a heartbeat thread
  (a conditional update on its own ID). If a renewal finds the lock taken
  over, or renewals keep failing until the lease would run out, the hold is
  lost: the run is told to stop (`HeldLock.lost`).
- A run takes over a lock whose lease has run out, or whose holder ran on
  this machine and whose process has ended, with a conditional put pinned
  to that item's ID and expiry (a renewal or another taker that got there
  first wins). It says whose lock it took and what that run was doing.
  Any other held lock is refused, naming the holder and when its lease runs out.
- `lz unlock ID` still breaks a lock on purpose.
- `ensure_free` checks another lock without taking it: the state lock is
  only held while no live run holds the bootstrap lock (engine/workflow.py).

The lease is 60 s unless `LZ_LOCK_LEASE_SECONDS` says otherwise (at least 1):
a run that dies holds the lock at most that long. Clocks of the machines
sharing a lock must agree to well within the lease (NTP does).
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from landingzone import __version__
from landingzone.aws.session import Sessions, aws_error, error_code
from landingzone.engine.state import StateLocation, now_iso
from landingzone.errors import LockHeld, LzError

DEFAULT_LEASE_SECONDS = 60.0
LEASE_ENV = "LZ_LOCK_LEASE_SECONDS"
HEARTBEATS_PER_LEASE = 4


def lease_seconds(environ: dict[str, str] | None = None) -> float:
    """The lease a run takes the lock for: `LZ_LOCK_LEASE_SECONDS`, else 60 s."""
    env = os.environ if environ is None else environ
    text = env.get(LEASE_ENV)
    if text is None:
        return DEFAULT_LEASE_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value >= 1.0 or value == float("inf"):
        raise LzError(f"{LEASE_ENV}={text!r}: the lock's lease must be a number of seconds, >= 1")
    return value


def machine_id() -> str:
    """This machine and process table: host name, boot ID and PID namespace where known.

    Two runs with the same machine ID see the same processes, so one can tell
    whether the other's PID is still running.
    """
    parts = [socket.gethostname()]
    try:
        parts.append(Path("/proc/sys/kernel/random/boot_id").read_text().strip())
        parts.append(os.readlink("/proc/self/ns/pid"))
    except OSError:
        pass
    return "/".join(parts)


def process_alive(pid: int) -> bool:
    """Whether a process of this machine is running (unknown counts as running)."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours to signal, but it exists
        return True
    return True


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class LockInfo:
    """Who holds the lock, and until when."""

    id: str
    who: str
    operation: str
    created: str
    host: str
    pid: int = 0
    machine: str = ""
    expires: float | None = None  # None: a lock without a lease (never expires by itself)
    lease: float | None = None

    def describe(self) -> str:
        """One line for people."""
        pid = f" (pid {self.pid})" if self.pid else ""
        return (
            f"held by {self.who} on {self.host}{pid} since {self.created} "
            f"for `{self.operation}` (lock ID {self.id})"
        )

    def stale(self, now: float, machine: str) -> str | None:
        """Why the holder is certainly gone (None while it may still be running)."""
        if self.expires is not None and self.expires < now:
            return f"its lease ran out at {_clock(self.expires)} ({now - self.expires:.0f} s ago)"
        if self.machine and self.machine == machine and not process_alive(self.pid):
            return f"its process {self.pid} on this machine has ended"
        return None

    def lease_note(self, now: float) -> str:
        """When the lease runs out, for a refusal."""
        if self.expires is None:
            return "it has no lease (an older lz), so it never runs out by itself"
        left = max(0.0, self.expires - now)
        return (
            f"its lease runs out at {_clock(self.expires)} (in {left:.0f} s) unless that run, "
            "still alive, renews it"
        )


@dataclass(frozen=True)
class TakenOver:
    """A lock this run took over from a holder that is gone."""

    previous: LockInfo
    reason: str

    def describe(self) -> str:
        """What happened, for people."""
        prev = self.previous
        pid = f" (pid {prev.pid})" if prev.pid else ""
        return (
            f"took over the state lock of {prev.who} on {prev.host}{pid}, which was running "
            f"`{prev.operation}` since {prev.created} (lock ID {prev.id}): {self.reason}"
        )


class StateLock:
    """The lock item of one state document in one table; conditional writes keep one writer."""

    def __init__(self, location: StateLocation, sessions: Sessions, *, lease: float | None = None):
        self.location = location
        self.sessions = sessions
        self.lease = lease if lease is not None else lease_seconds()
        self.heartbeat = self.lease / HEARTBEATS_PER_LEASE

    def _ddb(self) -> Any:
        return self.sessions.client("dynamodb", self.location.account_id, self.location.region)

    def _fail(self, exc: ClientError) -> LzError:
        return aws_error(
            exc,
            account=self.location.account_id,
            region=self.location.region,
            resource=f"dynamodb table {self.location.lock_table}",
        )

    def _key(self) -> dict[str, Any]:
        return {"LockID": {"S": self.location.lock_id}}

    def acquire(self, operation: str, who: str) -> tuple[LockInfo, TakenOver | None]:
        """Take the lock, or take over a dead holder's; raise LockHeld naming a live one."""
        info = LockInfo(
            id=str(uuid.uuid4()),
            who=who,
            operation=operation,
            created=now_iso(),
            host=socket.gethostname(),
            pid=os.getpid(),
            machine=machine_id(),
            expires=time.time() + self.lease,
            lease=self.lease,
        )
        if self._put(info, "attribute_not_exists(LockID)", {}):
            return info, None
        holder = self.current()
        if holder is None:  # released in between: try once more
            if self._put(info, "attribute_not_exists(LockID)", {}):
                return info, None
            holder = self.current()
        now = time.time()
        reason = holder.stale(now, info.machine) if holder else None
        if holder is not None and reason is not None:
            pinned = {":old": {"S": holder.id}}
            condition = "ID = :old"
            if holder.expires is not None:
                condition += " AND Expires = :old_expires"
                pinned[":old_expires"] = {"N": repr(holder.expires)}
            info = replace(info, expires=time.time() + self.lease)
            if self._put(info, condition, pinned):
                return info, TakenOver(holder, reason)
            holder = self.current()  # renewed or taken by someone else first
        raise _refusal(holder, now)

    def ensure_free(self) -> None:
        """Raise LockHeld if a live run holds this lock; delete it if its holder is gone.

        A missing table counts as free.
        """
        holder = self.current()
        if holder is None:
            return
        now = time.time()
        if holder.stale(now, machine_id()) is not None:
            self.release(holder.id)
            return
        raise _refusal(holder, now)

    def _put(self, info: LockInfo, condition: str, values: dict[str, Any]) -> bool:
        item = {
            **self._key(),
            "ID": {"S": info.id},
            "Who": {"S": info.who},
            "Operation": {"S": info.operation},
            "Created": {"S": info.created},
            "Host": {"S": info.host},
            "Pid": {"N": str(info.pid)},
            "Machine": {"S": info.machine},
            "Expires": {"N": repr(info.expires)},
            "Lease": {"N": repr(info.lease)},
            "Version": {"S": __version__},
        }
        try:
            self._ddb().put_item(
                TableName=self.location.lock_table,
                Item=item,
                ConditionExpression=condition,
                **({"ExpressionAttributeValues": values} if values else {}),
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise self._fail(exc) from exc
        return True

    def renew(self, lock_id: str) -> float | None:
        """Extend the lease of hold `lock_id`; the new expiry, or None if it is not held."""
        expires = time.time() + self.lease
        try:
            self._ddb().update_item(
                TableName=self.location.lock_table,
                Key=self._key(),
                UpdateExpression="SET Expires = :expires",
                ConditionExpression="ID = :id",
                ExpressionAttributeValues={":id": {"S": lock_id}, ":expires": {"N": repr(expires)}},
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return None
            raise self._fail(exc) from exc
        return expires

    def current(self) -> LockInfo | None:
        """The current holder, if the lock is held (None too if the table does not exist)."""
        try:
            item = (
                self._ddb()
                .get_item(TableName=self.location.lock_table, Key=self._key(), ConsistentRead=True)
                .get("Item")
            )
        except ClientError as exc:
            if error_code(exc) == "ResourceNotFoundException":
                return None
            raise self._fail(exc) from exc
        if not item:
            return None

        def text(name: str) -> str:
            return str(item.get(name, {}).get("S", "?"))

        def number(name: str) -> float | None:
            value = item.get(name, {}).get("N")
            return float(value) if value is not None else None

        return LockInfo(
            id=item["ID"]["S"],
            who=text("Who"),
            operation=text("Operation"),
            created=text("Created"),
            host=text("Host"),
            pid=int(number("Pid") or 0),
            machine=item.get("Machine", {}).get("S", ""),
            expires=number("Expires"),
            lease=number("Lease"),
        )

    def release(self, lock_id: str) -> bool:
        """Release the lock if `lock_id` holds it; False if someone else holds it."""
        try:
            self._ddb().delete_item(
                TableName=self.location.lock_table,
                Key=self._key(),
                ConditionExpression="ID = :id",
                ExpressionAttributeValues={":id": {"S": lock_id}},
            )
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise self._fail(exc) from exc
        return True


def _refusal(holder: LockInfo | None, now: float) -> LockHeld:
    detail = holder.describe() if holder else "held (holder unknown)"
    note = f"; {holder.lease_note(now)}" if holder else ""
    hint = f"lz unlock {holder.id}" if holder else "lz unlock ID"
    return LockHeld(
        f"the state is locked: {detail}{note}. If that run is dead and you cannot wait, "
        f"break the lock with `{hint}`."
    )


class HeldLock:
    """A lock this run holds: renewed on a heartbeat thread until released.

    `lost` says why the hold was lost (taken over after this run stalled past
    its lease, or renewals failing until the lease ran out); `on_lost` is
    called once when that happens, so the run can stop starting work.
    """

    def __init__(
        self,
        lock: StateLock,
        info: LockInfo,
        *,
        taken_over: TakenOver | None = None,
        bootstrap: bool = False,
        on_lost: Callable[[str], None] | None = None,
    ):
        self.lock = lock
        self.info = info
        self.taken_over = taken_over
        self.bootstrap = bootstrap  # the bootstrap lock (the state backend does not exist yet)
        self.on_lost = on_lost
        self.lost: str | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="lz-lock-heartbeat", daemon=True)
        self._thread.start()

    def _beat(self) -> None:
        expires = self.info.expires or 0.0
        while not self._done.wait(self.lock.heartbeat):
            try:
                renewed = self.lock.renew(self.info.id)
            except LzError as exc:
                if time.time() + self.lock.heartbeat < expires:
                    continue  # try again at the next beat, while the lease still holds
                self._lose(f"the lease could not be renewed before it ran out ({exc})")
                return
            if renewed is None:
                holder = self.lock.current()
                by = holder.describe() if holder else "released by someone else"
                self._lose(f"the lock was taken over: it is now {by}")
                return
            expires = renewed

    def _lose(self, reason: str) -> None:
        self.lost = reason
        if self.on_lost is not None:
            self.on_lost(reason)

    def release(self) -> None:
        """Stop renewing and delete the lock item (unless it was lost to another run)."""
        self._done.set()
        self._thread.join()
        if self.lost is None:
            self.lock.release(self.info.id)
