"""Trails and recorders become `cloudtrail` / `config` settings only in lz's log archive shape."""

from __future__ import annotations

from landingzone.adopt.trails import LiveRecorder, LiveTrail, archive_settings, rule_entry

ARCHIVE, DEV = "111111111111", "222222222222"
KEYS = {ARCHIVE: "log-archive", DEV: "dev"}
KEY = f"arn:aws:kms:us-east-1:{ARCHIVE}:key/abcd"
BUCKET = f"acme-logs-{ARCHIVE}"


def trail(account: str, **changes: object) -> LiveTrail:
    fields: dict[str, object] = {
        "account": KEYS[account],
        "account_id": account,
        "name": "acme-trail",
        "bucket": BUCKET,
        "kms_key": KEY,
        "lz_shaped": True,
    }
    return LiveTrail(**{**fields, **changes})  # type: ignore[arg-type]


def test_trails_into_one_bucket_with_the_archives_key_become_settings_and_the_archive():
    recorder = LiveRecorder("dev", DEV, "default", BUCKET, "One_Hour", True, ("restricted-ssh",))
    found = archive_settings(
        [trail(ARCHIVE), trail(DEV)], [recorder], KEYS, lambda account, key: "acme-logs"
    )
    assert found.log_archive == {
        "account": "log-archive",
        "bucket": "acme-logs-{account_id}",
        "kms_key": "acme-logs",
    }
    assert found.settings["dev"] == {
        "cloudtrail": {"name": "acme-trail"},
        "config": {"delivery_frequency": "One_Hour", "rules": ["restricted-ssh"]},
    }
    assert found.notes == []


def test_a_trail_of_another_shape_or_bucket_is_named_and_left_out():
    found = archive_settings(
        [trail(ARCHIVE), trail(DEV, lz_shaped=False), trail(DEV, name="x", bucket="other")],
        [],
        KEYS,
        lambda account, key: "acme-logs",
    )
    assert set(found.settings) == {"log-archive"}
    reasons = {n.what: n.why for n in found.notes}
    assert "multi-region trail" in reasons["trail acme-trail in account dev (222222222222)"]
    assert "another bucket" in reasons["trail x in account dev (222222222222)"]


def test_without_an_alias_for_the_key_nothing_is_written():
    found = archive_settings([trail(DEV)], [], KEYS, lambda account, key: None)
    assert found.log_archive is None and found.settings == {}
    assert "no such account was found" in found.notes[0].why


def test_aws_managed_rules_are_written_by_name_or_with_their_identifier():
    def rule(name: str, identifier: str, **more: object) -> dict[str, object]:
        return {"ConfigRuleName": name, "Source": {"Owner": "AWS", "SourceIdentifier": identifier}}

    assert rule_entry(rule("restricted-ssh", "INCOMING_SSH_DISABLED")) == "restricted-ssh"
    tagged = {**rule("tags", "REQUIRED_TAGS"), "InputParameters": '{"tag1Key": "Team"}'}
    assert rule_entry(tagged) == {
        "name": "tags",
        "identifier": "REQUIRED_TAGS",
        "parameters": {"tag1Key": "Team"},
    }
    assert rule_entry({"ConfigRuleName": "mine", "Source": {"Owner": "CUSTOM_LAMBDA"}}) is None
