"""The nodes of the baselines: one per setting, account and region; the log archive's policies."""

from __future__ import annotations

from landingzone.graph import build_graph
from landingzone.graph.targets import account_id_ref
from landingzone.nodes import Node


def _nodes(write_spec, files, load_ok) -> dict[str, Node]:
    loaded = load_ok(write_spec(files))
    return {n.address: n for n in build_graph(loaded.spec, loaded.provenance.where)}


def _trail_arn(account: str) -> str:
    return f"arn:aws:cloudtrail:us-east-1:{account_id_ref(account)}:trail/acme-trail"


def test_one_node_per_setting_account_and_region(write_spec, baseline_files, load_ok):
    nodes = _nodes(write_spec, baseline_files, load_ok)
    state = {"state_bucket", "lock_table"}
    audit = sorted(a for a, n in nodes.items() if n.account == "audit" and n.kind not in state)
    assert audit == [
        "account_alias:audit",
        "budget:audit/monthly",
        "config_recorder:audit/eu-west-1",
        "config_recorder:audit/us-east-1",
        "config_rule:audit/eu-west-1/iam-password-policy",
        "config_rule:audit/eu-west-1/restricted-ssh",
        "config_rule:audit/us-east-1/iam-password-policy",
        "config_rule:audit/us-east-1/restricted-ssh",
        "ebs_encryption:audit/eu-west-1",
        "ebs_encryption:audit/us-east-1",
        "guardduty:audit/eu-west-1",
        "guardduty:audit/us-east-1",
        "kms_key:audit/acme-logs",
        "log_bucket:audit/acme-logs-{account_id}",
        "password_policy:audit",
        "s3_public_access_block:audit",
        "trail:audit/acme-trail",
    ]
    sandbox = sorted(a for a, n in nodes.items() if n.account == "sandbox")
    assert sandbox == [
        "budget:sandbox/monthly",
        "default_vpc:sandbox/eu-west-1",
        "default_vpc:sandbox/us-east-1",
        "guardduty:sandbox/eu-west-1",
        "guardduty:sandbox/us-east-1",
    ]
    assert "guardduty:prod/eu-west-1" not in nodes  # prod lists only us-east-1


def test_settings_take_the_documented_defaults(write_spec, baseline_files, load_ok):
    nodes = _nodes(write_spec, baseline_files, load_ok)
    assert nodes["password_policy:prod"].desired == {
        "minimum_length": 14,
        "require_symbols": True,
        "require_numbers": False,
        "require_uppercase": False,
        "require_lowercase": False,
        "allow_users_to_change": False,
        "max_age_days": None,
        "reuse_prevention": None,
        "hard_expiry": False,
    }
    assert nodes["account_alias:prod"].desired == {"alias": "acme-prod"}
    assert nodes["ebs_encryption:prod/us-east-1"].desired == {"enabled": True}
    assert set(nodes["s3_public_access_block:prod"].desired.values()) == {True}
    guardduty = nodes["guardduty:sandbox/us-east-1"].desired
    assert guardduty["enabled"] is True
    assert guardduty["finding_publishing_frequency"] == "ONE_HOUR"
    assert nodes["guardduty:prod/us-east-1"].desired["finding_publishing_frequency"] == "SIX_HOURS"
    recorder = nodes["config_recorder:audit/us-east-1"].desired
    assert recorder["include_global_resource_types"] is True  # the home region only
    assert (
        nodes["config_recorder:audit/eu-west-1"].desired["include_global_resource_types"] is False
    )
    assert recorder["delivery_frequency"] == "TwentyFour_Hours"
    assert recorder["bucket"] == f"acme-logs-{account_id_ref('audit')}"
    assert nodes["config_rule:prod/us-east-1/restricted-ssh"].desired["identifier"] == (
        "INCOMING_SSH_DISABLED"
    )
    assert nodes["budget:sandbox/monthly"].desired["alerts"] == [
        {"percent": 100.0, "forecasted": True, "emails": ["dev@acme.example"]}
    ]
    assert nodes["budget:sandbox/monthly"].desired["limit_usd"] == "50"


def test_trails_deliver_to_the_log_archive_with_its_key(write_spec, baseline_files, load_ok):
    nodes = _nodes(write_spec, baseline_files, load_ok)
    trail = nodes["trail:prod/acme-trail"]
    assert trail.region == "us-east-1"
    assert trail.desired["bucket"] == f"acme-logs-{account_id_ref('audit')}"
    assert trail.desired["kms_key"] == (
        f"arn:aws:kms:us-east-1:{account_id_ref('audit')}:alias/acme-logs"
    )
    assert {"multi_region", "global_events", "log_file_validation", "logging"} <= {
        attr for attr, value in trail.desired.items() if value is True
    }
    assert {"log_bucket:audit/acme-logs-{account_id}", "kms_key:audit/acme-logs"} <= (
        trail.depends_on
    )
    assert "config_recorder:prod/us-east-1" in (
        nodes["config_rule:prod/us-east-1/restricted-ssh"].depends_on
    )


def test_the_bucket_and_key_policies_name_exactly_the_trails(write_spec, baseline_files, load_ok):
    nodes = _nodes(write_spec, baseline_files, load_ok)
    trails = sorted([_trail_arn("audit"), _trail_arn("prod")])  # sandbox has no trail
    bucket = nodes["log_bucket:audit/acme-logs-{account_id}"]
    statements = {s["Sid"]: s for s in bucket.desired["policy"]["Statement"]}
    assert statements["CloudTrailDelivery"]["Condition"] == {
        "StringEquals": {"aws:SourceArn": trails}
    }
    assert statements["ConfigDelivery"]["Condition"] == {
        "StringEquals": {
            "aws:SourceAccount": sorted([account_id_ref("audit"), account_id_ref("prod")])
        }
    }
    assert "DenyInsecureTransport" in statements
    key = nodes["kms_key:audit/acme-logs"]
    encrypt = next(
        s for s in key.desired["policy"]["Statement"] if s["Sid"] == "CloudTrailEncrypts"
    )
    assert encrypt["Condition"]["StringEquals"] == {
        "aws:SourceArn": trails,
        "kms:EncryptionContext:aws:cloudtrail:arn": trails,
    }
    # The policies refer to the accounts: they wait for them.
    assert {"account:audit", "account:prod"} <= bucket.depends_on
    assert "account:sandbox" not in bucket.depends_on


def test_an_accounts_own_alias_wins_and_nodes_are_protected_with_their_account(
    write_spec, baseline_files, load_ok
):
    files = dict(baseline_files)
    files["landingzone.yaml"] = files["landingzone.yaml"].replace(
        "    unit: plat\n", "    unit: plat\n    alias: acme-production\n"
    )
    nodes = _nodes(write_spec, files, load_ok)
    alias = nodes["account_alias:prod"]
    assert alias.desired == {"alias": "acme-production"}
    assert str(alias.source) == "landingzone.yaml:19"
    assert nodes["guardduty:prod/us-east-1"].protected  # "prod" says production
    assert not nodes["guardduty:audit/us-east-1"].protected
    assert str(nodes["guardduty:prod/us-east-1"].source) == "baselines.yaml:12"
