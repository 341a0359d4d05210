"""A landing zone with every baseline setting, for the end-to-end baseline tests.

Accounts: `audit` (the log archive), `prod` and `dev` under `plat` (the
standard baseline, two regions for dev), `sandbox` under `plat/sandbox` (a
lighter baseline that removes default VPCs). `prod` overrides its budget.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

HOME = "us-east-1"
OTHER = "eu-west-1"
ORG = "acme"
TRAIL = f"{ORG}-trail"
STANDARD_RULES = {
    "restricted-ssh": "INCOMING_SSH_DISABLED",
    "root-account-mfa-enabled": "ROOT_ACCOUNT_MFA_ENABLED",
    "s3-bucket-server-side-encryption-enabled": "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
    "iam-password-policy": "IAM_PASSWORD_POLICY",
}

LANDINGZONE = f"""\
    import: [baselines.yaml]
    organization:
      name: {ORG}
      home_region: {HOME}
      regions: [{HOME}]
      baseline: standard
    units:
      core: {{}}
      plat: {{}}
      plat/sandbox:
        baseline: sandbox
    accounts:
      audit:
        email: audit@acme.example
        unit: core
      prod:
        email: prod@acme.example
        unit: plat
        baseline_overrides:
          budgets: {{monthly: {{limit_usd: 2000}}}}
      dev:
        email: dev@acme.example
        unit: plat
        regions: [{HOME}, {OTHER}]
        alias: acme-development
      sandbox:
        email: sandbox@acme.example
        unit: plat/sandbox
        regions: [{HOME}, {OTHER}]
    state:
      account: audit
    """

BASELINES = """\
    baselines:
      log_archive:
        account: audit
      profiles:
        standard:
          password_policy:
            minimum_length: 14
            require_symbols: true
            require_numbers: true
            require_uppercase: true
            require_lowercase: true
            allow_users_to_change: true
            max_age_days: 90
            reuse_prevention: 24
          alias: "{org}-{account}"
          ebs_encryption: {}
          s3_public_access_block: {}
          guardduty: {finding_publishing_frequency: FIFTEEN_MINUTES}
          config:
            rules:
              - restricted-ssh
              - root-account-mfa-enabled
              - s3-bucket-server-side-encryption-enabled
              - name: iam-password-policy
                parameters: {MinimumPasswordLength: "14"}
          cloudtrail: {}
          budgets:
            monthly:
              limit_usd: 500
              alerts:
                - {percent: 80, emails: [ops@acme.example]}
                - {percent: 100, forecasted: true, emails: [ops@acme.example, cfo@acme.example]}
        sandbox:
          s3_public_access_block: {}
          guardduty: {}
          budgets:
            sandbox:
              limit_usd: 50
              alerts:
                - {percent: 90, emails: [dev@acme.example]}
          remove_default_vpcs: true
    """


def write(directory: Path) -> Path:
    """Write the spec into `directory`; returns it."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "landingzone.yaml").write_text(textwrap.dedent(LANDINGZONE))
    (directory / "baselines.yaml").write_text(textwrap.dedent(BASELINES))
    return directory


def edit(directory: Path, name: str, old: str, new: str) -> None:
    """Replace `old` (dedented as written above) by `new` in one of the spec's files."""
    path = directory / name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1))
