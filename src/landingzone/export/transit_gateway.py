"""The transit gateway stacks: gateways shared through RAM, attachments, routing, routes.

Exports the kinds `transit_gateway`, `ram_sharing`, `resource_share`,
`transit_gateway_attachment`, `transit_gateway_route_table` and the `route`s
whose target is a transit gateway (or an attachment), into four stacks per
account and region, so that every `terraform_remote_state` read goes one way
(organization -> network -> transit_gateway -> transit_gateway_attachment ->
transit_gateway_routing -> transit_gateway_routes):

- `live/<owner>-<region>/transit_gateway/` (module `transit_gateway`): the
  `aws_ec2_transit_gateway`s (default route table association and
  propagation and auto-accept off, as lz creates them), their
  `aws_ram_resource_share`s with the `aws_ram_resource_association` of the
  gateway and an `aws_ram_principal_association` per account (IDs read from
  the organization stack), and the `aws_ec2_transit_gateway_route_table`s.
  `ram_sharing` (RAM sharing with the organization,
  `aws_ram_sharing_with_organization`) is the management account's: it goes
  to the management account's home-region `transit_gateway` stack, and the
  owners' stacks read its `ram_sharing_enabled` output (a precondition of
  their principal associations), so it is applied first.
- `live/<member>-<region>/transit_gateway_attachment/` (module
  `transit_gateway_attachment`): the `aws_ec2_transit_gateway_vpc_attachment`
  of each of the account's networks (gateway ID from the owner's stack, VPC
  and subnet IDs from its own network stack), also for a network of the
  owner's own account.
- `live/<owner>-<region>/transit_gateway_routing/` (module
  `transit_gateway_routing`): what the owner does with the attachments,
  whose IDs it reads from each member's attachment stack: it accepts the
  cross-account ones (`aws_ec2_transit_gateway_vpc_attachment_accepter`: lz
  creates gateways with auto-accept off and accepts them itself), and
  associates them with and propagates them to the gateway's route tables
  (`aws_ec2_transit_gateway_route_table_association`, `..._propagation`).
- `live/<member>-<region>/transit_gateway_routes/` (module
  `transit_gateway_routes`): the account's VPC routes to the gateways. AWS
  refuses a route through an attachment that awaits acceptance, so a route
  reads its gateway's ID from the owner's acceptance (`accepted_gateway_ids`
  of the routing stack), or from the account's own attachment when the
  gateway is the account's: the stack cannot plan before that exists.

Keys are spec names: gateways and shares by gateway, principal associations
`<gateway>/<account>`, route tables `<gateway>/<table>`, attachments and
acceptances `<gateway>/<network>`, associations and propagations
`<gateway>/<table>/<network>`, routes `<network>/<tier>/<destination>` (as
in the network stack). Import IDs: `tgw-...`, the share's ARN,
`<share ARN>,<gateway ARN>`, `<share ARN>,<account ID>`, `tgw-rtb-...`,
`tgw-attach-...` (attachment and acceptance), `<tgw-rtb-...>_<tgw-attach-...>`,
`<table id>_<cidr>`, and the management account's ID for RAM sharing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from landingzone.engine.plan import ACCOUNT_REF
from landingzone.export.builder import PartBuilder
from landingzone.export.hcl import BLANK, Comment, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.lifecycle import ignore_changes
from landingzone.export.model import (
    Module,
    Output,
    RemoteOutput,
    StackPart,
    StackRef,
    Variable,
)
from landingzone.export.network import STACK as NETWORK_STACK
from landingzone.export.network import (
    TAGS,
    each_resource,
    ids_by_key,
    import_id,
    key_of,
    network_of,
    tags_value,
)
from landingzone.export.registry import Exporter, register
from landingzone.nodes import Node
from landingzone.resources.gateway_attachments import AVAILABLE
from landingzone.resources.network_addresses import gateway_attachment, parse
from landingzone.resources.transit_gateway import OPTIONS

STACK = "transit_gateway"
ATTACHMENT_STACK = "transit_gateway_attachment"
ROUTING_STACK = "transit_gateway_routing"
ROUTES_STACK = "transit_gateway_routes"
# Route targets of this exporter, by the kind of the target's address.
GATEWAY_TARGETS = frozenset({"transit_gateway", "transit_gateway_attachment"})
RAM_SHARING_KEY = "organization"

RAM_SHARING = "aws_ram_sharing_with_organization.this"
GATEWAY = "aws_ec2_transit_gateway.this"
SHARE = "aws_ram_resource_share.this"
RESOURCE_ASSOCIATION = "aws_ram_resource_association.this"
PRINCIPAL_ASSOCIATION = "aws_ram_principal_association.this"
ROUTE_TABLE = "aws_ec2_transit_gateway_route_table.this"
ATTACHMENT = "aws_ec2_transit_gateway_vpc_attachment.this"
ROUTE = "aws_route.this"
ACCEPTER = "aws_ec2_transit_gateway_vpc_attachment_accepter.this"
ASSOCIATION = "aws_ec2_transit_gateway_route_table_association.this"
PROPAGATION = "aws_ec2_transit_gateway_route_table_propagation.this"

# lz's option names are Terraform's arguments of aws_ec2_transit_gateway.
GATEWAY_FIELDS = {"description": "string", "asn": "number", **dict.fromkeys(OPTIONS, "string")}

GATEWAY_VARIABLES = (
    Variable(
        "ram_sharing",
        "set(string)",
        'RAM sharing with the organization: ["organization"] in the management account\'s '
        "home-region stack, [] elsewhere",
    ),
    Variable(
        "ram_sharing_enabled",
        "bool",
        "Whether RAM sharing with the organization is on (the management account's "
        "transit_gateway stack's output); null where this stack enables it or shares nothing",
    ),
    Variable(
        "transit_gateways",
        "map(object({\n"
        + "".join(f"{name} = {type_}\n" for name, type_ in GATEWAY_FIELDS.items())
        + f"tags = {TAGS}\n}}))",
        "Transit gateways by name; asn: the Amazon side ASN; options as lz sets them "
        "(default route table association and propagation, auto-accept: disable)",
    ),
    Variable(
        "resource_shares",
        "map(object({\nname = string\ngateway = string\nprincipals = list(string)\n"
        f"allow_external_principals = bool\ntags = {TAGS}\n}}))",
        "RAM shares by gateway name: the gateway (its name) with accounts (names)",
    ),
    Variable(
        "account_ids",
        "map(string)",
        "The shares' principals' account IDs by account name, from the organization stack",
    ),
    Variable(
        "route_tables",
        f"map(object({{\ngateway = string\ntags = {TAGS}\n}}))",
        "Transit gateway route tables by <gateway>/<table>",
    ),
)
ATTACHMENT_VARIABLES = (
    Variable(
        "transit_gateway_ids",
        "map(string)",
        "Transit gateway IDs by name, from each owner's transit_gateway stack",
    ),
    Variable("vpc_ids", "map(string)", "VPC IDs by network, from the network stack"),
    Variable(
        "subnet_ids", "map(string)", "Subnet IDs by <network>/<tier>/<zone>, from the network stack"
    ),
    Variable(
        "attachments",
        "map(object({\ngateway = string\nnetwork = string\nsubnets = list(string)\n"
        f"shared = bool\ntags = {TAGS}\n}}))",
        "VPC attachments by <gateway>/<network>, in subnets (keys); shared: the gateway is "
        "another account's (its route tables are not this account's to set)",
    ),
)
ROUTES_VARIABLES = (
    Variable(
        "route_table_ids",
        "map(string)",
        "Route table IDs by <network>/<tier>, from the network stack",
    ),
    Variable(
        "gateway_ids",
        "map(string)",
        "The gateway of each attachment by <gateway>/<network>, once it can carry traffic: "
        "from the owner's transit_gateway_routing stack (accepted) for a shared gateway, "
        "from this account's transit_gateway_attachment stack for its own",
    ),
    Variable(
        "routes",
        "map(object({\nroute_table = string\ndestination = string\nattachment = string\n}))",
        "Routes by <network>/<tier>/<destination>, to the gateway of an attachment (its key)",
    ),
)
LINKS = "map(object({\nroute_table = string\nattachment = string\n}))"
ROUTING_VARIABLES = (
    Variable(
        "attachment_ids",
        "map(string)",
        "Attachment IDs by <gateway>/<network>, from each member's transit_gateway_attachment "
        "stack",
    ),
    Variable(
        "route_table_ids",
        "map(string)",
        "Transit gateway route table IDs by <gateway>/<table>, from the transit_gateway stack",
    ),
    Variable(
        "accepters",
        "set(string)",
        "Cross-account attachments (keys) this account accepts, as lz does",
    ),
    Variable(
        "associations",
        LINKS,
        "Route table associations by <gateway>/<table>/<network>: the attachment (key) "
        "routes through the route table (key)",
    ),
    Variable(
        "propagations",
        LINKS,
        "Route table propagations by <gateway>/<table>/<network>: the route table (key) "
        "learns the attachment's (key) VPC CIDRs",
    ),
)


def _gateway_main() -> list[Item]:
    sharing_on = "length(aws_ram_sharing_with_organization.this) > 0"
    return [
        block(
            "locals",
            body=attrs(
                principals=Raw(
                    "merge([for share, item in var.resource_shares : "
                    '{ for account in item.principals : "${share}/${account}" => '
                    "{ share = share, account = account } }]...)"
                )
            ),
        ),
        block(
            "resource",
            "aws_ram_sharing_with_organization",
            "this",
            body=attrs(for_each=Raw("var.ram_sharing")),
        ),
        *each_resource(
            "aws_ec2_transit_gateway",
            "var.transit_gateways",
            description=Raw("each.value.description"),
            amazon_side_asn=Raw("each.value.asn"),
            **{name: Raw(f"each.value.{name}") for name in OPTIONS},
            vpn_ecmp_support="enable",
            tags=Raw("each.value.tags"),
        ),
        *each_resource(
            "aws_ram_resource_share",
            "var.resource_shares",
            name=Raw("each.value.name"),
            allow_external_principals=Raw("each.value.allow_external_principals"),
            tags=Raw("each.value.tags"),
        ),
        *each_resource(
            "aws_ram_resource_association",
            "var.resource_shares",
            resource_arn=Raw(f"{GATEWAY}[each.value.gateway].arn"),
            resource_share_arn=Raw(f"{SHARE}[each.key].arn"),
        ),
        block(
            "resource",
            "aws_ram_principal_association",
            "this",
            body=(
                *attrs(for_each=Raw("local.principals")),
                BLANK,
                *attrs(
                    principal=Raw("var.account_ids[each.value.account]"),
                    resource_share_arn=Raw(f"{SHARE}[each.value.share].arn"),
                ),
                BLANK,
                block(
                    "lifecycle",
                    body=(
                        block(
                            "precondition",
                            body=attrs(
                                condition=Raw(f"var.ram_sharing_enabled == true || {sharing_on}"),
                                error_message=(
                                    "RAM sharing with the organization is off: apply the "
                                    "management account's transit_gateway stack first."
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        *each_resource(
            "aws_ec2_transit_gateway_route_table",
            "var.route_tables",
            transit_gateway_id=Raw(f"{GATEWAY}[each.value.gateway].id"),
            tags=Raw("each.value.tags"),
        ),
    ]


MODULE = Module(
    name=STACK,
    description="Transit gateways shared through RAM, their route tables, and RAM sharing",
    variables=GATEWAY_VARIABLES,
    main=_gateway_main(),
    outputs=(
        Output("transit_gateway_ids", ids_by_key(GATEWAY), "Transit gateway IDs by name"),
        Output(
            "transit_gateway_route_table_ids",
            ids_by_key(ROUTE_TABLE),
            "Transit gateway route table IDs by <gateway>/<table>",
        ),
        Output("resource_share_arns", ids_by_key(SHARE, "arn"), "RAM share ARNs by gateway"),
        Output(
            "ram_sharing_enabled",
            "length(aws_ram_sharing_with_organization.this) > 0",
            "Whether this stack enables RAM sharing with the organization",
        ),
    ),
)

_NOT_SHARED = "each.value.shared ? null : false"
ATTACHMENT_MODULE = Module(
    name=ATTACHMENT_STACK,
    description="An account's VPC attachments to transit gateways",
    variables=ATTACHMENT_VARIABLES,
    main=[
        Comment(
            "The provider reads a shared gateway's default route table flags as true (it\n"
            "cannot see them); lz's gateways have none (association and propagation off)."
        ),
        *each_resource(
            "aws_ec2_transit_gateway_vpc_attachment",
            "var.attachments",
            transit_gateway_id=Raw("var.transit_gateway_ids[each.value.gateway]"),
            vpc_id=Raw("var.vpc_ids[each.value.network]"),
            subnet_ids=Raw("[for subnet in each.value.subnets : var.subnet_ids[subnet]]"),
            transit_gateway_default_route_table_association=Raw(_NOT_SHARED),
            transit_gateway_default_route_table_propagation=Raw(_NOT_SHARED),
            tags=Raw("each.value.tags"),
        ),
    ],
    outputs=(
        Output(
            "transit_gateway_attachment_ids",
            ids_by_key(ATTACHMENT),
            "Attachment IDs by <gateway>/<network>",
        ),
        Output(
            "attachment_gateway_ids",
            ids_by_key(ATTACHMENT, "transit_gateway_id"),
            "The gateway ID of each attachment, by <gateway>/<network>",
        ),
    ),
)

ROUTES_MODULE = Module(
    name=ROUTES_STACK,
    description="An account's VPC routes to transit gateways, once their attachments are accepted",
    variables=ROUTES_VARIABLES,
    main=[
        Comment(
            "AWS refuses a route to a gateway whose attachment awaits acceptance: the\n"
            "gateway IDs come from the acceptances (the owner's routing stack), so this\n"
            "stack cannot plan before the attachments it routes through are accepted."
        ),
        *each_resource(
            "aws_route",
            "var.routes",
            route_table_id=Raw("var.route_table_ids[each.value.route_table]"),
            destination_cidr_block=Raw("each.value.destination"),
            transit_gateway_id=Raw("var.gateway_ids[each.value.attachment]"),
        ),
    ],
    outputs=(),
)


def _link(type_: str, variable: str, *extra: Item) -> Item:
    """An association or propagation: after the acceptances (an attachment must be accepted)."""
    return block(
        "resource",
        type_,
        "this",
        body=(
            *attrs(for_each=Raw(f"var.{variable}")),
            BLANK,
            *attrs(
                transit_gateway_attachment_id=Raw("var.attachment_ids[each.value.attachment]"),
                transit_gateway_route_table_id=Raw("var.route_table_ids[each.value.route_table]"),
            ),
            *extra,
            BLANK,
            *attrs(depends_on=Raw(f"[{ACCEPTER}]")),
        ),
    )


ROUTING_MODULE = Module(
    name=ROUTING_STACK,
    description="A transit gateway owner's acceptance, association and propagation of attachments",
    variables=ROUTING_VARIABLES,
    main=[
        Comment(
            "lz's gateways do not auto-accept: the owner accepts each cross-account\n"
            "attachment. They have no default route table."
        ),
        *each_resource(
            "aws_ec2_transit_gateway_vpc_attachment_accepter",
            "var.accepters",
            block(
                "lifecycle",
                body=(
                    Comment(
                        "The attachment's tags are its account's (the attachment stack's);\n"
                        "the accepter reads them back and leaves them alone."
                    ),
                    *ignore_changes("tags", "tags_all"),
                ),
            ),
            transit_gateway_attachment_id=Raw("var.attachment_ids[each.key]"),
            transit_gateway_default_route_table_association=False,
            transit_gateway_default_route_table_propagation=False,
        ),
        _link(
            "aws_ec2_transit_gateway_route_table_association",
            "associations",
            # as lz does: an attachment associated with another table moves here
            *attrs(replace_existing_association=True),
            BLANK,
            block(
                "lifecycle",
                body=ignore_changes(terraform_only=("replace_existing_association",)),
            ),
        ),
        _link("aws_ec2_transit_gateway_route_table_propagation", "propagations"),
    ],
    outputs=(
        Output(
            "accepted_attachment_ids",
            ids_by_key(ACCEPTER),
            "Attachment IDs this account accepted, by <gateway>/<network>",
        ),
        Output(
            "accepted_gateway_ids",
            ids_by_key(ACCEPTER, "transit_gateway_id"),
            "The gateway ID of each attachment this account accepted, by <gateway>/<network>",
        ),
    ),
)


def is_gateway_route(node: Node) -> bool:
    """Whether a route goes to a transit gateway (this exporter's routes)."""
    return node.kind == "route" and parse(node.desired["target"]).kind in GATEWAY_TARGETS


def gateway_arn(region: str, account_id: str, gateway_id: str) -> str:
    """A transit gateway's ARN (what RAM shares), as lz builds it."""
    return f"arn:aws:ec2:{region}:{account_id}:transit-gateway/{gateway_id}"


def _principal_names(node: Node) -> list[str]:
    """A share's principals by account name (lz's desired holds `{account_id:NAME}`)."""
    names = []
    for principal in node.desired["principals"]:
        match = ACCOUNT_REF.fullmatch(principal)
        if match is None or match.group(1) is None:
            raise RuntimeError(f"internal error: {node.address}: principal {principal}")
        names.append(match.group(1))
    return sorted(names)


class _Builder:
    """The stacks of every transit gateway, node by node."""

    def __init__(self, inventory: Inventory, attachments: Mapping[str, Node]) -> None:
        self.inventory = inventory
        self.attachments = attachments  # every attachment node, by address
        self.stacks: dict[StackRef, PartBuilder] = {}
        self.sharing: StackRef | None = None  # the stack that enables RAM sharing

    def stack(self, account: str, region: str | None, name: str) -> PartBuilder:
        """The stack `name` of an account and region (made on first use)."""
        assert region is not None
        ref = StackRef(account, region, name)
        if ref not in self.stacks:
            self.stacks[ref] = self._new(ref)
        return self.stacks[ref]

    @staticmethod
    def _new(ref: StackRef) -> PartBuilder:
        if ref.stack == STACK:
            return PartBuilder(
                ref, MODULE, {}, ["account_ids"], ram_sharing=[], ram_sharing_enabled=None
            )
        network = StackRef(ref.account, ref.region, NETWORK_STACK)
        if ref.stack == ATTACHMENT_STACK:
            remote = {name: RemoteOutput(network, name) for name in ("vpc_ids", "subnet_ids")}
            return PartBuilder(ref, ATTACHMENT_MODULE, remote, ["transit_gateway_ids"])
        if ref.stack == ROUTES_STACK:
            remote = {"route_table_ids": RemoteOutput(network, "route_table_ids")}
            return PartBuilder(ref, ROUTES_MODULE, remote, ["gateway_ids"])
        owner = StackRef(ref.account, ref.region, STACK)
        remote = {"route_table_ids": RemoteOutput(owner, "transit_gateway_route_table_ids")}
        return PartBuilder(ref, ROUTING_MODULE, remote, ["attachment_ids"], accepters=[])

    def record_id(self, address: str) -> str | None:
        """The ID lz recorded for an address, if lz applied it."""
        record = self.inventory.record(address)
        return record.id if record else None

    def add(self, node: Node) -> None:
        """A node of one of the exporter's kinds."""
        getattr(self, f"_{node.kind}")(node)

    def _ram_sharing(self, node: Node) -> None:
        found = self.stack(node.account, node.region, STACK)
        found.nodes.append(node)
        found.values["ram_sharing"] = [RAM_SHARING_KEY]
        self.sharing = found.stack
        applied = self.inventory.record(node.address) is not None
        account_id = self.inventory.management_account_id if applied else None
        found.imported(node, RAM_SHARING, RAM_SHARING_KEY, account_id)

    def _transit_gateway(self, node: Node) -> None:
        desired = node.desired
        key = key_of(node.address)
        value = {
            "description": desired["description"],
            "asn": desired["asn"],
            **{name: desired["options"][name] for name in OPTIONS},
            **tags_value(node),
        }
        found = self.stack(node.account, node.region, STACK)
        found.add(node, "transit_gateways", key, value)
        found.imported(node, GATEWAY, key, self.record_id(node.address))

    def _resource_share(self, node: Node) -> None:
        desired = node.desired
        key = key_of(node.address)
        [gateway] = desired["resources"]  # lz shares each gateway on its own
        if parse(gateway).account != node.account:
            raise RuntimeError(f"internal error: {node.address} shares {gateway}")
        principals = _principal_names(node)
        value = {
            "name": desired["name"],
            "gateway": key_of(gateway),
            "principals": principals,
            "allow_external_principals": desired["allow_external_principals"],
            **tags_value(node),
        }
        found = self.stack(node.account, node.region, STACK)
        found.add(node, "resource_shares", key, value)
        record = self.inventory.record(node.address)
        found.imported(node, SHARE, key, record.id if record else None)
        gateway_id = self.record_id(gateway)
        owner_id = self.inventory.account_id(node.account)
        association = None
        if record and gateway_id and owner_id and gateway in record.attrs.get("resources", []):
            assert node.region is not None
            association = f"{record.id},{gateway_arn(node.region, owner_id, gateway_id)}"
        what = f"resource share association {key}"
        found.imported(node, RESOURCE_ASSOCIATION, key, association, what)
        for account in principals:
            found.read(
                "account_ids",
                account,
                self.inventory.account_id_output(account)
                or RemoteOutput(self.inventory.organization_stack(), "management_account_id"),
            )
            account_id = self.inventory.account_id(account)
            principal = None
            if record and account_id in record.attrs.get("principals", []):
                principal = f"{record.id},{account_id}"
            what = f"resource share principal {key}/{account}"
            found.imported(node, PRINCIPAL_ASSOCIATION, f"{key}/{account}", principal, what)

    def _transit_gateway_route_table(self, node: Node) -> None:
        desired = node.desired
        key = key_of(node.address)
        value = {"gateway": key_of(desired["transit_gateway"]), **tags_value(node)}
        found = self.stack(node.account, node.region, STACK)
        found.add(node, "route_tables", key, value)
        record = self.inventory.record(node.address)
        found.imported(node, ROUTE_TABLE, key, record.id if record else None)
        for variable, resource in (("associations", ASSOCIATION), ("propagations", PROPAGATION)):
            for attachment in desired[variable]:
                routing = self.stack(node.account, node.region, ROUTING_STACK)
                attachment_key = key_of(attachment)  # <gateway>/<network>
                link = f"{key}/{attachment_key.split('/', 1)[1]}"
                value = {"route_table": key, "attachment": attachment_key}
                routing.add(node, variable, link, value)
                self._read_attachment_id(routing, attachment)
                attachment_id = self.record_id(attachment)
                id_ = None
                if record and attachment_id and attachment in record.attrs.get(variable, []):
                    id_ = f"{record.id}_{attachment_id}"
                what = f"transit gateway route table {variable[:-1]} {link}"
                routing.imported(node, resource, link, id_, what)

    @staticmethod
    def _read_attachment_id(routing: PartBuilder, attachment: str) -> None:
        """The routing stack reads an attachment's ID from its account's attachment stack."""
        place = parse(attachment)
        member = StackRef(place.account, place.region, ATTACHMENT_STACK)
        key = key_of(attachment)
        output = RemoteOutput(member, "transit_gateway_attachment_ids", key)
        routing.read("attachment_ids", key, output)

    def _transit_gateway_attachment(self, node: Node) -> None:
        desired = node.desired
        key = key_of(node.address)
        gateway = parse(desired["transit_gateway"])
        shared = gateway.account != node.account
        value = {
            "gateway": gateway.rest,
            "network": key_of(desired["vpc"]),
            "subnets": [key_of(s) for s in desired["subnets"]],
            "shared": shared,
            **tags_value(node),
        }
        found = self.stack(node.account, node.region, ATTACHMENT_STACK)
        found.add(node, "attachments", key, value)
        owner = StackRef(gateway.account, gateway.region, STACK)
        gateway_id = RemoteOutput(owner, "transit_gateway_ids", gateway.rest)
        found.read("transit_gateway_ids", gateway.rest, gateway_id)
        record = self.inventory.record(node.address)
        found.imported(node, ATTACHMENT, key, record.id if record else None)
        if not shared:
            return  # nothing to accept
        routing = self.stack(gateway.account, gateway.region, ROUTING_STACK)
        routing.nodes.append(node)
        routing.values["accepters"].append(key)
        self._read_attachment_id(routing, node.address)
        accepted = record is not None and record.attrs.get("state") == AVAILABLE
        id_ = record.id if record and accepted else None
        routing.imported(node, ACCEPTER, key, id_, f"transit gateway attachment acceptance {key}")

    def _route(self, node: Node) -> None:
        desired = node.desired
        key = key_of(node.address)
        target = parse(desired["target"])
        attachment = target.rest  # <gateway>/<network> of an attachment target
        if target.kind == "transit_gateway":  # through the route's own network's attachment
            attachment = f"{target.rest}/{network_of(node.address)}"
        value = {
            "route_table": key_of(desired["route_table"]),
            "destination": desired["destination"],
            "attachment": attachment,
        }
        found = self.stack(node.account, node.region, ROUTES_STACK)
        found.add(node, "routes", key, value)
        found.read("gateway_ids", attachment, self._usable_gateway_id(node, attachment))
        record = self.inventory.record(node.address)
        id_ = import_id(node, record.id) if record else None  # <table id>_<cidr>
        found.imported(node, ROUTE, key, id_)

    def _usable_gateway_id(self, route: Node, attachment: str) -> RemoteOutput:
        """Where a route reads its gateway's ID: from the owner's acceptance of a shared
        gateway's attachment, else from the account's own attachment."""
        assert route.region is not None
        address = gateway_attachment(route.account, route.region, *attachment.split("/", 1))
        gateway = parse(self.attachments[address].desired["transit_gateway"])
        if gateway.account != route.account:
            routing = StackRef(gateway.account, gateway.region, ROUTING_STACK)
            return RemoteOutput(routing, "accepted_gateway_ids", attachment)
        member = StackRef(route.account, route.region, ATTACHMENT_STACK)
        return RemoteOutput(member, "attachment_gateway_ids", attachment)

    def parts(self) -> list[StackPart]:
        """Every stack's part; owners that share read whether RAM sharing is on."""
        for ref, found in sorted(self.stacks.items()):
            if ref.stack == ROUTING_STACK:
                found.values["accepters"].sort()
            sharing = self.sharing
            if (
                ref.stack == STACK
                and found.values["resource_shares"]
                and sharing not in (None, ref)
            ):
                assert sharing is not None
                found.remote["ram_sharing_enabled"] = RemoteOutput(sharing, "ram_sharing_enabled")
        return [found.part() for _, found in sorted(self.stacks.items())]


@register
class TransitGatewayExporter(Exporter):
    """Transit gateways: the owner's gateway and routing stacks, each member's attachments
    and routes.

    `module()` is the gateway's module; the attachment, routing and routes stacks
    call `ATTACHMENT_MODULE`, `ROUTING_MODULE` and `ROUTES_MODULE`.
    """

    name = "transit_gateway"
    kinds = frozenset(
        {
            "transit_gateway",
            "ram_sharing",
            "resource_share",
            "transit_gateway_attachment",
            "transit_gateway_route_table",
            "route",
        }
    )

    def handles(self, node: Node) -> bool:
        """Every node of its kinds but routes to anything other than a transit gateway."""
        return node.kind != "route" or is_gateway_route(node)

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        attachments = {n.address: n for n in nodes if n.kind == "transit_gateway_attachment"}
        builder = _Builder(inventory, attachments)
        for node in sorted(nodes, key=lambda n: n.address):
            builder.add(node)
        return builder.parts()
