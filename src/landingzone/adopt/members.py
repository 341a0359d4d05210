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
baselines: GetAccountPasswordPolicy,
GetEbsEncryptionByDefault, GetPublicAccessBlock, DescribeTrails,
DescribeConfigurationRecorders. Always, once: ListStackSets in the management account.
"""

from __future__ import annotations

import functools
import json
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from landingzone.adopt.baselines import LiveSettings, password_policy, public_access_block
from landingzone.adopt.ci import LiveProvider
from landingzone.adopt.layout import spec_tags
from landingzone.adopt.owners import STACKSETS, owner_of, why
from landingzone.adopt.report import NOT_YET, OWNED, UNREADABLE, Note
from landingzone.adopt.roles import DEFAULT_MAX_SESSION, LiveRole, as_list, is_cross_account
from landingzone.aws.calls import call, pages
from landingzone.aws.session import Sessions
from landingzone.errors import AwsError
from landingzone.nodes import MANAGEMENT
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


Found = Note | LiveRole | LiveSettings | CiRole | LiveProvider


@dataclass
class Findings:
    """What the readers found in the accounts, by what it becomes."""

    notes: list[Note] = field(default_factory=list)
    roles: list[LiveRole] = field(default_factory=list)  # cross-account roles
    settings: list[LiveSettings] = field(default_factory=list)
    ci_roles: list[LiveRole] = field(default_factory=list)
    providers: list[LiveProvider] = field(default_factory=list)


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
    for item in notes:
        if isinstance(item, Note):
            findings.notes.append(item)
        elif isinstance(item, LiveRole):
            findings.roles.append(item)
        elif isinstance(item, LiveSettings):
            findings.settings.append(item)
        elif isinstance(item, CiRole):
            findings.ci_roles.append(item.role)
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
        if role.path.startswith(SERVICE_LINKED_PATH) or role.name == access_role:
            continue
        owner = owner_of(role.name, role.tags)
        federated = _federated(role.trust)
        if owner:
            found.append(Note(OWNED, role.label, why(owner)))
        elif federated:
            if "ci" in layers:
                found.append(CiRole(role))
        elif "roles" in layers and is_cross_account(role):
            found.append(role)
    return found


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
    """Password policy, EBS encryption, Block Public Access (as settings); trails and Config
    recorders: Control Tower's, and the rest as not imported yet."""
    found: list[Found] = []
    if account.key != MANAGEMENT:  # baselines are of member accounts
        found.append(LiveSettings(account.key, _settings(account)))
    trails = account.call("cloudtrail", "describe_trails", includeShadowTrails=False)["trailList"]
    found += [
        _theirs_or_later(
            trail["Name"], f"trail {trail['Name']} in {account.label}", "set `cloudtrail`"
        )
        for trail in trails
    ]
    recorders = account.call("config", "describe_configuration_recorders")
    found += [
        _theirs_or_later(
            recorder["name"],
            f"Config recorder {recorder['name']} in {account.label}, {account.region}",
            "set `config`",
        )
        for recorder in recorders["ConfigurationRecorders"]
    ]
    return found


def _theirs_or_later(name: str, where: str, hint: str) -> Note:
    """Another tool's (by its name), or not imported yet (`hint`: what to write by hand)."""
    owner = owner_of(name)
    if owner:
        return Note(OWNED, where, why(owner))
    return Note(NOT_YET, where, f"not imported yet: {hint} in a baseline profile")


def _settings(account: Account) -> dict[str, Any]:
    """The account's password policy, EBS encryption and Block Public Access, as set."""
    settings: dict[str, Any] = {}
    policy = _unless(
        "NoSuchEntity", lambda: account.call("iam", "get_account_password_policy")["PasswordPolicy"]
    )
    written = password_policy(policy)
    if written is not None:
        settings["password_policy"] = written
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
    return settings


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
