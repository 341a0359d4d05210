"""A small valid landing zone with baselines, to break one rule at a time."""

from __future__ import annotations

import textwrap

import pytest

# The spec tests' helpers: write_spec, problems_of, load_ok.
from tests.spec.conftest import load_ok, problems_of, write_spec

__all__ = ["baseline_files", "load_ok", "problems_of", "write_spec"]

_FILES = {
    "landingzone.yaml": """\
        import: [baselines.yaml]
        organization:
          name: acme
          home_region: us-east-1
          regions: [us-east-1, eu-west-1]
          baseline: standard
        units:
          core: {}
          plat: {}
          plat/sandbox:
            baseline: sandbox
        accounts:
          audit:
            email: audit@acme.example
            unit: core
          prod:
            email: prod@acme.example
            unit: plat
            regions: [us-east-1]
          sandbox:
            email: sandbox@acme.example
            unit: plat/sandbox
        state:
          account: audit
        """,
    "baselines.yaml": """\
        baselines:
          log_archive:
            account: audit
          profiles:
            standard:
              password_policy:
                minimum_length: 14
                require_symbols: true
              alias: "{org}-{account}"
              ebs_encryption: {}
              s3_public_access_block: {}
              guardduty: {}
              config:
                rules:
                  - restricted-ssh
                  - name: iam-password-policy
                    parameters: {MinimumPasswordLength: "14"}
              cloudtrail: {}
              budgets:
                monthly:
                  limit_usd: 500
                  alerts:
                    - {percent: 80, emails: [ops@acme.example]}
            sandbox:
              guardduty: {finding_publishing_frequency: ONE_HOUR}
              budgets:
                monthly:
                  limit_usd: 50
                  alerts:
                    - {percent: 100, forecasted: true, emails: [dev@acme.example]}
              remove_default_vpcs: true
        """,
}


@pytest.fixture
def baseline_files() -> dict[str, str]:
    """The files of the valid landing zone (dedented), to edit in a test."""
    return {name: textwrap.dedent(text) for name, text in _FILES.items()}
