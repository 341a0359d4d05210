"""What `lz import --include` reads inside the accounts, and what it says about it.

Every active account (the management account too) is read side by side, one
AssumeRole of the access role each (`aws.session`), the calls of one account
together (`resources.parallel`). What another tool owns (Control Tower,
StackSets) is named as theirs; the rest of these layers is named as not
imported yet, with enough detail to write it by hand. An account lz cannot
enter, or a read AWS refuses, is named with the AWS error code and what was
skipped; the other accounts are still read.

Calls per account: roles or ci: ListRoles and GetAccountAuthorizationDetails
(for ci also ListOpenIDConnectProviders and GetOpenIDConnectProvider each);
baselines: GetAccountPasswordPolicy, ListAccountAliases,
GetEbsEncryptionByDefault, GetPublicAccessBlock, ListDetectors (and
GetDetector), DescribeBudgets (and DescribeNotificationsForBudget per budget,
DescribeSubscribersForNotification per alert), DescribeTrails,
DescribeConfigurationRecorders (and, when the account has one of its own,
DescribeDeliveryChannels and DescribeConfigRules). Always, once: ListStackSets
in the management account.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.adopt.baselines import (
    LiveSettings,
    as_pattern,
    budget,
    guardduty,
    password_policy,
    public_access_block,
)
from landingzone.adopt.ci import LiveProvider
from landingzone.adopt.layout import spec_tags
from landingzone.adopt.owners import STACKSETS, owner_of, why
from landingzone.adopt.report import NOT_EXPRESSIBLE, NOT_YET, OWNED, UNREADABLE, Note
from landingzone.adopt.roles import DEFAULT_MAX_SESSION, LiveRole, as_list, is_cross_account
from landingzone.adopt.trails import SERVICE_LINKED_ROLE, LiveRecorder, LiveTrail, rule_entry
from landingzone.aws.calls import call, pages
from landingzone.aws.session import Sessions
from landingzone.errors import AwsError
from landingzone.nodes import MANAGEMENT
from landingzone.resources.budgets import budget_alerts
from landingzone.resources.parallel import caught, in_parallel

# Accounts read at once (AWS throttles per account and service, so accounts go side by side).
ACCOUNTS_IN_FLIGHT = 16
SERVICE_LINKED_PATH = "/aws-service-role/"


class Account:
    """One account as the readers see it: its spec key, ID and clients."""

    def __init__(self, sessions: Sessions, key: str, account_id: str, region: str):
        self.key = key
        self.id = account_id
        self.region = region
        self._sessions = sessions
        self._management = account_id == sessions.management_account_id

    @property
    def label(self) -> str:
        """`account dev (111111111111)`."""
        return f"account {self.key} ({self.id})"

    def client(self, service: str) -> Any:
        """A client in this account (the access role assumed once)."""
        return self._sessions.client(service, None if self._management else self.id, self.region)

    def call(self, service: str, method: str, **kwargs: Any) -> Any:
        """One read, errors naming this account and region."""
        fn = getattr(self.client(service), method)
        return call(
            fn, account=self.id, region=self.region, resource=f"{service}:{method}", **kwargs
        )

    def list(self, service: str, method: str, key: str, **kwargs: Any) -> list[Any]:
        """Every item of a paginated read, errors naming this account and region."""
        return list(
            pages(
                self.client(service),
                method,
                key,
                account=self.id,
                region=self.region,
                resource=f"{service}:{method}",
                **kwargs,
            )
        )


# What a reader finds: a line of the report, a role or an account's settings to write.
@dataclass(frozen=True)
class CiRole:
    """A role that trusts an OIDC provider: a candidate for `ci.deploy_roles`."""

    role: LiveRole


@dataclass(frozen=True)
class LeftOut:
    """A role left out for a reason many accounts share: one report line for all of them."""

    account: Account
    role: str
    section: str
    why: str


Found = Note | LiveRole | LiveSettings | CiRole | LiveProvider | LeftOut | LiveTrail | LiveRecorder


@dataclass
class Findings:
    """What the readers found in the accounts, by what it becomes."""

    notes: list[Note] = field(default_factory=list)
    roles: list[LiveRole] = field(default_factory=list)  # cross-account roles
    settings: list[LiveSettings] = field(default_factory=list)
    ci_roles: list[LiveRole] = field(default_factory=list)
    providers: list[LiveProvider] = field(default_factory=list)
    trails: list[LiveTrail] = field(default_factory=list)
    recorders: list[LiveRecorder] = field(default_factory=list)


Reader = Callable[[Account, set[str], str], list[Found]]
Layer = tuple[set[str], str, Reader]  # the layers that ask for it, what it reads, the reader


def read_accounts(
    sessions: Sessions,
    accounts: Iterable[tuple[str, str]],
    layers: set[str],
    region: str,
    access_role: str,
) -> Findings:
    """Notes about every account's layers, and the roles, providers and settings to
    write (`accounts`: key and ID of each)."""
    management = Account(sessions, "management", sessions.management_account_id, region)
    notes: list[Found] = list(_stack_sets(management))
    readers = [entry for entry in _READERS if entry[0] & layers]
    if readers:
        members = [Account(sessions, key, account_id, region) for key, account_id in accounts]
        tasks = [functools.partial(_read_one, m, readers, layers, access_role) for m in members]
        notes += [n for found in in_parallel(tasks, limit=ACCOUNTS_IN_FLIGHT) for n in found]
    findings = Findings()
    findings.notes += _left_out_notes([item for item in notes if isinstance(item, LeftOut)])
    for item in notes:
        if isinstance(item, LeftOut):
            continue
        if isinstance(item, Note):
            findings.notes.append(item)
        elif isinstance(item, LiveRole):
            findings.roles.append(item)
        elif isinstance(item, LiveSettings):
            findings.settings.append(item)
        elif isinstance(item, CiRole):
            findings.ci_roles.append(item.role)
        elif isinstance(item, LiveTrail):
            findings.trails.append(item)
        elif isinstance(item, LiveRecorder):
            findings.recorders.append(item)
        else:
            findings.providers.append(item)
    return findings


def _read_one(account: Account, readers: list[Layer], layers: set[str], role: str) -> list[Found]:
    entered = caught(lambda: account.client("sts"))()
    if isinstance(entered, AwsError):
        skipped = "; ".join(what for _, what, _ in readers)
        return [_unreadable(account, f"entering it as {role}", entered, skipped)]
    notes: list[Found] = []
    for _, what, reader in readers:
        answer = caught(functools.partial(reader, account, layers, role))()
        if isinstance(answer, AwsError):
            notes.append(_unreadable(account, f"reading {what}", answer, what))
        else:
            notes.extend(answer)
    return notes


def _unreadable(account: Account, what: str, error: AwsError, skipped: str) -> Note:
    code = error.aws_code or "error"
    return Note(UNREADABLE, f"{account.label}: {what}", f"{code}: {error}. Skipped: {skipped}")


def _roles(account: Account, layers: set[str], access_role: str) -> list[Found]:
    """Roles owned by other tools, CI roles and OIDC providers, cross-account roles."""
    found: list[Found] = []
    if "ci" in layers:
        providers = account.call("iam", "list_open_id_connect_providers")
        for arn in sorted(p["Arn"] for p in providers["OpenIDConnectProviderList"]):
            found.append(_provider(account, arn))
    listed = {r["RoleName"]: r for r in account.list("iam", "list_roles", "Roles")}
    details = account.list(
        "iam", "get_account_authorization_details", "RoleDetailList", Filter=["Role"]
    )
    for detail in sorted(details, key=lambda d: d["RoleName"]):
        role = _live_role(account, detail, listed.get(detail["RoleName"], {}))
        owner = owner_of(role.name, role.tags)
        if role.path.startswith(SERVICE_LINKED_PATH):
            found.append(LeftOut(account, f"{role.path}{role.name}", OWNED, SERVICE_LINKED))
        elif role.name == access_role:
            found.append(LeftOut(account, f"{role.path}{role.name}", NOT_EXPRESSIBLE, ACCESS_ROLE))
        elif owner:
            if "roles" in layers:
                found.append(dataclasses.replace(role, owner=owner))
            else:
                found.append(Note(OWNED, role.label, why(owner)))
        elif _federated(role.trust):
            if "ci" in layers:
                found.append(CiRole(role))
        elif "roles" in layers and is_cross_account(role):
            found.append(role)
        elif "roles" in layers:
            found.append(LeftOut(account, f"{role.path}{role.name}", NOT_YET, NOT_CROSS_ACCOUNT))
    return found


SERVICE_LINKED = (
    "a service-linked role: AWS owns it, and only its service creates, changes or deletes it"
)
ACCESS_ROLE = (
    "the access role lz reaches member accounts through (organization.access_role); lz "
    "uses it and does not manage it"
)
NOT_CROSS_ACCOUNT = (
    "its trust names no other account (services or its own account only); `--include roles` "
    "writes cross-account roles: add it under `roles` by hand if lz should keep it"
)


def _left_out_notes(left: list[LeftOut]) -> list[Note]:
    """One line per role and reason, naming every account that has it."""
    grouped: dict[tuple[str, str, str], list[Account]] = {}
    for item in left:
        key = (item.section, item.role, item.why)
        grouped.setdefault(key, []).append(item.account)
    notes = []
    for (section, role, reason), accounts in sorted(grouped.items()):
        keys = sorted(a.key for a in accounts)
        where = accounts[0].label if len(accounts) == 1 else f"{len(accounts)} accounts"
        listed = "" if len(accounts) == 1 else f" ({', '.join(keys)})"
        notes.append(Note(section, f"role {role} in {where}", f"{reason}{listed}"))
    return notes


def _provider(account: Account, arn: str) -> LiveProvider:
    got = account.call("iam", "get_open_id_connect_provider", OpenIDConnectProviderArn=arn)
    return LiveProvider(
        account=account.key,
        account_id=account.id,
        arn=arn,
        host=str(got["Url"]).removeprefix("https://").rstrip("/"),
        client_ids=tuple(got.get("ClientIDList", [])),
        thumbprints=tuple(got.get("ThumbprintList", [])),
        tags=spec_tags({t["Key"]: t["Value"] for t in got.get("Tags", [])}),
    )


def _live_role(account: Account, detail: Mapping[str, Any], listed: Mapping[str, Any]) -> LiveRole:
    boundary = detail.get("PermissionsBoundary") or {}
    return LiveRole(
        account=account.key,
        account_id=account.id,
        name=detail["RoleName"],
        path=detail.get("Path", "/"),
        description=listed.get("Description") or "",
        trust=_document(detail.get("AssumeRolePolicyDocument")),
        managed_policies=tuple(p["PolicyArn"] for p in detail.get("AttachedManagedPolicies", [])),
        inline_policies={
            p["PolicyName"]: _document(p["PolicyDocument"])
            for p in detail.get("RolePolicyList", [])
        },
        permissions_boundary=boundary.get("PermissionsBoundaryArn"),
        max_session_duration=int(listed.get("MaxSessionDuration") or DEFAULT_MAX_SESSION),
        tags=spec_tags({t["Key"]: t["Value"] for t in detail.get("Tags", [])}),
    )


def _document(value: Any) -> dict[str, Any]:
    """A policy document IAM returned (decoded by botocore, or still URL-encoded JSON)."""
    if isinstance(value, str):
        value = json.loads(urllib.parse.unquote(value))
    return dict(value or {})


def _federated(document: Mapping[str, Any]) -> list[str]:
    """The federated principals (OIDC providers) a trust policy allows."""
    found: set[str] = set()
    statements = document.get("Statement", [])
    for statement in statements if isinstance(statements, list) else [statements]:
        principal = statement.get("Principal") if statement.get("Effect") == "Allow" else None
        if isinstance(principal, dict):
            for value in as_list(principal.get("Federated", [])):
                found.add(str(value).split("/", 1)[-1])
    return sorted(found)


def _baselines(account: Account, layers: set[str], access_role: str) -> list[Found]:
    """The account's settings (password policy, alias, EBS encryption, Block Public Access,
    GuardDuty, budgets); its trails and Config recorders in the home region (Control
    Tower's named as its own; the rest for `adopt/trails.py`)."""
    settings, found = _settings(account)
    found.append(settings)
    trails = account.call("cloudtrail", "describe_trails", includeShadowTrails=False)["trailList"]
    for trail in trails:
        label = f"trail {trail['Name']} in {account.label}"
        owner = owner_of(trail["Name"])
        if owner:
            found.append(Note(OWNED, label, why(owner)))
        elif trail.get("IsOrganizationTrail"):
            found.append(Note(NOT_YET, label, ORGANIZATION_TRAIL))
        else:
            found.append(_live_trail(account, trail))
    recorders = account.call("config", "describe_configuration_recorders")
    theirs = [r for r in recorders["ConfigurationRecorders"] if owner_of(r["name"])]
    found += [
        Note(
            OWNED, f"Config recorder {r['name']} in {account.label}", why(owner_of(r["name"]) or "")
        )
        for r in theirs
    ]
    own = [r for r in recorders["ConfigurationRecorders"] if r not in theirs]
    if own:
        channels = account.call("config", "describe_delivery_channels")["DeliveryChannels"]
        rules = account.list("config", "describe_config_rules", "ConfigRules")
        found += [_live_recorder(account, recorder, channels, rules) for recorder in own]
    return found


ORGANIZATION_TRAIL = (
    "not imported: an organization trail is `security.organization_trail`, which lz import "
    "does not write yet; write it by hand"
)


def _live_trail(account: Account, trail: Mapping[str, Any]) -> LiveTrail:
    return LiveTrail(
        account=account.key,
        account_id=account.id,
        name=trail["Name"],
        bucket=str(trail.get("S3BucketName") or ""),
        kms_key=trail.get("KmsKeyId"),
        lz_shaped=bool(
            trail.get("IsMultiRegionTrail")
            and trail.get("IncludeGlobalServiceEvents")
            and trail.get("LogFileValidationEnabled")
        ),
    )


def _live_recorder(
    account: Account,
    recorder: Mapping[str, Any],
    channels: list[Mapping[str, Any]],
    rules: list[Mapping[str, Any]],
) -> LiveRecorder:
    group = recorder.get("recordingGroup") or {}
    channel = channels[0] if channels else {}
    entries = [rule_entry(rule) for rule in rules]
    return LiveRecorder(
        account=account.key,
        account_id=account.id,
        name=recorder["name"],
        bucket=channel.get("s3BucketName"),
        frequency=(channel.get("configSnapshotDeliveryProperties") or {}).get("deliveryFrequency"),
        lz_shaped=bool(group.get("allSupported"))
        and str(recorder.get("roleARN", "")).endswith(SERVICE_LINKED_ROLE)
        and None not in entries,
        rules=tuple(sorted(entries, key=lambda e: e if isinstance(e, str) else e["name"])),
    )


def _settings(account: Account) -> tuple[LiveSettings, list[Found]]:
    """The account's baseline settings as set, and what the spec cannot say of them."""
    settings: dict[str, Any] = {}
    notes: list[Found] = []
    policy = _unless(
        "NoSuchEntity", lambda: account.call("iam", "get_account_password_policy")["PasswordPolicy"]
    )
    written = password_policy(policy)
    if written is not None:
        settings["password_policy"] = written
    own_alias = None
    for alias in account.call("iam", "list_account_aliases")["AccountAliases"][:1]:
        pattern = as_pattern(alias, account.key, account.id)
        if pattern != alias or account.key == MANAGEMENT:
            settings["alias"] = pattern
        else:
            own_alias = alias
    if account.call("ec2", "get_ebs_encryption_by_default")["EbsEncryptionByDefault"]:
        settings["ebs_encryption"] = {}
    block = _unless(
        "NoSuchPublicAccessBlockConfiguration",
        lambda: account.call("s3control", "get_public_access_block", AccountId=account.id)[
            "PublicAccessBlockConfiguration"
        ],
    )
    blocked = public_access_block(block)
    if blocked is not None:
        settings["s3_public_access_block"] = blocked
    detectors = account.call("guardduty", "list_detectors")["DetectorIds"]
    if detectors:
        detector = account.call("guardduty", "get_detector", DetectorId=detectors[0])
        settings["guardduty"] = guardduty(detector)
    budgets = _budgets(account, notes)
    if budgets:
        settings["budgets"] = budgets
    return LiveSettings(account.key, settings, own_alias), notes


def _budgets(account: Account, notes: list[Found]) -> dict[str, Any]:
    """The account's budgets the spec can say, by name (a pattern where it holds the
    account's key); the others are named in `notes`."""
    client = account.client("budgets")
    where = {"account": account.id, "region": account.region, "resource": "budgets"}
    listed = _unless(
        "NotFoundException",
        lambda: account.list("budgets", "describe_budgets", "Budgets", AccountId=account.id),
    )
    written: dict[str, Any] = {}
    for found in sorted(listed or [], key=lambda b: b["BudgetName"]):
        name = found["BudgetName"]
        alerts = budget_alerts(client, account.id, name, where)
        entry, problem = budget(found, alerts)
        if problem:
            notes.append(Note(NOT_EXPRESSIBLE, f"budget {name} in {account.label}", problem))
        else:
            written[as_pattern(name, account.key)] = entry
    return written


def _unless(code: str, read: Callable[[], Any]) -> Any:
    """`read`'s answer, or None when AWS answers `code` (nothing set)."""
    try:
        return read()
    except AwsError as exc:
        if exc.aws_code == code:
            return None
        raise


def _stack_sets(management: Account) -> list[Note]:
    """Stack sets of the management account: theirs, never lz's."""
    found = caught(
        lambda: management.list("cloudformation", "list_stack_sets", "Summaries", Status="ACTIVE")
    )()
    if isinstance(found, AwsError):
        return [_unreadable(management, "its stack sets", found, "stack sets")]
    notes = []
    for stack_set in found:
        name = stack_set["StackSetName"]
        notes.append(Note(OWNED, f"stack set {name}", why(owner_of(name) or STACKSETS)))
    return notes


_READERS: list[Layer] = [
    ({"roles", "ci"}, "its IAM roles and OIDC providers", _roles),
    ({"baselines"}, "its baseline settings, trails and Config recorders", _baselines),
]


def key_alias(sessions: Sessions, region: str, account_id: str, key_arn: str) -> str | None:
    """The alias (without `alias/`) of a KMS key in an account, or None (none, or unreadable)."""
    account = Account(sessions, "log archive", account_id, region)
    aliases = caught(lambda: account.list("kms", "list_aliases", "Aliases"))()
    if isinstance(aliases, AwsError):
        return None
    key_id = key_arn.rsplit("/", 1)[-1]
    names = sorted(a["AliasName"] for a in aliases if a.get("TargetKeyId") == key_id)
    return names[0].removeprefix("alias/") if names else None
