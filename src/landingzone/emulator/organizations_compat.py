"""AWS Organizations as AWS behaves: asynchronous account creation and AWS's refusals.

moto completes CreateAccount at once and accepts what AWS refuses. This module
makes CreateAccount a request that stays IN_PROGRESS for the configured polls or
seconds (the account does not exist until it succeeds), and refuses, while
`refusals` is on, what the Organizations API reference says AWS refuses. See
docs/emulator.md for the list.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import moto.organizations.urls
from moto.core.utils import unix_time, utcnow
from moto.organizations import utils
from moto.organizations.exceptions import (
    AccountNotFoundException,
    AWSOrganizationsNotInUseException,
    DuplicateOrganizationalUnitException,
    DuplicatePolicyException,
    TargetNotFoundException,
)
from moto.organizations.models import (
    FakeAccount,
    FakeOrganizationalUnit,
    FakePolicy,
    FakeRoot,
    OrganizationsBackend,
    organizations_backends,
)
from moto.organizations.responses import OrganizationsResponse

from landingzone.emulator.controls import CONTROLS, refusing
from landingzone.emulator.org_policy_types_compat import (
    EXTRA_ARN_FORMATS,
    check_content,
    install_types,
    new_policy,
)
from landingzone.emulator.patching import overrides, routes_to, use_backend
from landingzone.emulator.wire import EmulatorError

# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
MAX_OU_DEPTH = 5
MAX_ATTACHED = {"SERVICE_CONTROL_POLICY": 5, "RESOURCE_CONTROL_POLICY": 5}
MAX_ATTACHED_OTHER_TYPES = 10


def refusal(code: str, message: str, reason: str | None = None) -> EmulatorError:
    """An Organizations error; `reason` fills ConstraintViolationException's Reason."""
    error = EmulatorError(code, message)
    if reason is not None:
        error.Reason = reason  # type: ignore[attr-defined]
    return error


# The server answers requests on threads: account creations are settled one at a time,
# so two requests never complete (or fail) the same creation twice.
_CREATIONS = threading.RLock()


@dataclass
class CreateAccountRequest:
    """One CreateAccount request, as DescribeCreateAccountStatus reports it."""

    id: str
    params: dict[str, Any]
    polls_left: int
    ready_at: float
    requested: datetime = field(default_factory=utcnow)
    state: str = "IN_PROGRESS"
    account_id: str | None = None
    failure_reason: str | None = None
    completed: datetime | None = None

    @property
    def due(self) -> bool:
        """Whether the request may complete now."""
        return self.state == "IN_PROGRESS" and self.polls_left == 0 and time.time() >= self.ready_at

    def finish(self, account_id: str | None, failure_reason: str | None = None) -> None:
        """Record the outcome: an account, or a failure reason."""
        self.state = "FAILED" if failure_reason else "SUCCEEDED"
        self.account_id = account_id
        self.failure_reason = failure_reason
        self.completed = utcnow()

    def describe(self) -> dict[str, Any]:
        """The CreateAccountStatus structure."""
        status: dict[str, Any] = {
            "Id": self.id,
            "AccountName": self.params["AccountName"],
            "State": self.state,
            "RequestedTimestamp": unix_time(self.requested),
        }
        if self.completed is not None:
            status["CompletedTimestamp"] = unix_time(self.completed)
        if self.account_id is not None:
            status["AccountId"] = self.account_id
        if self.failure_reason is not None:
            status["FailureReason"] = self.failure_reason
        return status


def _email_in_use(email: str) -> bool:
    """Whether any account of any organization in the emulator has this e-mail."""
    return any(
        account.email.lower() == email.lower()
        for _, _, backend in organizations_backends.iter_backends()
        for account in backend.accounts  # type: ignore[attr-defined]
    )


class OrganizationsCompatResponse(OrganizationsResponse):
    """Organizations' API with account-creation progress and AWS's AttachPolicy checks."""

    @property
    def compat_backend(self) -> OrganizationsCompatBackend:
        """This caller's backend (the compatibility subclass)."""
        backend = self.organizations_backend
        assert isinstance(backend, OrganizationsCompatBackend)
        return backend

    @overrides
    def call_action(self) -> Any:
        """Complete the account creations that are due before answering anything."""
        self.compat_backend.settle_account_creations()
        return super().call_action()

    @overrides
    def attach_policy(self) -> str:
        """AttachPolicy, refused as AWS refuses it (checked here: moto attaches internally)."""
        if refusing():
            self.compat_backend.check_attach_policy(
                self.request_params["PolicyId"], self.request_params["TargetId"]
            )
        return super().attach_policy()


_ROUTES = routes_to(moto.organizations.urls, OrganizationsCompatResponse)


class OrganizationsCompatBackend(OrganizationsBackend):
    """moto's Organizations backend with AWS's asynchronous CreateAccount and refusals."""

    create_account_requests: dict[str, CreateAccountRequest]

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    @overrides
    def _reset(self) -> None:
        super()._reset()
        self.create_account_requests = {}

    # -- CreateAccount, asynchronous as in AWS -------------------------------------------

    @overrides
    def create_account(self, **kwargs: Any) -> dict[str, Any]:
        """Start an account creation; it completes now only when no latency is configured."""
        if self.org is None:
            raise AWSOrganizationsNotInUseException
        settings = CONTROLS.config.account_creation
        with _CREATIONS:
            in_progress = sum(
                r.state == "IN_PROGRESS" for r in self.create_account_requests.values()
            )
            if refusing() and in_progress >= settings.max_in_progress:
                raise refusal(
                    "ConstraintViolationException",
                    "You attempted to exceed the number of accounts that can be in progress "
                    "at a time.",
                    "ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED",
                )
            request = CreateAccountRequest(
                id=utils.make_random_create_account_status_id(),
                params=kwargs,
                polls_left=settings.polls,
                ready_at=time.time() + settings.seconds,
            )
            self.create_account_requests[request.id] = request
            self.settle_account_creations()
        return {"CreateAccountStatus": request.describe()}

    def settle_account_creations(self) -> None:
        """Complete every request that is due: create its account, or fail it as AWS would."""
        with _CREATIONS:
            for request in list(self.create_account_requests.values()):
                if not request.due:
                    continue
                if refusing() and _email_in_use(request.params["Email"]):
                    request.finish(None, "EMAIL_ALREADY_EXISTS")
                    continue
                status = super().create_account(**request.params)
                request.finish(status["CreateAccountStatus"]["AccountId"])

    @overrides
    def describe_create_account_status(self, **kwargs: Any) -> dict[str, Any]:
        """The request's status; each poll of a request in progress uses up one of its polls."""
        request = self.create_account_requests.get(kwargs["CreateAccountRequestId"])
        if request is None:
            raise refusal(
                "CreateAccountStatusNotFoundException",
                "We can't find a create account request with the CreateAccountRequestId "
                "that you specified.",
            )
        if request.state == "IN_PROGRESS" and request.polls_left > 0:
            request.polls_left -= 1
        else:
            self.settle_account_creations()
        return {"CreateAccountStatus": request.describe()}

    @overrides
    def list_create_account_status(self, **kwargs: Any) -> dict[str, Any]:
        """All requests in the given states, paged by NextToken (an offset) as in moto."""
        states = kwargs.get("States") or ["IN_PROGRESS", "SUCCEEDED", "FAILED"]
        statuses = [
            r.describe() for r in self.create_account_requests.values() if r.state in states
        ]
        start = int(kwargs.get("NextToken") or 0)
        end = start + int(kwargs.get("MaxResults") or 20)
        page: dict[str, Any] = {"CreateAccountStatuses": statuses[start:end]}
        if end < len(statuses):
            page["NextToken"] = str(end)
        return page

    # -- Organizational units ------------------------------------------------------------

    def _parent(self, parent_id: str, code: str) -> FakeOrganizationalUnit:
        parent = next((ou for ou in self.ou if ou.id == parent_id), None)
        if parent is None:
            raise refusal(code, f"We can't find a root or OU with the ParentId {parent_id}.")
        return parent

    def _depth(self, ou: FakeOrganizationalUnit) -> int:
        """0 for the root, 1 for its children, and so on."""
        depth = 0
        while not isinstance(ou, FakeRoot):
            ou = self._parent(ou.parent_id, "ParentNotFoundException")  # type: ignore[arg-type]
            depth += 1
        return depth

    def _check_unique_name(self, parent_id: str, name: str, ou_id: str | None = None) -> None:
        if any(ou.parent_id == parent_id and ou.name == name and ou.id != ou_id for ou in self.ou):
            raise DuplicateOrganizationalUnitException

    @overrides
    def create_organizational_unit(self, **kwargs: Any) -> dict[str, Any]:
        """CreateOrganizationalUnit, refused under a missing parent, a sibling with the
        same name, or deeper than AWS's five levels."""
        if refusing():
            parent = self._parent(kwargs["ParentId"], "ParentNotFoundException")
            self._check_unique_name(parent.id, kwargs["Name"])
            if self._depth(parent) >= MAX_OU_DEPTH:
                raise refusal(
                    "ConstraintViolationException",
                    "You attempted to create an OU tree that is too many levels deep.",
                    "OU_DEPTH_LIMIT_EXCEEDED",
                )
        return super().create_organizational_unit(**kwargs)

    @overrides
    def update_organizational_unit(self, **kwargs: Any) -> dict[str, Any]:
        """Rename an OU; only a sibling with the same name conflicts (moto checks the whole
        organization, which refuses renames AWS accepts)."""
        ou = self.get_organizational_unit_by_id(kwargs["OrganizationalUnitId"])
        if refusing():
            self._check_unique_name(ou.parent_id, kwargs["Name"], ou.id)  # type: ignore[arg-type]
        ou.name = kwargs["Name"]
        return ou.describe()

    @overrides
    def delete_organizational_unit(self, **kwargs: Any) -> None:
        """DeleteOrganizationalUnit, refused while the OU holds accounts or OUs."""
        ou = self.get_organizational_unit_by_id(kwargs["OrganizationalUnitId"])
        children = [a.parent_id for a in self.accounts] + [o.parent_id for o in self.ou]
        if refusing() and ou.id in children:
            raise refusal(
                "OrganizationalUnitNotEmptyException",
                "The specified OU is not empty. Move all accounts to another root or to other "
                "OUs, remove all child OUs, and try the operation again.",
            )
        super().delete_organizational_unit(**kwargs)

    @overrides
    def move_account(self, **kwargs: Any) -> None:
        """MoveAccount, refused with AWS's errors for a wrong source, destination or account."""
        if refusing():
            account = self.get_account_by_id(kwargs["AccountId"])
            source = self._parent(kwargs["SourceParentId"], "SourceParentNotFoundException")
            destination = self._parent(
                kwargs["DestinationParentId"], "DestinationParentNotFoundException"
            )
            if account.parent_id == destination.id:
                raise refusal(
                    "DuplicateAccountException",
                    "That account is already present in the specified destination.",
                )
            if account.parent_id != source.id:
                raise AccountNotFoundException
        super().move_account(**kwargs)

    # -- Policies ------------------------------------------------------------------------

    @overrides
    def create_policy(self, **kwargs: Any) -> dict[str, Any]:
        """CreatePolicy of every type AWS has, with AWS's checks of the content."""
        if refusing():
            check_content(kwargs.get("Type", ""), kwargs.get("Content", ""))
        if kwargs.get("Type") not in EXTRA_ARN_FORMATS:
            return super().create_policy(**kwargs)
        if any(policy.name == kwargs["Name"] for policy in self.policies):
            raise DuplicatePolicyException
        created = new_policy(self.org, kwargs)  # type: ignore[arg-type]
        self.policies.append(created)
        return created.describe()

    @overrides
    def update_policy(self, **kwargs: Any) -> dict[str, Any]:
        """UpdatePolicy, with AWS's checks of new content."""
        if refusing() and "Content" in kwargs:
            check_content(self.get_policy_by_id(kwargs["PolicyId"]).type, kwargs["Content"])
        return super().update_policy(**kwargs)

    def _target(self, target_id: str) -> FakeAccount | FakeOrganizationalUnit:
        targets: list[FakeAccount | FakeOrganizationalUnit] = [*self.ou, *self.accounts]
        target = next((t for t in targets if t.id == target_id), None)
        if target is None:
            raise TargetNotFoundException
        return target

    def _root(self) -> FakeRoot:
        return next(ou for ou in self.ou if isinstance(ou, FakeRoot))

    def check_attach_policy(self, policy_id: str, target_id: str) -> None:
        """Raise what AWS raises for AttachPolicy: a policy type not enabled on the root,
        a policy already attached, or more policies of a type than a target may have."""
        policy = self.get_policy_by_id(policy_id)
        target = self._target(target_id)
        if not any(t["Type"] == policy.type for t in self._root().policy_types):
            raise refusal(
                "PolicyTypeNotEnabledException",
                "This operation can be performed only for enabled policy types.",
            )
        if policy in target.attached_policies:
            raise refusal(
                "DuplicatePolicyAttachmentException",
                "The selected policy is already attached to the specified target.",
            )
        limit = MAX_ATTACHED.get(policy.type, MAX_ATTACHED_OTHER_TYPES)
        if len(_of_type(target.attached_policies, policy.type)) >= limit:
            raise refusal(
                "ConstraintViolationException",
                "You attempted to exceed the number of policies of a certain type that can be "
                "attached to an entity at one time.",
                "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            )

    @overrides
    def detach_policy(self, **kwargs: str) -> None:
        """DetachPolicy, refused for a policy not attached there or the target's last SCP."""
        if refusing():
            policy = self.get_policy_by_id(kwargs["PolicyId"])
            target = self._target(kwargs["TargetId"])
            if policy not in target.attached_policies:
                raise refusal(
                    "PolicyNotAttachedException",
                    "The policy isn't attached to the specified target in the specified root.",
                )
            scps = _of_type(target.attached_policies, "SERVICE_CONTROL_POLICY")
            if scps == [policy]:
                raise refusal(
                    "ConstraintViolationException",
                    "You attempted to detach the last service control policy from a target; "
                    "every root, OU and account must have at least one attached.",
                    "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
                )
        super().detach_policy(**kwargs)


def _of_type(policies: list[FakePolicy], policy_type: str) -> list[FakePolicy]:
    return [p for p in policies if p.type == policy_type]


def install() -> None:
    """Make moto serve Organizations through this module (idempotent)."""
    install_types()
    use_backend(organizations_backends, OrganizationsCompatBackend)


def after_reset() -> None:
    """Forget which accounts belonged to which organization (moto's reset keeps that map)."""
    organizations_backends.master_accounts.clear()
