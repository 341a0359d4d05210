"""A landing zone with a `security` section, for the end-to-end security tests.

Accounts: `security` (the security tooling account, delegated
administrator), `logs` (the log archive) under `core`; `dev` and `prod`
under `plat`. Every account has a GuardDuty detector and an AWS Config
recorder with one rule (the `standard` baseline, no per-account trail: the
organization trail records every account); `dev` runs in two regions.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

HOME = "us-east-1"
OTHER = "eu-west-1"
ORG = "acme"
DELEGATED = (
    "access-analyzer.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
)

LANDINGZONE = f"""\
    import: [security.yaml]
    organization:
      name: {ORG}
      home_region: {HOME}
      regions: [{HOME}]
      baseline: standard
    units:
      core: {{}}
      plat: {{}}
    accounts:
      security:
        email: security@acme.example
        unit: core
      logs:
        email: logs@acme.example
        unit: core
      dev:
        email: dev@acme.example
        unit: plat
        regions: [{HOME}, {OTHER}]
      prod:
        email: prod@acme.example
        unit: plat
    state:
      account: logs
    baselines:
      log_archive:
        account: logs
      profiles:
        standard:
          guardduty: {{}}
          config:
            rules: [restricted-ssh]
    """

SECURITY = """\
    security:
      account: security
      delegated_services: [securityhub, access-analyzer]
      config_aggregator: {}
      organization_trail: {}
      guardduty:
        auto_enable: ALL
        alerts:
          emails: [secops@acme.example]
    """


def write(directory: Path, security: str = SECURITY) -> Path:
    """Write the spec into `directory` (with `security` as security.yaml); returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "landingzone.yaml").write_text(textwrap.dedent(LANDINGZONE))
    (directory / "security.yaml").write_text(textwrap.dedent(security))
    return directory
