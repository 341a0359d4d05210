"""Semantic checks of what connects networks: peerings, transit gateways, private zones,
and the routes they imply together.

Runs after `spec/network_checks.py`: only networks that passed their own
checks are looked at further (references to the others are not reported
twice). Rules for users are in docs/spec.md.
"""

from __future__ import annotations

import re

from landingzone.errors import SpecProblem
from landingzone.graph.targets import select_accounts
from landingzone.network.routes import RoutePlan, planned_routes
from landingzone.network.segments import conflicts
from landingzone.spec.network import PeeringSide, TransitGateway
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.validate.networks import NetworkChecker, check_networks, check_pools

ZONE_NAME = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _known_networks(checker: NetworkChecker) -> set[str]:
    return {*checker.spec.networks, *checker.skipped.get("networks", ())}


def _overlap(checker: NetworkChecker, a: str, b: str, how: str, path: TreePath) -> bool:
    """Report when two connected networks overlap; True when they do."""
    first, second = checker.plans[a].cidr, checker.plans[b].cidr
    if not first.overlaps(second):
        return False
    checker.report(
        path,
        f'{how}: networks "{a}" ({first}) and "{b}" ({second}) overlap; connected networks '
        "need distinct addresses",
        also=("networks", b),
    )
    return True


def _side(checker: NetworkChecker, subject: str, side: PeeringSide, path: TreePath) -> bool:
    known = _known_networks(checker)
    if not checker.exists(subject, "network", side.network, known, (*path, "network")):
        return False
    if side.network not in checker.plans:
        return False  # reported with the network
    tiers = [t.name for t in checker.plans[side.network].tiers]
    about = f'{subject}: network "{side.network}"'
    return checker.all_exist(about, "tier", side.tiers, tiers, (*path, "tiers"))


def check_peerings(checker: NetworkChecker) -> set[str]:
    """Each peering: two existing networks and tiers, other accounts, no overlap. Returns the
    peerings that passed."""
    passed: set[str] = set()
    pairs: dict[frozenset[str], str] = {}
    for name, peering in checker.spec.peerings.items():
        path: TreePath = ("peerings", name)
        subject = f'peering "{name}"'
        fine = all(
            [
                checker.named(subject, name, path),
                _side(checker, subject, peering.requester, (*path, "requester")),
                _side(checker, subject, peering.accepter, (*path, "accepter")),
            ]
        )
        if not fine:
            continue
        a, b = peering.requester.network, peering.accepter.network
        if a == b:
            checker.report(path, f'{subject}: a network cannot peer with itself ("{a}")')
            continue
        first = pairs.setdefault(frozenset((a, b)), name)
        if first != name:
            checker.report(
                path,
                f'{subject}: networks "{a}" and "{b}" are already peered by "{first}" '
                f"({checker.place(('peerings', first))})",
                also=("peerings", first),
            )
            continue
        account = checker.plans[a].account
        if account == checker.plans[b].account and not peering.same_account:
            checker.report(
                path,
                f'{subject}: both networks are in account "{account}"; if that is intended, '
                "say `same_account: true`",
            )
            continue
        if not _overlap(checker, a, b, subject, path):
            passed.add(name)
    return passed


def _gateway_attachments(
    checker: NetworkChecker, name: str, gateway: TransitGateway, region: str, shared: set[str]
) -> bool:
    subject = f'transit gateway "{name}"'
    fine = True
    for network, attachment in gateway.attachments.items():
        path: TreePath = ("transit_gateways", name, "attachments", network)
        if not checker.exists(subject, "network", network, _known_networks(checker), path):
            fine = False
            continue
        plan = checker.plans.get(network)
        if plan is None:
            fine = False
            continue
        tiers = [t.name for t in plan.tiers]
        about = f'{subject}: network "{network}"'
        if plan.region != region:
            checker.report(
                path,
                f"{about} is in {plan.region}, the gateway in {region} (a transit gateway "
                "attaches networks of its own region)",
            )
            fine = False
        if plan.account != gateway.account and plan.account not in shared:
            checker.report(
                path,
                f'{about} is in account "{plan.account}", which the gateway is not shared with '
                "(add the account or its unit to `share`)",
            )
            fine = False
        if attachment.tier is not None:
            fine = checker.exists(about, "tier", attachment.tier, tiers, (*path, "tier")) and fine
        route_tiers = attachment.route_tiers or []
        fine = checker.all_exist(about, "tier", route_tiers, tiers, (*path, "route_tiers")) and fine
    return fine


def _gateway_tables(checker: NetworkChecker, name: str, gateway: TransitGateway) -> bool:
    subject = f'transit gateway "{name}"'
    attached = set(gateway.attachments)
    fine = True
    owner: dict[str, str] = {}
    for table, members in gateway.route_tables.items():
        path: TreePath = ("transit_gateways", name, "route_tables", table)
        about = f'{subject}: route table "{table}"'
        fine = checker.named(about, table, path) and fine
        for index, network in enumerate(members):
            where: TreePath = (*path, index)
            if not checker.exists(about, "attached network", network, attached, where):
                fine = False
            elif network in owner:
                checker.report(
                    where,
                    f'{about}: network "{network}" is already in route table "{owner[network]}" '
                    "(a network is associated with one route table)",
                )
                fine = False
            owner.setdefault(network, table)
        if table in attached and table not in owner:
            checker.report(
                path,
                f'{about}: the name is taken by the route table of network "{table}", which is '
                "in no route table (choose another name or list the network here)",
            )
            fine = False
    for source, targets in gateway.reach.items():
        path = ("transit_gateways", name, "reach", source)
        if not checker.exists(subject, "attached network", source, attached, path):
            fine = False
        for index, target in enumerate(targets):
            if not checker.exists(subject, "attached network", target, attached, (*path, index)):
                fine = False
            elif target == source:
                checker.report((*path, index), f'{subject}: network "{source}" reaches itself')
                fine = False
    return fine


def check_gateways(checker: NetworkChecker) -> set[str]:
    """Each transit gateway: owner, sharing, attachments, route tables, reach, segmentation,
    no overlap between its networks. Returns the gateways that passed."""
    passed: set[str] = set()
    for name, gateway in checker.spec.transit_gateways.items():
        path: TreePath = ("transit_gateways", name)
        subject = f'transit gateway "{name}"'
        share = gateway.share
        fine = all(
            [
                checker.named(subject, name, path),
                checker.account_and_region(subject, gateway.account, gateway.region, path),
                checker.all_exist(
                    subject,
                    "account",
                    share.accounts,
                    checker.accounts,
                    (*path, "share", "accounts"),
                ),
                checker.all_exist(
                    subject, "unit", share.units, checker.units, (*path, "share", "units")
                ),
            ]
        )
        if not fine:
            continue
        region = gateway.region or checker.spec.organization.home_region
        shared = set(
            select_accounts(
                checker.spec, accounts=gateway.share.accounts, units=gateway.share.units
            )
        )
        fine = _gateway_attachments(checker, name, gateway, region, shared)
        fine = _gateway_tables(checker, name, gateway) and fine
        if not fine:
            continue
        for conflict in conflicts(gateway):
            allowed = ", ".join(f'"{n}"' for n in conflict.allowed)
            checker.report(
                (*path, "route_tables", conflict.table)
                if conflict.table in gateway.route_tables
                else (*path, "reach"),
                f'{subject}: route table "{conflict.table}" would let "{conflict.network}" reach '
                f'"{conflict.target}", which only {allowed} may reach; networks that share a '
                f'route table reach the same networks (give "{conflict.network}" a route table '
                "of its own or change `reach`)",
            )
            fine = False
        networks = sorted(gateway.attachments)
        for i, a in enumerate(networks):
            for b in networks[i + 1 :]:
                about = f'{subject}: attachment "{b}"'
                if _overlap(checker, a, b, about, (*path, "attachments", b)):
                    fine = False
        if fine:
            passed.add(name)
    return passed


def check_zones(checker: NetworkChecker) -> None:
    """Each private hosted zone: a domain name, an owner, networks, one of them the owner's."""
    for zone, hosted in checker.spec.dns.items():
        path: TreePath = ("dns", zone)
        subject = f'zone "{zone}"'
        if not ZONE_NAME.match(zone):
            checker.report(
                path, f"{subject}: not a domain name (lowercase, like internal.example.com)"
            )
        if not checker.exists(
            subject, "account", hosted.account, checker.accounts, (*path, "account")
        ):
            continue
        owned = False
        for index, network in enumerate(hosted.networks):
            where: TreePath = (*path, "networks", index)
            if not checker.exists(subject, "network", network, _known_networks(checker), where):
                continue
            if network in hosted.networks[:index]:
                checker.report(where, f'{subject}: network "{network}" is listed twice')
            plan = checker.plans.get(network)
            owned = owned or plan is None or plan.account == hosted.account
        if not owned:
            checker.report(
                (*path, "networks"),
                f"{subject}: AWS creates a private zone with a VPC of its owner; list a network "
                f'of account "{hosted.account}"',
            )


def check_routes(checker: NetworkChecker, peerings: set[str], gateways: set[str]) -> None:
    """Two connections that want the same destination in one route table cannot both have it."""
    spec = checker.spec.model_copy(
        update={
            "peerings": {n: p for n, p in checker.spec.peerings.items() if n in peerings},
            "transit_gateways": {
                n: g for n, g in checker.spec.transit_gateways.items() if n in gateways
            },
        }
    )
    seen: dict[tuple[str, str, object], RoutePlan] = {}
    for route in planned_routes(spec, checker.plans):
        first = seen.setdefault((route.network, route.tier, route.destination), route)
        if first.target != route.target:
            checker.report(
                route.origin,
                f'network "{route.network}": tier "{route.tier}" would route {route.destination} '
                f"both to {first.target} ({checker.place(first.origin)}) and to {route.target}; "
                "a route table has one route per destination",
                also=first.origin,
            )


def check_network(
    spec: Spec, provenance: Provenance, skipped: dict[str, set[str]] | None = None
) -> list[SpecProblem]:
    """Every problem of the networking sections, each at the file:line that caused it."""
    checker = NetworkChecker(spec, provenance, skipped or {})
    check_pools(checker)
    check_networks(checker)
    peerings = check_peerings(checker)
    gateways = check_gateways(checker)
    check_zones(checker)
    check_routes(checker, peerings, gateways)
    return checker.problems
