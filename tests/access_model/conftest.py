"""The `lz` and `example` fixtures of the end-to-end tests, for the access commands."""

from tests.e2e.conftest import example, lz  # noqa: F401
