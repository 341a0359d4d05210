"""Start-up: a command imports only what it uses.

`lz version` and `lz --help` must not load moto (the embedded AWS), boto3,
the spec loader, the access model or the exporters: they cost seconds that a
user pays on every command. Each case runs the CLI in a fresh interpreter
and lists the modules it loaded; no timing is measured.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# Packages a command loads only when it needs them.
HEAVY = (
    "moto",
    "boto3",
    "botocore",
    "ruamel",
    "landingzone.emulator.server",
    "landingzone.aws",
    "landingzone.engine",
    "landingzone.spec",
    "landingzone.validate",
    "landingzone.proofs",
    "landingzone.access",
    "landingzone.export",
    "landingzone.network",
    "landingzone.graph",
    "landingzone.resources",
)

PROBE = """
import json, sys
from landingzone.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stderr.flush()
loaded = sorted({m for m in sys.modules for p in HEAVY if m == p or m.startswith(p + ".")})
print("\\nLOADED=" + json.dumps({"code": code, "loaded": loaded}))
"""


def run_cli(*argv: str) -> dict[str, object]:
    """Run `lz ARGV` in a fresh interpreter; its exit code and the heavy modules it loaded."""
    code = f"HEAVY = {HEAVY!r}\n{PROBE}"
    done = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120
    )
    marker = done.stdout.rpartition("LOADED=")[2]
    assert marker, done.stderr
    result: dict[str, object] = json.loads(marker)
    result["stdout"] = done.stdout
    return result


@pytest.mark.parametrize(
    "argv",
    [
        ("version",),
        ("--help",),
        ("plan", "--help"),
        ("up", "--help"),
        ("export", "terraform", "--help"),
        ("can", "--help"),
        ("reach", "--help"),
    ],
)
def test_command_starts_without_heavy_imports(argv: tuple[str, ...]) -> None:
    result = run_cli(*argv)
    assert result["code"] in (0, None)
    assert result["loaded"] == [], f"lz {' '.join(argv)} imported {result['loaded']}"


def test_version_prints_the_version() -> None:
    from landingzone import __version__

    result = run_cli("version")
    assert str(result["stdout"]).splitlines()[0] == __version__


def test_validate_loads_the_spec_loader_but_not_the_emulator() -> None:
    result = run_cli("validate", str(EXAMPLES / "codewilling"))
    assert result["code"] in (0, None)
    loaded = set(result["loaded"])  # type: ignore[arg-type]
    assert "landingzone.spec.loader" in loaded
    assert not {"moto", "landingzone.emulator.server", "landingzone.export"} & loaded
