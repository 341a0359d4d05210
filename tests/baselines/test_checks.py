"""Every validation rule of the baselines, each broken once, each at its file:line."""

from __future__ import annotations

import pytest

from landingzone.spec.limits import BUDGET_AMOUNT

_BUDGET_LIMIT = BUDGET_AMOUNT.cite()


def _edit(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert old in files[name], f"{old!r} is not in {name}"
    return {**files, name: files[name].replace(old, new, 1)}


def _problems(write_spec, problems_of, files: dict[str, str]) -> list[str]:
    return problems_of(write_spec(files))


def test_the_base_spec_is_valid(write_spec, baseline_files, load_ok):
    assert sorted(load_ok(write_spec(baseline_files)).spec.baselines.profiles) == [
        "sandbox",
        "standard",
    ]


# -- names and references -------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "subject"),
    [
        ("  baseline: standard", "  baseline: standrd", 6, "organization"),
        ("    baseline: sandbox", "    baseline: sandbx", 11, 'unit "plat/sandbox"'),
    ],
)
def test_assignments_name_a_profile(
    write_spec, baseline_files, problems_of, old, new, line, subject
):
    files = _edit(baseline_files, "landingzone.yaml", old, new)
    wanted = new.split(": ")[1]
    likely = old.split(": ")[1]
    assert _problems(write_spec, problems_of, files) == [
        f'landingzone.yaml:{line}: {subject}: baseline profile "{wanted}" does not exist '
        f'(did you mean "{likely}"? profiles: sandbox, standard; or "none" for no baseline)'
    ]


def test_an_account_assignment_names_a_profile(write_spec, baseline_files, problems_of):
    files = _edit(
        baseline_files,
        "landingzone.yaml",
        "    unit: core\n",
        "    unit: core\n    baseline: gold\n",
    )
    assert _problems(write_spec, problems_of, files) == [
        'landingzone.yaml:16: account "audit": baseline profile "gold" does not exist '
        '(profiles: sandbox, standard; or "none" for no baseline)'
    ]


def test_none_is_not_a_profile_name(write_spec, baseline_files, problems_of):
    files = _edit(
        baseline_files,
        "baselines.yaml",
        "    sandbox:\n",
        "    none:\n      guardduty: {}\n    sandbox:\n",
    )
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:24: profile "none": the name is reserved (`baseline: none` means no '
        "baseline); give the profile another name"
    ]


def test_the_log_archive_account_exists(write_spec, baseline_files, problems_of):
    files = _edit(baseline_files, "baselines.yaml", "account: audit", "account: audt")
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:3: log_archive: account "audt" does not exist (did you mean "audit"? '
        "accounts: audit, prod, sandbox)"
    ]


def test_trails_and_config_need_a_log_archive(write_spec, baseline_files, problems_of):
    files = _edit(baseline_files, "baselines.yaml", "  log_archive:\n    account: audit\n", "")
    problems = _problems(write_spec, problems_of, files)
    assert problems[:2] == [
        'baselines.yaml:11: account "audit": config delivers to the log archive, but '
        "baselines.log_archive is not set (the account and bucket to deliver to)",
        'baselines.yaml:11: account "prod": config delivers to the log archive, but '
        "baselines.log_archive is not set (the account and bucket to deliver to)",
    ]
    assert len(problems) == 4  # cloudtrail too, for both accounts


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "bucket",
            "Logs_{account}",
            'log_archive: bucket "Logs_audit" is not a valid S3 bucket name (3 to 63 characters '
            'of a-z, 0-9, "." and "-", starting and ending with a letter or digit)',
        ),
        (
            "kms_key",
            "aws/logs",
            'log_archive: kms_key "aws/logs" is not a KMS alias name (1 to 250 characters of '
            'A-Z, a-z, 0-9, "/", "_" and "-", without "alias/", not "aws/...")',
        ),
        (
            "bucket",
            "logs-{acount}",
            "baselines.log_archive.bucket: unknown placeholder {acount} (did you mean {account}?)",
        ),
        ("bucket", "{org}-logs-{region}-{account_id}", None),
    ],
)
def test_the_log_archive_names_are_valid(
    write_spec, baseline_files, problems_of, load_ok, key, value, message
):
    files = _edit(
        baseline_files,
        "baselines.yaml",
        "account: audit\n",
        f'account: audit\n    {key}: "{value}"\n',
    )
    if message is None:
        load_ok(write_spec(files))
    else:
        assert _problems(write_spec, problems_of, files) == [f"baselines.yaml:4: {message}"]


# -- values -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "minimum_length: 14",
            "minimum_length: 4",
            "baselines.yaml:7: baselines.profiles.standard.password_policy.minimum_length: "
            "input should be greater than or equal to 6, got the number 4",
        ),
        (
            "guardduty: {finding_publishing_frequency: ONE_HOUR}",
            "guardduty: {finding_publishing_frequency: HOURLY}",
            "baselines.yaml:25: baselines.profiles.sandbox.guardduty.finding_publishing_frequency: "
            "expected 'FIFTEEN_MINUTES', 'ONE_HOUR' or 'SIX_HOURS', got the string \"HOURLY\"",
        ),
        (
            "ebs_encryption: {}",
            "ebs_encryption: {kms_key: my-key}",
            'baselines.yaml:10: profile "standard": ebs_encryption.kms_key "my-key" is not a KMS '
            "key ARN, alias ARN or alias/NAME",
        ),
        (
            "limit_usd: 500",
            "limit_usd: 0",
            'baselines.yaml:21: profile "standard": budget "monthly": limit_usd must be more than '
            f"0 and at most {_BUDGET_LIMIT}, got 0",
        ),
        (
            "{percent: 80, ",
            "{percent: 120, ",
            'baselines.yaml:23: profile "standard": budget "monthly": alert percent must be more '
            "than 0 and at most 100, got 120",
        ),
        (
            "emails: [ops@acme.example]",
            "emails: [ops@acme]",
            'baselines.yaml:23: profile "standard": budget "monthly": "ops@acme" is not a valid '
            "e-mail address",
        ),
        (
            "emails: [ops@acme.example]",
            "emails: []",
            'baselines.yaml:23: profile "standard": budget "monthly": an alert needs at least one '
            "e-mail address",
        ),
        (
            "          - restricted-ssh\n",
            "          - restricted-sssh\n",
            'baselines.yaml:15: profile "standard": "restricted-sssh" is not an AWS managed '
            'Config rule (did you mean "restricted-ssh"? give `identifier:` when the rule\'s '
            "identifier is not its name in upper case)",
        ),
        (
            'parameters: {MinimumPasswordLength: "14"}',
            'parameters: {MinimumLength: "14"}',
            'baselines.yaml:17: profile "standard": rule "iam-password-policy": unknown parameter '
            '"MinimumLength" (parameters: MaxPasswordAge, MinimumPasswordLength, '
            "PasswordReusePrevention, RequireLowercaseCharacters, RequireNumbers, RequireSymbols, "
            "RequireUppercaseCharacters)",
        ),
    ],
)
def test_values_are_checked_where_the_profile_writes_them(
    write_spec, baseline_files, problems_of, old, new, message
):
    files = _edit(baseline_files, "baselines.yaml", old, new)
    assert _problems(write_spec, problems_of, files) == [message]


def test_rule_identifiers_and_required_parameters(write_spec, baseline_files, problems_of):
    rules = (
        "          - restricted-ssh\n"
        "          - restricted-ssh\n"
        "          - {name: my-ssh-check, identifier: NO_SUCH_RULE}\n"
        "          - {name: ssh, identifier: INCOMING_SSH_DISABLED}\n"
        "          - {name: volumes, identifier: EC2_VOLUME_INUSE_CHECK}\n"
        "          - access-keys-rotated\n"
    )
    files = _edit(baseline_files, "baselines.yaml", "          - restricted-ssh\n", rules)
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:16: profile "standard": config rule "restricted-ssh" is listed twice',
        'baselines.yaml:17: profile "standard": "NO_SUCH_RULE" is not an AWS managed Config rule '
        "identifier",
        'baselines.yaml:20: profile "standard": rule "access-keys-rotated": the required '
        'parameter "maxAccessKeyAge" is missing',
    ]


def test_budget_alerts_are_limited_and_distinct(write_spec, baseline_files, problems_of):
    alerts = "".join(
        f"            - {{percent: {p}, emails: [ops@acme.example]}}\n"
        for p in (50, 60, 70, 80, 90, 90.0)
    )
    files = _edit(
        baseline_files,
        "baselines.yaml",
        "            - {percent: 80, emails: [ops@acme.example]}\n",
        alerts,
    )
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:22: profile "standard": budget "monthly": 6 alerts, over AWS\'s limit of '
        "5 per budget",
        'baselines.yaml:28: profile "standard": budget "monthly": two alerts at 90.0% of the '
        "same kind",
    ]


def test_a_budget_needs_a_limit_somewhere(write_spec, baseline_files, problems_of):
    files = _edit(baseline_files, "baselines.yaml", "          limit_usd: 50\n", "")
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:27: account "sandbox": budget "monthly" has no limit_usd (set it in the '
        "profile or in the account's baseline_overrides)"
    ]


# -- the merged baseline of each account -------------------------------------------------


def test_alias_patterns_give_valid_unique_aliases(write_spec, baseline_files, problems_of):
    files = _edit(baseline_files, "baselines.yaml", 'alias: "{org}-{account}"', 'alias: "{org}"')
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:9: account "prod": alias "acme" (from the pattern "acme") is already '
        'used by account "audit" (baselines.yaml:9)'
    ]
    files = _edit(
        baseline_files, "baselines.yaml", 'alias: "{org}-{account}"', 'alias: "{org}--{account}"'
    )
    assert _problems(write_spec, problems_of, files)[0] == (
        'baselines.yaml:9: account "audit": alias "acme--audit" (from the pattern '
        '"acme--{account}") must be 3 to 63 characters of a-z, 0-9 and "-", not starting or '
        'ending with "-" nor with "--" inside; set accounts.*.alias for this account'
    )
    files = _edit(
        baseline_files, "baselines.yaml", 'alias: "{org}-{account}"', 'alias: "{org}-{region}"'
    )
    assert _problems(write_spec, problems_of, files)[0] == (
        "baselines.yaml:9: baselines.profiles.standard.alias: {region} has no value here"
    )


def test_an_explicit_alias_takes_the_patterns_place(write_spec, baseline_files, problems_of):
    files = _edit(
        baseline_files,
        "landingzone.yaml",
        "    unit: core\n",
        "    unit: core\n    alias: acme-prod\n",
    )
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:9: account "prod": alias "acme-prod" (from the pattern "acme-{account}") '
        'is already used by account "audit" (landingzone.yaml:16)'
    ]


def test_trail_names_are_valid_for_each_account(write_spec, baseline_files, problems_of):
    files = _edit(
        baseline_files, "baselines.yaml", "cloudtrail: {}", 'cloudtrail: {name: "{account}--trail"}'
    )
    assert _problems(write_spec, problems_of, files)[0] == (
        'baselines.yaml:18: account "audit": trail name "audit--trail" must be 3 to 128 '
        'characters of A-Z, a-z, 0-9, ".", "_" and "-", start and end with a letter or digit, '
        "and have no two of . _ - in a row"
    )


def test_overrides_are_checked_where_the_account_writes_them(
    write_spec, baseline_files, problems_of
):
    override = "    regions: [us-east-1]\n    baseline_overrides:\n      {}\n"
    files = _edit(
        baseline_files,
        "landingzone.yaml",
        "    regions: [us-east-1]\n",
        override.format("budgets: {monthly: {limit_usd: -5}}"),
    )
    assert _problems(write_spec, problems_of, files) == [
        'landingzone.yaml:21: account "prod": baseline_overrides: budget "monthly": limit_usd '
        f"must be more than 0 and at most {_BUDGET_LIMIT}, got -5",
    ]
    files = _edit(
        baseline_files,
        "landingzone.yaml",
        "    regions: [us-east-1]\n",
        override.format("guardduty: {enable: false}"),
    )
    assert _problems(write_spec, problems_of, files) == [
        'landingzone.yaml:21: unknown key "enable" in accounts.prod.baseline_overrides.guardduty '
        '(did you mean "enabled"?)',
    ]


def test_budget_names_and_alert_recipients_fit_aws(write_spec, baseline_files, problems_of):
    emails = ", ".join(f"ops{i}@acme.example" for i in range(11))
    files = _edit(baseline_files, "baselines.yaml", "monthly:\n", "monthly:{account}:\n")
    files = _edit(files, "baselines.yaml", "emails: [ops@acme.example]", f"emails: [{emails}]")
    assert _problems(write_spec, problems_of, files) == [
        'baselines.yaml:20: account "audit": budget name "monthly:audit" must be 1 to 100 '
        "characters, no : or \\",
        'baselines.yaml:20: account "prod": budget name "monthly:prod" must be 1 to 100 '
        "characters, no : or \\",
        'baselines.yaml:23: profile "standard": budget "monthly:{account}": 11 e-mails, over '
        "AWS's limit of 10 per alert",
    ]


def test_a_default_ebs_key_may_be_named_per_region(write_spec, baseline_files, load_ok):
    key = "arn:aws:kms:{region}:{account_id}:alias/ebs"
    files = _edit(
        baseline_files,
        "baselines.yaml",
        "ebs_encryption: {}",
        f'ebs_encryption: {{kms_key: "{key}"}}',
    )
    assert (
        load_ok(write_spec(files)).spec.baselines.profiles["standard"].ebs_encryption.kms_key == key
    )


def test_the_management_baseline_names_a_profile_and_its_overrides_are_checked(
    write_spec, baseline_files, problems_of
):
    files = {
        **baseline_files,
        "management.yaml": (
            "baselines:\n"
            "  management:\n"
            "    profile: standrd\n"
            "    overrides:\n"
            "      budgets: {organization: {alerts: [{percent: 80, emails: [finance]}]}}\n"
        ),
    }
    files = _edit(
        files,
        "landingzone.yaml",
        "import: [baselines.yaml]",
        "import: [baselines.yaml, management.yaml]",
    )
    problems = _problems(write_spec, problems_of, files)
    assert problems[0] == (
        'management.yaml:3: the management account: baseline profile "standrd" does not exist '
        '(did you mean "standard"? profiles: sandbox, standard; or "none" for no baseline)'
    )
    assert any(p.startswith("management.yaml:5:") and '"finance"' in p for p in problems), problems
