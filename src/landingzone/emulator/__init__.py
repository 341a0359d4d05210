"""The embedded AWS: moto's server, driven over HTTP exactly as AWS is.

`Emulator` is imported on first use: loading moto takes about a second, which
commands that do not run the emulator should not pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from landingzone.emulator.server import Emulator

__all__ = ["Emulator"]


def __getattr__(name: str) -> Any:
    if name == "Emulator":
        from landingzone.emulator.server import Emulator

        return Emulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
