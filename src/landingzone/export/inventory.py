"""What an export starts from: the spec's nodes and lz's state records (the real IDs).

Also the facts every stack shares: where Terraform's state lives (the spec's
state bucket and lock table, in the state account; or each member account's
own, `state.isolation: per_account_bucket`), each account's
environment and protection, and which stack publishes account IDs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from landingzone.aws.session import Sessions
from landingzone.engine.plan import ACCOUNT_REF
from landingzone.engine.workflow import Workspace
from landingzone.errors import LzError
from landingzone.export.model import RemoteOutput, StackRef
from landingzone.graph import is_protected, state_names
from landingzone.graph.ci_pipeline import account_environment
from landingzone.graph.state_keys import account_state_names, state_home
from landingzone.nodes import MANAGEMENT, Node, ResourceRecord
from landingzone.spec.schema import Spec

ORGANIZATION = "organization"


class ExportError(LzError):
    """The export cannot be made (e.g. the state backend does not exist yet)."""

    code = "export_failed"


@dataclass(frozen=True)
class Backend:
    """Terraform's S3 backend: lz's state bucket and lock table, in the state account (or
    a member account's own, `per_account_bucket`)."""

    bucket: str
    region: str
    lock_table: str
    role_arn: str | None  # assumed to reach a member account's bucket; None for management
    # The account's own bucket and table (`per_account_bucket`): its deploy roles lock there.
    own: bool = False


Backends = Callable[[str], Backend]  # an account's stacks' backend (`Inventory.backend`)


@dataclass(frozen=True)
class Inventory:
    """The spec's resources and what lz applied, for one export."""

    spec: Spec
    nodes: Sequence[Node]
    records: Mapping[str, ResourceRecord]  # lz's state records by address
    management_account_id: str
    repo: str  # the `Repo` default tag
    # Reads what lz's state does not hold (a NAT gateway's Elastic IP); None: no AWS access.
    sessions: Sessions | None = None

    def record(self, address: str) -> ResourceRecord | None:
        """lz's state record of a node, if lz applied it."""
        return self.records.get(address)

    def client(self, service: str, account: str, region: str) -> Any | None:
        """A boto3 client in a spec account, for reads lz's state cannot answer.

        None without AWS access or while the account does not exist yet.
        """
        account_id = self.account_id(account)
        if self.sessions is None or account_id is None:
            return None
        member = None if account == MANAGEMENT else account_id
        return self.sessions.client(service, member, region)

    def account_id(self, account: str) -> str | None:
        """An account's ID: known once lz created or adopted it (or the spec names it)."""
        if account == MANAGEMENT:
            return self.management_account_id
        record = self.records.get(f"account:{account}")
        if record is not None:
            return record.id
        return self.spec.accounts[account].id

    def fill(self, value: Any, account: str) -> Any:
        """A desired value with the account IDs lz filled in when it applied it.

        `{account_id}` is `account`'s own ID, `{account_id:NAME}` another
        account's; IDs not known yet stay as written. Use it for names and
        documents that embed IDs (a bucket named after its account); values
        that *refer* to another stack's resources are `RemoteOutput`s instead.
        """
        if isinstance(value, str):
            return ACCOUNT_REF.sub(
                lambda m: self.account_id(m.group(1) or account) or m.group(0), value
            )
        if isinstance(value, dict):
            return {k: self.fill(v, account) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v, account) for v in value]
        return value

    def environment(self, account: str) -> str:
        """The account's environment: its Environment tag, else its name."""
        return account_environment(self.spec, account)

    def protected(self, account: str) -> bool:
        """Whether changes in the account need an approval (as for lz apply)."""
        return account != MANAGEMENT and is_protected(account, self.spec.accounts[account])

    def organization_stack(self) -> StackRef:
        """The stack that owns the organization and publishes `account_ids`."""
        return StackRef(MANAGEMENT, self.spec.organization.home_region, ORGANIZATION)

    def account_id_output(self, account: str) -> RemoteOutput | None:
        """An account's ID as other stacks read it; None for the management account."""
        if account == MANAGEMENT:
            return None
        return RemoteOutput(self.organization_stack(), "account_ids", account)

    def access_role_arn(self, account_id: str) -> str:
        """The role lz (and Terraform) assume in a member account."""
        return f"arn:aws:iam::{account_id}:role/{self.spec.organization.access_role}"

    def backend(self, account: str = MANAGEMENT) -> Backend:
        """Where `account`'s stacks keep their state: lz's state bucket and lock table, or
        with `state.isolation: per_account_bucket` a member account's own; an error if the
        account holding them does not exist yet."""
        home = state_home(self.spec, account)
        if home is None:
            bucket, table, region = state_names(self.spec)
            holder = self.spec.state.account
        else:
            bucket, table = account_state_names(self.spec, home)
            region = self.spec.state.region or self.spec.organization.home_region
            holder = home
        account_id = self.account_id(holder)
        if account_id is None:
            which = "state account" if home is None else "account"
            raise ExportError(
                f"the {which} {holder} does not exist yet, so Terraform's backend "
                "(the state bucket in it) cannot be named; apply the spec with lz first"
            )
        return Backend(
            bucket=self.fill(bucket, holder),
            region=region,
            lock_table=self.fill(table, holder),
            role_arn=None if holder == MANAGEMENT else self.access_role_arn(account_id),
            own=home is not None,
        )


def inventory_of(ws: Workspace, repo: str | None = None) -> Inventory:
    """The inventory of an open workspace: its nodes and the state it read.

    `repo` (the `Repo` default tag) defaults to the organization's Repo tag,
    else the organization's name. Resources another tool owns (`external`:
    Control Tower's guardrails) are not exported: Terraform must not fight it
    either.
    """
    org = ws.spec.organization
    return Inventory(
        spec=ws.spec,
        nodes=[n for n in ws.nodes if not n.external],
        records=dict(ws.store.doc.resources),
        management_account_id=ws.sessions.management_account_id,
        repo=repo or org.tags.get("Repo") or org.name,
        sessions=ws.sessions,
    )
