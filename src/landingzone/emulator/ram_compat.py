"""AWS RAM resource shares across accounts, with invitations, as AWS documents them.

moto 5.2.5 keeps resource shares inside their owner's account: no
associate/disassociate, no invitations, nothing shared with other accounts.
This module replaces its resource-share model:

- Principals: account ids, the owner's organization ARN, ARNs of OUs at any
  depth of it, IAM role/user ARNs. Organization and OU principals need sharing
  with AWS Organizations enabled (EnableSharingWithAwsOrganization, which
  enables trusted access for ram.amazonaws.com in Organizations and creates
  the service-linked role `AWSServiceRoleForResourceAccessManager` in the
  management account, as AWS does: Terraform's `aws_ram_sharing_with_organization`
  reads both).
- An account of the owner's organization, while sharing is enabled, is
  associated at once. Any other account gets an invitation (PENDING, its
  association ASSOCIATING) that it accepts (ASSOCIATED) or rejects (FAILED);
  accounts outside the organization need `allowExternalPrincipals`.
- `resources_shared_with(account, region)` tells the other compatibility
  modules what an account may use (the EC2 module uses it for transit
  gateways).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import moto.iam.models
import moto.ram.urls
from moto.core.utils import unix_time, utcnow
from moto.ec2.models import ec2_backends
from moto.iam.models import iam_backends
from moto.moto_api._internal import mock_random
from moto.ram.models import ResourceAccessManagerBackend, ResourceShare, ram_backends
from moto.ram.responses import ResourceAccessManagerResponse

from landingzone.emulator.constants import PARTITION
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.patching import overrides, require, routes_to, use_backend
from landingzone.emulator.ram_shares import (
    ACCOUNT,
    ORG_ARN,
    OTHER_PRINCIPAL,
    OU_ARN,
    RESOURCE_ARN,
    Association,
    Invitation,
    Share,
    resource_type,
)
from landingzone.emulator.wire import EmulatorError

RAM_SERVICE_PRINCIPAL = "ram.amazonaws.com"
SERVICE_LINKED_ROLE = "AWSServiceRoleForResourceAccessManager"


def _exists(arn: str) -> bool:
    """Whether a resource exists; checked for transit gateways, assumed for other types."""
    match = RESOURCE_ARN.match(arn)
    assert match is not None
    if match["type"] != "transit-gateway":
        return True
    region = arn.split(":")[3]
    gateways = ec2_backends[match["account"]][region].transit_gateways
    return arn.rsplit("/", 1)[-1] in gateways


def _tagged(tags: dict[str, str], tag_filter: dict[str, Any]) -> bool:
    """A GetResourceShares tag filter: the key, with one of the values if any are given."""
    values = tag_filter.get("tagValues") or []
    key = tag_filter["tagKey"]
    return key in tags and (not values or tags[key] in values)


def _backends(region: str) -> Iterator[RamCompatBackend]:
    for _, backend_region, backend in ram_backends.iter_backends():
        if backend_region == region and isinstance(backend, RamCompatBackend):
            yield backend


def _shares_reaching(account_id: str, region: str) -> list[Share]:
    return [
        share
        for backend in _backends(region)
        if backend.account_id != account_id
        for share in backend.shares
        if share.reaches(account_id)
    ]


def resources_shared_with(account_id: str, region: str) -> set[str]:
    """ARNs of the resources other accounts share with this account in this region."""
    return {
        resource.entity
        for share in _shares_reaching(account_id, region)
        for resource in share.associated("RESOURCE")
    }


class RamCompatBackend(ResourceAccessManagerBackend):
    """moto's RAM backend with resource shares that reach other accounts."""

    shares: list[Share]

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.shares = []

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    def share(self, arn: str) -> Share:
        """One of this account's shares."""
        share = next((s for s in self.shares if s.arn == arn), None)
        if share is None:
            raise EmulatorError(
                "UnknownResourceException", f"ResourceShare {arn} could not be found."
            )
        return share

    def create_share(self, params: dict[str, Any]) -> Share:
        """CreateResourceShare."""
        share = Share(
            arn=f"arn:aws:ram:{self.region_name}:{self.account_id}:resource-share/{mock_random.uuid4()}",
            name=params["name"],
            owner=self.account_id,
            allow_external_principals=params.get("allowExternalPrincipals", True),
            tags={t["key"]: t["value"] for t in params.get("tags", [])},
        )
        self.associate(share, params.get("resourceArns", []), params.get("principals", []))
        self.shares.append(share)
        return share

    def _organization_sharing(self) -> tuple[OrganizationView | None, bool]:
        """This account's organization, and whether it shares with RAM enabled."""
        organization = OrganizationView.of(self.account_id)
        return organization, organization is not None and organization.trusts(RAM_SERVICE_PRINCIPAL)

    def _check_resources(self, arns: list[str]) -> None:
        for arn in arns:
            match = RESOURCE_ARN.match(arn)
            if match is None:
                raise EmulatorError(
                    "MalformedArnException", f"The specified resource ARN {arn} is not valid."
                )
            if match["type"] not in ResourceShare.SHAREABLE_RESOURCES:
                raise EmulatorError(
                    "MalformedArnException", "You cannot share the selected resource type."
                )
            if match["account"] != self.account_id or not _exists(arn):
                raise EmulatorError(
                    "UnknownResourceException", f"Resource {arn} could not be found."
                )

    def _check_principals(self, share: Share, principals: list[str]) -> None:
        organization, sharing = self._organization_sharing()
        for principal in principals:
            if ORG_ARN.match(principal) or OU_ARN.match(principal):
                known = organization is not None and (
                    principal == organization.arn or organization.ou_arn_exists(principal)
                )
                if not known:
                    raise EmulatorError(
                        "UnknownResourceException", f"{principal} could not be found."
                    )
                if not sharing:
                    raise EmulatorError(
                        "OperationNotPermittedException",
                        "Sharing with an organization or OU needs sharing with AWS "
                        "Organizations enabled (EnableSharingWithAwsOrganization).",
                    )
            elif ACCOUNT.match(principal):
                inside = organization is not None and organization.has_account(principal)
                if not inside and not share.allow_external_principals:
                    raise EmulatorError(
                        "OperationNotPermittedException",
                        f"Principal {principal} is not in your organization and the resource "
                        "share does not allow external principals.",
                    )
            elif not OTHER_PRINCIPAL.match(principal):
                raise EmulatorError(
                    "InvalidParameterException",
                    f"Principal ID {principal} is malformed. Verify the ID and try again.",
                )

    def associate(
        self, share: Share, resource_arns: list[str], principals: list[str]
    ) -> list[Association]:
        """AssociateResourceShare: resources at once, principals at once or by invitation."""
        self._check_resources(resource_arns)
        self._check_principals(share, principals)
        organization, sharing = self._organization_sharing()
        changed = [self._set(share, "RESOURCE", arn, "ASSOCIATED") for arn in resource_arns]
        for principal in principals:
            if not ACCOUNT.match(principal):
                changed.append(self._set(share, "PRINCIPAL", principal, "ASSOCIATED"))
                continue
            inside = organization is not None and organization.has_account(principal)
            if inside and sharing:
                changed.append(self._set(share, "PRINCIPAL", principal, "ASSOCIATED"))
                continue
            association = self._set(share, "PRINCIPAL", principal, "ASSOCIATING", not inside)
            if not any(
                i.receiver == principal and i.status == "PENDING" for i in share.invitations
            ):
                arn = (
                    f"arn:aws:ram:{self.region_name}:{self.account_id}:"
                    f"resource-share-invitation/{mock_random.uuid4()}"
                )
                share.invitations.append(Invitation(share, principal, arn))
            changed.append(association)
        share.updated = utcnow()
        return changed

    @staticmethod
    def _set(
        share: Share, kind: str, entity: str, status: str, external: bool = False
    ) -> Association:
        association = share.find(kind, entity)
        if association is None:
            association = Association(share, entity, kind, status, external)
            share.associations.append(association)
        elif association.status != "ASSOCIATED":
            association.set_status(status)
        return association

    def disassociate(
        self, share: Share, resource_arns: list[str], principals: list[str]
    ) -> list[Association]:
        """DisassociateResourceShare."""
        changed = []
        for kind, entities in (("RESOURCE", resource_arns), ("PRINCIPAL", principals)):
            for entity in entities:
                association = share.find(kind, entity)
                if association is None:
                    raise EmulatorError(
                        "UnknownResourceException", f"{entity} is not associated with the share."
                    )
                association.set_status("DISASSOCIATED")
                changed.append(association)
        share.updated = utcnow()
        return changed

    def invitations(self) -> list[Invitation]:
        """Invitations this account received in this region."""
        return [
            invitation
            for backend in _backends(self.region_name)
            for share in backend.shares
            for invitation in share.invitations
            if invitation.receiver == self.account_id
        ]

    def answer_invitation(self, arn: str, accept: bool) -> Invitation:
        """AcceptResourceShareInvitation / RejectResourceShareInvitation."""
        invitation = next((i for i in self.invitations() if i.arn == arn), None)
        if invitation is None:
            raise EmulatorError(
                "ResourceShareInvitationArnNotFoundException",
                f"Invitation {arn} could not be found.",
            )
        if invitation.status != "PENDING":
            code = {"ACCEPTED": "AlreadyAccepted", "REJECTED": "AlreadyRejected"}[invitation.status]
            raise EmulatorError(
                f"ResourceShareInvitation{code}Exception",
                f"Invitation {arn} is already {invitation.status.lower()}.",
            )
        invitation.status = "ACCEPTED" if accept else "REJECTED"
        association = invitation.share.find("PRINCIPAL", self.account_id)
        if association is not None and association.status == "ASSOCIATING":
            if accept:
                association.set_status("ASSOCIATED")
            else:
                association.set_status("FAILED", "The invitation was rejected.")
        return invitation

    def shares_for(self, owner: str) -> list[Share]:
        """This account's shares (SELF) or those of others that reach it (OTHER-ACCOUNTS)."""
        if owner == "SELF":
            return self.shares
        if owner == "OTHER-ACCOUNTS":
            return _shares_reaching(self.account_id, self.region_name)
        raise EmulatorError(
            "InvalidParameterException",
            f"{owner} is not a valid resource owner. Specify either SELF or OTHER-ACCOUNTS.",
        )

    def enable_organization_sharing(self) -> None:
        """EnableSharingWithAwsOrganization: trusted access for RAM, from the management account."""
        organization = OrganizationView.of(self.account_id)
        if organization is None or organization.management_account_id != self.account_id:
            raise EmulatorError(
                "OperationNotPermittedException",
                "Only the management account of an organization can enable sharing with "
                "AWS Organizations.",
            )
        organization.backend.enable_aws_service_access(ServicePrincipal=RAM_SERVICE_PRINCIPAL)
        iam = iam_backends[self.account_id][PARTITION]
        if SERVICE_LINKED_ROLE not in {role.name for role in iam.roles.values()}:
            iam.create_service_linked_role(
                RAM_SERVICE_PRINCIPAL, "Resource sharing with AWS Organizations", ""
            )


def default_permission_arn(kind: str) -> str:
    """RAM's AWS managed default permission of a resource type: ec2:TransitGateway ->
    arn:aws:ram::aws:permission/AWSRAMDefaultPermissionTransitGateway."""
    return f"arn:aws:ram::aws:permission/AWSRAMDefaultPermission{kind.partition(':')[2]}"


def _only(values: list[str] | None, value: str) -> bool:
    """A list filter: no list means everything passes."""
    return not values or value in values


class RamCompatResponse(ResourceAccessManagerResponse):
    """RAM's API over the compatibility backend."""

    def __init__(self) -> None:
        super().__init__()
        self.automated_parameter_parsing = True

    @property
    def compat_backend(self) -> RamCompatBackend:
        """The caller's backend (the compatibility subclass)."""
        backend = self.ram_backend
        assert isinstance(backend, RamCompatBackend)
        return backend

    def _shares(self) -> list[Share]:
        return self.compat_backend.shares_for(self._get_param("resourceOwner", "SELF"))

    @overrides
    def create_resource_share(self) -> str:
        """CreateResourceShare."""
        share = self.compat_backend.create_share(self.params)
        return json.dumps({"resourceShare": share.describe()})

    @overrides
    def get_resource_shares(self) -> str:
        """GetResourceShares, for SELF or OTHER-ACCOUNTS."""
        arns = self._get_param("resourceShareArns")
        status = self._get_param("resourceShareStatus")
        name = self._get_param("name")
        tag_filters = self._get_param("tagFilters", [])
        shares = [
            share.describe()
            for share in self.compat_backend.shares_for(self._get_param("resourceOwner"))
            if _only(arns, share.arn)
            and status in (None, share.status)
            and name in (None, share.name)
            and all(_tagged(share.tags, tag_filter) for tag_filter in tag_filters)
        ]
        return json.dumps({"resourceShares": shares})

    @overrides
    def update_resource_share(self) -> str:
        """UpdateResourceShare: name and allowExternalPrincipals."""
        share = self.compat_backend.share(self._get_param("resourceShareArn"))
        share.name = self._get_param("name", share.name)
        share.allow_external_principals = self._get_param(
            "allowExternalPrincipals", share.allow_external_principals
        )
        share.updated = utcnow()
        return json.dumps({"resourceShare": share.describe()})

    @overrides
    def delete_resource_share(self) -> str:
        """DeleteResourceShare: the share is DELETED, its associations DISASSOCIATED."""
        share = self.compat_backend.share(self._get_param("resourceShareArn"))
        share.status = "DELETED"
        for association in share.associations:
            association.set_status("DISASSOCIATED")
        share.updated = utcnow()
        return json.dumps({"returnValue": True})

    def associate_resource_share(self) -> str:
        """AssociateResourceShare."""
        share = self.compat_backend.share(self._get_param("resourceShareArn"))
        associations = self.compat_backend.associate(
            share, self._get_param("resourceArns", []), self._get_param("principals", [])
        )
        return json.dumps({"resourceShareAssociations": [a.describe() for a in associations]})

    def disassociate_resource_share(self) -> str:
        """DisassociateResourceShare."""
        share = self.compat_backend.share(self._get_param("resourceShareArn"))
        associations = self.compat_backend.disassociate(
            share, self._get_param("resourceArns", []), self._get_param("principals", [])
        )
        return json.dumps({"resourceShareAssociations": [a.describe() for a in associations]})

    @overrides
    def get_resource_share_associations(self) -> str:
        """GetResourceShareAssociations of this account's shares."""
        kind = self._get_param("associationType")
        if kind not in ("PRINCIPAL", "RESOURCE"):
            raise EmulatorError(
                "InvalidParameterException",
                f"{kind} is not a valid association type. Specify either PRINCIPAL or RESOURCE.",
            )
        arns = self._get_param("resourceShareArns")
        status = self._get_param("associationStatus")
        entity = self._get_param("resourceArn") or self._get_param("principal")
        associations = [
            a.describe()
            for share in self.compat_backend.shares
            if _only(arns, share.arn)
            for a in share.associations
            if a.kind == kind and status in (None, a.status) and entity in (None, a.entity)
        ]
        return json.dumps({"resourceShareAssociations": associations})

    def get_resource_share_invitations(self) -> str:
        """GetResourceShareInvitations this account received."""
        arns = self._get_param("resourceShareInvitationArns")
        share_arns = self._get_param("resourceShareArns")
        invitations = [
            i
            for i in self.compat_backend.invitations()
            if _only(arns, i.arn) and _only(share_arns, i.share.arn)
        ]
        missing = set(arns or []) - {i.arn for i in invitations}
        if missing:
            raise EmulatorError(
                "ResourceShareInvitationArnNotFoundException",
                f"Invitation {sorted(missing)[0]} could not be found.",
            )
        return json.dumps({"resourceShareInvitations": [i.describe() for i in invitations]})

    def accept_resource_share_invitation(self) -> str:
        """AcceptResourceShareInvitation."""
        invitation = self.compat_backend.answer_invitation(
            self._get_param("resourceShareInvitationArn"), accept=True
        )
        return json.dumps({"resourceShareInvitation": invitation.describe()})

    def reject_resource_share_invitation(self) -> str:
        """RejectResourceShareInvitation."""
        invitation = self.compat_backend.answer_invitation(
            self._get_param("resourceShareInvitationArn"), accept=False
        )
        return json.dumps({"resourceShareInvitation": invitation.describe()})

    def list_resources(self) -> str:
        """ListResources shared by (SELF) or with (OTHER-ACCOUNTS) this account."""
        principal = self._get_param("principal")
        kind = (self._get_param("resourceType") or "").lower()
        arns = self._get_param("resourceArns")
        share_arns = self._get_param("resourceShareArns")
        resources = [
            {
                "arn": resource.entity,
                "type": resource_type(resource.entity),
                "resourceShareArn": share.arn,
                "status": "AVAILABLE",
                "creationTime": unix_time(resource.created),
                "lastUpdatedTime": unix_time(resource.updated),
                "resourceRegionScope": "REGIONAL",
            }
            for share in self._shares()
            if share.status == "ACTIVE" and _only(share_arns, share.arn)
            if principal in (None, share.owner)
            or any(p.entity == principal for p in share.associated("PRINCIPAL"))
            for resource in share.associated("RESOURCE")
            if _only(arns, resource.entity) and kind in ("", resource_type(resource.entity).lower())
        ]
        return json.dumps({"resources": resources})

    def list_principals(self) -> str:
        """ListPrincipals this account shares with (SELF) or that share with it."""
        resource_arn = self._get_param("resourceArn")
        wanted = self._get_param("principals")
        kind = (self._get_param("resourceType") or "").lower()
        share_arns = self._get_param("resourceShareArns")
        listed = []
        for share in self._shares():
            resources = [r.entity for r in share.associated("RESOURCE")]
            if share.status != "ACTIVE" or not _only(share_arns, share.arn):
                continue
            if resource_arn is not None and resource_arn not in resources:
                continue
            if kind and kind not in {resource_type(r).lower() for r in resources}:
                continue
            if share.owner == self.current_account:
                principals = [
                    (p.entity, p.created, p.updated, p.external)
                    for p in share.associated("PRINCIPAL")
                ]
            else:
                principals = [(share.owner, share.created, share.updated, False)]
            listed += [
                {
                    "id": entity,
                    "resourceShareArn": share.arn,
                    "creationTime": unix_time(created),
                    "lastUpdatedTime": unix_time(updated),
                    "external": external,
                }
                for entity, created, updated, external in principals
                if _only(wanted, entity)
            ]
        return json.dumps({"principals": listed})

    def list_resource_share_permissions(self) -> str:
        """ListResourceSharePermissions: the AWS managed default permission of each resource
        type the share holds (RAM attaches it when a resource of that type is added)."""
        share = self.compat_backend.share(self._get_param("resourceShareArn"))
        kinds = sorted({resource_type(r.entity) for r in share.associated("RESOURCE")})
        permissions = [
            {
                "arn": default_permission_arn(kind),
                "version": "1",
                "defaultVersion": True,
                "name": default_permission_arn(kind).rpartition("/")[2],
                "resourceType": kind,
                "status": "ATTACHABLE",
                "isResourceTypeDefault": True,
                "permissionType": "AWS_MANAGED",
                "featureSet": "STANDARD",
                "creationTime": unix_time(share.created),
                "lastUpdatedTime": unix_time(share.updated),
            }
            for kind in kinds
        ]
        return json.dumps({"permissions": permissions})

    @overrides
    def enable_sharing_with_aws_organization(self) -> str:
        """EnableSharingWithAwsOrganization."""
        self.compat_backend.enable_organization_sharing()
        return json.dumps({"returnValue": True})

    def tag_resource(self) -> str:
        """TagResource of a resource share."""
        share = self.compat_backend.share(self._get_param("resourceShareArn"))
        share.tags.update({t["key"]: t["value"] for t in self._get_param("tags", [])})
        return "{}"

    def untag_resource(self) -> str:
        """UntagResource of a resource share."""
        share = self.compat_backend.share(self._get_param("resourceShareArn"))
        for key in self._get_param("tagKeys", []):
            share.tags.pop(key, None)
        return "{}"


_ROUTES = routes_to(
    moto.ram.urls,
    RamCompatResponse,
    extra_paths=tuple(
        f"{{0}}/{operation}$"
        for operation in (
            "associateresourceshare",
            "disassociateresourceshare",
            "getresourceshareinvitations",
            "acceptresourceshareinvitation",
            "rejectresourceshareinvitation",
            "listresources",
            "listprincipals",
            "listresourcesharepermissions",
            "tagresource",
            "untagresource",
        )
    ),
)


def install() -> None:
    """Make moto serve RAM through this module, and name RAM's role (idempotent)."""
    use_backend(ram_backends, RamCompatBackend)
    require(moto.iam.models, "SERVICE_NAME_CONVERSION")
    moto.iam.models.SERVICE_NAME_CONVERSION["ram"] = "ResourceAccessManager"
