"""The network view: VPCs with their CIDRs and tiers, in their accounts; peerings;
transit gateways with their route tables (who is associated with which, and
whose routes each holds: who may reach whom); private hosted zones and the
VPCs they are associated with.

Built from a `network.topology.Topology` (from the spec, or from AWS with
`--live`) and the spec's network plans, which say where each VPC lives.
"""

from __future__ import annotations

from landingzone.network.layout import NetworkPlan, plan_networks
from landingzone.network.topology import Gateway, Topology
from landingzone.spec.schema import Spec
from landingzone.views.diagram import Diagram, Group, Item, Link


def _account_group(diagram: Diagram, account: str) -> str:
    key = f"account:{account}"
    if all(g.key != key for g in diagram.groups):
        diagram.groups.append(Group(key, f"account {account}", "account"))
    return key


def _network_item(plan: NetworkPlan, group: str) -> Item:
    public = [t.name for t in plan.tiers if t.public]
    private = [t.name for t in plan.tiers if not t.public]
    tiers = "; ".join(
        part
        for part in (
            f"public: {', '.join(public)}" if public else "",
            f"private: {', '.join(private)}" if private else "",
        )
        if part
    )
    subnets = "; ".join(f"{s.tier}/{s.zone} {s.cidr}" for t in plan.tiers for s in t.subnets)
    return Item(
        f"network:{plan.name}",
        f"VPC {plan.name}",
        "network",
        group=group,
        lines=(str(plan.cidr), plan.region, tiers),
        details=(
            ("account", plan.account),
            ("region", plan.region),
            ("CIDR", str(plan.cidr)),
            ("tiers", tiers),
            ("subnets", subnets),
        ),
    )


def _gateway(diagram: Diagram, spec: Spec, key: str, gateway: Gateway) -> None:
    spec_gateway = spec.transit_gateways.get(gateway.name)
    owner = spec_gateway.account if spec_gateway else "unknown"
    group = f"gateway:{gateway.name}"
    diagram.groups.append(
        Group(
            group,
            f"transit gateway {gateway.name}",
            "gateway",
            parent=_account_group(diagram, owner),
            lines=(key,) if key != gateway.name else (),
        )
    )
    networks = {att_id: att.network for att_id, att in gateway.attachments.items()}
    for table_id, table in sorted(gateway.tables.items(), key=lambda kv: kv[1].name):
        members = sorted(
            a.network for a in gateway.attachments.values() if a.route_table == table_id
        )
        reaches = sorted({networks.get(att, att) for _, att in table.routes})
        diagram.items.append(
            Item(
                f"{group}/{table_id}",
                f"route table {table.name}",
                "gateway_table",
                group=group,
                lines=(
                    f"associated: {', '.join(members) or '-'}",
                    f"routes to: {', '.join(reaches) or '-'}",
                ),
                details=(
                    ("transit gateway", gateway.name),
                    ("associated networks", ", ".join(members) or "-"),
                    ("routes to", ", ".join(reaches) or "-"),
                ),
            )
        )
        for network in members:
            diagram.links.append(
                Link(f"network:{network}", f"{group}/{table_id}", "attached", "attachment")
            )
        for network in reaches:
            diagram.links.append(
                Link(f"{group}/{table_id}", f"network:{network}", "routes to", "propagation")
            )
    for attachment in gateway.attachments.values():
        if not attachment.available:
            diagram.notes.append(
                f"{gateway.name}: the attachment of {attachment.network} is not available"
            )


def network_diagram(spec: Spec, topology: Topology, *, source: str) -> Diagram:
    """VPCs, peerings, transit gateways and private zones of one topology."""
    diagram = Diagram("network", f"Networks of {spec.organization.name} ({source})")
    present = {s.network for s in topology.subnets}
    plans = {name: plan for name, plan in plan_networks(spec).items() if name in present}
    for plan in sorted(plans.values(), key=lambda p: (p.account, p.name)):
        diagram.items.append(_network_item(plan, _account_group(diagram, plan.account)))
    for peering in sorted(topology.peerings.values(), key=lambda p: p.name):
        first, second = sorted(peering.networks)
        label = f"peering {peering.name}" + ("" if peering.active else " (not active)")
        diagram.links.append(
            Link(f"network:{first}", f"network:{second}", label, "peering", both_ways=True)
        )
    for key, gateway in sorted(topology.gateways.items(), key=lambda kv: kv[1].name):
        _gateway(diagram, spec, key, gateway)
    for zone_name, zone in sorted(spec.dns.items()):
        associated = [n for n in zone.networks if n in plans]
        if not associated:
            continue
        zone_key = f"zone:{zone_name}"
        diagram.items.append(
            Item(
                zone_key,
                f"private zone {zone_name}",
                "zone",
                group=_account_group(diagram, zone.account),
                details=(("owner", zone.account), ("VPCs", ", ".join(zone.networks))),
            )
        )
        diagram.links += [
            Link(zone_key, f"network:{network}", "resolves in", "dns") for network in associated
        ]
    if len(plans) < len(spec.networks):
        missing = sorted(set(spec.networks) - set(plans))
        diagram.notes.append(f"not found in AWS: {', '.join(missing)}")
    return diagram
