"""Semantic checks of the networking sections: address pools and networks.

Like `spec/checks.py`, every problem is reported at the file:line that caused
it, all in one run, with a did-you-mean for names. Networks that pass are
planned (`network/layout.py`) and handed to the checks of what connects them
(`spec/connection_checks.py`). The rules are listed for users in docs/spec.md.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from ipaddress import IPv4Network

from landingzone.errors import SpecProblem
from landingzone.graph.targets import account_regions
from landingzone.network import cidr
from landingzone.network.layout import NetworkPlan, plan_network, tier_slots, zone_letters
from landingzone.spec.limits import partition_of, region_problem
from landingzone.spec.network import NAME_PATTERN, Network
from landingzone.spec.provenance import Provenance
from landingzone.spec.schema import Spec
from landingzone.spec.tree import TreePath
from landingzone.spec.units import all_unit_paths, well_formed
from landingzone.suggest import choices
from landingzone.validate.organization import MANAGEMENT

NAME = re.compile(NAME_PATTERN)
ZONE_LETTER = re.compile(r"^[a-z]$")
SERVICE = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
GATEWAY_SERVICES = ("s3", "dynamodb")  # the services AWS offers gateway endpoints for


@dataclass
class NetworkChecker:
    """What the networking checks share: the spec, where things are, what was found."""

    spec: Spec
    provenance: Provenance
    skipped: Mapping[str, set[str]]
    problems: list[SpecProblem] = field(default_factory=list)
    plans: dict[str, NetworkPlan] = field(default_factory=dict)  # networks that passed

    def report(self, path: TreePath, message: str, also: TreePath | None = None) -> None:
        """A problem at `path`; `also` names a second place involved."""
        related = self.provenance.where(*also) if also else None
        self.problems.append(
            SpecProblem(message, self.provenance.where(*path), (related,) if related else ())
        )

    def place(self, path: TreePath) -> str:
        """`file:line` of a path, for messages that point at a second place."""
        return str(self.provenance.where(*path))

    def exists(
        self, subject: str, kind: str, name: str, names: Collection[str], path: TreePath
    ) -> bool:
        """True if `name` is among `names`; else report it with a did-you-mean."""
        if name in names:
            return True
        self.report(
            path, f'{subject}: {kind} "{name}" does not exist ({choices(kind + "s", names, name)})'
        )
        return False

    def all_exist(
        self, subject: str, kind: str, names: list[str], known: Collection[str], path: TreePath
    ) -> bool:
        """True if every name of the list at `path` exists; reports each one that does not."""
        return all([self.exists(subject, kind, n, known, (*path, i)) for i, n in enumerate(names)])

    def named(self, subject: str, name: str, path: TreePath) -> bool:
        """True if a name of the networking sections is well formed; else report it."""
        if NAME.match(name):
            return True
        self.report(
            path,
            f'{subject}: the name must be 1 to 63 letters, digits, ".", "_" or "-", '
            "starting with a letter or digit",
        )
        return False

    @property
    def accounts(self) -> set[str]:
        """Account names a section may use: the spec's (invalid ones too) and management."""
        return {*self.spec.accounts, *self.skipped.get("accounts", ()), MANAGEMENT}

    @property
    def units(self) -> list[str]:
        """Unit paths of the spec, implied parents included."""
        units = [*self.spec.units, *self.skipped.get("units", ())]
        return all_unit_paths(filter(well_formed, units))

    def account_and_region(
        self, subject: str, account: str, region: str | None, path: TreePath
    ) -> bool:
        """The account exists and the region is one it uses; False (reported) otherwise."""
        if not self.exists(subject, "account", account, self.accounts, (*path, "account")):
            return False
        if region is None:
            return True
        problem = region_problem(region, partition_of(self.spec.organization.home_region))
        if problem:
            self.report((*path, "region"), f"{subject}: {problem}")
            return False
        if account in self.spec.accounts or account == MANAGEMENT:
            regions = account_regions(self.spec, account)
            if region not in regions:
                self.report(
                    (*path, "region"),
                    f'{subject}: region "{region}" is not a region of account "{account}" '
                    f"(its regions: {', '.join(regions)}; see accounts.*.regions)",
                )
                return False
        return True


def check_pools(checker: NetworkChecker) -> None:
    """Address pools: a CIDR, and blocks that fit in it."""
    for name, pool in checker.spec.address_pools.items():
        path: TreePath = ("address_pools", name)
        subject = f'address pool "{name}"'
        checker.named(subject, name, path)
        network = cidr.parse(pool.cidr)
        if network is None:
            checker.report((*path, "cidr"), f'{subject}: "{pool.cidr}" is not an IPv4 CIDR block')
        elif pool.prefix < network.prefixlen:
            checker.report(
                (*path, "prefix"),
                f"{subject}: blocks of /{pool.prefix} are wider than the pool ({pool.cidr})",
            )


def _vpc_cidr(checker: NetworkChecker, name: str, network: Network, path: TreePath) -> bool:
    subject = f'network "{name}"'
    if (network.cidr is None) == (network.pool is None):
        checker.report(path, f"{subject}: give either `cidr` or `pool` (one of them)")
        return False
    if network.cidr is not None:
        if network.slot is not None:
            checker.report((*path, "slot"), f"{subject}: `slot` chooses a block of a `pool`")
            return False
        found = cidr.parse(network.cidr)
        if found is None or not cidr.MIN_VPC_PREFIX <= found.prefixlen <= cidr.MAX_PREFIX:
            checker.report(
                (*path, "cidr"),
                f'{subject}: "{network.cidr}" is not an IPv4 CIDR block from /16 to /28 '
                "(the sizes AWS allows for a VPC)",
            )
            return False
        return True
    assert network.pool is not None
    pools = {*checker.spec.address_pools, *checker.skipped.get("address_pools", ())}
    if not checker.exists(subject, "address pool", network.pool, pools, (*path, "pool")):
        return False
    pool = checker.spec.address_pools.get(network.pool)
    pool_cidr = cidr.parse(pool.cidr) if pool else None
    if pool is None or pool_cidr is None or pool.prefix < pool_cidr.prefixlen:
        return False  # reported with the pool
    blocks = cidr.block_count(pool_cidr, pool.prefix)
    if network.slot is not None and network.slot >= blocks:
        checker.report(
            (*path, "slot"),
            f'{subject}: pool "{network.pool}" has {blocks} blocks of /{pool.prefix} '
            f"(slots 0 to {blocks - 1})",
        )
        return False
    return True


def _zones(checker: NetworkChecker, name: str, network: Network, path: TreePath) -> bool:
    subject = f'network "{name}"'
    letters = zone_letters(network.zones)
    if isinstance(network.zones, int) and not 1 <= network.zones <= 26:
        checker.report((*path, "zones"), f"{subject}: `zones` counts 1 to 26 zones (a to z)")
        return False
    bad = [z for z in letters if not ZONE_LETTER.match(z)]
    if not letters or bad or len(set(letters)) != len(letters):
        checker.report(
            (*path, "zones"),
            f"{subject}: `zones` is a count or a list of distinct zone letters (a, b, ...)",
        )
        return False
    if len(letters) > network.layout.zones:
        checker.report(
            (*path, "zones"),
            f"{subject}: {len(letters)} zones do not fit the layout's {network.layout.zones} "
            "zone slots (raise layout.zones)",
        )
        return False
    return True


def _layout(checker: NetworkChecker, name: str, network: Network, path: TreePath) -> bool:
    subject = f'network "{name}"'
    layout = network.layout
    fine = True
    for key, count in (("tiers", layout.tiers), ("zones", layout.zones)):
        if not cidr.is_power_of_two(count):
            checker.report(
                (*path, "layout", key),
                f"{subject}: layout.{key} must be a power of two, got {count}",
            )
            fine = False
    slots = tier_slots(network.tiers)
    seen: dict[int, str] = {}
    for tier, slot in slots.items():
        tier_path: TreePath = (*path, "tiers", tier)
        fine = checker.named(f'{subject}: tier "{tier}"', tier, tier_path) and fine
        if slot >= layout.tiers:
            checker.report(
                tier_path,
                f'{subject}: tier "{tier}" takes slot {slot}, but the layout has '
                f"{layout.tiers} tier slots (0 to {layout.tiers - 1}; raise layout.tiers)",
            )
            fine = False
        elif slot in seen:
            checker.report(
                tier_path,
                f'{subject}: tiers "{seen[slot]}" and "{tier}" both take slot {slot} '
                "(give one of them another `slot`)",
            )
            fine = False
        seen.setdefault(slot, tier)
    return fine


def _fits(checker: NetworkChecker, name: str, network: Network, vpc: IPv4Network) -> bool:
    layout = network.layout
    prefix = cidr.subnet_prefix(vpc, layout.tiers, layout.zones)
    if prefix <= cidr.MAX_PREFIX:
        return True
    checker.report(
        ("networks", name),
        f'network "{name}": {vpc} cut into {layout.tiers} tier slots of {layout.zones} zones '
        f"gives /{prefix} subnets, smaller than AWS's /{cidr.MAX_PREFIX} (use a larger CIDR or "
        "fewer slots in `layout`)",
    )
    return False


def _tiers_routing(checker: NetworkChecker, name: str, network: Network, path: TreePath) -> None:
    subject = f'network "{name}"'
    public = [t for t, tier in network.tiers.items() if tier.public]
    for tier_name, tier in network.tiers.items():
        tier_path: TreePath = (*path, "tiers", tier_name)
        if tier.public and tier.nat:
            checker.report(
                tier_path,
                f'{subject}: tier "{tier_name}" is public (internet gateway) and uses NAT; '
                "choose one",
            )
        elif tier.nat and not public:
            checker.report(
                tier_path,
                f'{subject}: tier "{tier_name}" uses NAT, which needs a public tier to hold '
                "the NAT gateway",
            )


def _endpoints(checker: NetworkChecker, name: str, network: Network, path: TreePath) -> None:
    subject = f'network "{name}"'
    endpoints = network.endpoints
    path = (*path, "endpoints")
    for index, tier in enumerate(endpoints.tiers or []):
        checker.exists(subject, "tier", tier, network.tiers, (*path, "tiers", index))
    for key in ("gateway", "interface"):
        services: list[str] = getattr(endpoints, key)
        for index, service in enumerate(services):
            where: TreePath = (*path, key, index)
            if key == "gateway" and service not in GATEWAY_SERVICES:
                checker.report(
                    where,
                    f"{subject}: AWS has gateway endpoints for {' and '.join(GATEWAY_SERVICES)} "
                    f'only, not "{service}" (make it an interface endpoint)',
                )
            elif not SERVICE.match(service):
                checker.report(
                    where,
                    f'{subject}: "{service}" is not a service name like "ecr.api" or "logs"',
                )
            elif service in services[:index]:
                checker.report(where, f'{subject}: endpoint "{service}" is listed twice')
    declared = endpoints.gateway or endpoints.interface
    private = [t for t, tier in network.tiers.items() if not tier.public]
    if declared and endpoints.tiers is None and not private:
        checker.report(
            path, f"{subject}: every tier is public; say which `tiers` the endpoints serve"
        )


def check_networks(checker: NetworkChecker) -> None:
    """Each network: account, region, addresses, tiers and endpoints; then pool collisions."""
    for name, network in checker.spec.networks.items():
        path: TreePath = ("networks", name)
        subject = f'network "{name}"'
        addressed = _vpc_cidr(checker, name, network, path)
        fine = all(
            [
                checker.named(subject, name, path),
                checker.account_and_region(subject, network.account, network.region, path),
                _zones(checker, name, network, path),
                _layout(checker, name, network, path),
            ]
        )
        _tiers_routing(checker, name, network, path)
        _endpoints(checker, name, network, path)
        if fine and addressed:
            plan = plan_network(checker.spec, name)
            if _fits(checker, name, network, plan.cidr):
                checker.plans[name] = plan
    _pool_collisions(checker)


def _pool_collisions(checker: NetworkChecker) -> None:
    taken: dict[tuple[str, IPv4Network], str] = {}
    for name, plan in checker.plans.items():
        network = checker.spec.networks[name]
        if network.pool is None:
            continue
        first = taken.setdefault((network.pool, plan.cidr), name)
        if first == name:
            continue
        pool = checker.spec.address_pools[network.pool]
        pool_cidr = cidr.parse(pool.cidr)
        assert pool_cidr is not None
        used = {c for (p, c) in taken if p == network.pool}
        free = [
            i
            for i in range(cidr.block_count(pool_cidr, pool.prefix))
            if cidr.block(pool_cidr, pool.prefix, i) not in used
        ][:3]
        checker.report(
            ("networks", name),
            f'network "{name}": pool "{network.pool}" gives it {plan.cidr}, which network '
            f'"{first}" has too ({checker.place(("networks", first))}); give the newer one a '
            f"`slot` (free: {', '.join(map(str, free)) or 'none'})",
            also=("networks", first),
        )
