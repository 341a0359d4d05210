"""Semantic checks of the `security` section.

Like `spec/checks.py`: every problem at the file:line that set the value,
all in one run. The rules are listed for users in docs/spec.md ("security").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from landingzone.access.delegated_services import DELEGABLE_SERVICES, service_principal, short_name
from landingzone.access.securityhub_standards import standard_id, standard_names
from landingzone.errors import Location, SpecProblem
from landingzone.resources.base import minified
from landingzone.resources.kms import trail_key_policy
from landingzone.resources.log_bucket import delivery_statements
from landingzone.resources.s3_bucket import bucket_desired
from landingzone.spec.baseline_resolution import effective_profile, value_path
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.suggest import choices, did_you_mean
from landingzone.validate.baselines import SAMPLE_ACCOUNT_ID, TRAIL_NAME
from landingzone.validate.organization import EMAIL

MANAGEMENT = "management"
TOPIC_NAME = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
ANALYZER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,254}$")
AGGREGATOR_NAME = re.compile(r"^[\w-]{1,256}$")
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
BUCKET_POLICY_LIMIT = 20 * 1024  # bytes: S3's bucket policy size quota
KEY_POLICY_LIMIT = 32 * 1024  # bytes: KMS's key policy size quota
DEFAULT_TRAIL = "{org}-trail"  # graph/baselines.py's default trail name


class _Checker:
    def __init__(self, spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]]):
        self.spec = spec
        self.provenance = provenance
        self.problems: list[SpecProblem] = []
        # Accounts left out after schema errors still exist for references.
        self.account_names = {*spec.accounts, *skipped.get("accounts", ())}

    def report(self, path: TreePath, message: str, related: Location | None = None) -> None:
        self.problems.append(
            SpecProblem(message, self.provenance.where(*path), (related,) if related else ())
        )

    def per_account_trails(self) -> dict[str, TreePath]:
        """Accounts whose baseline has a trail, with where their baseline writes it."""
        found = {}
        for name in [*sorted(self.spec.accounts), MANAGEMENT]:
            profile = effective_profile(self.spec, name)
            if profile is not None and profile.cloudtrail is not None:
                found[name] = value_path(self.spec, name, ("cloudtrail",))
        return found

    def account(self) -> None:
        assert self.spec.security is not None
        name = self.spec.security.account
        path: TreePath = ("security", "account")
        if name == MANAGEMENT:
            self.report(
                path,
                "security.account: the management account cannot be a delegated "
                "administrator (AWS refuses it: "
                "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR); name a member account",
            )
        elif name not in self.account_names:
            listed = choices("accounts", self.account_names, name)
            self.report(path, f'security.account: account "{name}" does not exist ({listed})')

    def delegated_services(self) -> None:
        assert self.spec.security is not None
        seen: set[str] = set()
        for index, name in enumerate(self.spec.security.delegated_services):
            path: TreePath = ("security", "delegated_services", index)
            principal = service_principal(name)
            if principal not in DELEGABLE_SERVICES:
                hint = did_you_mean(short_name(principal), map(short_name, DELEGABLE_SERVICES))
                self.report(
                    path,
                    f'security.delegated_services: "{name}" is not a service AWS Organizations '
                    f"lets you delegate to a member account{hint} (the list: "
                    "https://docs.aws.amazon.com/organizations/latest/userguide/"
                    "orgs_integrated-services-list.html)",
                )
            elif principal in seen:
                self.report(path, f'security.delegated_services: "{name}" is listed twice')
            seen.add(principal)

    def guardduty(self) -> None:
        assert self.spec.security is not None
        settings = self.spec.security.guardduty
        if settings is None or settings.alerts is None:
            return
        path: TreePath = ("security", "guardduty", "alerts")
        for index, email in enumerate(settings.alerts.emails):
            if not EMAIL.match(email):
                self.report(
                    (*path, "emails", index),
                    f'guardduty.alerts: "{email}" is not an e-mail address',
                )
        topic = self.filled(settings.alerts.topic).replace(
            "{region}", self.spec.organization.home_region
        )
        if not TOPIC_NAME.match(topic):
            self.report(
                (*path, "topic"),
                f'guardduty.alerts: topic "{settings.alerts.topic}" is not an SNS topic name '
                '(1 to 256 characters of A-Z, a-z, 0-9, "-" and "_"; {region} allowed)',
            )

    def securityhub(self) -> None:
        assert self.spec.security is not None
        settings = self.spec.security.securityhub
        if settings is None:
            return
        seen: set[str] = set()
        for index, name in enumerate(settings.standards):
            path: TreePath = ("security", "securityhub", "standards", index)
            standard = standard_id(name)
            if standard is None:
                hint = did_you_mean(name, standard_names())
                self.report(
                    path,
                    f'securityhub.standards: "{name}" is not a Security Hub standard{hint} '
                    f"(the list: {', '.join(n for n in standard_names() if '/v/' not in n)}, "
                    "each also as NAME/v/VERSION; "
                    "https://docs.aws.amazon.com/securityhub/latest/userguide/"
                    "standards-reference.html)",
                )
            elif standard in seen:
                self.report(path, f'securityhub.standards: "{name}" is listed twice')
            else:
                seen.add(standard)

    def access_analyzer(self) -> None:
        assert self.spec.security is not None
        settings = self.spec.security.access_analyzer
        if settings is None:
            return
        name = self.filled(settings.name).replace("{region}", self.spec.organization.home_region)
        if not ANALYZER_NAME.match(name):
            self.report(
                ("security", "access_analyzer", "name"),
                f'access_analyzer: name "{name}" is not an analyzer name (1 to 255 characters of '
                'A-Z, a-z, 0-9, "_", "." and "-", starting with a letter; {region} allowed)',
            )

    def filled(self, text: str) -> str:
        """`{org}` filled (the loader fills it only after the checks)."""
        return text.replace("{org}", self.spec.organization.name)

    def config_aggregator(self) -> None:
        assert self.spec.security is not None
        settings = self.spec.security.config_aggregator
        if settings is None:
            return
        path: TreePath = ("security", "config_aggregator")
        name, role = self.filled(settings.name), self.filled(settings.role)
        if not AGGREGATOR_NAME.match(name):
            self.report(
                (*path, "name"),
                f'config_aggregator: name "{name}" is not an aggregator name (1 to 256 '
                'characters of A-Z, a-z, 0-9, "_" and "-")',
            )
        if not ROLE_NAME.match(role):
            self.report(
                (*path, "role"),
                f'config_aggregator: role "{role}" is not an IAM role name (1 to 64 characters '
                "of A-Z, a-z, 0-9 and +=,.@_-)",
            )
        declared = {
            (role_settings.name or key).replace("{org}", self.spec.organization.name).lower()
            for key, role_settings in self.spec.roles.items()
        }
        if role.lower() in declared:
            self.report(
                (*path, "role"),
                f'config_aggregator: role "{role}" is also declared in `roles`; lz makes the '
                "aggregator's role itself: give it another name",
            )

    def organization_trail(self) -> None:
        assert self.spec.security is not None
        trail = self.spec.security.organization_trail
        if trail is None:
            return
        path: TreePath = ("security", "organization_trail")
        name = self.filled(trail.name)
        if not TRAIL_NAME.match(name):
            self.report(
                (*path, "name"),
                f'organization_trail: name "{name}" is not a trail name (3 to 128 characters of '
                'A-Z, a-z, 0-9, ".", "_" and "-", starting and ending with a letter or digit)',
            )
        if self.spec.baselines.log_archive is None:
            self.report(
                path,
                "organization_trail: it delivers to the log archive: add baselines.log_archive "
                "(the account, bucket and KMS key)",
            )
        per_account = self.per_account_trails()
        if per_account:
            where = next(iter(per_account.values()))
            accounts = ", ".join(list(per_account)[:5]) + (", ..." if len(per_account) > 5 else "")
            self.report(
                path,
                "organization_trail: the organization trail already records every account; "
                f"{len(per_account)} accounts' baselines also have their own trail to the same "
                f"log archive bucket ({accounts}): remove `cloudtrail` from their baseline "
                f"({self.provenance.where(*where)})",
                self.provenance.where(*where),
            )


def check_trail_policy_limits(spec: Spec, provenance: Provenance) -> list[SpecProblem]:
    """Per-account trails name every trail in the log archive's bucket and key policies;
    past S3's and KMS's policy size quotas (about 300 accounts) AWS refuses them."""
    archive = spec.baselines.log_archive
    if archive is None:
        return []
    checker = _Checker(spec, provenance, {})
    trails = []
    # Every trail's ARN carries its account's ID: distinct 12-digit stand-ins.
    ids = [f"{SAMPLE_ACCOUNT_ID[:-4]}{i:04d}" for i in range(len(spec.accounts))]
    for name, account_id in zip(checker.per_account_trails(), ids, strict=False):
        profile = effective_profile(spec, name)
        assert profile is not None and profile.cloudtrail is not None
        trail = checker.filled(profile.cloudtrail.name or DEFAULT_TRAIL).replace("{account}", name)
        trails.append(
            f"arn:aws:cloudtrail:{spec.organization.home_region}:{account_id}:trail/{trail}"
        )
    bucket = "x" * 63
    bucket_policy = bucket_desired(bucket, {}, delivery_statements(bucket, trails, ids))["policy"]
    sizes = (
        ("bucket", len(minified(bucket_policy)), BUCKET_POLICY_LIMIT),
        (
            "KMS key",
            len(minified(trail_key_policy(f"arn:aws:iam::{SAMPLE_ACCOUNT_ID}:root", trails))),
            KEY_POLICY_LIMIT,
        ),
    )
    for what, size, limit in sizes:
        if size > limit:
            checker.report(
                ("baselines", "log_archive"),
                f"log_archive: {len(trails)} per-account trails make the {what} policy about "
                f"{size} bytes, over AWS's limit of {limit}: use one organization trail "
                "instead (security.organization_trail) and remove `cloudtrail` from the "
                "baselines",
            )
    return checker.problems


def check_security(
    spec: Spec, provenance: Provenance, skipped: Mapping[str, set[str]] | None = None
) -> list[SpecProblem]:
    """Every problem of the `security` section, each at the file:line that caused it."""
    if spec.security is None:
        return check_trail_policy_limits(spec, provenance)
    checker = _Checker(spec, provenance, skipped or {})
    checker.account()
    checker.delegated_services()
    checker.guardduty()
    checker.securityhub()
    checker.access_analyzer()
    checker.config_aggregator()
    checker.organization_trail()
    return [*checker.problems, *check_trail_policy_limits(spec, provenance)]
