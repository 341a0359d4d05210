"""Ctrl-C (SIGINT) and SIGTERM, handled alike: CI cancels and times out with SIGTERM.

- The first signal while an apply executes (inside `graceful`) sets the
  run's stop event: nothing more starts, running operations finish and are
  journaled, the command prints what was done and what was not, releases the
  lock and exits 130.
- The first signal anywhere else raises KeyboardInterrupt: `main` prints one
  line, "interrupted", and exits 130; the `finally` that holds a lock
  releases it on the way out.
- A second signal exits 130 at once, as a kill would: state and lock
  recover by themselves (the journal; the lock's lease).

This module imports nothing heavy, so `main` installs it before anything else.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from landingzone.errors import EXIT_INTERRUPTED

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupts:
    """The process's signal handling for one `lz` command."""

    def __init__(self) -> None:
        self._stop: threading.Event | None = None
        self._received = 0
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        """Handle SIGINT and SIGTERM from now on (main thread only; a no-op elsewhere)."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._received = 0
        for sig in SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)

    def restore(self) -> None:
        """Put back the handlers that were there before `install`."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    @property
    def received(self) -> bool:
        """Whether a signal came since `install`."""
        return self._received > 0

    @contextmanager
    def graceful(self, stop: threading.Event) -> Iterator[None]:
        """Within the block, the first signal sets `stop` instead of raising."""
        self._stop = stop
        try:
            yield
        finally:
            self._stop = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self._received += 1
        if self._received > 1:
            os.write(2, b"\ninterrupted again: exiting now; the next run recovers\n")
            os._exit(EXIT_INTERRUPTED)
        if self._stop is not None:
            self._stop.set()
            os.write(
                2,
                b"\ninterrupted: starting nothing more; running operations finish and are "
                b"recorded (interrupt again to exit at once)\n",
            )
            return
        raise KeyboardInterrupt


INTERRUPTS = Interrupts()
