"""The emulator's WSGI application: control endpoint, request accounting and faults, then moto.

    GET    /_lz/emulator            identity and environment of the management account
    GET    /_lz/emulator/config     current behaviour controls
    POST   /_lz/emulator/config     change some of them (JSON object; see EmulatorConfig)
    DELETE /_lz/emulator/config     back to the defaults
    GET    /_lz/emulator/requests   AWS calls seen, per (account, service, operation)
    DELETE /_lz/emulator/requests   zero those counters

moto's own `POST /moto-api/reset` also restores the management identity and the
default controls, so a reset emulator is a fresh one.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any

from pydantic import ValidationError

from landingzone.emulator.constants import CONTROL_PATH
from landingzone.emulator.controls import CONTROLS
from landingzone.emulator.wire import AwsCall, error_response, identify

RESET_PATH = "/moto-api/reset"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
# A service moto lacks: (the call, the WSGI environ) -> status, headers, body.
Service = Callable[[AwsCall, dict[str, Any]], tuple[int, dict[str, str], bytes]]


class EmulatorApp:
    """Wraps moto's WSGI application with the emulator's controls."""

    def __init__(
        self,
        aws: WsgiApp,
        describe: Callable[[str], dict[str, Any]],
        after_reset: Callable[[], None],
        services: Mapping[str, Service] | None = None,
    ):
        """`describe(endpoint)` answers `GET /_lz/emulator`; `after_reset` runs after moto's;
        `services` answer, by botocore service name, the services moto lacks."""
        self._aws = aws
        self._services = dict(services or {})
        self._describe = describe
        self._after_reset = after_reset
        # moto's backends are not thread-safe (lists and dicts mutated without locks)
        # and AWS is consistent: serve one AWS call at a time. moto is bound by the
        # GIL anyway, so this costs little throughput and removes races.
        self._serial = threading.RLock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == CONTROL_PATH or path.startswith(CONTROL_PATH + "/"):
            status, document = self._control(method, path[len(CONTROL_PATH) :], environ)
            body = json.dumps(document, indent=2, sort_keys=True).encode()
            return _respond(start_response, status, {"Content-Type": "application/json"}, body)
        if path == RESET_PATH and method == "POST":
            with self._serial:
                answer = b"".join(self._aws(environ, start_response))
                self._after_reset()
            return [answer]
        call = identify(environ)
        if call is not None:
            delay = CONTROLS.config.latency.seconds(call.key.service)
            if delay:
                time.sleep(delay)  # outside the lock: calls in flight wait together
            fault = CONTROLS.record(call.key, faultable=call.operation_model is not None)
            if fault is not None:
                message = fault.message or f"Injected by the emulator: {fault.error}"
                status, headers, body = error_response(call, fault.error, message, fault.status)
                return _respond(start_response, status, headers, body)
        service = self._services.get(call.key.service) if call is not None else None
        if call is not None and service is not None:
            with self._serial:
                status, headers, body = service(call, environ)
            return _respond(start_response, status, headers, body)
        with self._serial:
            return [b"".join(self._aws(environ, start_response))]

    def _control(
        self, method: str, subpath: str, environ: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        if subpath in ("", "/") and method == "GET":
            host = environ.get("HTTP_HOST", "")
            return 200, self._describe(f"{environ.get('wsgi.url_scheme', 'http')}://{host}")
        if subpath == "/config":
            if method == "GET":
                return 200, CONTROLS.config.model_dump()
            if method == "DELETE":
                CONTROLS.reset_config()
                return 200, CONTROLS.config.model_dump()
            if method == "POST":
                return _configure(environ)
        if subpath == "/requests":
            if method == "GET":
                return 200, {"requests": CONTROLS.calls()}
            if method == "DELETE":
                CONTROLS.clear_calls()
                return 200, {"requests": []}
        return 404, {"error": f"no control {method} {CONTROL_PATH}{subpath}"}


def _configure(environ: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    try:
        changes = json.loads(raw or b"{}")
        if not isinstance(changes, dict):
            raise ValueError("the configuration must be a JSON object")
        return 200, CONTROLS.configure(changes).model_dump()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return 400, {"error": problems}
    except ValueError as exc:
        return 400, {"error": str(exc)}


def _respond(
    start_response: StartResponse, status: int, headers: dict[str, str], body: bytes
) -> list[bytes]:
    reason = HTTPStatus(status).phrase
    header_list = [(k, v) for k, v in headers.items() if k.lower() != "content-length"]
    start_response(f"{status} {reason}", [*header_list, ("Content-Length", str(len(body)))])
    return [body]
