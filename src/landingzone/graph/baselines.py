"""Baselines -> nodes: every account's baseline settings, and the log archive they deliver to.

Each account gets the nodes of its effective baseline (`spec/baseline_resolution.py`),
one per setting, and per region where the service is regional:

    password_policy:ACCOUNT            account_alias:ACCOUNT
    s3_public_access_block:ACCOUNT     budget:ACCOUNT/NAME
    ebs_encryption:ACCOUNT/REGION      guardduty:ACCOUNT/REGION
    config_recorder:ACCOUNT/REGION     config_rule:ACCOUNT/REGION/RULE
    default_vpc:ACCOUNT/REGION         trail:ACCOUNT/NAME (in the home region)

and the log archive, in its account and the home region:

    log_bucket:ACCOUNT/BUCKET          kms_key:ACCOUNT/ALIAS

The bucket's and the key's policies name exactly the trails (and, for the
bucket, the Config recorders' accounts) of the spec, with `{account_id:NAME}`
placeholders the planner fills; `build_graph` makes them depend on those
accounts. Trails depend on the bucket and the key, recorders on the bucket,
rules on their recorder. Values not written in a profile take the defaults
documented in docs/spec.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from landingzone.graph.organization import is_protected
from landingzone.graph.targets import Where, account_id_ref, account_regions, base_tags
from landingzone.nodes import MANAGEMENT, Node, address_key
from landingzone.resources.budgets import alert, money
from landingzone.resources.config import CONFIG_SERVICE
from landingzone.resources.iam_account import password_policy_desired
from landingzone.resources.kms import trail_key_policy
from landingzone.resources.log_bucket import delivery_statements
from landingzone.resources.s3_account import BLOCK_FIELDS
from landingzone.resources.s3_bucket import bucket_desired
from landingzone.spec.baseline_resolution import effective_profile, value_path
from landingzone.spec.baselines import LogArchive, Profile
from landingzone.spec.config_rules import identifier_for
from landingzone.spec.placeholders import fill_placeholders
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath

DEFAULT_TRAIL = "{org}-trail"
DEFAULT_FINDING_FREQUENCY = "SIX_HOURS"
DEFAULT_DELIVERY_FREQUENCY = "TwentyFour_Hours"
KEY_DESCRIPTION = "landingzone: encrypts the CloudTrail logs of the organization"


def partition(region: str) -> str:
    """The AWS partition of a region (`aws`, `aws-us-gov`, `aws-cn`)."""
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws-cn" if region.startswith("cn-") else "aws"


@dataclass(frozen=True)
class _Target:
    """An account that gets a baseline."""

    name: str
    protected: bool
    regions: list[str]


@dataclass
class _Archive:
    """The log archive's names, as its own nodes and as other accounts' nodes see them."""

    account: str
    region: str
    bucket: str  # with {account_id}: the archive's own nodes
    bucket_ref: str  # with {account_id:ACCOUNT}: everyone else's
    alias: str  # alias/NAME
    key_ref: str  # the alias ARN, with {account_id:ACCOUNT}
    trails: list[str] = field(default_factory=list)  # trail ARNs that deliver
    config_accounts: list[str] = field(default_factory=list)  # account ID refs
    readers: list[str] = field(default_factory=list)  # root ARNs that read the logs

    @property
    def bucket_address(self) -> str:
        return f"log_bucket:{self.account}/{self.bucket}"

    @property
    def key_address(self) -> str:
        return f"kms_key:{self.account}/{self.alias.removeprefix('alias/')}"


class _BaselineNodes:
    """The nodes of every account's baseline, as they are built."""

    def __init__(self, spec: Spec, where: Where):
        self.spec = spec
        self.where = where
        self.home = spec.organization.home_region
        self.partition = partition(self.home)
        self.tags = base_tags(spec)
        self.nodes: list[Node] = []
        archive = spec.baselines.log_archive
        self.archive = self._archive(archive) if archive is not None else None
        organization_trail = organization_trail_arn(spec)
        if self.archive is not None and organization_trail is not None:
            self.archive.trails.append(organization_trail)
            # The security account reads the organization's logs (security.md).
            assert spec.security is not None
            reader = account_id_ref(spec.security.account)
            self.archive.readers.append(f"arn:{self.partition}:iam::{reader}:root")

    def fill(self, text: str, account: str, region: str | None = None) -> str:
        """Placeholders filled for an account (`{account_id}` is left for the planner)."""
        return fill_placeholders(
            text,
            org=self.spec.organization.name,
            account=account,
            account_id="{account_id}",
            region=region,
        )

    def _archive(self, archive: LogArchive) -> _Archive:
        name = archive.account
        own = fill_placeholders(
            archive.bucket,
            org=self.spec.organization.name,
            account=name,
            account_id="{account_id}",
            region=self.home,
        )
        alias = "alias/" + fill_placeholders(
            archive.kms_key, org=self.spec.organization.name, account=name
        )
        ref = account_id_ref(name)
        return _Archive(
            account=name,
            region=self.home,
            bucket=own,
            bucket_ref=own.replace("{account_id}", ref),
            alias=alias,
            key_ref=f"arn:{self.partition}:kms:{self.home}:{ref}:{alias}",
        )

    # -- one account ------------------------------------------------------------------

    def add(
        self,
        target: _Target,
        kind: str,
        address: str,
        desired: dict[str, Any],
        inside: TreePath,
        *,
        region: str | None = None,
        depends_on: frozenset[str] = frozenset(),
        source: TreePath | None = None,
    ) -> None:
        """A node of `target`'s baseline; `inside` is the setting's path within a profile
        (its source, unless `source` names another spec path)."""
        path = source or value_path(self.spec, target.name, inside)
        self.nodes.append(
            Node(
                address=address,
                kind=kind,
                name=address_key(address),
                account=target.name,
                region=region,
                desired=desired,
                depends_on=depends_on,
                source=self.where(*path),
                protected=target.protected,
            )
        )

    def management(self) -> None:
        """The management account's baseline (`baselines.management`, opt-in). Its nodes
        are protected: a change there touches the account that governs every other."""
        profile = effective_profile(self.spec, MANAGEMENT)
        if profile is None:
            return
        target = _Target(MANAGEMENT, True, account_regions(self.spec, MANAGEMENT))
        if profile.alias is not None:
            alias = self.fill(profile.alias, MANAGEMENT)
            self.add(
                target, "account_alias", f"account_alias:{MANAGEMENT}", {"alias": alias}, ("alias",)
            )
        self._settings(target, profile)

    def account(self, name: str) -> None:
        account = self.spec.accounts[name]
        target = _Target(name, is_protected(name, account), account_regions(self.spec, name))
        profile = effective_profile(self.spec, name)
        address = f"account_alias:{name}"
        if account.alias is not None:  # the account's own alias wins over a profile's pattern
            own = ("accounts", name, "alias")
            self.add(target, "account_alias", address, {"alias": account.alias}, (), source=own)
        elif profile is not None and profile.alias is not None:
            alias = self.fill(profile.alias, name)
            self.add(target, "account_alias", address, {"alias": alias}, ("alias",))
        if profile is not None:
            self._settings(target, profile)

    def _settings(self, target: _Target, profile: Profile) -> None:
        name = target.name
        if profile.password_policy is not None:
            self.add(
                target,
                "password_policy",
                f"password_policy:{name}",
                password_policy_desired(profile.password_policy.model_dump()),
                ("password_policy",),
            )
        if profile.s3_public_access_block is not None:
            block = profile.s3_public_access_block.model_dump()
            self.add(
                target,
                "s3_public_access_block",
                f"s3_public_access_block:{name}",
                {attr: block[attr] is not False for attr in BLOCK_FIELDS},
                ("s3_public_access_block",),
            )
        for region in target.regions:
            self._regional(target, region, profile)
        if profile.cloudtrail is not None:
            self._trail(target, profile)
        for budget, settings in sorted((profile.budgets or {}).items()):
            budget_name = self.fill(budget, name)
            self.add(
                target,
                "budget",
                f"budget:{name}/{budget_name}",
                {
                    "name": budget_name,
                    "limit_usd": money(settings.limit_usd),
                    "time_unit": "MONTHLY",
                    "alerts": [
                        alert(a.percent, a.emails, forecasted=a.forecasted)
                        for a in settings.alerts or []
                    ],
                    "tags": dict(self.tags),
                },
                ("budgets", budget),
            )

    def _regional(self, target: _Target, region: str, profile: Profile) -> None:
        name = target.name
        ebs = profile.ebs_encryption
        if ebs is not None:
            desired: dict[str, Any] = {"enabled": ebs.enabled is not False}
            if ebs.kms_key is not None:
                desired["kms_key"] = self.fill(ebs.kms_key, name, region)
            self.add(
                target,
                "ebs_encryption",
                f"ebs_encryption:{name}/{region}",
                desired,
                ("ebs_encryption",),
                region=region,
            )
        if profile.guardduty is not None:
            self.add(
                target,
                "guardduty",
                f"guardduty:{name}/{region}",
                {
                    "enabled": profile.guardduty.enabled is not False,
                    "finding_publishing_frequency": profile.guardduty.finding_publishing_frequency
                    or DEFAULT_FINDING_FREQUENCY,
                    "tags": dict(self.tags),
                },
                ("guardduty",),
                region=region,
            )
        if profile.config is not None and self.archive is not None:
            self._config(target, region, profile)
        if profile.remove_default_vpcs:
            self.add(
                target,
                "default_vpc",
                f"default_vpc:{name}/{region}",
                {"default_vpc": "none"},
                ("remove_default_vpcs",),
                region=region,
            )

    def _config(self, target: _Target, region: str, profile: Profile) -> None:
        assert profile.config is not None and self.archive is not None
        name, regions = target.name, target.regions
        global_region = self.home if self.home in regions else regions[0]
        recorder = f"config_recorder:{name}/{region}"
        self.add(
            target,
            "config_recorder",
            recorder,
            {
                "role_arn": f"arn:{self.partition}:iam::{{account_id}}:role/aws-service-role/"
                f"{CONFIG_SERVICE}/AWSServiceRoleForConfig",
                "all_supported": True,
                "include_global_resource_types": region == global_region,
                "bucket": self.archive.bucket_ref,
                "delivery_frequency": profile.config.delivery_frequency
                or DEFAULT_DELIVERY_FREQUENCY,
                "recording": True,
            },
            ("config",),
            region=region,
            depends_on=frozenset({self.archive.bucket_address}),
        )
        if region == regions[0]:
            self.archive.config_accounts.append(account_id_ref(name))
        for rule in profile.config.rules or []:
            rule_name = rule if isinstance(rule, str) else rule.name
            identifier = None if isinstance(rule, str) else rule.identifier
            parameters = {} if isinstance(rule, str) else rule.parameters or {}
            self.add(
                target,
                "config_rule",
                f"config_rule:{name}/{region}/{rule_name}",
                {
                    "name": rule_name,
                    "identifier": identifier or identifier_for(rule_name),
                    "parameters": dict(parameters),
                    "tags": dict(self.tags),
                },
                ("config", "rules"),
                region=region,
                depends_on=frozenset({recorder}),
            )

    def _trail(self, target: _Target, profile: Profile) -> None:
        assert profile.cloudtrail is not None
        if self.archive is None:
            return
        name = target.name
        trail = self.fill(profile.cloudtrail.name or DEFAULT_TRAIL, name)
        self.archive.trails.append(
            f"arn:{self.partition}:cloudtrail:{self.home}:{account_id_ref(name)}:trail/{trail}"
        )
        self.add(
            target,
            "trail",
            f"trail:{name}/{trail}",
            {
                "name": trail,
                "bucket": self.archive.bucket_ref,
                "kms_key": self.archive.key_ref,
                "multi_region": True,
                "global_events": True,
                "log_file_validation": True,
                "logging": True,
                "tags": dict(self.tags),
            },
            ("cloudtrail",),
            region=self.home,
            depends_on=frozenset({self.archive.bucket_address, self.archive.key_address}),
        )

    # -- the log archive ----------------------------------------------------------------

    def log_archive(self) -> None:
        archive = self.archive
        if archive is None:
            return
        account = self.spec.accounts[archive.account]
        common: dict[str, Any] = {
            "account": archive.account,
            "region": archive.region,
            "source": self.where("baselines", "log_archive"),
            "protected": is_protected(archive.account, account),
        }
        statements = delivery_statements(
            archive.bucket, archive.trails, archive.config_accounts, archive.readers
        )
        self.nodes.append(
            Node(
                address=archive.bucket_address,
                kind="log_bucket",
                name=archive.bucket,
                desired=bucket_desired(archive.bucket, self.tags, statements),
                **common,
            )
        )
        root = f"arn:{self.partition}:iam::{{account_id}}:root"
        self.nodes.append(
            Node(
                address=archive.key_address,
                kind="kms_key",
                name=archive.alias,
                desired={
                    "alias": archive.alias,
                    "description": KEY_DESCRIPTION,
                    "policy": trail_key_policy(root, archive.trails, archive.readers),
                    "rotation": True,
                    "tags": dict(self.tags),
                },
                **common,
            )
        )


def organization_trail_arn(spec: Spec) -> str | None:
    """The ARN of the organization trail (`security.organization_trail`), if the spec has one.

    It delivers to the log archive like the accounts' trails, so the bucket's
    and the key's policies name it too.
    """
    trail = spec.security.organization_trail if spec.security is not None else None
    if trail is None:
        return None
    home = spec.organization.home_region
    name = fill_placeholders(trail.name, org=spec.organization.name)
    management = account_id_ref(MANAGEMENT)
    return f"arn:{partition(home)}:cloudtrail:{home}:{management}:trail/{name}"


def log_archive(spec: Spec) -> _Archive | None:
    """The log archive's bucket and key, as nodes of other accounts name them (None: none)."""
    return _BaselineNodes(spec, lambda *_: None).archive


def baseline_nodes(spec: Spec, where: Where) -> list[Node]:
    """Nodes of every account's baseline and of the log archive."""
    builder = _BaselineNodes(spec, where)
    for name in sorted(spec.accounts):
        builder.account(name)
    builder.management()
    builder.log_archive()
    return builder.nodes
