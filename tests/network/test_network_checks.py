"""The networking rules: each broken once against a valid spec, each at its file:line."""

from __future__ import annotations

import textwrap

# Networks added to the valid spec of tests/spec (accounts shared and dev; dev uses
# us-west-2 and eu-central-1). Lines: shared at 2, dev at 9, the peering at 15.
NETWORK = """\
networks:
  shared:
    account: shared
    cidr: 10.0.0.0/16
    tiers:
      public: {public: true}
      private: {nat: true}
      database: {}
  dev:
    account: dev
    cidr: 10.1.0.0/16
    tiers:
      private: {}
peerings:
  dev-shared:
    requester: {network: dev, tiers: [private]}
    accepter: {network: shared, tiers: [database]}
"""


def files(valid: dict[str, str], network: str = NETWORK, extra: str = "") -> dict[str, str]:
    return {**valid, "catalog/network.yaml": network + textwrap.dedent(extra)}


def edit(old: str, new: str) -> str:
    assert old in NETWORK, old
    return NETWORK.replace(old, new, 1)


def test_networks_peerings_gateways_and_zones_load(write_spec, valid, load_ok):
    extra = """\
        transit_gateways:
          core:
            account: shared
            share: {accounts: [dev]}
            attachments: {shared: {}, dev: {}}
            reach: {dev: [shared]}
        dns:
          internal.acme.example:
            account: shared
            networks: [shared, dev]
        """
    network = edit("peerings:", "peerings_unused:").split("peerings_unused:")[0]
    loaded = load_ok(write_spec(files(valid, network, extra)))
    assert sorted(loaded.spec.networks) == ["dev", "shared"]
    assert loaded.spec.transit_gateways["core"].reach == {"dev": ["shared"]}


def test_peered_networks_must_not_overlap(write_spec, valid, problems_of):
    network = edit("cidr: 10.1.0.0/16", "cidr: 10.0.128.0/17")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:15: peering "dev-shared": networks "dev" (10.0.128.0/17) and '
        '"shared" (10.0.0.0/16) overlap; connected networks need distinct addresses'
    ]


def test_networks_that_are_not_connected_may_overlap(write_spec, valid, load_ok):
    network = edit("cidr: 10.1.0.0/16", "cidr: 10.0.0.0/16").split("peerings:")[0]
    assert load_ok(write_spec(files(valid, network))).spec.networks["dev"].cidr == "10.0.0.0/16"


def test_networks_on_one_transit_gateway_must_not_overlap(write_spec, valid, problems_of):
    network = edit("cidr: 10.1.0.0/16", "cidr: 10.0.0.0/20").split("peerings:")[0]
    extra = """\
        transit_gateways:
          core:
            account: shared
            share: {accounts: [dev]}
            attachments: {shared: {}, dev: {}}
        """
    (problem,) = problems_of(write_spec(files(valid, network, extra)))
    assert problem.startswith("catalog/network.yaml:")
    assert 'networks "dev" (10.0.0.0/20) and "shared" (10.0.0.0/16) overlap' in problem


def test_references_to_unknown_networks_and_tiers_say_what_exists(write_spec, valid, problems_of):
    network = edit(
        "accepter: {network: shared, tiers: [database]}",
        "accepter: {network: shraed, tiers: [database]}",
    )
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:17: peering "dev-shared": network "shraed" does not exist '
        '(did you mean "shared"? networks: dev, shared)'
    ]
    network = edit("tiers: [database]", "tiers: [databse]")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:17: peering "dev-shared": network "shared": tier "databse" does '
        'not exist (did you mean "database"? tiers: database, private, public)'
    ]


def test_unknown_accounts_and_regions_of_other_accounts(write_spec, valid, problems_of):
    network = edit("account: dev\n", "account: dve\n")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:10: network "dev": account "dve" does not exist (did you mean '
        '"dev"? accounts: dev, management, shared)'
    ]
    network = edit("account: dev\n", "account: dev\n    region: ap-south-1\n")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:11: network "dev": region "ap-south-1" is not a region of account '
        '"dev" (its regions: us-west-2, eu-central-1; see accounts.*.regions)'
    ]


def test_tiers_and_zones_must_fit_the_vpc(write_spec, valid, problems_of):
    network = edit("cidr: 10.1.0.0/16", "cidr: 10.1.0.0/26")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:9: network "dev": 10.1.0.0/26 cut into 4 tier slots of 4 zones '
        "gives /30 subnets, smaller than AWS's /28 (use a larger CIDR or fewer slots in `layout`)"
    ]
    network = edit("cidr: 10.1.0.0/16", "cidr: 10.1.0.0/16\n    zones: 5")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:12: network "dev": 5 zones do not fit the layout\'s 4 zone slots '
        "(raise layout.zones)"
    ]
    network = edit("      private: {}\npeerings", "      private: {slot: 4}\npeerings")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:13: network "dev": tier "private" takes slot 4, but the layout has '
        "4 tier slots (0 to 3; raise layout.tiers)"
    ]


def test_a_peering_inside_one_account_must_be_intended(write_spec, valid, problems_of, load_ok):
    network = edit("account: dev\n", "account: shared\n")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:15: peering "dev-shared": both networks are in account "shared"; '
        "if that is intended, say `same_account: true`"
    ]
    intended = network + "    same_account: true\n"
    assert load_ok(write_spec(files(valid, intended))).spec.peerings["dev-shared"].same_account


def test_a_route_table_that_would_break_segmentation(write_spec, valid, problems_of):
    network = NETWORK.split("peerings:")[0] + textwrap.dedent(
        """\
          qa:
            account: dev
            cidr: 10.2.0.0/16
            tiers:
              private: {}
        transit_gateways:
          core:
            account: shared
            share: {accounts: [dev]}
            attachments: {shared: {}, dev: {}, qa: {}}
            route_tables:
              workloads: [dev, qa]
            reach:
              dev: [shared]
        """
    )
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:25: transit gateway "core": route table "workloads" would let "qa" '
        'reach "shared", which only "dev" may reach; networks that share a route table reach the '
        'same networks (give "qa" a route table of its own or change `reach`)'
    ]


def test_attached_networks_need_the_gateway_shared_with_their_account(
    write_spec, valid, problems_of
):
    network = NETWORK.split("peerings:")[0]
    extra = """\
        transit_gateways:
          core:
            account: shared
            attachments: {shared: {}, dev: {}}
        """
    assert problems_of(write_spec(files(valid, network, extra))) == [
        'catalog/network.yaml:17: transit gateway "core": network "dev" is in account "dev", which '
        "the gateway is not shared with (add the account or its unit to `share`)"
    ]


def test_pool_collisions_name_both_networks_and_free_slots(write_spec, valid, problems_of, load_ok):
    # With /16 blocks of 10.0.0.0/14 (4 slots), "dev" and "qa" both hash to slot 3.
    network = textwrap.dedent(
        """\
        address_pools:
          main: {cidr: 10.0.0.0/14, prefix: 16}
        networks:
          dev:
            account: dev
            pool: main
            tiers: {private: {}}
          qa:
            account: dev
            pool: main
            tiers: {private: {}}
        """
    )
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:8: network "qa": pool "main" gives it 10.3.0.0/16, which network '
        '"dev" has too (catalog/network.yaml:4); give the newer one a `slot` (free: 0, 1, 2)'
    ]
    fixed = network.replace("tiers: {private: {}}\n", "slot: 1\n    tiers: {private: {}}\n", 1)
    loaded = load_ok(write_spec(files(valid, fixed)))
    assert loaded.spec.networks["dev"].slot == 1


def test_two_connections_cannot_want_one_destination(write_spec, valid, problems_of):
    gateway = """\
          account: shared
          share: {accounts: [dev]}
          attachments:
            shared: {route_tiers: [database]}
            dev: {}
          reach: {dev: [shared]}
    """
    extra = "transit_gateways:\n" + "".join(
        f"  {name}:\n" + textwrap.indent(textwrap.dedent(gateway), "    ")
        for name in ("core", "edge")
    )
    problems = problems_of(write_spec(files(valid, NETWORK.split("peerings:")[0], extra)))
    assert problems == [
        'catalog/network.yaml:26: network "shared": tier "database" would route 10.1.0.0/16 both '
        "to transit gateway core (catalog/network.yaml:19) and to transit gateway edge; a route "
        "table has one route per destination",
        'catalog/network.yaml:27: network "dev": tier "private" would route 10.0.0.0/16 both to '
        "transit gateway core (catalog/network.yaml:20) and to transit gateway edge; a route "
        "table has one route per destination",
    ]


def test_a_private_zone_needs_a_network_of_its_owner(write_spec, valid, problems_of):
    extra = """\
        dns:
          internal.acme.example:
            account: shared
            networks: [dev]
        """
    assert problems_of(write_spec(files(valid, NETWORK, extra))) == [
        'catalog/network.yaml:21: zone "internal.acme.example": AWS creates a private zone with '
        'a VPC of its owner; list a network of account "shared"'
    ]


def test_nat_needs_a_public_tier(write_spec, valid, problems_of):
    network = edit("      private: {}\npeerings", "      private: {nat: true}\npeerings")
    assert problems_of(write_spec(files(valid, network))) == [
        'catalog/network.yaml:13: network "dev": tier "private" uses NAT, which needs a public '
        "tier to hold the NAT gateway"
    ]
