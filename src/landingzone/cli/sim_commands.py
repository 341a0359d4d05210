"""`lz sim`: the embedded AWS in the foreground, for lz, the AWS CLI or any SDK."""

from __future__ import annotations

import shlex
import signal
import sys
import threading
from types import FrameType

import typer

from landingzone.cli.app import app
from landingzone.cli.latency_options import LatencyOpt, ServiceLatencyOpt, parse_service_latency
from landingzone.emulator.constants import CONTROL_PATH, DEFAULT_MANAGEMENT_ACCOUNT_ID
from landingzone.errors import LzError
from landingzone.ui import err

SIM_HELP = """
Run the embedded AWS in the foreground: moto plus lz's compatibility layer.

**1.** `lz sim` listens on 127.0.0.1:4566 and prints `export` lines on stdout.

**2.** Paste them into another shell. Every AWS client there (lz, the AWS CLI,
boto3) now talks to the emulator as the management account. Other accounts are
reached as in AWS, by assuming `OrganizationAccountAccessRole` from it.

**3.** Use it: `lz plan examples/codewilling`, `aws sts get-caller-identity`.

**4.** Stop with Ctrl-C (or SIGTERM). Everything it held is forgotten.

`--latency-ms 50` makes every AWS call take 50 ms, as AWS's round trip
would (`--service-latency organizations=80` for one service): see how a
run behaves at AWS's speed. While it runs, make it behave like a slow or
throttling AWS: `curl -X POST http://127.0.0.1:4566/_lz/emulator/config -d
'{"account_creation": {"polls": 3}, "latency": {"ms": 50}}'` (see docs/emulator.md).
"""


@app.command(help=SIM_HELP)
def sim(
    port: int = typer.Option(4566, "--port", help="Port to listen on (0: any free port)."),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (0.0.0.0: reachable from others)."
    ),
    management_account_id: str = typer.Option(
        DEFAULT_MANAGEMENT_ACCOUNT_ID,
        "--management-account-id",
        help="12-digit id of the account the printed credentials belong to.",
    ),
    log_requests: bool = typer.Option(
        False, "--log-requests", help="Print one line per HTTP request on stderr."
    ),
    latency_ms: LatencyOpt = 0.0,
    service_latency: ServiceLatencyOpt = None,
) -> None:
    """Run the embedded AWS in the foreground (see the help text above)."""
    from landingzone.emulator import Emulator  # loads moto: only when the command runs

    per_service = parse_service_latency(latency_ms, service_latency)
    try:
        emulator = Emulator(
            host,
            port,
            management_account_id,
            log_requests=log_requests,
            latency_ms=latency_ms,
            service_latency_ms=per_service,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--management-account-id") from None
    try:
        emulator.start()
    except OSError as exc:
        raise LzError(f"lz sim: cannot listen on {host}:{port}: {exc.strerror}") from None
    try:
        for name, value in emulator.env().items():
            sys.stdout.write(f"export {name}={shlex.quote(value)}\n")
        sys.stdout.flush()
        err.print(
            f"lz sim: the embedded AWS listens on {emulator.endpoint}, management account "
            f"{emulator.management_account_id}.\n"
            "Paste the export lines above into another shell, then for example:\n"
            "  lz plan examples/codewilling\n"
            "  aws sts get-caller-identity\n"
            + (f"Every AWS call takes {latency_ms:g} ms or more.\n" if latency_ms else "")
            + f"Controls: {emulator.endpoint}{CONTROL_PATH}/config (docs/emulator.md). "
            "Stop with Ctrl-C.",
            markup=False,
        )
        _wait_for_stop_signal()
    finally:
        emulator.stop()
    err.print("lz sim: stopped; everything it held is gone.", markup=False)


def _wait_for_stop_signal() -> None:
    """Block until SIGINT (Ctrl-C) or SIGTERM."""
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        stop.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
