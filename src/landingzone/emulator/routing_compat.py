"""moto's request routing without a directory listing per request.

For every request whose host is not one of moto's patterns (any custom
endpoint, such as the emulator's), moto's server checks the host against
`list_of_moto_modules()`, which lists moto's package directory and stats
each of its ~300 entries. Each stat releases the GIL; in a process where
lz's client threads run too, every reacquisition waits its turn, and the
listing took most of each request's time (40 ms a call on 2 CPUs). The list
never changes while the emulator runs: it is computed once.
"""

from __future__ import annotations

from moto import backends

from landingzone.emulator.patching import require

_installed = False


def install() -> None:
    """Memoize moto's list of service modules (idempotent)."""
    global _installed
    if _installed:
        return
    require(backends, "list_of_moto_modules")
    modules = tuple(backends.list_of_moto_modules())
    backends.list_of_moto_modules = lambda: modules
    _installed = True
