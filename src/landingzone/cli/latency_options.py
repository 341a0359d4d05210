"""`--latency-ms` and `--service-latency`: the embedded AWS at AWS's round-trip time."""

from __future__ import annotations

from typing import Annotated

import typer

LATENCY_ENV = "LZ_EMULATOR_LATENCY_MS"
MAX_MS = 60_000.0  # as the emulator's control accepts (emulator/latency.py)

LatencyOpt = Annotated[
    float,
    typer.Option(
        "--latency-ms",
        envvar=LATENCY_ENV,
        metavar="MS",
        help="Delay every AWS call by this many milliseconds, as AWS's round trip would "
        "(50 is typical): shows how a run behaves at AWS's speed.",
    ),
]
ServiceLatencyOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--service-latency",
        metavar="SERVICE=MS",
        help="Latency of one service instead (botocore name, e.g. organizations=80); repeatable.",
    ),
]


def parse_service_latency(latency_ms: float, values: list[str] | None) -> dict[str, float]:
    """Check `--latency-ms`; `["s3=20", "organizations=80"]` -> `{"s3": 20.0, ...}`."""
    if not 0 <= latency_ms <= MAX_MS:
        raise typer.BadParameter(
            f"{latency_ms:g} is not between 0 and 60000", param_hint="--latency-ms"
        )
    parsed: dict[str, float] = {}
    for value in values or []:
        service, _, ms = value.partition("=")
        try:
            number = float(ms)
        except ValueError:
            number = -1.0
        if not service or not 0 <= number <= MAX_MS:
            raise typer.BadParameter(
                f"{value!r}: expected SERVICE=MS with MS between 0 and 60000, "
                "e.g. organizations=80",
                param_hint="--service-latency",
            )
        parsed[service] = number
    return parsed
