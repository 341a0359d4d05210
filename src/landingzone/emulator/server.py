"""Run moto's server in this process, on a thread, for `lz up`, `lz sim` and tests.

moto keeps its state per process, so every `Emulator` of a process serves the
same accounts and resources and shares one set of behaviour controls.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server, select_address_family

from landingzone.emulator import accessanalyzer_service, compat, controltower_service
from landingzone.emulator.app import RESET_PATH, EmulatorApp
from landingzone.emulator.constants import (
    CONTROL_PATH,
    DEFAULT_MANAGEMENT_ACCOUNT_ID,
    DEFAULT_REGION,
)
from landingzone.emulator.controls import CONTROLS
from landingzone.emulator.identity import Identity
from landingzone.emulator.latency import Latency


class _QuietRequestHandler(MotoRequestHandler):
    """moto's request handler without the access log line per request."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log nothing for successful and failed requests alike."""


class Emulator:
    """An embedded AWS endpoint (moto server) listening on localhost.

    Clients configured with `env()` act as the management account
    `management_account_id`; other accounts are reached by assuming roles, as
    in AWS.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        management_account_id: str = DEFAULT_MANAGEMENT_ACCOUNT_ID,
        *,
        region: str = DEFAULT_REGION,
        log_requests: bool = False,
        latency_ms: float = 0.0,
        service_latency_ms: Mapping[str, float] | None = None,
    ):
        """Port 0 picks a free port (see `endpoint` once started).

        `latency_ms` delays every AWS call by that much (`service_latency_ms`:
        per service, by botocore name), as AWS's round trip would; it is part of
        this emulator's defaults, so `reset()` keeps it (docs/emulator.md).
        """
        self.latency = Latency(ms=latency_ms, services=dict(service_latency_ms or {}))
        self.host = host
        self.port = port
        self.identity = Identity.for_account(management_account_id)
        self.region = region
        self._log_requests = log_requests
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def management_account_id(self) -> str:
        """The account that `env()`'s credentials act as."""
        return self.identity.account_id

    @property
    def endpoint(self) -> str:
        """The URL to point AWS clients at."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> Emulator:
        """Install the compatibility layer and start serving on a background thread.

        Raises OSError when the address cannot be bound (port in use, ...).
        """
        compat.install()
        self.identity.install()
        CONTROLS.set_defaults({"latency": self.latency.model_dump()})
        app = EmulatorApp(
            DomainDispatcherApplication(create_backend_app),
            describe=self._describe,
            after_reset=self._after_reset,
            services={
                accessanalyzer_service.SERVICE: accessanalyzer_service.answer,
                controltower_service.SERVICE: controltower_service.answer,
            },
        )
        handler = MotoRequestHandler if self._log_requests else _QuietRequestHandler
        # Bind here: werkzeug would print and exit the process if the port is taken.
        family = select_address_family(self.host, self.port)
        with socket.create_server((self.host, self.port), family=family) as listener:
            self._server = make_server(
                self.host,
                self.port,
                app,
                threaded=True,
                request_handler=handler,
                fd=listener.fileno(),
            )
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"lz-emulator-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._server.server_close()
            self._server = None
            self._thread = None

    def reset(self) -> None:
        """Forget everything: every account, every resource, every control setting."""
        self._request("POST", RESET_PATH, {})

    @property
    def s3_control_endpoint(self) -> str:
        """The URL for S3 Control clients.

        S3 Control clients put the account ID in front of the endpoint's host
        name (`123456789012.s3-control.us-east-1.amazonaws.com`), even for a
        custom endpoint, where `123456789012.127.0.0.1` resolves nowhere. With
        user information before the host, the account ID lands there
        (`http://123456789012.s3-control@127.0.0.1:4566`) and the request
        reaches the emulator, which reads the account from a header.
        """
        return f"http://s3-control@{self.host}:{self.port}"

    def env(self) -> dict[str, str]:
        """Environment variables that point boto3 (and lz) at this emulator."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ENDPOINT_URL_S3_CONTROL": self.s3_control_endpoint,
            "AWS_ACCESS_KEY_ID": self.identity.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.identity.secret_access_key,
            "AWS_DEFAULT_REGION": self.region,
        }

    def configure(self, **options: Any) -> dict[str, Any]:
        """Change behaviour controls (see docs/emulator.md); returns the whole configuration.

        Example: `configure(account_creation={"polls": 2}, faults=[{"service":
        "organizations", "operation": "CreateAccount", "error":
        "TooManyRequestsException", "count": 1}])`.
        """
        return dict(self._request("POST", CONTROL_PATH + "/config", options))

    def config(self) -> dict[str, Any]:
        """The current behaviour controls."""
        return dict(self._request("GET", CONTROL_PATH + "/config"))

    def request_counts(self) -> list[dict[str, Any]]:
        """AWS calls seen since the last reset: account, service, operation, count, faults."""
        return list(self._request("GET", CONTROL_PATH + "/requests")["requests"])

    def clear_request_counts(self) -> None:
        """Zero the request counters."""
        self._request("DELETE", CONTROL_PATH + "/requests")

    def _describe(self, endpoint: str) -> dict[str, Any]:
        return {
            "management_account_id": self.management_account_id,
            "environment": {**self.env(), "AWS_ENDPOINT_URL": endpoint},
        }

    def _after_reset(self) -> None:
        compat.after_reset()
        self.identity.install()
        CONTROLS.reset()

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.endpoint + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            detail = json.loads(exc.read() or b"{}").get("error", exc.reason)
            raise ValueError(f"emulator {method} {path}: {detail}") from None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
