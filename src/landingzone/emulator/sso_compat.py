"""IAM Identity Center (sso-admin, identitystore) as lz uses it.

moto 5.2.5 keeps permission sets, their policies and account assignments, but
nothing reaches the member accounts and several operations are missing. Here:

- **The organization's instance.** ListInstances answers the management
  account (and an account outside any organization) with its instance; a
  delegated administrator of `sso.amazonaws.com` is answered from the
  management account's backend, so it sees and changes the same instance
  and identity store; any other member account has no instance (moto gave
  every account one of its own).
- **Provisioning into member accounts.** CreateAccountAssignment provisions
  the permission set to the account ([AWS: CreateAccountAssignment](
  https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_CreateAccountAssignment.html)):
  the account gets the SAML provider `AWSSSO_<16 hex>_DO_NOT_DELETE` and the
  role `AWSReservedSSO_<set>_<16 hex>` (path `/aws-reserved/sso.amazonaws.com/`,
  plus `<region>/` outside us-east-1) trusted by that provider for
  `sts:AssumeRoleWithSAML` and `sts:TagSession`, with the set's AWS managed
  policies, customer managed policies (by name and path, which must exist in
  the account), inline policy (`AwsSSOInlinePolicy`), permissions boundary
  and session duration. Later changes to the set reach the accounts only
  through ProvisionPermissionSet (`AWS_ACCOUNT` or `ALL_PROVISIONED_ACCOUNTS`).
  Deleting the last assignment of a set in an account deletes its role.
- **Request status.** CreateAccountAssignment, DeleteAccountAssignment and
  ProvisionPermissionSet answer `IN_PROGRESS`; their Describe...Status
  operations answer `SUCCEEDED`, or `FAILED` with a `FailureReason` (a
  customer managed policy missing in the account, as AWS reports it).
  DescribePermissionSetProvisioningStatus is new.
- **Provisioned state.** ListPermissionSetsProvisionedToAccount (by
  `AccountId`) and ListAccountsForProvisionedPermissionSet answer the
  accounts really provisioned, and both filter by `ProvisioningStatus`
  (`LATEST_PERMISSION_SET_PROVISIONED` / `..._NOT_PROVISIONED`: the set
  changed since it was provisioned there).
- **Assignments.** CreateAccountAssignment of a permission set that does
  not exist is `ResourceNotFoundException`; creating one that exists adds
  no duplicate.
- **Permissions boundary and tags.** Put/Get/DeletePermissionsBoundary
  (To/For/From)PermissionSet, and TagResource, UntagResource and
  ListTagsForResource of a permission set (CreatePermissionSet's `Tags` kept).
- **Session duration** defaults to `PT1H` (moto: the number 3600), and a
  permission set's ARN has AWS's form `arn:aws:sso:::permissionSet/ssoins-X/ps-Y`
  (moto: `...:instance/ssoins-X/ps-Y`).
- **identitystore UpdateGroup** (moto lacks it): `displayName` and
  `description` operations.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import moto.identitystore.urls
import moto.ssoadmin.urls
from moto.core.utils import unix_time
from moto.iam.models import IAMBackend, iam_backends
from moto.identitystore.exceptions import ResourceNotFoundException as StoreNotFound
from moto.identitystore.models import IdentityStoreBackend, identitystore_backends
from moto.identitystore.responses import IdentityStoreResponse
from moto.ssoadmin.exceptions import ResourceNotFoundException
from moto.ssoadmin.models import Instance, PermissionSet, SSOAdminBackend, ssoadmin_backends
from moto.ssoadmin.responses import SSOAdminResponse

from landingzone.emulator.constants import PARTITION
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.patching import overrides, require, routes_to, use_backend

SSO_PRINCIPAL = "sso.amazonaws.com"
INLINE_POLICY_NAME = "AwsSSOInlinePolicy"
SAML_AUDIENCE = "https://signin.aws.amazon.com/saml"
LATEST = "LATEST_PERMISSION_SET_PROVISIONED"
OUTDATED = "LATEST_PERMISSION_SET_NOT_PROVISIONED"
_GET_STORE = "_IdentityStoreBackend__get_identity_store"  # moto's private store lookup
_METADATA = (
    '<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
    'entityID="https://portal.sso.amazonaws.com/saml/assertion"/>'
)


def _hex16(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:16]


def permission_set_arn(moto_arn: str) -> str:
    """AWS's `arn:aws:sso:::permissionSet/ssoins-X/ps-Y` for moto's `...:instance/ssoins-X/ps-Y`."""
    return moto_arn.replace(":instance/", ":permissionSet/", 1)


def saml_provider_name(instance_arn: str) -> str:
    """The SAML provider Identity Center makes in each account it provisions to."""
    return f"AWSSSO_{_hex16(instance_arn)}_DO_NOT_DELETE"


def reserved_role_name(permission_set: PermissionSet, account_id: str) -> str:
    """`AWSReservedSSO_<set name>_<16 hex>`, stable for the set in the account."""
    suffix = _hex16(permission_set.permission_set_arn, account_id)
    return f"AWSReservedSSO_{permission_set.name}_{suffix}"


def reserved_role_path(region: str) -> str:
    """The path of Identity Center's roles (the instance's region, outside us-east-1)."""
    base = f"/aws-reserved/{SSO_PRINCIPAL}/"
    return base if region == "us-east-1" else f"{base}{region}/"


def duration_seconds(duration: str) -> int:
    """ISO 8601 `PT<h>H<m>M` as seconds (1 hour when unreadable)."""
    match = re.fullmatch(r"PT(?:(\d+)H)?(?:(\d+)M)?", duration or "")
    if not match or not any(match.groups()):
        return 3600
    return int(match.group(1) or 0) * 3600 + int(match.group(2) or 0) * 60


def _sso_admin_of(account_id: str) -> str | None:
    """The management account whose Identity Center `account_id` administers as delegate."""
    view = OrganizationView.of(account_id)
    if view is None or view.management_account_id == account_id:
        return None
    for admin in getattr(view.backend, "admins", []):
        if admin.account.id == account_id and SSO_PRINCIPAL in admin.services:
            return view.management_account_id
    return None


def _has_instance(account_id: str) -> bool:
    """The management account, or an account in no organization, has an instance."""
    view = OrganizationView.of(account_id)
    return view is None or view.management_account_id == account_id


@dataclass
class Request:
    """One asynchronous request (assignment or provisioning) and how it ended."""

    summary: dict[str, Any]
    failure: str | None = None

    def status(self) -> dict[str, Any]:
        """The request's status as Describe...Status answers it."""
        answer = dict(self.summary, Status="FAILED" if self.failure else "SUCCEEDED")
        if self.failure:
            answer["FailureReason"] = self.failure
        return answer


@dataclass
class SetState:
    """What moto does not keep of a permission set."""

    tags: dict[str, str] = field(default_factory=dict)
    boundary: dict[str, Any] | None = None
    version: int = 0
    provisioned: dict[str, int] = field(default_factory=dict)  # account -> version


class ProvisioningFailed(Exception):
    """Provisioning to an account failed, for the reason given."""


class SsoAdminCompatBackend(SSOAdminBackend):
    """sso-admin with provisioning into member accounts and its request status."""

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.sets: dict[str, SetState] = {}
        self.requests: dict[str, Request] = {}

    @property
    def _url_module(self) -> Any:
        return _SSO_ROUTES

    def state(self, permission_set_arn: str) -> SetState:
        """lz's record of a permission set (which must exist in this backend)."""
        if not any(p.permission_set_arn == permission_set_arn for p in self.permission_sets):
            ps_id = permission_set_arn.split("/")[-1]
            raise ResourceNotFoundException(f"Could not find PermissionSet with id {ps_id}")
        return self.sets.setdefault(permission_set_arn, SetState())

    def changed(self, permission_set_arn: str) -> None:
        """The set changed: accounts provisioned before are no longer up to date."""
        self.state(permission_set_arn).version += 1

    def visible_instances(self) -> list[Instance]:
        """The instances this account sees (none for a plain member account)."""
        return self.instances if _has_instance(self.account_id) else []

    # -- permission sets -------------------------------------------------
    @overrides
    def create_permission_set(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        if not isinstance(kwargs.get("session_duration"), str):
            kwargs["session_duration"] = "PT1H"
        answer = super().create_permission_set(**kwargs)
        created = self.permission_sets[-1]
        created.permission_set_arn = permission_set_arn(created.permission_set_arn)
        answer["PermissionSetArn"] = created.permission_set_arn
        state = self.sets.setdefault(answer["PermissionSetArn"], SetState())
        state.tags = {t["Key"]: t["Value"] for t in kwargs.get("tags") or []}
        return answer

    @overrides
    def update_permission_set(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        current = self._find_permission_set(kwargs["instance_arn"], kwargs["permission_set_arn"])
        for key in ("description", "session_duration", "relay_state"):
            if kwargs.get(key) is None or (key == "session_duration" and kwargs[key] == 3600):
                kwargs[key] = getattr(current, key)
        answer = super().update_permission_set(**kwargs)
        self.changed(kwargs["permission_set_arn"])
        return answer

    @overrides
    def delete_permission_set(self, instance_arn: str, permission_set_arn: str) -> dict[str, Any]:
        answer = super().delete_permission_set(instance_arn, permission_set_arn)
        self.sets.pop(permission_set_arn, None)
        return answer

    def _changing(self, method: str, kwargs: dict[str, Any]) -> None:
        getattr(super(), method)(**kwargs)
        self.changed(kwargs["permission_set_arn"])

    @overrides
    def put_inline_policy_to_permission_set(self, *args: Any, **kwargs: Any) -> None:
        self._changing("put_inline_policy_to_permission_set", kwargs)

    @overrides
    def delete_inline_policy_from_permission_set(self, *args: Any, **kwargs: Any) -> None:
        self._changing("delete_inline_policy_from_permission_set", kwargs)

    @overrides
    def attach_managed_policy_to_permission_set(self, *args: Any, **kwargs: Any) -> None:
        self._changing("attach_managed_policy_to_permission_set", kwargs)

    @overrides
    def detach_managed_policy_from_permission_set(self, *args: Any, **kwargs: Any) -> None:
        self._changing("detach_managed_policy_from_permission_set", kwargs)

    @overrides
    def attach_customer_managed_policy_reference_to_permission_set(
        self, *args: Any, **kwargs: Any
    ) -> None:
        self._changing("attach_customer_managed_policy_reference_to_permission_set", kwargs)

    @overrides
    def detach_customer_managed_policy_reference_from_permission_set(
        self, *args: Any, **kwargs: Any
    ) -> None:
        self._changing("detach_customer_managed_policy_reference_from_permission_set", kwargs)

    def put_boundary(self, permission_set_arn: str, boundary: dict[str, Any] | None) -> None:
        """Put (or, with None, delete) a permission set's permissions boundary."""
        state = self.state(permission_set_arn)
        if boundary is None and state.boundary is None:
            raise ResourceNotFoundException("Could not find PermissionsBoundary")
        state.boundary = boundary
        self.changed(permission_set_arn)

    def tags_of(self, arn: str) -> dict[str, str]:
        """The tags of a permission set (a live dict)."""
        return self.state(arn).tags

    # -- assignments and provisioning -----------------------------------
    @overrides
    def create_account_assignment(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        permission_set = self._find_permission_set(
            kwargs["instance_arn"], kwargs["permission_set_arn"]
        )
        existing = next(
            (a for a in self.account_assignments if a.to_json() == _assignment_key(kwargs)),
            None,
        )
        if existing is None:
            summary = super().create_account_assignment(**kwargs)
        else:
            summary = existing.to_json(include_creation_date=True)
            summary["RequestId"] = str(uuid4())
        request = Request(summary)
        request.failure = self.provision_to(permission_set, kwargs["target_id"])
        self.requests[summary["RequestId"]] = request
        return summary

    @overrides
    def delete_account_assignment(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        summary = super().delete_account_assignment(**kwargs)
        self.requests[summary["RequestId"]] = Request(summary)
        arn, account = kwargs["permission_set_arn"], kwargs["target_id"]
        still = any(
            a.permission_set_arn == arn and a.target_id == account for a in self.account_assignments
        )
        if not still:
            permission_set = self._find_permission_set(kwargs["instance_arn"], arn)
            self.deprovision(permission_set, account)
        return summary

    def provision(self, instance_arn: str, permission_set_arn: str, target: str | None) -> str:
        """ProvisionPermissionSet: to one account, or every one provisioned; the request ID."""
        permission_set = self._find_permission_set(instance_arn, permission_set_arn)
        state = self.state(permission_set_arn)
        accounts = [target] if target else sorted(state.provisioned)
        failures = [self.provision_to(permission_set, account) for account in accounts]
        request_id = str(uuid4())
        summary = {
            "RequestId": request_id,
            "PermissionSetArn": permission_set_arn,
            "CreatedDate": unix_time(),
        }
        if target:
            summary["AccountId"] = target
        self.requests[request_id] = Request(summary, next((f for f in failures if f), None))
        return request_id

    def request(self, request_id: str) -> Request:
        """A request this backend answered; ResourceNotFoundException otherwise."""
        request = self.requests.get(request_id)
        if request is None:
            raise ResourceNotFoundException(f"Request {request_id} does not exist")
        return request

    def provision_to(self, permission_set: PermissionSet, account_id: str) -> str | None:
        """Make the set's role in the account match the set; the failure reason, if any."""
        iam = iam_backends[account_id][PARTITION]
        try:
            self._write_role(iam, permission_set, account_id)
        except ProvisioningFailed as failure:
            return str(failure)
        state = self.state(permission_set.permission_set_arn)
        state.provisioned[account_id] = state.version
        return None

    def _write_role(self, iam: IAMBackend, permission_set: PermissionSet, account: str) -> None:
        for reference in permission_set.customer_managed_policies:
            arn = f"arn:{self.partition}:iam::{account}:policy{reference.path}{reference.name}"
            if arn not in iam.managed_policies:
                raise ProvisioningFailed(
                    f"Received a 404 status error: Policy {reference.name} does not exist in "
                    f"account {account} at path {reference.path}"
                )
        provider = saml_provider_name(permission_set.instance_arn)
        if provider not in iam.saml_providers:
            iam.create_saml_provider(provider, _METADATA)
        name = reserved_role_name(permission_set, account)
        trust = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {
                            "Federated": f"arn:{self.partition}:iam::{account}:saml-provider/"
                            f"{provider}"
                        },
                        "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                        "Condition": {"StringEquals": {"SAML:aud": SAML_AUDIENCE}},
                    }
                ],
            }
        )
        existing = next((r for r in iam.roles.values() if r.name == name), None)
        if existing is not None:
            _clear_role(iam, name)
            role = existing
        else:
            role = iam.create_role(
                name, trust, reserved_role_path(self.region_name), None, "", [], None
            )
        role.max_session_duration = str(duration_seconds(str(permission_set.session_duration)))
        for policy in permission_set.managed_policies:
            iam.attach_role_policy(policy.arn, name)
        for reference in permission_set.customer_managed_policies:
            path = f"{reference.path}{reference.name}"
            iam.attach_role_policy(f"arn:{self.partition}:iam::{account}:policy{path}", name)
        if permission_set.inline_policy:
            iam.put_role_policy(name, INLINE_POLICY_NAME, permission_set.inline_policy)
        boundary = self.state(permission_set.permission_set_arn).boundary
        role.permissions_boundary_arn = _boundary_arn(boundary, account, self.partition)

    def deprovision(self, permission_set: PermissionSet, account_id: str) -> None:
        """Delete the set's role from the account (its last assignment there went)."""
        iam = iam_backends[account_id][PARTITION]
        name = reserved_role_name(permission_set, account_id)
        if any(r.name == name for r in iam.roles.values()):
            _clear_role(iam, name)
            iam.delete_role(name)
        self.state(permission_set.permission_set_arn).provisioned.pop(account_id, None)

    def provisioned(self, permission_set_arn: str, status: str | None) -> list[str]:
        """Accounts the set is provisioned to, filtered by ProvisioningStatus."""
        state = self.state(permission_set_arn)
        return sorted(
            account
            for account, version in state.provisioned.items()
            if status is None or (status == LATEST) == (version == state.version)
        )

    def sets_provisioned_to(self, account_id: str, status: str | None) -> list[str]:
        """Permission sets provisioned to an account, filtered by ProvisioningStatus."""
        return [arn for arn in self.sets if account_id in self.provisioned(arn, status)]


def _assignment_key(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {
        "TargetId": kwargs["target_id"],
        "TargetType": kwargs["target_type"],
        "PermissionSetArn": kwargs["permission_set_arn"],
        "PrincipalType": kwargs["principal_type"],
        "PrincipalId": kwargs["principal_id"],
    }


def _boundary_arn(boundary: dict[str, Any] | None, account: str, partition: str) -> str | None:
    if not boundary:
        return None
    if boundary.get("ManagedPolicyArn"):
        return str(boundary["ManagedPolicyArn"])
    reference = boundary.get("CustomerManagedPolicyReference") or {}
    path = reference.get("Path", "/")
    return f"arn:{partition}:iam::{account}:policy{path}{reference.get('Name', '')}"


def _clear_role(iam: IAMBackend, name: str) -> None:
    role = iam.get_role(name)
    for arn in list(role.managed_policies):
        iam.detach_role_policy(arn, name)
    for policy_name in list(role.policies):
        iam.delete_role_policy(name, policy_name)


class SsoAdminCompatResponse(SSOAdminResponse):
    """sso-admin's API with provisioning status, boundaries and tags."""

    @property
    def ssoadmin_backend(self) -> SsoAdminCompatBackend:
        """The management account's backend for its delegated administrator."""
        account = _sso_admin_of(self.current_account) or self.current_account
        backend = ssoadmin_backends[account][self.region]
        assert isinstance(backend, SsoAdminCompatBackend)
        return backend

    def _instance_and_set(self) -> tuple[str, str]:
        return self._get_param("InstanceArn"), self._get_param("PermissionSetArn")

    @overrides
    def list_instances(self) -> str:
        instances = self.ssoadmin_backend.visible_instances()
        return json.dumps({"Instances": [i.to_json() for i in instances]})

    @overrides
    def create_account_assignment(self) -> str:
        answer = json.loads(super().create_account_assignment())
        answer["AccountAssignmentCreationStatus"]["Status"] = "IN_PROGRESS"
        return json.dumps(answer)

    @overrides
    def delete_account_assignment(self) -> str:
        answer = json.loads(super().delete_account_assignment())
        answer["AccountAssignmentDeletionStatus"]["Status"] = "IN_PROGRESS"
        return json.dumps(answer)

    @overrides
    def describe_account_assignment_creation_status(self) -> str:
        request = self.ssoadmin_backend.request(
            self._get_param("AccountAssignmentCreationRequestId")
        )
        return json.dumps({"AccountAssignmentCreationStatus": request.status()})

    @overrides
    def describe_account_assignment_deletion_status(self) -> str:
        request = self.ssoadmin_backend.request(
            self._get_param("AccountAssignmentDeletionRequestId")
        )
        return json.dumps({"AccountAssignmentDeletionStatus": request.status()})

    @overrides
    def provision_permission_set(self) -> str:
        instance_arn, arn = self._instance_and_set()
        target = None
        if self._get_param("TargetType") == "AWS_ACCOUNT":
            target = self._get_param("TargetId")
        backend = self.ssoadmin_backend
        request_id = backend.provision(instance_arn, arn, target)
        status = dict(backend.request(request_id).summary, Status="IN_PROGRESS")
        return json.dumps({"PermissionSetProvisioningStatus": status})

    def describe_permission_set_provisioning_status(self) -> str:
        """DescribePermissionSetProvisioningStatus."""
        request = self.ssoadmin_backend.request(self._get_param("ProvisionPermissionSetRequestId"))
        return json.dumps({"PermissionSetProvisioningStatus": request.status()})

    @overrides
    def list_permission_sets_provisioned_to_account(self) -> str:
        arns = self.ssoadmin_backend.sets_provisioned_to(
            self._get_param("AccountId"), self._get_param("ProvisioningStatus")
        )
        return json.dumps({"PermissionSets": arns})

    @overrides
    def list_accounts_for_provisioned_permission_set(self) -> str:
        _, arn = self._instance_and_set()
        accounts = self.ssoadmin_backend.provisioned(arn, self._get_param("ProvisioningStatus"))
        return json.dumps({"AccountIds": accounts})

    def put_permissions_boundary_to_permission_set(self) -> str:
        """PutPermissionsBoundaryToPermissionSet."""
        _, arn = self._instance_and_set()
        self.ssoadmin_backend.put_boundary(arn, self._get_param("PermissionsBoundary"))
        return "{}"

    def get_permissions_boundary_for_permission_set(self) -> str:
        """GetPermissionsBoundaryForPermissionSet; ResourceNotFoundException when none."""
        _, arn = self._instance_and_set()
        boundary = self.ssoadmin_backend.state(arn).boundary
        if boundary is None:
            raise ResourceNotFoundException("Could not find PermissionsBoundary")
        return json.dumps({"PermissionsBoundary": boundary})

    def delete_permissions_boundary_from_permission_set(self) -> str:
        """DeletePermissionsBoundaryFromPermissionSet."""
        _, arn = self._instance_and_set()
        self.ssoadmin_backend.put_boundary(arn, None)
        return "{}"

    def list_tags_for_resource(self) -> str:
        """ListTagsForResource of a permission set."""
        tags = self.ssoadmin_backend.tags_of(self._get_param("ResourceArn"))
        return json.dumps({"Tags": [{"Key": k, "Value": v} for k, v in sorted(tags.items())]})

    def tag_resource(self) -> str:
        """TagResource: add or overwrite tags."""
        tags = self.ssoadmin_backend.tags_of(self._get_param("ResourceArn"))
        tags.update({t["Key"]: t["Value"] for t in self._get_param("Tags") or []})
        return "{}"

    def untag_resource(self) -> str:
        """UntagResource: remove tag keys."""
        tags = self.ssoadmin_backend.tags_of(self._get_param("ResourceArn"))
        for key in self._get_param("TagKeys") or []:
            tags.pop(key, None)
        return "{}"


_SSO_ROUTES = routes_to(moto.ssoadmin.urls, SsoAdminCompatResponse)


class IdentityStoreCompatBackend(IdentityStoreBackend):
    """identitystore with UpdateGroup."""

    @property
    def _url_module(self) -> Any:
        return _STORE_ROUTES

    def update_group(
        self, identity_store_id: str, group_id: str, operations: list[dict[str, Any]]
    ) -> None:
        """UpdateGroup: replace the display name or description."""
        groups = getattr(self, _GET_STORE)(identity_store_id).groups
        group = groups.get(group_id)
        if group is None:
            raise StoreNotFound(message="GROUP not found.", resource_type="GROUP")
        for operation in operations:
            path = str(operation.get("AttributePath", "")).lower()
            if path == "displayname":
                group = group._replace(DisplayName=operation.get("AttributeValue"))
            elif path == "description":
                group = group._replace(Description=operation.get("AttributeValue"))
        groups[group_id] = group


class IdentityStoreCompatResponse(IdentityStoreResponse):
    """identitystore's API, shared with the delegated administrator, with UpdateGroup."""

    @property
    def identitystore_backend(self) -> IdentityStoreCompatBackend:
        """The management account's backend for its delegated administrator."""
        account = _sso_admin_of(self.current_account) or self.current_account
        backend = identitystore_backends[account][self.region]
        assert isinstance(backend, IdentityStoreCompatBackend)
        return backend

    def update_group(self) -> str:
        """UpdateGroup."""
        self.identitystore_backend.update_group(
            self._get_param("IdentityStoreId"),
            self._get_param("GroupId"),
            self._get_param("Operations") or [],
        )
        return "{}"


_STORE_ROUTES = routes_to(moto.identitystore.urls, IdentityStoreCompatResponse)


def install() -> None:
    """Make moto serve sso-admin and identitystore through this module (idempotent)."""
    require(IdentityStoreBackend, _GET_STORE)
    use_backend(ssoadmin_backends, SsoAdminCompatBackend)
    use_backend(identitystore_backends, IdentityStoreCompatBackend)
