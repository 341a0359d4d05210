"""`lz` run in-process against the emulator, and the examples copied: as in tests/e2e."""

from tests.e2e.conftest import example, lz  # noqa: F401
