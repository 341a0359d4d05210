"""Run moto's server in this process, on a thread, for `lz up`, `lz sim` and tests."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

DEFAULT_MANAGEMENT_ACCOUNT_ID = "123456789012"


class Emulator:
    """An embedded AWS endpoint (moto server) listening on localhost."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: Any = None

    @property
    def endpoint(self) -> str:
        """The URL to point AWS clients at."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> Emulator:
        """Start serving on a background thread; returns self."""
        import logging
        import threading

        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )

        from landingzone.emulator import s3_policy_compat

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

        s3_policy_compat.install()
        app = DomainDispatcherApplication(create_backend_app)
        self._server = make_server(
            self.host, self.port, app, threaded=True, request_handler=MotoRequestHandler
        )
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._thread.join()
            self._server = None

    def reset(self) -> None:
        """Forget everything: every account, every resource."""
        self._post("/moto-api/reset", {})

    def env(self) -> dict[str, str]:
        """Environment variables that point boto3 (and lz) at this emulator."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "lzsim",
            "AWS_SECRET_ACCESS_KEY": "lzsim",
            "AWS_DEFAULT_REGION": "us-east-1",
        }

    def _post(self, path: str, body: dict[str, Any]) -> bytes:
        req = urllib.request.Request(
            self.endpoint + path, data=json.dumps(body).encode(), method="POST"
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            return bytes(resp.read())

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
