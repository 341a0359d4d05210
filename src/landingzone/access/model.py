"""The organization's access model: accounts, SCP chains, roles, OIDC issuers,
resource policies and every principal that can make a request.

Built from node-shaped records (`access/records.py`), offline from the spec's
graph or live from a refresh, the same way:

- accounts, with real IDs where known and synthetic ones otherwise
  (`access/ids.py`), and each member account's SCP chain: root -> each OU ->
  the account, `FullAWSAccess` at every level (AWS attaches it, lz never
  detaches it); the management account is not bound by SCPs;
- when RCPs are enabled on the root, each member account's RCP chain, built
  the same way with `RCPFullAWSAccess`: it applies to requests to the
  account's resources; the organization's ID (`aws:PrincipalOrgID` of its
  principals, `aws:ResourceOrgID` of its resources; synthetic offline);
- roles (`iam_role` records, and the `organization.access_role` that AWS
  Organizations creates in every member account, trusting the management
  account, with AdministratorAccess), their trust policies, identity policies
  (inline, AWS managed, customer managed when an `iam_policy` record gives the
  document) and permissions boundaries;
- OIDC providers per account (`oidc_provider` records) and the subject
  classes the trust policies distinguish (`access/oidc.py`);
- the bucket policies lz manages (`state_bucket`, `terraform_state_bucket`, and `bucket`
  records);
- actors: every role, each account's own principals (`account:NAME`: the root
  user and any IAM principal lz does not declare, at their most powerful),
  the AWS services, outside accounts and OIDC subject classes that policies
  name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from landingzone.access import sso
from landingzone.access.context import Values
from landingzone.access.globs import Glob
from landingzone.access.ids import MANAGEMENT, AccountIds
from landingzone.access.managed_policies import aws_managed_document, is_aws_managed
from landingzone.access.oidc import SubjectClass, subject_classes
from landingzone.access.policy import Policy, PolicyKind, parse_policy
from landingzone.access.principal import Principal
from landingzone.access.records import Record
from landingzone.access.request import PolicyLevel
from landingzone.nodes import address_key

FULL_AWS_ACCESS = "FullAWSAccess"
SCP_TYPE = "SERVICE_CONTROL_POLICY"
RCP_TYPE = "RESOURCE_CONTROL_POLICY"
FULL_AWS_ACCESS_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
RCP_FULL_AWS_ACCESS = "RCPFullAWSAccess"
RCP_FULL_AWS_ACCESS_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
}
SYNTHETIC_ORG_ID = "o-lzmodel0000"  # offline: the organization's ID is not known yet
ADMINISTRATOR_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"
OUTSIDE_ANYONE = "000000000000"  # stands for "any AWS account" where a policy says "*"
BUCKET_KINDS = ("state_bucket", "bucket", "terraform_state_bucket")


class ActorKind(StrEnum):
    """What sort of principal an actor is."""

    ROLE = "role"
    ACCOUNT = "account"
    SERVICE = "service"
    OIDC = "oidc"
    EXTERNAL = "external"
    SSO = "sso"  # a group or user of IAM Identity Center


@dataclass(frozen=True)
class Role:
    """A role: where it is, its ARN, its trust policy (raw and parsed)."""

    key: str  # role:ACCOUNT/NAME
    account: str  # spec account name (or management)
    account_id: str
    name: str
    arn: str
    trust: Policy
    trust_document: Mapping[str, Any]
    implied: str | None = None  # why the model adds a role no record declares


@dataclass(frozen=True)
class Actor:
    """A principal that can make requests, with everything the evaluator needs about it.

    OIDC actors have no fixed `principal`: their identity provider is the one
    in the account of the role they assume (`host`, `subject`).
    """

    key: str
    kind: ActorKind
    description: str
    principal: Principal | None
    account: str | None = None  # spec account name, for organization principals
    identity: tuple[Policy, ...] = ()
    boundaries: tuple[Policy, ...] = ()
    scps: tuple[PolicyLevel, ...] | None = None
    context: Mapping[str, Values] = field(default_factory=dict)
    host: str | None = None
    subject: str | None = None
    subject_class: SubjectClass | None = None
    sso_roles: frozenset[str] = frozenset()  # SSO actors: the reserved roles (ARNs) assigned


@dataclass(frozen=True)
class BucketPolicy:
    """A bucket lz manages, its account and its policy."""

    name: str
    account_id: str
    document: Mapping[str, Any] | None
    policy: Policy | None


@dataclass
class AccessModel:
    """Everything `can`, `who-can`, `check` and lint need, built once."""

    source: str  # "spec" or "live"
    ids: AccountIds
    management_id: str
    roles: dict[str, Role]
    actors: dict[str, Actor]
    providers: dict[tuple[str, str], tuple[str, ...]]  # (account id, host) -> client ids
    buckets: dict[str, BucketPolicy]
    subject_patterns: dict[str, list[Glob]]  # host -> trust condition values on HOST:sub
    scps: dict[str, Policy]  # SCPs by name
    scp_documents: dict[str, Mapping[str, Any]]  # the spec's SCP documents by name
    identity_documents: dict[str, list[tuple[str, Mapping[str, Any]]]]  # role key -> (label, doc)
    warnings: list[str] = field(default_factory=list)
    rcp_chains: dict[str, tuple[PolicyLevel, ...]] = field(default_factory=dict)  # by account
    org_id: str | None = None
    _roles_by_id: dict[tuple[str, str], Role] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._roles_by_id = {(r.account_id, r.name): r for r in self.roles.values()}

    def role_by_arn(self, arn: str) -> Role | None:
        """The role an ARN names (`arn:aws:iam::ID:role/PATH/NAME`; the path is ignored)."""
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
            return None
        return self._roles_by_id.get((parts[4], parts[5].rsplit("/", 1)[1]))

    def rcps_of(self, account_id: str | None) -> tuple[PolicyLevel, ...] | None:
        """The RCP chain of a resource's account (None: not bound by RCPs)."""
        name = self.ids.name_of(account_id) if account_id else None
        return self.rcp_chains.get(name) if name else None

    def in_organization(self, account_id: str | None) -> bool:
        """True for the management account and the member accounts of the model."""
        return account_id is not None and self.ids.name_of(account_id) is not None

    def account_label(self, account_id: str) -> str:
        """`dev (123456789012)`, with `synthetic` for IDs the model made up."""
        name = self.ids.name_of(account_id)
        if name is None:
            return account_id
        made_up = ", synthetic" if self.ids.is_synthetic(account_id) else ""
        return f"{name} ({account_id}{made_up})"


def parse_document(document: Any, *, kind: PolicyKind, label: str) -> Policy:
    """Parse a policy given as a JSON object or a JSON string (as AWS returns some)."""
    if isinstance(document, str):
        document = json.loads(document)
    return parse_policy(document, kind=kind, label=label)


def build_model(
    records: Iterable[Record],
    *,
    source: str,
    management_id: str | None,
    access_role: str,
) -> AccessModel:
    """The access model of one organization's records."""
    return _ModelBuilder(list(records), source, management_id, access_role).build()


class _ModelBuilder:
    """Turns records (from a graph or from what exists) into an `AccessModel`."""

    def __init__(
        self, records: list[Record], source: str, management_id: str | None, access_role: str
    ):
        self.records = records
        self.source = source
        self.access_role = access_role
        accounts = {address_key(r.address): r for r in records if r.kind == "account"}
        known = {MANAGEMENT: management_id, **{name: r.id for name, r in accounts.items()}}
        self.ids = AccountIds(known)
        self.accounts = accounts
        self.warnings: list[str] = []
        self.actors: dict[str, Actor] = {}
        self.org_id: str | None = None

    def of_kind(self, *kinds: str) -> list[Record]:
        return [r for r in self.records if r.kind in kinds]

    def filled(self, record: Record) -> dict[str, Any]:
        filled: dict[str, Any] = self.ids.fill(dict(record.attrs), record.account)
        return filled

    def build(self) -> AccessModel:
        management_id = self.ids.id_of(MANAGEMENT)
        assert management_id is not None
        scps, scp_documents = self.scp_policies()
        chains = self.chains(scps, FULL_AWS_ACCESS, "SCP")
        rcp_chains = self.chains(self.rcp_policies(), RCP_FULL_AWS_ACCESS, "RCP")
        self.org_id = self.organization_id()
        policies = self.customer_policies()
        roles, documents = self.roles(policies, chains)
        for name in self.ids.names():
            self.account_actor(name, chains.get(name))
        providers = {
            (self.account_id(r.account), host_of(str(attrs["url"]))): tuple(attrs["client_ids"])
            for r in self.of_kind("oidc_provider")
            for attrs in [self.filled(r)]
        }
        buckets = self.buckets()
        patterns = self.outside_actors(roles, buckets)
        return AccessModel(
            source=self.source,
            ids=self.ids,
            management_id=management_id,
            roles=roles,
            actors=self.actors,
            providers=providers,
            buckets=buckets,
            subject_patterns=patterns,
            scps=scps,
            scp_documents=scp_documents,
            identity_documents=documents,
            warnings=self.warnings,
            rcp_chains=rcp_chains,
            org_id=self.org_id,
        )

    def account_id(self, name: str) -> str:
        found = self.ids.id_of(name)
        assert found is not None, name
        return found

    # -- SCPs -------------------------------------------------------------------------

    def scp_policies(self) -> tuple[dict[str, Policy], dict[str, Mapping[str, Any]]]:
        documents: dict[str, Mapping[str, Any]] = {}
        policies = {
            FULL_AWS_ACCESS: parse_policy(
                FULL_AWS_ACCESS_DOCUMENT, kind=PolicyKind.SCP, label=FULL_AWS_ACCESS
            )
        }
        for record in self.of_kind("policy"):
            attrs = self.filled(record)
            if attrs.get("type", SCP_TYPE) != SCP_TYPE:
                continue  # RCPs, tag, backup... policies: not SCPs
            document = attrs["document"]
            documents[attrs["name"]] = (
                json.loads(document) if isinstance(document, str) else document
            )
            policies[attrs["name"]] = parse_policy(
                documents[attrs["name"]], kind=PolicyKind.SCP, label=attrs["name"]
            )
        return policies, documents

    def rcp_policies(self) -> dict[str, Policy]:
        """RCPs by name, with RCPFullAWSAccess; empty unless RCPs are enabled on the root."""
        enabled = any(
            RCP_TYPE in (r.attrs.get("policy_types") or ()) for r in self.of_kind("organization")
        )
        if not enabled:
            return {}
        policies = {
            RCP_FULL_AWS_ACCESS: parse_policy(
                RCP_FULL_AWS_ACCESS_DOCUMENT, kind=PolicyKind.RCP, label=RCP_FULL_AWS_ACCESS
            )
        }
        for record in self.of_kind("policy"):
            attrs = self.filled(record)
            if attrs.get("type") == RCP_TYPE:
                policies[attrs["name"]] = parse_document(
                    attrs["document"], kind=PolicyKind.RCP, label=attrs["name"]
                )
        return policies

    def organization_id(self) -> str | None:
        """The organization's ID: as found live, synthetic offline, None without one."""
        organizations = self.of_kind("organization")
        if not organizations:
            return None
        return organizations[0].id or SYNTHETIC_ORG_ID

    def chains(
        self, policies: Mapping[str, Policy], default: str, what: str
    ) -> dict[str, tuple[PolicyLevel, ...]]:
        """Each member account's levels of one policy type (no entry: not bound by it).

        `default` is AWS's policy of the type, attached at every level; no
        `policies` (the type is not enabled) means no chains.
        """
        roots = self.of_kind("root")
        if not roots or default not in policies:
            return {}
        units = {str(r.attrs["path"]): r for r in self.of_kind("unit")}
        known = {str(r.attrs.get("name")) for r in self.of_kind("policy")}

        def level(target: str, names: Iterable[str]) -> PolicyLevel:
            found = [policies[default]]
            for name in names:
                if name in policies:
                    if name != default:
                        found.append(policies[name])
                elif name not in known and name not in (FULL_AWS_ACCESS, RCP_FULL_AWS_ACCESS):
                    self.warnings.append(f"{target}: {what} {name!r} is not known to the model")
            return PolicyLevel(target, tuple(found))

        root = level("root", roots[0].attrs.get("policies", ()))
        chains = {}
        for name, record in self.accounts.items():
            levels = [root]
            unit = str(record.attrs.get("unit") or "")
            parts = unit.split("/") if unit else []
            for depth in range(1, len(parts) + 1):
                path = "/".join(parts[:depth])
                attached = units[path].attrs.get("policies", ()) if path in units else ()
                levels.append(level(f"ou {path}", attached))
            levels.append(level(f"account {name}", record.attrs.get("policies", ())))
            chains[name] = tuple(levels)
        return chains

    # -- roles ------------------------------------------------------------------------

    def customer_policies(self) -> dict[str, Mapping[str, Any]]:
        """Documents of customer managed policies by ARN (`iam_policy` records)."""
        found = {}
        for record in self.of_kind("iam_policy"):
            attrs = self.filled(record)
            path = attrs.get("path") or "/"
            arn = f"arn:aws:iam::{self.account_id(record.account)}:policy{path}{attrs['name']}"
            found[arn] = attrs["document"]
        return found

    def managed(
        self, arn: str, customer: Mapping[str, Mapping[str, Any]], owner: str
    ) -> Mapping[str, Any] | None:
        document = aws_managed_document(arn) if is_aws_managed(arn) else customer.get(arn)
        if document is None:
            self.warnings.append(f"{owner}: policy {arn} is not known to the model (ignored)")
        return document

    def roles(
        self,
        customer: Mapping[str, Mapping[str, Any]],
        chains: Mapping[str, tuple[PolicyLevel, ...]],
    ) -> tuple[dict[str, Role], dict[str, list[tuple[str, Mapping[str, Any]]]]]:
        roles: dict[str, Role] = {}
        documents: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
        entries: list[tuple[str, str, dict[str, Any], str | None]] = [
            (r.address, r.account, self.filled(r), None) for r in self.of_kind("iam_role")
        ]
        declared = {address for address, *_ in entries}
        entries += self.reserved_roles(customer)
        for name in self.accounts:
            address = f"role:{name}/{self.access_role}"
            if address not in declared:
                entries.append((address, name, self.access_role_attrs(), _IMPLIED))
        for address, account, attrs, implied in entries:
            account_id = self.account_id(account)
            path = attrs.get("path") or "/"
            arn = f"arn:aws:iam::{account_id}:role{path}{attrs['name']}"
            trust = parse_document(
                attrs["trust"], kind=PolicyKind.RESOURCE, label=f"trust policy of {address}"
            )
            roles[address] = Role(
                address, account, account_id, attrs["name"], arn, trust, attrs["trust"], implied
            )
            docs = [
                (f"{address} inline {name}", doc)
                for name, doc in sorted(attrs.get("inline_policies", {}).items())
            ]
            docs += [
                (arn_, doc)
                for arn_ in attrs.get("managed_policies", ())
                if (doc := self.managed(arn_, customer, address)) is not None
            ]
            boundary_arn = attrs.get("permissions_boundary")
            boundary = self.managed(boundary_arn, customer, address) if boundary_arn else None
            documents[address] = docs
            self.actors[address] = Actor(
                key=address,
                kind=ActorKind.ROLE,
                description=implied or f"role {attrs['name']} in {self.ids.name_of(account_id)}",
                principal=Principal.parse(arn),
                account=account,
                identity=tuple(
                    parse_document(doc, kind=PolicyKind.IDENTITY, label=label)
                    for label, doc in docs
                ),
                boundaries=(
                    (parse_document(boundary, kind=PolicyKind.BOUNDARY, label=boundary_arn),)
                    if boundary is not None and boundary_arn
                    else ()
                ),
                scps=chains.get(account),
                context={
                    **self.org_context(),
                    **{
                        f"aws:principaltag/{k.lower()}": (v,)
                        for k, v in (attrs.get("tags") or {}).items()
                    },
                },
            )
        return roles, documents

    def reserved_roles(
        self, customer: Mapping[str, Mapping[str, Any]]
    ) -> list[tuple[str, str, dict[str, Any], str | None]]:
        """The roles Identity Center provisions for each permission set where it is assigned,
        and (as SSO actors) the groups and users that sign in to them (`access/sso.py`)."""
        entries: list[tuple[str, str, dict[str, Any], str | None]] = []
        holders: dict[str, set[str]] = {}
        for record in self.of_kind("permission_set"):
            attrs = record.attrs
            placed: set[str] = set()
            for label in attrs.get("assignments") or ():
                where, kind, principal = sso.parse_label(str(label))
                account = self.ids.name_of(where) if where.isdigit() else where
                if account is None or self.ids.id_of(account) is None:
                    self.warnings.append(
                        f"{record.address}: assigned in account {where}, outside the model"
                    )
                    continue
                account_id = self.account_id(account)
                name = sso.reserved_role_name(attrs["name"], account)
                arn = f"arn:aws:iam::{account_id}:role{sso.RESERVED_PATH}{name}"
                holders.setdefault(sso.actor_key(kind, principal), set()).add(arn)
                if account in placed:
                    continue
                placed.add(account)
                entries.append(
                    (
                        f"role:{account}/{name}",
                        account,
                        self.reserved_attrs(attrs, name, account_id),
                        f"permission set {attrs['name']} in {account}, provisioned by IAM "
                        "Identity Center",
                    )
                )
        for key, arns in sorted(holders.items()):
            kind, _, principal = key.removeprefix("sso:").partition("/")
            self.actors[key] = Actor(
                key=key,
                kind=ActorKind.SSO,
                description=f"{kind} {principal} of IAM Identity Center",
                principal=None,
                sso_roles=frozenset(arns),
            )
        return entries

    def reserved_attrs(
        self, attrs: Mapping[str, Any], name: str, account_id: str
    ) -> dict[str, Any]:
        """A permission set's role in one account, in `iam_role` attributes."""
        managed = list(attrs.get("managed_policies") or ())
        managed += [
            f"arn:aws:iam::{account_id}:policy{ref.get('path', '/')}{ref['name']}"
            for ref in attrs.get("customer_managed_policies") or ()
        ]
        boundary = attrs.get("permissions_boundary") or {}
        reference = boundary.get("customer_managed_policy")
        boundary_arn = boundary.get("managed_policy") or (
            f"arn:aws:iam::{account_id}:policy{reference.get('path', '/')}{reference['name']}"
            if reference
            else None
        )
        inline = attrs.get("inline_policy")
        return {
            "name": name,
            "path": sso.RESERVED_PATH,
            "trust": sso.trust_document(account_id),
            "managed_policies": managed,
            "inline_policies": {sso.INLINE_POLICY: inline} if inline else {},
            "permissions_boundary": boundary_arn,
        }

    def access_role_attrs(self) -> dict[str, Any]:
        return {
            "name": self.access_role,
            "path": "/",
            "trust": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{self.ids.id_of(MANAGEMENT)}:root"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            "managed_policies": [ADMINISTRATOR_ACCESS],
        }

    # -- other actors -----------------------------------------------------------------

    def account_actor(self, name: str, chain: tuple[PolicyLevel, ...] | None) -> None:
        account_id = self.account_id(name)
        self.actors[f"account:{name}"] = Actor(
            key=f"account:{name}",
            kind=ActorKind.ACCOUNT,
            description=(
                f"the root user and any IAM principal lz does not declare in {name}, "
                "at their most powerful"
            ),
            principal=Principal.parse(f"arn:aws:iam::{account_id}:root"),
            account=name,
            scps=chain,
            context=self.org_context(),
        )

    def org_context(self) -> dict[str, Values]:
        """`aws:PrincipalOrgID` of the organization's principals."""
        return {"aws:principalorgid": (self.org_id,)} if self.org_id else {}

    def buckets(self) -> dict[str, BucketPolicy]:
        found = {}
        for record in self.of_kind(*BUCKET_KINDS):
            attrs = self.filled(record)
            name = attrs["name"]
            document = attrs.get("policy")
            if isinstance(document, str):
                document = json.loads(document)
            label = f"bucket policy of {name}"
            found[name] = BucketPolicy(
                name,
                self.account_id(record.account),
                document or None,
                parse_policy(document, kind=PolicyKind.RESOURCE, label=label) if document else None,
            )
        return found

    def outside_actors(
        self, roles: Mapping[str, Role], buckets: Mapping[str, BucketPolicy]
    ) -> dict[str, list[Glob]]:
        """Services, outside accounts and OIDC subject classes that policies name."""
        patterns: dict[str, list[Glob]] = {}
        documents = [role.trust_document for role in roles.values()]
        documents += [b.document for b in buckets.values() if b.document]
        for document in documents:
            for statement in _statements(document):
                self.named_principals(statement)
                for host, values in _sub_conditions(statement).items():
                    patterns.setdefault(host, []).extend(values)
        hosts = set(patterns) | {host for host in self.federated_hosts(documents)}
        for host in sorted(hosts):
            for found in subject_classes(host, patterns.get(host, [])):
                self.actors[found.label] = Actor(
                    key=found.label,
                    kind=ActorKind.OIDC,
                    description=found.describe(),
                    principal=None,
                    host=host,
                    subject=found.subject,
                    subject_class=found,
                )
        return patterns

    def federated_hosts(self, documents: Iterable[Mapping[str, Any]]) -> set[str]:
        hosts: set[str] = set()
        for document in documents:
            for statement in _statements(document):
                principal = statement.get("Principal")
                if isinstance(principal, dict):
                    hosts.update(host_of(f) for f in _as_list(principal.get("Federated")))
        return {h for h in hosts if "saml-provider/" not in h}

    def named_principals(self, statement: Mapping[str, Any]) -> None:
        """Add the services and outside accounts an allow statement grants to."""
        if statement.get("Effect") != "Allow":
            return
        principal = statement.get("Principal", statement.get("NotPrincipal"))
        everyone = principal == "*" or "NotPrincipal" in statement
        aws: list[str] = []
        if isinstance(principal, dict):
            aws = _as_list(principal.get("AWS"))
            everyone = everyone or "*" in aws
            for service in _as_list(principal.get("Service")):
                self.actors.setdefault(f"service:{service}", _service_actor(service))
        if everyone:
            self.external(OUTSIDE_ANYONE, "any AWS account outside the organization")
        for value in aws:
            parts = value.split(":")
            account_id = value if value.isdigit() else parts[4] if len(parts) >= 6 else ""
            if len(account_id) == 12 and self.ids.name_of(account_id) is None:
                self.external(account_id, f"account {account_id}, outside the organization")

    def external(self, account_id: str, description: str) -> None:
        key = f"external:{account_id}"
        self.actors.setdefault(
            key,
            Actor(
                key=key,
                kind=ActorKind.EXTERNAL,
                description=f"{description}: any of its principals its own policies allow",
                principal=Principal.parse(f"arn:aws:iam::{account_id}:root"),
            ),
        )


_IMPLIED = "created by AWS Organizations in every member account (organization.access_role)"


def _service_actor(service: str) -> Actor:
    return Actor(
        key=f"service:{service}",
        kind=ActorKind.SERVICE,
        description=f"the AWS service {service}",
        principal=Principal.parse(service),
    )


def host_of(url_or_arn: str) -> str:
    """The host of an OIDC issuer: `https://host/path` or `arn:...:oidc-provider/host` -> `host`."""
    if url_or_arn.startswith("arn:"):
        return url_or_arn.split(":", 5)[5].split("/", 1)[1]
    return url_or_arn.removeprefix("https://").rstrip("/")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    raw = document.get("Statement", [])
    return [s for s in (raw if isinstance(raw, list) else [raw]) if isinstance(s, dict)]


def statement_subjects(document: Mapping[str, Any], index: int) -> dict[str, list[Glob]]:
    """The values a trust statement requires of `HOST:sub`, by host (`StringEquals`,
    `StringLike` and their `ForAnyValue:` forms): no other subject can meet it."""
    statement = _statements(document)[index]
    found: dict[str, list[Glob]] = {}
    for operator, keys in (statement.get("Condition") or {}).items():
        base = operator.removeprefix("ForAnyValue:")
        if base not in ("StringEquals", "StringLike") or not isinstance(keys, dict):
            continue
        for key, values in keys.items():
            host, _, claim = key.rpartition(":")
            if claim.lower() == "sub" and host:
                found.setdefault(host, []).extend(
                    Glob(v, base == "StringLike") for v in _as_list(values)
                )
    return found


def _sub_conditions(statement: Mapping[str, Any]) -> dict[str, list[Glob]]:
    """Values of conditions on `HOST:sub` in one statement, by host."""
    found: dict[str, list[Glob]] = {}
    for operator, keys in (statement.get("Condition") or {}).items():
        if not isinstance(keys, dict):
            continue
        wild = "Like" in operator
        for key, values in keys.items():
            host, _, claim = key.rpartition(":")
            if claim.lower() == "sub" and host:
                found.setdefault(host, []).extend(Glob(v, wild) for v in _as_list(values))
    return found
