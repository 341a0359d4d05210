"""The `security` section's nodes: the organization as one security domain.

Organization-wide (trusted access in the management account, the security
account's registrations):

    service_access:PRINCIPAL                   delegated_admin:SECURITY/PRINCIPAL

Per region where any account of the spec runs, with `security.guardduty`:

    guardduty_admin:SECURITY/REGION            guardduty_organization:SECURITY/REGION
    guardduty_members:SECURITY/REGION          (members: the spec's accounts in REGION)
    sns_topic:SECURITY/REGION/TOPIC            event_rule:SECURITY/REGION/RULE (with alerts)

Per region where any account of the spec runs, with `security.securityhub`
(the standards in every account of the spec that runs there; the finding
aggregator in the home region):

    securityhub_admin:SECURITY/REGION          securityhub_organization:SECURITY/REGION
    securityhub_members:SECURITY/REGION        securityhub_standards:ACCOUNT/REGION
    securityhub_aggregator:SECURITY/HOME

Per region where any account of the spec runs, with `security.access_analyzer`:

    access_analyzer:SECURITY/REGION/NAME

In the security account's home region, with `security.config_aggregator`:

    role:SECURITY/ROLE                         config_aggregator:SECURITY/HOME/NAME

The management account's organization trail, in the home region, with
`security.organization_trail` (trusted access for CloudTrail, no delegation;
the log archive's bucket and key policies name the trail, see
`graph/baselines.py`; the node sits in the log archive's account, see
`resources/org_trail.py`):

    org_trail:NAME

The delegated services are those the sub-sections use plus
`security.delegated_services`; each gets trusted access first. Nodes that
turn GuardDuty on in an account wait for the baseline's detector there (if
the baseline has one), so lz creates it, tagged, before AWS would.
"""

from __future__ import annotations

from typing import Any

from landingzone.access.delegated_services import service_principal
from landingzone.access.securityhub_standards import standard_arn, standard_id
from landingzone.graph.baselines import log_archive, organization_trail_arn, partition
from landingzone.graph.organization import is_protected
from landingzone.graph.targets import (
    Where,
    account_depends,
    account_id_ref,
    account_regions,
    base_tags,
)
from landingzone.nodes import MANAGEMENT, Node
from landingzone.resources.config_aggregator import ROLE_POLICY
from landingzone.resources.findings_alerts import topic_policy
from landingzone.spec.baseline_resolution import effective_profile
from landingzone.spec.placeholders import fill_placeholders
from landingzone.spec.schema import Spec
from landingzone.spec.security import (
    AccessAnalyzer,
    ConfigAggregator,
    FindingAlerts,
    OrganizationGuardDuty,
    SecurityHub,
)
from landingzone.spec.tree import TreePath

ORGANIZATION = "organization"  # the address of the organization's node
GUARDDUTY = "guardduty.amazonaws.com"
SECURITYHUB = "securityhub.amazonaws.com"
ACCESS_ANALYZER = "access-analyzer.amazonaws.com"
CONFIG = "config.amazonaws.com"
CLOUDTRAIL = "cloudtrail.amazonaws.com"
FINDINGS_RULE = "{org}-guardduty-findings"


def service_access_address(principal: str) -> str:
    """The address of trusted access for a service principal."""
    return f"service_access:{principal}"


def delegated_admin_address(account: str, principal: str) -> str:
    """The address of an account's registration as delegated administrator of a service."""
    return f"delegated_admin:{account}/{principal}"


def has_detector(spec: Spec, account: str) -> bool:
    """Whether the account's baseline gives it a GuardDuty detector (`guardduty:ACCOUNT/REGION`)."""
    profile = effective_profile(spec, account)
    return profile is not None and profile.guardduty is not None


class _Builder:
    def __init__(self, spec: Spec, where: Where):
        assert spec.security is not None
        self.spec = spec
        self.security = spec.security
        self.where = where
        self.account = self.security.account
        self.protected = is_protected(self.account, spec.accounts[self.account])
        # Regional services are administered wherever an account of the spec runs.
        self.regions = sorted({r for name in spec.accounts for r in account_regions(spec, name)})
        self.partition = partition(spec.organization.home_region)
        self.tags = base_tags(spec)
        self.nodes: list[Node] = []
        # Service principal -> where the spec asks for it (first place wins).
        self.delegated: dict[str, TreePath] = {}
        self.trusted: dict[str, TreePath] = {}  # trusted access only, no delegation

    def fill(self, text: str, region: str | None = None) -> str:
        return fill_placeholders(
            text, org=self.spec.organization.name, account=self.account, region=region
        )

    def delegate(self, principal: str, path: TreePath) -> None:
        """Make the security account delegated administrator of a service (with trusted access)."""
        self.delegated.setdefault(principal, path)

    def add(
        self,
        kind: str,
        address: str,
        desired: dict[str, Any],
        path: TreePath,
        *,
        region: str | None = None,
        depends_on: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        """A node in the security account."""
        self.nodes.append(
            Node(
                address=address,
                kind=kind,
                name=address.split(":", 1)[1],
                account=self.account,
                region=region,
                desired=desired,
                depends_on=frozenset(depends_on),
                source=self.where(*path),
                protected=self.protected,
            )
        )

    # -- trusted access and delegated administrators ------------------------------------

    def organization(self) -> None:
        for principal, path in sorted({**self.trusted, **self.delegated}.items()):
            self.nodes.append(
                Node(
                    address=service_access_address(principal),
                    kind="service_access",
                    name=principal,
                    account=MANAGEMENT,
                    desired={"service": principal},
                    depends_on=frozenset({ORGANIZATION}),
                    source=self.where(*path),
                )
            )
        for principal, path in sorted(self.delegated.items()):
            self.add(
                "delegated_admin",
                delegated_admin_address(self.account, principal),
                {"service": principal, "account_id": "{account_id}"},
                path,
                depends_on={service_access_address(principal)},
            )

    # -- GuardDuty --------------------------------------------------------------------

    def guardduty(self, settings: OrganizationGuardDuty) -> None:
        path: TreePath = ("security", "guardduty")
        self.delegate(GUARDDUTY, path)
        for region in self.regions:
            admin = f"guardduty_admin:{self.account}/{region}"
            own_detector = (
                {f"guardduty:{self.account}/{region}"}
                if has_detector(self.spec, self.account)
                and region in account_regions(self.spec, self.account)
                else set()
            )
            self.add(
                "guardduty_admin",
                admin,
                {"account_id": "{account_id}"},
                path,
                region=region,
                depends_on={delegated_admin_address(self.account, GUARDDUTY), *own_detector},
            )
            configuration = f"guardduty_organization:{self.account}/{region}"
            self.add(
                "guardduty_organization",
                configuration,
                {"auto_enable": settings.auto_enable},
                (*path, "auto_enable"),
                region=region,
                depends_on={admin},
            )
            members = self._members(region)
            self.add(
                "guardduty_members",
                f"guardduty_members:{self.account}/{region}",
                {
                    "members": [
                        {"account_id": account_id_ref(name), "email": email}
                        for name, email in members
                    ]
                },
                path,
                region=region,
                depends_on={
                    admin,
                    configuration,
                    *(
                        f"guardduty:{name}/{region}"
                        for name, _ in members
                        if has_detector(self.spec, name)
                    ),
                },
            )
            if settings.alerts is not None:
                self._alerts(settings.alerts, region)

    def _members(self, region: str) -> list[tuple[str, str]]:
        """(name, e-mail) of the spec's accounts, other than the security account, in a region."""
        return [
            (name, account.email)
            for name, account in sorted(self.spec.accounts.items())
            if name != self.account and region in account_regions(self.spec, name)
        ]

    def _alerts(self, alerts: FindingAlerts, region: str) -> None:
        path: TreePath = ("security", "guardduty", "alerts")
        topic, rule = self.fill(alerts.topic, region), self.fill(FINDINGS_RULE, region)
        prefix = f"arn:{self.partition}:{{service}}:{region}:{{{{account_id}}}}"
        topic_arn = prefix.format(service="sns") + f":{topic}"
        rule_arn = prefix.format(service="events") + f":rule/{rule}"
        topic_address = f"sns_topic:{self.account}/{region}/{topic}"
        self.add(
            "sns_topic",
            topic_address,
            {
                "name": topic,
                "arn": topic_arn,
                "policy": topic_policy(topic_arn, [rule_arn]),
                "emails": sorted(set(alerts.emails)),
                "tags": dict(self.tags),
            },
            path,
            region=region,
        )
        pattern: dict[str, Any] = {
            "source": ["aws.guardduty"],
            "detail-type": ["GuardDuty Finding"],
        }
        if alerts.min_severity > 0:
            pattern["detail"] = {"severity": [{"numeric": [">=", alerts.min_severity]}]}
        self.add(
            "event_rule",
            f"event_rule:{self.account}/{region}/{rule}",
            {
                "name": rule,
                "pattern": pattern,
                "enabled": True,
                "target": topic_arn,
                "tags": dict(self.tags),
            },
            path,
            region=region,
            depends_on={topic_address},
        )

    # -- Security Hub -----------------------------------------------------------------

    def securityhub(self, settings: SecurityHub) -> None:
        path: TreePath = ("security", "securityhub")
        self.delegate(SECURITYHUB, path)
        standards = sorted({standard_id(name) or name for name in settings.standards})
        home = self.spec.organization.home_region
        for region in self.regions:
            admin = f"securityhub_admin:{self.account}/{region}"
            self.add(
                "securityhub_admin",
                admin,
                {"account_id": "{account_id}"},
                path,
                region=region,
                depends_on={delegated_admin_address(self.account, SECURITYHUB)},
            )
            configuration = f"securityhub_organization:{self.account}/{region}"
            self.add(
                "securityhub_organization",
                configuration,
                {
                    "auto_enable": settings.auto_enable,
                    "auto_enable_standards": settings.auto_enable_standards,
                },
                path,
                region=region,
                depends_on={admin},
            )
            members = self._members(region)
            members_address = f"securityhub_members:{self.account}/{region}"
            self.add(
                "securityhub_members",
                members_address,
                {
                    "members": [
                        {"account_id": account_id_ref(name), "email": email}
                        for name, email in members
                    ]
                },
                path,
                region=region,
                depends_on={
                    admin,
                    configuration,
                    *(a for name, _ in members for a in account_depends(name)),
                },
            )
            arns = [standard_arn(self.partition, region, s) for s in standards]
            accounts = [self.account, *(name for name, _ in members)]
            for name in accounts:
                # The hub is on in the security account once designated, in a
                # member once it is a member.
                hub_on = admin if name == self.account else members_address
                self.nodes.append(
                    Node(
                        address=f"securityhub_standards:{name}/{region}",
                        kind="securityhub_standards",
                        name=f"{name}/{region}",
                        account=name,
                        region=region,
                        desired={"standards": arns},
                        depends_on=frozenset({hub_on}),
                        source=self.where(*path, "standards"),
                        protected=is_protected(name, self.spec.accounts[name]),
                    )
                )
            if settings.aggregate_regions and region == home:
                self.add(
                    "securityhub_aggregator",
                    f"securityhub_aggregator:{self.account}/{home}",
                    {"region_linking": "ALL_REGIONS", "regions": []},
                    (*path, "aggregate_regions"),
                    region=home,
                    depends_on={admin},
                )

    # -- IAM Access Analyzer ----------------------------------------------------------

    def access_analyzer(self, settings: AccessAnalyzer) -> None:
        path: TreePath = ("security", "access_analyzer")
        self.delegate(ACCESS_ANALYZER, path)
        for region in self.regions:
            name = self.fill(settings.name, region)
            self.add(
                "access_analyzer",
                f"access_analyzer:{self.account}/{region}/{name}",
                {"name": name, "type": "ORGANIZATION", "tags": dict(self.tags)},
                path,
                region=region,
                depends_on={delegated_admin_address(self.account, ACCESS_ANALYZER)},
            )

    # -- AWS Config aggregator --------------------------------------------------------

    def config_aggregator(self, settings: ConfigAggregator) -> None:
        path: TreePath = ("security", "config_aggregator")
        self.delegate(CONFIG, path)
        home = self.spec.organization.home_region
        role, name = self.fill(settings.role), self.fill(settings.name)
        role_address = f"role:{self.account}/{role}"
        self.add(
            "iam_role",
            role_address,
            {
                "name": role,
                "path": "/",
                "description": "landingzone: AWS Config reads the organization for the aggregator",
                "trust": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"Service": CONFIG},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "managed_policies": [f"arn:{self.partition}:iam::aws:policy/{ROLE_POLICY}"],
                "inline_policies": {},
                "permissions_boundary": None,
                "max_session_duration": 3600,
                "tags": dict(self.tags),
            },
            (*path, "role"),
        )
        self.add(
            "config_aggregator",
            f"config_aggregator:{self.account}/{home}/{name}",
            {
                "name": name,
                "role_arn": f"arn:{self.partition}:iam::{{account_id}}:role/{role}",
                "all_regions": True,
                "tags": dict(self.tags),
            },
            path,
            region=home,
            depends_on={role_address, delegated_admin_address(self.account, CONFIG)},
        )

    # -- the organization trail -----------------------------------------------------

    def organization_trail(self) -> None:
        archive, arn = log_archive(self.spec), organization_trail_arn(self.spec)
        if archive is None or arn is None:
            return  # the checks require the log archive
        path: TreePath = ("security", "organization_trail")
        self.trusted.setdefault(CLOUDTRAIL, path)
        name = arn.rsplit("/", 1)[1]
        self.nodes.append(
            Node(
                address=f"org_trail:{name}",
                kind="org_trail",
                name=name,
                account=archive.account,  # read once account IDs are known: see org_trail.py
                region=self.spec.organization.home_region,
                desired={
                    "name": name,
                    "bucket": archive.bucket_ref,
                    "kms_key": archive.key_ref,
                    "multi_region": True,
                    "global_events": True,
                    "log_file_validation": True,
                    "logging": True,
                    "organization": True,
                    "tags": dict(self.tags),
                },
                depends_on=frozenset(
                    {
                        archive.bucket_address,
                        archive.key_address,
                        service_access_address(CLOUDTRAIL),
                    }
                ),
                source=self.where(*path),
                # It records every account: changing it touches the protected ones too.
                protected=any(is_protected(n, a) for n, a in self.spec.accounts.items()),
            )
        )


def security_nodes(spec: Spec, where: Where) -> list[Node]:
    """Nodes of the `security` section (none without one)."""
    if spec.security is None:
        return []
    builder = _Builder(spec, where)
    if spec.security.guardduty is not None:
        builder.guardduty(spec.security.guardduty)
    if spec.security.securityhub is not None:
        builder.securityhub(spec.security.securityhub)
    if spec.security.access_analyzer is not None:
        builder.access_analyzer(spec.security.access_analyzer)
    if spec.security.config_aggregator is not None:
        builder.config_aggregator(spec.security.config_aggregator)
    if spec.security.organization_trail is not None:
        builder.organization_trail()
    for index, name in enumerate(spec.security.delegated_services):
        builder.delegate(service_principal(name), ("security", "delegated_services", index))
    builder.organization()
    return builder.nodes
