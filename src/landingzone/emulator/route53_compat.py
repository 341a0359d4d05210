"""Private hosted zones associated with VPCs of other accounts, as Route 53 documents it.

moto 5.2.5 has no VPC association authorizations and finds a hosted zone only
in the caller's account. This module adds:

- CreateVPCAssociationAuthorization, ListVPCAssociationAuthorizations and
  DeleteVPCAssociationAuthorization, by the zone's owner;
- AssociateVPCWithHostedZone from the VPC owner's account for a zone of another
  account: allowed only with an authorization for that VPC and region
  (NotAuthorizedException otherwise); the VPC must exist in the caller's
  account (InvalidVPCId); the zone then lists the VPC;
- DisassociateVPCFromHostedZone from the zone owner or the VPC owner
  (VPCAssociationNotFound for a VPC that is not associated);
- ListHostedZonesByVPC that includes other accounts' zones, with their owner.
"""

from __future__ import annotations

from typing import Any

import moto.route53.urls
from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.models import ec2_backends
from moto.route53.exceptions import InvalidVPCId, NoSuchHostedZone, PublicZoneVPCAssociation
from moto.route53.models import FakeZone, Route53Backend, route53_backends
from moto.route53.responses import Route53

from landingzone.emulator.patching import overrides, routes_to, use_backend
from landingzone.emulator.wire import EmulatorError

ZONE_PATH = r"{0}/(?P<api_version>[\d_-]+)/hostedzone/(?P<zone_id>[^/]+)"


def _zone_id(zone_id: str) -> str:
    return zone_id.replace("/hostedzone/", "")


def _owner_of(zone_id: str) -> Route53CompatBackend:
    """The backend of the account that owns a hosted zone, in whatever account."""
    for backend in _backends():
        if _zone_id(zone_id) in backend.zones:
            return backend
    raise NoSuchHostedZone(zone_id)


def _backends() -> list[Route53CompatBackend]:
    return [
        backend
        for _, _, backend in route53_backends.iter_backends()
        if isinstance(backend, Route53CompatBackend)
    ]


class Route53CompatBackend(Route53Backend):
    """moto's Route 53 backend with cross-account VPC associations."""

    authorizations: dict[str, list[dict[str, str]]]

    def __init__(self, region_name: str, account_id: str):
        super().__init__(region_name, account_id)
        self.authorizations = {}

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    def _private_zone(self, zone_id: str) -> FakeZone:
        zone = self.get_hosted_zone(zone_id)
        if not zone.private_zone:
            raise PublicZoneVPCAssociation()
        return zone

    def authorize_vpc_association(self, zone_id: str, vpc: dict[str, str]) -> None:
        """CreateVPCAssociationAuthorization (idempotent)."""
        zone = self._private_zone(zone_id)
        authorized = self.authorizations.setdefault(zone.resource_id, [])
        if vpc not in authorized:
            authorized.append(vpc)

    def vpc_authorizations(self, zone_id: str) -> list[dict[str, str]]:
        """ListVPCAssociationAuthorizations."""
        return list(self.authorizations.get(self.get_hosted_zone(zone_id).resource_id, []))

    def deauthorize_vpc_association(self, zone_id: str, vpc: dict[str, str]) -> None:
        """DeleteVPCAssociationAuthorization."""
        authorized = self.authorizations.get(self.get_hosted_zone(zone_id).resource_id, [])
        if vpc not in authorized:
            raise EmulatorError(
                "VPCAssociationAuthorizationNotFound",
                f"The VPC {vpc['VPCId']} is not authorized to be associated with {zone_id}.",
            )
        authorized.remove(vpc)

    @overrides
    def associate_vpc_with_hosted_zone(self, zone_id: str, vpcid: str, vpcregion: str) -> FakeZone:
        """Associate a VPC of this account; another account's zone needs its authorization."""
        owner = _owner_of(zone_id)
        if vpcid not in ec2_backends[self.account_id][vpcregion].vpcs:
            raise InvalidVPCId()
        if owner is not self and {
            "VPCRegion": vpcregion,
            "VPCId": vpcid,
        } not in owner.vpc_authorizations(zone_id):
            raise EmulatorError(
                "NotAuthorizedException",
                f"The VPC {vpcid} in account {self.account_id} is not authorized to be "
                f"associated with hosted zone {_zone_id(zone_id)}.",
            )
        return Route53Backend.associate_vpc_with_hosted_zone(owner, zone_id, vpcid, vpcregion)

    @overrides
    def disassociate_vpc_from_hosted_zone(self, zone_id: str, vpcid: str) -> FakeZone:
        """Disassociate, by the zone's owner or the VPC's."""
        owner = _owner_of(zone_id)
        zone = owner.get_hosted_zone(zone_id)
        if all(vpc.get("vpc_id") != vpcid for vpc in zone.vpcs):
            raise EmulatorError(
                "VPCAssociationNotFound",
                f"The VPC {vpcid} is not associated with hosted zone {zone.resource_id}.",
            )
        return Route53Backend.disassociate_vpc_from_hosted_zone(owner, zone_id, vpcid)

    @overrides
    def list_hosted_zones_by_vpc(self, vpc_id: str) -> list[dict[str, Any]]:
        """Every private zone the VPC is associated with, whoever owns it."""
        return [
            {
                "HostedZoneId": zone.resource_id,
                "Name": zone.name,
                "Owner": {"OwningAccount": backend.account_id},
            }
            for backend in _backends()
            for zone in backend.zones.values()
            if zone.private_zone and any(vpc.get("vpc_id") == vpc_id for vpc in zone.vpcs)
        ]


class Route53CompatResponse(Route53):
    """Route 53's API with VPC association authorizations."""

    @property
    def compat_backend(self) -> Route53CompatBackend:
        """The caller's backend (the compatibility subclass)."""
        backend = self.backend
        assert isinstance(backend, Route53CompatBackend)
        return backend

    def _vpc(self) -> dict[str, str]:
        return {
            "VPCRegion": self._get_param("VPC.VPCRegion"),
            "VPCId": self._get_param("VPC.VPCId"),
        }

    def create_vpc_association_authorization(self) -> ActionResult:
        """CreateVPCAssociationAuthorization."""
        zone_id = self._get_param("HostedZoneId")
        vpc = self._vpc()
        self.compat_backend.authorize_vpc_association(zone_id, vpc)
        return ActionResult({"HostedZoneId": _zone_id(zone_id), "VPC": vpc})

    def list_vpc_association_authorizations(self) -> ActionResult:
        """ListVPCAssociationAuthorizations (one page)."""
        zone_id = self._get_param("HostedZoneId")
        vpcs = self.compat_backend.vpc_authorizations(zone_id)
        return ActionResult({"HostedZoneId": _zone_id(zone_id), "VPCs": vpcs})

    def delete_vpc_association_authorization(self) -> ActionResult:
        """DeleteVPCAssociationAuthorization."""
        self.compat_backend.deauthorize_vpc_association(
            self._get_param("HostedZoneId"), self._vpc()
        )
        return EmptyResult()


_ROUTES = routes_to(
    moto.route53.urls,
    Route53CompatResponse,
    extra_paths=(
        ZONE_PATH + "/authorizevpcassociation$",
        ZONE_PATH + "/deauthorizevpcassociation$",
    ),
)


def install() -> None:
    """Make moto serve Route 53 through this module (idempotent)."""
    use_backend(route53_backends, Route53CompatBackend)
