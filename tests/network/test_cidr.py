"""Addresses: the same spec gives the same CIDRs, and adding a network, a tier or a zone
never renumbers what exists."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

from landingzone.network import cidr
from landingzone.network.layout import plan_networks
from landingzone.spec.schema import Spec


def spec(networks: dict[str, Any], **extra: Any) -> Spec:
    return Spec.model_validate(
        {
            "organization": {"name": "acme", "home_region": "us-east-1"},
            "accounts": {"dev": {"email": "dev@acme.example"}},
            "state": {"account": "dev"},
            "address_pools": {"main": {"cidr": "10.0.0.0/8", "prefix": 16}},
            "networks": networks,
            **extra,
        }
    )


def pooled(*names: str) -> dict[str, Any]:
    return {n: {"account": "dev", "pool": "main", "tiers": {"private": {}}} for n in names}


def cidrs(s: Spec) -> dict[str, str]:
    return {name: str(plan.cidr) for name, plan in plan_networks(s).items()}


def subnets(s: Spec, network: str) -> dict[tuple[str, str], str]:
    plan = plan_networks(s)[network]
    return {(t.name, sn.zone): str(sn.cidr) for t in plan.tiers for sn in t.subnets}


def test_a_name_lands_on_the_same_block_on_every_run_and_machine():
    assert cidr.name_slot("plat-prod", 256) == 61  # sha256, not Python's salted hash()
    assert cidrs(spec(pooled("plat-prod")))["plat-prod"] == "10.61.0.0/16"


def test_adding_networks_never_moves_existing_ones():
    before = cidrs(spec(pooled("shared", "prod", "dev")))
    after = cidrs(spec(pooled("alpha", "shared", "zeta", "prod", "dev", "qa")))
    assert {n: after[n] for n in before} == before
    assert len(set(after.values())) == len(after)


def test_a_slot_chooses_the_block():
    networks = pooled("shared")
    networks["shared"]["slot"] = 7
    assert cidrs(spec(networks))["shared"] == "10.7.0.0/16"


def test_subnets_are_fixed_slots_of_tier_and_zone():
    s = spec(
        {
            "shared": {
                "account": "dev",
                "cidr": "10.0.0.0/16",
                "tiers": {"public": {"public": True}, "private": {}, "database": {}},
            }
        }
    )
    assert subnets(s, "shared") == {
        ("public", "a"): "10.0.0.0/20",
        ("public", "b"): "10.0.16.0/20",
        ("private", "a"): "10.0.64.0/20",
        ("private", "b"): "10.0.80.0/20",
        ("database", "a"): "10.0.128.0/20",
        ("database", "b"): "10.0.144.0/20",
    }


def test_adding_a_tier_or_a_zone_never_renumbers_subnets():
    base = {"account": "dev", "cidr": "10.0.0.0/16", "tiers": {"public": {}, "private": {}}}
    before = subnets(spec({"n": base}), "n")
    grown = {**base, "zones": 3, "tiers": {"public": {}, "private": {}, "database": {}}}
    after = subnets(spec({"n": grown}), "n")
    assert {k: after[k] for k in before} == before
    assert after[("database", "c")] == "10.0.160.0/20"


def test_a_tier_written_first_keeps_the_others_in_place_with_a_slot():
    base = {"account": "dev", "cidr": "10.0.0.0/16", "tiers": {"public": {}, "private": {}}}
    before = subnets(spec({"n": base}), "n")
    inserted = {**base, "tiers": {"edge": {"slot": 3}, "public": {}, "private": {}}}
    after = subnets(spec({"n": inserted}), "n")
    assert {k: after[k] for k in before} == before
    assert after[("edge", "a")] == "10.0.192.0/20"


def test_the_layout_sets_the_subnet_size():
    assert cidr.subnet_prefix(IPv4Network("10.0.0.0/16"), 4, 4) == 20
    assert cidr.subnet_prefix(IPv4Network("10.0.0.0/16"), 8, 2) == 20
    assert cidr.subnet_prefix(IPv4Network("10.0.0.0/24"), 4, 4) == 28
    assert str(cidr.subnet(IPv4Network("10.0.0.0/16"), 8, 2, 5, 1)) == "10.0.176.0/20"
