"""The compatibility layer: every place where the emulator makes moto behave like AWS.

Each `*_compat` module documents the AWS behaviour it follows (see also
docs/emulator.md) and installs itself into moto with `install()`.
"""

from __future__ import annotations


def install() -> None:
    """Install the whole compatibility layer into moto (idempotent, checked)."""


def after_reset() -> None:
    """Clear what moto's reset leaves behind."""
