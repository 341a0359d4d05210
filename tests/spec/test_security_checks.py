"""The `security` section's rules: each broken once, reported at its file:line, nothing applied."""

from __future__ import annotations

SECURITY = "catalog/security.yaml"


def _with(valid: dict[str, str], text: str) -> dict[str, str]:
    return {**valid, SECURITY: text}


def test_a_security_section_loads(write_spec, valid, load_ok):
    text = """\
        security:
          account: shared
          delegated_services: [guardduty, securityhub.amazonaws.com, inspector2]
        """
    spec = load_ok(write_spec(_with(valid, text))).spec
    assert spec.security is not None
    assert spec.security.account == "shared"


def test_the_security_account_must_be_an_account_of_the_spec(write_spec, valid, problems_of):
    text = """\
        security:
          account: sharde
        """
    assert problems_of(write_spec(_with(valid, text))) == [
        f'{SECURITY}:2: security.account: account "sharde" does not exist '
        '(did you mean "shared"? accounts: dev, shared)'
    ]


def test_the_management_account_cannot_be_delegated_administrator(write_spec, valid, problems_of):
    text = """\
        security:
          account: management
        """
    (problem,) = problems_of(write_spec(_with(valid, text)))
    assert problem.startswith(f"{SECURITY}:2: security.account: the management account cannot")
    assert "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR" in problem


def test_only_services_aws_lets_you_delegate(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          delegated_services:
            - guardduty
            - ram
            - gaurdduty
            - guardduty.amazonaws.com
        """
    problems = problems_of(write_spec(_with(valid, text)))
    assert len(problems) == 3
    assert problems[0].startswith(
        f'{SECURITY}:5: security.delegated_services: "ram" is not a service AWS Organizations '
        "lets you delegate"
    )
    assert problems[1].startswith(f'{SECURITY}:6: security.delegated_services: "gaurdduty"')
    assert '(did you mean "guardduty"?)' in problems[1]
    assert problems[2] == (
        f'{SECURITY}:7: security.delegated_services: "guardduty.amazonaws.com" is listed twice'
    )


def test_unknown_keys_are_refused(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          admin_account: shared
        """
    (problem,) = problems_of(write_spec(_with(valid, text)))
    assert problem.startswith(f"{SECURITY}:3:")
    assert "admin_account" in problem


def test_guardduty_auto_enable_is_all_new_or_none(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          guardduty:
            auto_enable: SOME
        """
    (problem,) = problems_of(write_spec(_with(valid, text)))
    assert problem.startswith(f"{SECURITY}:4:")
    assert "'ALL', 'NEW' or 'NONE'" in problem


def test_guardduty_alert_values_are_checked(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          guardduty:
            alerts:
              emails: [secops@example.com, not-an-address]
              topic: "findings of {region}"
        """
    assert problems_of(write_spec(_with(valid, text))) == [
        f'{SECURITY}:5: guardduty.alerts: "not-an-address" is not an e-mail address',
        f'{SECURITY}:6: guardduty.alerts: topic "findings of {{region}}" is not an SNS topic '
        'name (1 to 256 characters of A-Z, a-z, 0-9, "-" and "_"; {region} allowed)',
    ]


def test_config_aggregator_names_are_checked(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          config_aggregator:
            name: "org aggregator"
            role: "{org}/aggregator"
        """
    assert problems_of(write_spec(_with(valid, text))) == [
        f'{SECURITY}:4: config_aggregator: name "org aggregator" is not an aggregator name '
        '(1 to 256 characters of A-Z, a-z, 0-9, "_" and "-")',
        f'{SECURITY}:5: config_aggregator: role "acme/aggregator" is not an IAM role name '
        "(1 to 64 characters of A-Z, a-z, 0-9 and +=,.@_-)",
    ]


_LOG_ARCHIVE = """\
    baselines:
      log_archive: {account: shared}
      profiles:
        standard:
          cloudtrail: {}
    units:
      plat:
        baseline: standard
    """


def test_an_organization_trail_needs_the_log_archive(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          organization_trail: {}
        """
    assert problems_of(write_spec(_with(valid, text))) == [
        f"{SECURITY}:3: organization_trail: it delivers to the log archive: add "
        "baselines.log_archive (the account, bucket and KMS key)"
    ]


def test_an_organization_trail_and_per_account_trails_to_one_bucket_are_refused(
    write_spec, valid, problems_of
):
    text = """\
        security:
          account: shared
          organization_trail: {}
        """
    files = {**_with(valid, text), "catalog/baselines.yaml": _LOG_ARCHIVE}
    (problem,) = problems_of(write_spec(files))
    assert problem.startswith(
        f"{SECURITY}:3: organization_trail: the organization trail already records every "
        "account; 1 accounts' baselines also have their own trail to the same log archive "
        "bucket (dev): remove `cloudtrail` from their baseline (catalog/baselines.yaml:5)"
    )


def test_per_account_trails_past_the_policy_size_limits_point_at_the_organization_trail(
    write_spec, valid, problems_of
):
    accounts = "accounts:\n" + "".join(
        f"  a{i:03}: {{email: a{i:03}@example.com, unit: plat}}\n" for i in range(300)
    )
    files = {**valid, "catalog/baselines.yaml": _LOG_ARCHIVE, "catalog/many.yaml": accounts}
    key, bucket = problems_of(write_spec(files))  # sorted by message
    assert bucket.startswith(
        "catalog/baselines.yaml:2: log_archive: 301 per-account trails make the bucket policy"
    )
    assert "over AWS's limit of 20480: use one organization trail instead" in bucket
    assert "security.organization_trail" in bucket
    assert "the KMS key policy" in key
    assert "over AWS's limit of 32768" in key


def test_security_hub_standards_are_those_aws_has(write_spec, valid, problems_of, load_ok):
    good = """\
        security:
          account: shared
          securityhub:
            standards:
              - aws-foundational-security-best-practices
              - cis-aws-foundations-benchmark/v/1.4.0
        """
    assert load_ok(write_spec(_with(valid, good))).spec.security.securityhub.standards[1] == (
        "cis-aws-foundations-benchmark/v/1.4.0"
    )
    text = """\
        security:
          account: shared
          securityhub:
            standards:
              - cis-aws-foundations-benchmark
              - cis-aws-foundation-benchmark
              - cis-aws-foundations-benchmark/v/3.0.0
              - cis-aws-foundations-benchmark/v/9.9.9
        """
    problems = problems_of(write_spec(_with(valid, text)))
    assert len(problems) == 3
    assert problems[0].startswith(
        f'{SECURITY}:6: securityhub.standards: "cis-aws-foundation-benchmark" is not a Security '
        'Hub standard (did you mean "cis-aws-foundations-benchmark"?)'
    )
    assert problems[1] == (
        f'{SECURITY}:7: securityhub.standards: "cis-aws-foundations-benchmark/v/3.0.0" is '
        "listed twice"
    )
    assert problems[2].startswith(f'{SECURITY}:8: securityhub.standards: "cis-aws-foundations')
    assert "standards-reference.html" in problems[2]


def test_access_analyzer_names_are_checked(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          access_analyzer:
            name: 9-organization
        """
    (problem,) = problems_of(write_spec(_with(valid, text)))
    assert problem.startswith(
        f'{SECURITY}:4: access_analyzer: name "9-organization" is not an analyzer name'
    )
