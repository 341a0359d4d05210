"""How the compatibility layer plugs into moto: subclasses of its backends and responses.

A compatibility backend subclasses moto's backend for a service; `use_backend`
makes moto's backend registry build the subclass from then on, which also holds
after `/moto-api/reset` (moto rebuilds backends from the registry's class). The
subclass routes HTTP requests to its own response class with `routes_to`.

Methods meant to replace a moto method carry `@overrides`; installing checks that
moto still has each one, so a moto upgrade that renames a symbol fails at start
instead of silently bypassing the compatibility layer.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType, SimpleNamespace
from typing import Any, TypeVar

import moto
from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.responses import BaseResponse

F = TypeVar("F", bound=Callable[..., Any])


class MotoInternalsChanged(RuntimeError):
    """moto no longer has a symbol the compatibility layer patches."""


def overrides(method: F) -> F:
    """Mark a method that replaces (and usually extends) one of moto's."""
    method.__lz_overrides__ = True  # type: ignore[attr-defined]
    return method


def require(owner: object, *names: str) -> None:
    """Fail loudly unless `owner` (a moto class or module) has every attribute named."""
    missing = [name for name in names if not hasattr(owner, name)]
    if missing:
        raise MotoInternalsChanged(
            f"moto {moto.__version__}: {getattr(owner, '__name__', owner)} has no "
            f"{', '.join(missing)}; update landingzone.emulator's compatibility layer"
        )


def _check_overrides(cls: type) -> None:
    names = [name for name, value in vars(cls).items() if hasattr(value, "__lz_overrides__")]
    for base in cls.__bases__:
        require(base, *names)


def use_backend(backends: BackendDict[Any], compat: type[BaseBackend]) -> None:
    """Make moto build `compat` (a subclass of its backend) for this service.

    Idempotent, also when another compatibility module extends `compat`
    (`ec2_defaults_compat` extends `ec2_compat`): its subclass stays. The first
    install drops backends moto already built for the service in this process,
    so that every account and region gets the subclass.
    """
    if issubclass(backends.backend, compat):
        return
    if not issubclass(compat, backends.backend):
        raise MotoInternalsChanged(
            f"{compat.__name__} does not extend moto's {backends.backend.__name__}"
        )
    _check_overrides(compat)
    backends.backend = compat
    backends.clear()


def routes_to(
    urls: ModuleType, response: type[BaseResponse], extra_paths: tuple[str, ...] = ()
) -> SimpleNamespace:
    """A stand-in for a moto `urls` module that sends its requests to `response`.

    `response` subclasses the module's response class; `extra_paths` are URL
    patterns (moto's syntax) of operations moto does not route at all.
    """
    require(urls, "url_bases", "url_paths")
    _check_overrides(response)
    for handler in urls.url_paths.values():
        owner = getattr(handler, "__self__", None)
        if not (isinstance(owner, type) and issubclass(response, owner)):
            raise MotoInternalsChanged(
                f"{urls.__name__} routes to {handler!r}, not to a base of {response.__name__}"
            )
    paths: dict[str, Any] = dict.fromkeys(urls.url_paths, response.dispatch)
    paths.update(dict.fromkeys(extra_paths, response.dispatch))
    return SimpleNamespace(url_bases=urls.url_bases, url_paths=paths)
