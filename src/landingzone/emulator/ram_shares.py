"""RAM's resource shares as data: shares, their associations and invitations.

A share reaches an account through an associated principal: the account itself,
or the owner's organization or one of its OUs (at any depth) that holds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.utils import unix_time, utcnow

from landingzone.emulator.organization_view import OrganizationView

RESOURCE_ARN = re.compile(
    r"^arn:aws:(?P<service>[a-z0-9-]+):[a-z0-9-]*:(?P<account>\d{12}):(?P<type>[a-z-]+)[/:].*$"
)
ACCOUNT = re.compile(r"^\d{12}$")
OTHER_PRINCIPAL = re.compile(
    r"^(arn:aws(-cn|-us-gov)?:iam::\d{12}:(root|role/.+|user/.+)|[a-z0-9-]+\.amazonaws\.com)$"
)
ORG_ARN = re.compile(r"^arn:aws:organizations::\d{12}:organization/o-\w+$")
OU_ARN = re.compile(r"^arn:aws:organizations::\d{12}:ou/o-\w+/ou-[\w-]+$")


def resource_type(arn: str) -> str:
    """RAM's resource type of an ARN: arn:aws:ec2:...:transit-gateway/x -> ec2:TransitGateway."""
    match = RESOURCE_ARN.match(arn)
    assert match is not None
    kind = "".join(part.capitalize() for part in match["type"].split("-"))
    return f"{match['service']}:{kind}"


@dataclass
class Association:
    """A principal or a resource of a resource share."""

    share: Share
    entity: str
    kind: str  # PRINCIPAL or RESOURCE
    status: str
    external: bool = False
    status_message: str | None = None
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)

    def set_status(self, status: str, message: str | None = None) -> None:
        """Move to another status."""
        self.status, self.status_message, self.updated = status, message, utcnow()

    def describe(self) -> dict[str, Any]:
        """The ResourceShareAssociation structure."""
        described = {
            "resourceShareArn": self.share.arn,
            "resourceShareName": self.share.name,
            "associatedEntity": self.entity,
            "associationType": self.kind,
            "status": self.status,
            "creationTime": unix_time(self.created),
            "lastUpdatedTime": unix_time(self.updated),
            "external": self.external,
        }
        if self.status_message:
            described["statusMessage"] = self.status_message
        return described


@dataclass
class Invitation:
    """An invitation of one account to a resource share."""

    share: Share
    receiver: str
    arn: str
    status: str = "PENDING"
    created: datetime = field(default_factory=utcnow)

    def describe(self) -> dict[str, Any]:
        """The ResourceShareInvitation structure."""
        return {
            "resourceShareInvitationArn": self.arn,
            "resourceShareName": self.share.name,
            "resourceShareArn": self.share.arn,
            "senderAccountId": self.share.owner,
            "receiverAccountId": self.receiver,
            "invitationTimestamp": unix_time(self.created),
            "status": self.status,
        }


@dataclass
class Share:
    """A resource share of one account in one region."""

    arn: str
    name: str
    owner: str
    allow_external_principals: bool
    tags: dict[str, str]
    status: str = "ACTIVE"
    associations: list[Association] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    created: datetime = field(default_factory=utcnow)
    updated: datetime = field(default_factory=utcnow)

    def describe(self) -> dict[str, Any]:
        """The ResourceShare structure."""
        return {
            "resourceShareArn": self.arn,
            "name": self.name,
            "owningAccountId": self.owner,
            "allowExternalPrincipals": self.allow_external_principals,
            "status": self.status,
            "tags": [{"key": k, "value": v} for k, v in self.tags.items()],
            "creationTime": unix_time(self.created),
            "lastUpdatedTime": unix_time(self.updated),
            "featureSet": "STANDARD",
        }

    def associated(self, kind: str) -> list[Association]:
        """Associations of a kind that are in effect."""
        return [a for a in self.associations if a.kind == kind and a.status == "ASSOCIATED"]

    def find(self, kind: str, entity: str) -> Association | None:
        """The association of an entity, in whatever status."""
        return next((a for a in self.associations if a.kind == kind and a.entity == entity), None)

    def reaches(self, account_id: str) -> bool:
        """Whether an account is, directly or through its organization or OU, a principal."""
        if self.status != "ACTIVE":
            return False
        organization = OrganizationView.of(self.owner)
        for principal in self.associated("PRINCIPAL"):
            if principal.entity == account_id:
                return True
            if organization is None or not organization.has_account(account_id):
                continue
            if principal.entity == organization.arn:
                return True
            if OU_ARN.match(principal.entity) and account_id in organization.accounts_under(
                principal.entity
            ):
                return True
        return False
