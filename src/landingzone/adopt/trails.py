"""Trails and Config recorders found in the accounts, as `cloudtrail` and `config` settings.

A profile's `cloudtrail` is a trail lz keeps delivering into *its* log
archive (`baselines.log_archive`: one bucket, with lz's bucket policy, and
one KMS key, with lz's key policy), and `config` a recorder delivering there
too. So an existing trail or recorder is written only when the organization
already has that shape: every candidate delivers to one bucket, the trails
encrypted with one key of the account that holds it (the log archive), the
trails multi-region, with global service events and log file validation,
the recorders recording every supported resource type with AWS Config's
service-linked role. What does not fit is named in the report with the
reason. Whether the bucket, the key, the trails and the recorders then
adopt without a change is for the plan to say (`adopt/state.py`
`trial_changes`); if any would change, none of them is written.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.adopt.baselines import LiveSettings, as_pattern
from landingzone.adopt.report import NOT_EXPRESSIBLE, NOT_YET, Note
from landingzone.spec.config_rules import identifier_for

DEFAULT_DELIVERY_FREQUENCY = "TwentyFour_Hours"
SERVICE_LINKED_ROLE = "/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"
ARCHIVE_KINDS = frozenset({"log_bucket", "kms_key", "trail", "config_recorder", "config_rule"})


@dataclass(frozen=True)
class LiveTrail:
    """A trail of an account (DescribeTrails), in its home region."""

    account: str
    account_id: str
    name: str
    bucket: str
    kms_key: str | None  # the key's ARN
    lz_shaped: bool  # multi-region, global service events, log file validation

    @property
    def label(self) -> str:
        """`trail NAME in account KEY (ID)`."""
        return f"trail {self.name} in account {self.account} ({self.account_id})"


@dataclass(frozen=True)
class LiveRecorder:
    """A Config recorder of an account in the home region, with its delivery channel."""

    account: str
    account_id: str
    name: str
    bucket: str | None
    frequency: str | None
    lz_shaped: bool  # every supported type, AWS Config's service-linked role
    rules: tuple[Any, ...]  # as the profile writes them (a name, or a map)

    @property
    def label(self) -> str:
        """`Config recorder NAME in account KEY (ID)`."""
        return f"Config recorder {self.name} in account {self.account} ({self.account_id})"


@dataclass
class Archive:
    """Settings to add per account, the log archive they deliver to, and the report lines."""

    settings: dict[str, dict[str, Any]] = field(default_factory=dict)  # account key -> settings
    log_archive: dict[str, Any] | None = None
    notes: list[Note] = field(default_factory=list)
    taken: list[LiveTrail | LiveRecorder] = field(default_factory=list)  # in `settings`


def rule_entry(rule: Mapping[str, Any]) -> Any | None:
    """A Config rule (DescribeConfigRules) as a profile's rule; None if not an AWS managed
    rule lz writes (custom rules, scopes)."""
    source = rule.get("Source") or {}
    if source.get("Owner") != "AWS" or rule.get("Scope"):
        return None
    name, identifier = rule["ConfigRuleName"], source.get("SourceIdentifier", "")
    parameters = json.loads(rule.get("InputParameters") or "{}")
    if identifier == identifier_for(name) and not parameters:
        return name
    entry: dict[str, Any] = {"name": name, "identifier": identifier}
    if parameters:
        entry["parameters"] = {k: str(v) for k, v in sorted(parameters.items())}
    return entry


def archive_settings(
    trails: list[LiveTrail],
    recorders: list[LiveRecorder],
    keys: Mapping[str, str],
    alias_of: Callable[[str, str], str | None],
) -> Archive:
    """The `cloudtrail` and `config` settings of each account and the log archive, when
    the organization has lz's shape (see the module docstring); `keys` maps account IDs
    to keys, `alias_of(account ID, key ARN)` names a key's alias (without `alias/`)."""
    result = Archive()
    candidates: list[LiveTrail | LiveRecorder] = []
    for trail in trails:
        if not trail.lz_shaped or not trail.kms_key:
            result.notes.append(Note(NOT_EXPRESSIBLE, trail.label, _TRAIL_SHAPE))
        else:
            candidates.append(trail)
    for recorder in recorders:
        if not recorder.lz_shaped or not recorder.bucket:
            result.notes.append(Note(NOT_EXPRESSIBLE, recorder.label, _RECORDER_SHAPE))
        else:
            candidates.append(recorder)
    if not candidates:
        return result
    buckets = Counter(str(c.bucket) for c in candidates)
    bucket = sorted(buckets, key=lambda b: (-buckets[b], b))[0]
    key_arns = {
        t.kms_key
        for t in candidates
        if isinstance(t, LiveTrail) and t.bucket == bucket and t.kms_key
    }
    archive_id = _archive_account(bucket, key_arns, keys)
    alias = alias_of(archive_id, next(iter(key_arns))) if archive_id and key_arns else None
    if archive_id is None or len(key_arns) > 1 or (key_arns and alias is None):
        for candidate in candidates:
            result.notes.append(Note(NOT_YET, candidate.label, _NO_ARCHIVE))
        return result
    archive = keys[archive_id]
    result.log_archive = {"account": archive, "bucket": as_pattern(bucket, archive, archive_id)}
    if alias is not None:
        result.log_archive["kms_key"] = alias
    for candidate in candidates:
        if candidate.bucket != bucket:
            result.notes.append(
                Note(NOT_EXPRESSIBLE, candidate.label, f"{_OTHER_BUCKET} ({candidate.bucket})")
            )
            continue
        settings = result.settings.setdefault(candidate.account, {})
        result.taken.append(candidate)
        if isinstance(candidate, LiveTrail):
            settings["cloudtrail"] = {"name": as_pattern(candidate.name, candidate.account)}
        else:
            config: dict[str, Any] = {}
            if candidate.frequency and candidate.frequency != DEFAULT_DELIVERY_FREQUENCY:
                config["delivery_frequency"] = candidate.frequency
            if candidate.rules:
                config["rules"] = list(candidate.rules)
            settings["config"] = config
    return result


def _archive_account(bucket: str, key_arns: set[str], keys: Mapping[str, str]) -> str | None:
    """The account holding the log archive: the trails' key's account, else the account
    whose ID the bucket's name holds."""
    owners = {arn.split(":")[4] for arn in key_arns if arn.count(":") >= 5}
    if len(owners) == 1:
        owner = next(iter(owners))
        return owner if owner in keys else None
    named = [account_id for account_id in keys if account_id in bucket]
    return named[0] if len(named) == 1 else None


_TRAIL_SHAPE = (
    "not imported: a profile's `cloudtrail` is a multi-region trail with global service events "
    "and log file validation, encrypted with the log archive's KMS key; this one is not"
)
_RECORDER_SHAPE = (
    "not imported: a profile's `config` records every supported resource type with AWS "
    "Config's service-linked role and delivers to the log archive; this one does not"
)
_NO_ARCHIVE = (
    "not imported: lz's trails and recorders deliver into one log archive (`baselines."
    "log_archive`: a bucket and a KMS key in one member account), and no such account was "
    "found for this one's bucket and key"
)
_OTHER_BUCKET = "not imported: it delivers to another bucket than the log archive's"


MAX_CHANGES = 5  # changes named in the report's line


@dataclass
class ArchiveTrial:
    """The settings `archive_settings` found, tried with a plan before they are written."""

    archive: Archive
    notes: list[Note] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.notes += self.archive.notes

    @property
    def log_archive(self) -> dict[str, Any] | None:
        """`baselines.log_archive`, while the trial holds."""
        return self.archive.log_archive

    def merged(self, found: list[LiveSettings]) -> list[LiveSettings]:
        """`found` with the trails' and recorders' settings added."""
        extra = self.archive.settings
        return [
            LiveSettings(s.account, {**s.settings, **extra.get(s.account, {})}, s.alias)
            for s in found
        ]

    def refuse(self, changes: list[str]) -> None:
        """The plan would change something: none of it is written, each named with why."""
        named = "; ".join(changes[:MAX_CHANGES]) + (" ..." if len(changes) > MAX_CHANGES else "")
        why = (
            "not imported: taken over as lz's log archive, trails and recorders, the first plan "
            f"would change AWS ({named}); write `baselines.log_archive` and the profiles' "
            "`cloudtrail` / `config` by hand once they match"
        )
        self.notes += [Note(NOT_YET, taken.label, why) for taken in self.archive.taken]
        self.archive = Archive(notes=self.archive.notes)
