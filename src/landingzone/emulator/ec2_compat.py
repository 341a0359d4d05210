"""Transit gateways shared through RAM and attached from other accounts, as in AWS.

moto 5.2.5 keeps a transit gateway invisible outside its owner's account and
attaches VPCs only from that account. This module follows AWS's documented
behaviour for shared transit gateways:

- A transit gateway shared with an account through RAM appears in that
  account's DescribeTransitGateways (OwnerId: the owner).
- That account can CreateTransitGatewayVpcAttachment from one of its VPCs. The
  attachment is `pendingAcceptance` for both accounts until the owner calls
  AcceptTransitGatewayVpcAttachment (or RejectTransitGatewayVpcAttachment),
  unless the gateway has AutoAcceptSharedAttachments enabled.
- Default route table association and propagation happen when an attachment
  becomes available, and only when the gateway's DefaultRouteTableAssociation /
  DefaultRouteTablePropagation options are enabled (moto always associated).
- AssociateTransitGatewayRouteTable needs an available attachment that is not
  associated yet (IncorrectState, Resource.AlreadyAssociated), and the
  attachments' Association follows the route table it is associated with.
- DeleteTransitGatewayVpcAttachment works from either account and removes the
  attachment's associations and propagations.
- CreateTransitGatewayRoute checks its route table and attachment, and
  SearchTransitGatewayRoutes lists the attachment a static route goes to.
- Route propagation adds a `propagated` route for each IPv4 CIDR of the VPC to
  the route table, and removes it when propagation stops or the attachment goes.
  An attachment propagates to any number of route tables, once to each
  (moto kept one propagation per attachment: disabling one broke the others).
- CreateTransitGatewayVpcAttachment keeps its `transit-gateway-attachment` tags
  (moto read them from the wrong resource type and dropped them).

And in VPC route tables:

- CreateRoute / ReplaceRoute to a transit gateway of the account or shared
  with it routes to that gateway (moto dropped the target of a shared one);
  an unknown gateway is `InvalidTransitGatewayID.NotFound`, an unknown NAT
  gateway `InvalidNatGatewayID.NotFound` (moto made a route to nothing).
- ModifyVpcEndpoint adding or removing route tables of a gateway endpoint adds
  or removes the endpoint's prefix-list route in them, as CreateVpcEndpoint
  and DeleteVpcEndpoints do.

For speed, moto's catalogue of public AMIs is not loaded.
"""

from __future__ import annotations

from typing import Any

import moto.ec2.urls
from moto.core.responses import ActionResult
from moto.ec2.exceptions import DuplicateTransitGatewayAttachmentError, InvalidTransitGatewayID
from moto.ec2.models import EC2Backend, ec2_backends
from moto.ec2.models.route_tables import Route
from moto.ec2.models.transit_gateway import TransitGateway
from moto.ec2.models.transit_gateway_attachments import (
    TransitGatewayAttachment,
    TransitGatewayVpcAttachment,
)
from moto.ec2.models.transit_gateway_route_tables import (
    TransitGatewayRelations,
    TransitGatewayRouteTable,
)
from moto.ec2.responses import EC2Response

from landingzone.emulator.patching import overrides, routes_to, use_backend
from landingzone.emulator.ram_compat import resources_shared_with
from landingzone.emulator.wire import EmulatorError


class SharedVpcAttachment(TransitGatewayVpcAttachment):
    """A VPC attachment to a transit gateway that another account owns."""

    def __init__(
        self,
        backend: EC2Backend,
        gateway: TransitGateway,
        vpc_id: str,
        subnet_ids: list[str],
        tags: dict[str, str] | None,
        options: dict[str, str] | None,
    ):
        super().__init__(backend, gateway, vpc_id, subnet_ids, tags=tags, options=options)
        self.gateway = gateway
        self.transit_gateway_route_table = None
        self.state = "pendingAcceptance"

    @property
    def transit_gateway_owner_id(self) -> str:
        """The gateway's owner, not the VPC's (moto reports the VPC owner)."""
        return str(self.gateway.owner_id)


def _gateway_backend(attachment: TransitGatewayAttachment) -> EC2Backend:
    """The backend of the account that owns the attachment's transit gateway."""
    if isinstance(attachment, SharedVpcAttachment):
        return attachment.gateway.ec2_backend
    return attachment.ec2_backend


def _not_found(attachment_id: str) -> EmulatorError:
    return EmulatorError(
        "InvalidTransitGatewayAttachmentID.NotFound",
        f"Transit Gateway Attachment {attachment_id} not found",
    )


def _routes(table: TransitGatewayRouteTable) -> dict[str, dict[str, Any]]:
    """A route table's routes by CIDR (moto annotates them narrower than it stores them)."""
    return table.routes


def _route_target(attachment: TransitGatewayAttachment) -> list[dict[str, str]]:
    """A route's TransitGatewayAttachments: the one attachment it goes to."""
    return [
        {
            "resourceId": attachment.resource_id,
            "resourceType": attachment.resource_type,
            "transitGatewayAttachmentId": attachment.id,
        }
    ]


def _propagate_routes(
    attachment: TransitGatewayAttachment, table: TransitGatewayRouteTable
) -> None:
    """Add a propagated route for each IPv4 CIDR of the attachment's VPC (a static route
    for the same CIDR stays, as it takes precedence)."""
    routes = _routes(table)
    vpc = attachment.ec2_backend.get_vpc(attachment.resource_id)
    for block in vpc.cidr_block_association_set:
        cidr = block["cidr_block"]
        if block["cidr_block_state"]["state"] == "associated" and cidr not in routes:
            routes[cidr] = {
                "destinationCidrBlock": cidr,
                "prefixListId": None,
                "state": "active",
                "type": "propagated",
                "transitGatewayAttachments": _route_target(attachment),
            }


def _propagates(table: TransitGatewayRouteTable, attachment_id: str) -> bool:
    """Whether an attachment propagates to a route table."""
    return any(p.transitGatewayAttachmentId == attachment_id for p in table.route_table_propagation)


def _withdraw_routes(attachment_id: str, table: TransitGatewayRouteTable) -> None:
    """Remove the routes the attachment propagated to the table."""
    routes = _routes(table)
    for cidr, route in list(routes.items()):
        targets = route.get("transitGatewayAttachments") or []
        if route["type"] == "propagated" and any(
            t["transitGatewayAttachmentId"] == attachment_id for t in targets
        ):
            del routes[cidr]


class EC2CompatBackend(EC2Backend):
    """moto's EC2 backend with transit gateways shared across accounts."""

    @property
    def _url_module(self) -> Any:
        return _ROUTES

    @overrides
    def _load_amis(self) -> None:
        """Skip moto's ~1300 public AMIs: lz launches no instance, and loading them made
        each account's EC2 cost ~0.3 s to create (and again on every reset)."""

    def _shared_gateways(self) -> list[TransitGateway]:
        gateways = []
        for arn in resources_shared_with(self.account_id, self.region_name):
            _, _, service, region, owner, resource = arn.split(":", 5)
            kind, _, gateway_id = resource.partition("/")
            if service == "ec2" and kind == "transit-gateway" and region == self.region_name:
                gateway = ec2_backends[owner][region].transit_gateways.get(gateway_id)
                if gateway is not None:
                    gateways.append(gateway)
        return gateways

    def _gateway(self, gateway_id: str) -> TransitGateway:
        """A transit gateway of this account or shared with it."""
        gateways = [*self.transit_gateways.values(), *self._shared_gateways()]
        gateway = next((g for g in gateways if g.id == gateway_id), None)
        if gateway is None:
            raise InvalidTransitGatewayID(gateway_id)
        return gateway

    def _attachment(self, attachment_id: str) -> TransitGatewayAttachment:
        attachment = self.transit_gateway_attachments.get(attachment_id)
        if attachment is None:
            raise _not_found(attachment_id)
        return attachment

    def _route_table(self, route_table_id: str) -> TransitGatewayRouteTable:
        table = self.transit_gateways_route_tables.get(route_table_id)
        if table is None:
            raise EmulatorError(
                "InvalidRouteTableID.NotFound",
                f"The routeTable ID '{route_table_id}' does not exist",
            )
        return table

    @overrides
    def describe_transit_gateways(
        self, filters: Any, transit_gateway_ids: list[str] | None
    ) -> list[TransitGateway]:
        """This account's transit gateways and those shared with it."""
        found = super().describe_transit_gateways(filters, transit_gateway_ids)
        for gateway in self._shared_gateways():
            owner = gateway.ec2_backend
            # moto's own filtering, in the owner's backend, without its shared gateways
            matching = EC2Backend.describe_transit_gateways(owner, filters, transit_gateway_ids)
            found += [g for g in matching if g.id == gateway.id]
        return found

    @overrides
    def create_transit_gateway_vpc_attachment(
        self,
        transit_gateway_id: str,
        vpc_id: str,
        subnet_ids: list[str],
        tags: dict[str, str] | None = None,
        options: dict[str, str] | None = None,
    ) -> TransitGatewayVpcAttachment:
        """Attach a VPC of this account to its own or a shared transit gateway."""
        gateway = self._gateway(transit_gateway_id)
        if gateway.ec2_backend is self:
            attachment = super().create_transit_gateway_vpc_attachment(
                transit_gateway_id, vpc_id, subnet_ids, tags, options
            )
            self.unset_route_table_association(gateway.default_route_table.id, attachment.id)
            attachment.transit_gateway_route_table = None
            self._route_by_default(attachment, gateway)
            return attachment
        self.get_vpc(vpc_id)
        if self.describe_transit_gateway_vpc_attachments(
            filters={"transit-gateway-id": transit_gateway_id, "vpc-id": [vpc_id]}
        ):
            raise DuplicateTransitGatewayAttachmentError(transit_gateway_id)
        shared = SharedVpcAttachment(self, gateway, vpc_id, subnet_ids, tags, options)
        owner: EC2CompatBackend = gateway.ec2_backend
        self.transit_gateway_attachments[shared.id] = shared
        owner.transit_gateway_attachments[shared.id] = shared
        if gateway.options["AutoAcceptSharedAttachments"] == "enable":
            owner.accept_transit_gateway_vpc_attachment(shared.id)
        return shared

    def _route_by_default(
        self, attachment: TransitGatewayAttachment, gateway: TransitGateway
    ) -> None:
        """Associate with / propagate to the default route table, as the gateway's options say."""
        default = gateway.default_route_table
        if gateway.options["DefaultRouteTableAssociation"] == "enable":
            super().associate_transit_gateway_route_table(attachment.id, default.id)
            attachment.transit_gateway_route_table = default
        if gateway.options["DefaultRouteTablePropagation"] == "enable":
            super().enable_transit_gateway_route_table_propagation(attachment.id, default.id)
            _propagate_routes(attachment, default)

    def _answer(self, attachment_id: str) -> TransitGatewayAttachment:
        attachment = self._attachment(attachment_id)
        if attachment.transit_gateway_id not in self.transit_gateways:
            raise EmulatorError(
                "InvalidParameterValue",
                f"Only the owner of transit gateway {attachment.transit_gateway_id} can accept "
                f"or reject attachment {attachment_id}.",
            )
        if attachment.state != "pendingAcceptance":
            raise EmulatorError(
                "IncorrectState",
                f"Transit Gateway Attachment {attachment_id} is in {attachment.state} state.",
            )
        return attachment

    def accept_transit_gateway_vpc_attachment(
        self, transit_gateway_attachment_id: str
    ) -> TransitGatewayAttachment:
        """AcceptTransitGatewayVpcAttachment, by the transit gateway's owner."""
        attachment = self._answer(transit_gateway_attachment_id)
        attachment.state = "available"
        self._route_by_default(attachment, self.transit_gateways[attachment.transit_gateway_id])
        return attachment

    def reject_transit_gateway_vpc_attachment(
        self, transit_gateway_attachment_id: str
    ) -> TransitGatewayAttachment:
        """RejectTransitGatewayVpcAttachment, by the transit gateway's owner."""
        attachment = self._answer(transit_gateway_attachment_id)
        attachment.state = "rejected"
        return attachment

    @overrides
    def delete_transit_gateway_vpc_attachment(
        self, transit_gateway_attachment_id: str
    ) -> TransitGatewayAttachment:
        """Delete from either account; associations and propagations go with it."""
        attachment = self._attachment(transit_gateway_attachment_id)
        owner = _gateway_backend(attachment)
        for table in owner.transit_gateways_route_tables.values():
            _withdraw_routes(attachment.id, table)
            table.route_table_associations.pop(attachment.id, None)
            table.route_table_propagation = [
                p
                for p in table.route_table_propagation
                if p.transitGatewayAttachmentId != attachment.id
            ]
        owner.transit_gateway_associations.pop(attachment.id, None)
        owner.transit_gateway_propagations.pop(attachment.id, None)
        for backend in (owner, attachment.ec2_backend):
            backend.transit_gateway_attachments.pop(attachment.id, None)
        attachment.state = "deleted"
        return attachment

    @overrides
    def associate_transit_gateway_route_table(
        self, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
    ) -> Any:
        """Associate an available, unassociated attachment with a route table of this account."""
        attachment = self._attachment(transit_gateway_attachment_id)
        table = self._route_table(transit_gateway_route_table_id)
        if attachment.state != "available":
            raise EmulatorError(
                "IncorrectState",
                f"Transit Gateway Attachment {attachment.id} is in {attachment.state} state.",
            )
        if attachment.transit_gateway_route_table is not None:
            raise EmulatorError(
                "Resource.AlreadyAssociated",
                f"Transit Gateway Attachment {attachment.id} is already associated with "
                f"{attachment.transit_gateway_route_table.id}.",
            )
        association = super().associate_transit_gateway_route_table(attachment.id, table.id)
        attachment.transit_gateway_route_table = table
        return association

    @overrides
    def disassociate_transit_gateway_route_table(self, tgw_attach_id: str, tgw_rt_id: str) -> Any:
        """Disassociate; the attachment then has no Association."""
        attachment = self._attachment(tgw_attach_id)
        self._route_table(tgw_rt_id)
        if tgw_attach_id not in self.transit_gateway_associations:
            raise EmulatorError(
                "InvalidAssociation.NotFound",
                f"Transit Gateway Attachment {tgw_attach_id} is not associated with {tgw_rt_id}.",
            )
        association = super().disassociate_transit_gateway_route_table(tgw_attach_id, tgw_rt_id)
        attachment.transit_gateway_route_table = None
        return association

    @overrides
    def enable_transit_gateway_route_table_propagation(
        self, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
    ) -> Any:
        """Propagate an available attachment's routes to a route table of this account (an
        attachment may propagate to several route tables, once to each)."""
        attachment = self._attachment(transit_gateway_attachment_id)
        table = self._route_table(transit_gateway_route_table_id)
        if attachment.state != "available":
            raise EmulatorError(
                "IncorrectState",
                f"Transit Gateway Attachment {attachment.id} is in {attachment.state} state.",
            )
        if _propagates(table, attachment.id):
            raise EmulatorError(
                "TransitGatewayRouteTablePropagation.Duplicate",
                f"Transit Gateway Attachment {attachment.id} already propagates to {table.id}.",
            )
        propagation = super().enable_transit_gateway_route_table_propagation(
            attachment.id, transit_gateway_route_table_id
        )
        _propagate_routes(attachment, table)
        return propagation

    @overrides
    def disable_transit_gateway_route_table_propagation(
        self, transit_gateway_attachment_id: str, transit_gateway_route_table_id: str
    ) -> Any:
        """Stop propagating to one route table (the attachment's propagated routes leave it);
        propagations to other route tables stay."""
        attachment = self._attachment(transit_gateway_attachment_id)
        table = self._route_table(transit_gateway_route_table_id)
        if not _propagates(table, attachment.id):
            raise EmulatorError(
                "TransitGatewayRouteTablePropagation.NotFound",
                f"Transit Gateway Attachment {transit_gateway_attachment_id} does not propagate "
                f"to {transit_gateway_route_table_id}.",
            )
        self.disable_route_table_propagation(attachment.id, table.id)
        _withdraw_routes(attachment.id, table)
        elsewhere = [
            t for t in self.transit_gateways_route_tables.values() if _propagates(t, attachment.id)
        ]
        if elsewhere:
            attachment.propagation = {
                "state": "enabled",
                "transitGatewayRouteTableId": elsewhere[0].id,
            }
        else:
            self.disable_attachment_propagation(attachment.id)
            self.transit_gateway_propagations.pop(attachment.id, None)
        return TransitGatewayRelations(self, attachment.id, table.id, state="disabled")

    @overrides
    def create_transit_gateway_route(
        self,
        transit_gateway_route_table_id: str,
        destination_cidr_block: str,
        transit_gateway_attachment_id: str | None = None,
        blackhole: bool = False,
    ) -> dict[str, Any]:
        """A static route to an attachment of this account's gateway, which SearchTransit-
        GatewayRoutes reports with its attachment (moto stored it where it is not listed)."""
        self._route_table(transit_gateway_route_table_id)
        attachment = (
            self._attachment(transit_gateway_attachment_id)
            if transit_gateway_attachment_id
            else None
        )
        route: dict[str, Any] = super().create_transit_gateway_route(
            transit_gateway_route_table_id,
            destination_cidr_block,
            transit_gateway_attachment_id,
            blackhole,
        )
        if attachment is not None:
            route["transitGatewayAttachments"] = _route_target(attachment)
        return route

    # -- VPC route tables -----------------------------------------------------------

    def _route_gateway(self, gateway_id: str | None) -> TransitGateway | None:
        return self._gateway(gateway_id) if gateway_id else None

    def _check_nat_gateway(self, nat_gateway_id: str | None) -> None:
        if nat_gateway_id and nat_gateway_id not in self.nat_gateways:
            raise EmulatorError(
                "InvalidNatGatewayID.NotFound", f"The Nat Gateway {nat_gateway_id} was not found"
            )

    @overrides
    def create_route(
        self,
        route_table_id: str,
        destination_cidr_block: str | None,
        destination_ipv6_cidr_block: str | None = None,
        destination_prefix_list_id: str | None = None,
        local: bool = False,
        gateway_id: str | None = None,
        instance_id: str | None = None,
        nat_gateway_id: str | None = None,
        egress_only_igw_id: str | None = None,
        transit_gateway_id: str | None = None,
        interface_id: str | None = None,
        vpc_peering_connection_id: str | None = None,
        carrier_gateway_id: str | None = None,
        vpc_endpoint_id: str | None = None,
    ) -> Route:
        """A route to a gateway of this account or shared with it, or to a NAT gateway
        that exists."""
        gateway = self._route_gateway(transit_gateway_id)
        self._check_nat_gateway(nat_gateway_id)
        route: Route = super().create_route(
            route_table_id,
            destination_cidr_block,
            destination_ipv6_cidr_block,
            destination_prefix_list_id,
            local=local,
            gateway_id=gateway_id,
            instance_id=instance_id,
            nat_gateway_id=nat_gateway_id,
            egress_only_igw_id=egress_only_igw_id,
            interface_id=interface_id,
            vpc_peering_connection_id=vpc_peering_connection_id,
            carrier_gateway_id=carrier_gateway_id,
            vpc_endpoint_id=vpc_endpoint_id,
        )
        if gateway is not None:
            route.transit_gateway = gateway
        return route

    @overrides
    def replace_route(
        self,
        route_table_id: str,
        destination_cidr_block: str,
        destination_ipv6_cidr_block: str | None = None,
        destination_prefix_list_id: str | None = None,
        nat_gateway_id: str | None = None,
        egress_only_igw_id: str | None = None,
        transit_gateway_id: str | None = None,
        gateway_id: str | None = None,
        instance_id: str | None = None,
        interface_id: str | None = None,
        vpc_peering_connection_id: str | None = None,
    ) -> Route:
        """ReplaceRoute, with the same targets as `create_route`."""
        gateway = self._route_gateway(transit_gateway_id)
        self._check_nat_gateway(nat_gateway_id)
        route: Route = super().replace_route(
            route_table_id,
            destination_cidr_block,
            destination_ipv6_cidr_block,
            destination_prefix_list_id,
            nat_gateway_id,
            egress_only_igw_id,
            None,
            gateway_id=gateway_id,
            instance_id=instance_id,
            interface_id=interface_id,
            vpc_peering_connection_id=vpc_peering_connection_id,
        )
        route.transit_gateway = gateway
        return route

    @overrides
    def modify_vpc_endpoint(
        self,
        vpc_id: str,
        policy_doc: str,
        add_subnets: list[str] | None,
        remove_subnets: list[str] | None,
        remove_route_tables: list[str] | None,
        add_route_tables: list[str] | None,
        add_security_groups: list[str] | None,
        remove_security_groups: list[str] | None,
    ) -> None:
        """ModifyVpcEndpoint; a gateway endpoint's prefix-list route follows its route tables.

        (`vpc_id` is moto's name for the endpoint's ID.)"""
        endpoint = self.get_vpc_end_point(vpc_id)
        prefix_list = endpoint.destination_prefix_list_id
        before = set(endpoint.route_table_ids)
        super().modify_vpc_endpoint(
            vpc_id,
            policy_doc,
            add_subnets,
            remove_subnets,
            remove_route_tables,
            add_route_tables,
            add_security_groups,
            remove_security_groups,
        )
        if not prefix_list:
            return
        after = set(endpoint.route_table_ids)
        for table in sorted(after - before):
            super().create_route(
                table, None, gateway_id=endpoint.id, destination_prefix_list_id=prefix_list
            )
        for table in sorted(before - after):
            self.delete_route(table, prefix_list)


class EC2CompatResponse(EC2Response):
    """EC2's API with the operations on attachments to shared transit gateways."""

    @overrides
    def create_transit_gateway_vpc_attachment(self) -> ActionResult:
        """CreateTransitGatewayVpcAttachment, keeping the attachment's tags."""
        attachment = self.ec2_backend.create_transit_gateway_vpc_attachment(
            transit_gateway_id=self._get_param("TransitGatewayId"),
            vpc_id=self._get_param("VpcId"),
            subnet_ids=self._get_param("SubnetIds", []),
            tags=self._parse_tag_specification().get("transit-gateway-attachment", {}),
            options=self._get_param("Options", {}),
        )
        return ActionResult({"TransitGatewayVpcAttachment": attachment})

    def accept_transit_gateway_vpc_attachment(self) -> ActionResult:
        """AcceptTransitGatewayVpcAttachment."""
        attachment = self.ec2_backend.accept_transit_gateway_vpc_attachment(
            self._get_param("TransitGatewayAttachmentId")
        )
        return ActionResult({"TransitGatewayVpcAttachment": attachment})

    def reject_transit_gateway_vpc_attachment(self) -> ActionResult:
        """RejectTransitGatewayVpcAttachment."""
        attachment = self.ec2_backend.reject_transit_gateway_vpc_attachment(
            self._get_param("TransitGatewayAttachmentId")
        )
        return ActionResult({"TransitGatewayVpcAttachment": attachment})


_ROUTES = routes_to(moto.ec2.urls, EC2CompatResponse)


def install() -> None:
    """Make moto serve EC2 through this module (idempotent)."""
    use_backend(ec2_backends, EC2CompatBackend)
