"""The peering stacks: each requester's connections, each accepter's acceptances, the routes.

examples/coalition peers prod and dev (requesters) with the shared account
(the accepter of both). Applied to the emulator and exported through the CLI:
which stacks exist, what each reads from other stacks' state, where the
routes to a peering go, and that the import IDs agree with AWS. Then, with a
made-up inventory (no emulator): accounts that request from each other (the
stacks stay acyclic), a peer in the management account and another region,
and what lz has not applied (or not accepted) yet.
"""

from __future__ import annotations

import json
import shutil
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from landingzone.export.terraform import Estate, build_estate
from landingzone.validate import load_spec
from tests.aws import Aws
from tests.export import gates
from tests.export.conftest import EXAMPLES, applied_copy, run_lz
from tests.export.test_iam_export import inventory, record

PROD = "live/prod-us-east-1/peering"
DEV = "live/dev-us-east-1/peering"
SHARED = "live/shared-us-east-1/peering_accepter"
CONNECTION = "module.peering.aws_vpc_peering_connection.this"
ACCEPTANCE = "module.peering_accepter.aws_vpc_peering_connection_accepter.this"


# -- coalition, applied to the emulator -----------------------------------------------


@pytest.fixture(scope="module")
def applied(emulated: Emulator, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(spec directory, export) of coalition, applied and exported once."""
    emulated.reset()
    base = tmp_path_factory.mktemp("coalition")
    spec_dir = applied_copy("coalition", base)
    assert run_lz("export", "terraform", base / "repo", spec_dir) == 0
    return spec_dir, base / "repo"


def module_call(stack: Path, name: str) -> dict[str, Any]:
    """The arguments of a root module's call of module `name`."""
    calls = dict(gates.labelled(gates.parse(stack / "main.tf"), "module"))
    return calls[(name,)]


def remote_keys(stack: Path) -> dict[str, str]:
    """The state key each `terraform_remote_state` data source of a stack reads, by label."""
    doc = gates.parse(stack / "remote_state.tf")
    return {
        labels[1]: body["config"]["key"]
        for labels, body in gates.labelled(doc, "data")
        if labels[0] == "terraform_remote_state"
    }


def imports(stack: Path) -> dict[str, str]:
    return {to.strip("${}"): id_ for to, id_ in gates.imports(stack)}


def tfvars(stack: Path) -> dict[str, Any]:
    return dict(gates.parse(stack / "terraform.tfvars"))


e2e = pytest.mark.e2e  # these need the emulator


@e2e
def test_each_requester_gets_a_peering_stack_and_the_accepter_a_peering_accepter_stack(
    applied: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
):
    spec_dir, out = applied
    capsys.readouterr()
    assert run_lz("export", "terraform", out, spec_dir, "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert "vpc_peering" not in report["not_exported_kinds"]
    assert "route" not in report["not_exported_kinds"]  # every route has its stack
    assert report["not_applied"] == []
    peering = [s for s in report["stacks"] if s.endswith(("/peering", "/peering_accepter"))]
    assert peering == [DEV, PROD, SHARED]
    assert (out / "modules/peering/main.tf").is_file()
    assert (out / "modules/peering_accepter/main.tf").is_file()
    assert imports(out / PROD).keys() >= {f'{CONNECTION}["prod-shared"]'}
    assert set(imports(out / SHARED)) >= {
        f'{ACCEPTANCE}["prod-shared"]',
        f'{ACCEPTANCE}["dev-shared"]',
    }


@e2e
def test_the_accepter_reads_each_connection_id_from_its_requesters_peering_stack(
    applied: tuple[Path, Path], emulated: Emulator
):
    spec_dir, out = applied
    call = module_call(out / SHARED, "peering_accepter")
    assert call["connection_ids"] == {
        "dev-shared": "${data.terraform_remote_state.dev_us_east_1_peering.outputs."
        'peering_connection_ids["dev-shared"]}',
        "prod-shared": "${data.terraform_remote_state.prod_us_east_1_peering.outputs."
        'peering_connection_ids["prod-shared"]}',
    }
    keys = remote_keys(out / SHARED)
    assert keys["prod_us_east_1_peering"] == "prod/us-east-1/peering.tfstate"
    assert keys["dev_us_east_1_peering"] == "dev/us-east-1/peering.tfstate"
    assert keys["network"] == "shared/us-east-1/network.tfstate"  # its own route tables
    # Both sides import the one connection AWS has.
    pcx = imports(out / PROD)[f'{CONNECTION}["prod-shared"]']
    assert imports(out / SHARED)[f'{ACCEPTANCE}["prod-shared"]'] == pcx
    aws = Aws(emulated, region=load_spec(spec_dir).spec.organization.home_region)
    prod_id = aws.accounts()["prod"]["Id"]
    found = aws.client("ec2", prod_id).describe_vpc_peering_connections(
        VpcPeeringConnectionIds=[pcx]
    )["VpcPeeringConnections"]
    assert found[0]["AccepterVpcInfo"]["OwnerId"] == aws.accounts()["shared"]["Id"]


@e2e
def test_the_requester_reads_the_peer_vpc_and_account_from_their_stacks_not_literals(
    applied: tuple[Path, Path], emulated: Emulator
):
    _, out = applied
    call = module_call(out / PROD, "peering")
    network = "data.terraform_remote_state.prod_us_east_1_network.outputs"
    assert call["vpc_ids"] == f"${{{network}.vpc_ids}}"
    assert call["route_table_ids"] == f"${{{network}.route_table_ids}}"
    assert call["peer_vpc_ids"] == {
        "prod-shared": "${data.terraform_remote_state.shared_us_east_1_network.outputs."
        'vpc_ids["shared"]}'
    }
    assert call["peer_owner_ids"] == {
        "prod-shared": '${data.terraform_remote_state.organization.outputs.account_ids["shared"]}'
    }
    assert remote_keys(out / PROD)["shared_us_east_1_network"] == "shared/us-east-1/network.tfstate"
    values = tfvars(out / PROD)
    assert values["peerings"]["prod-shared"]["network"] == "prod"
    assert values["peerings"]["prod-shared"]["peer_region"] == "us-east-1"
    text = (out / PROD / "terraform.tfvars").read_text()
    shared_id = Aws(emulated).accounts()["shared"]["Id"]
    assert shared_id not in text and "vpc-" not in text and "pcx-" not in text
    main = (out / "modules/peering/main.tf").read_text()
    assert "auto_accept   = false" in main  # across accounts the accepter's stack accepts


@e2e
def test_routes_to_a_peering_are_in_the_peering_stacks_of_their_side(applied: tuple[Path, Path]):
    _, out = applied
    prod = tfvars(out / PROD)["routes"]
    assert prod == {  # prod's private tier to each of shared's database subnets
        f"prod/private/{cidr}": {
            "route_table": "prod/private",
            "destination": cidr,
            "peering": "prod-shared",
        }
        for cidr in ("10.0.128.0/20", "10.0.144.0/20")
    }
    shared = tfvars(out / SHARED)["routes"]
    assert {key: route["peering"] for key, route in shared.items()} == {
        "shared/database/10.1.64.0/20": "prod-shared",
        "shared/database/10.1.80.0/20": "prod-shared",
        "shared/database/10.2.0.0/20": "dev-shared",
        "shared/database/10.2.16.0/20": "dev-shared",
    }
    route = 'module.peering.aws_route.this["prod/private/10.0.128.0/20"]'
    assert imports(out / PROD)[route].endswith("_10.0.128.0/20")
    # The network stacks keep only the routes to their own gateways.
    network = tfvars(out / "live/prod-us-east-1/network")["routes"]
    assert set(network) == {"prod/private/0.0.0.0/0", "prod/public/0.0.0.0/0"}
    assert not any("10.0." in to for to in imports(out / "live/prod-us-east-1/network"))
    accepter = (out / "modules/peering_accepter/main.tf").read_text()
    assert (  # a route on the accepter's side waits for the acceptance
        "vpc_peering_connection_id = aws_vpc_peering_connection_accepter.this"
        "[each.value.peering].id"
    ) in accepter


# -- made-up inventories ---------------------------------------------------------------

MORE_NETWORKS = """\
networks:
  tools:
    account: shared
    cidr: 10.3.0.0/16
    tiers:
      private: {}
  hub:
    account: management
    region: us-west-2
    cidr: 10.4.0.0/16
    tiers:
      private: {}
peerings:
  tools-prod:           # shared requests from prod, which requests from shared
    requester: {network: tools, tiers: [private]}
    accepter: {network: prod, tiers: [private]}
  tools-hub:            # a peer in the management account, in another region
    requester: {network: tools, tiers: [private]}
    accepter: {network: hub, tiers: [private]}
"""


@pytest.fixture
def crossed(tmp_path: Path) -> Path:
    """coalition, plus peerings that cross: shared requests from prod and from management."""
    spec_dir = tmp_path / "coalition"
    shutil.copytree(EXAMPLES / "coalition", spec_dir)
    (spec_dir / "catalog" / "more.yaml").write_text(MORE_NETWORKS)
    main = spec_dir / "landingzone.yaml"
    main.write_text(
        main.read_text()
        .replace("  - catalog/network.yaml\n", "  - catalog/network.yaml\n  - catalog/more.yaml\n")
        .replace(
            "  home_region: us-east-1\n",
            "  home_region: us-east-1\n  regions: [us-east-1, us-west-2]\n",
        )
    )
    return spec_dir


def reads(estate: Estate) -> dict[str, set[str]]:
    """The stacks each stack reads, by path."""
    return {r.stack.path: {s.path for s in r.reads} for r in estate.roots}


def test_accounts_that_request_from_each_other_still_have_acyclic_stacks(crossed: Path):
    estate = build_estate(inventory(crossed))
    graph = reads(estate)
    order = list(TopologicalSorter(graph).static_order())  # raises CycleError on a cycle
    assert order.index("live/shared-us-east-1/peering") < order.index(
        "live/prod-us-east-1/peering_accepter"
    )
    assert order.index(PROD) < order.index(SHARED)
    # shared requests from prod and accepts from it: in two stacks, each read one way.
    assert "live/prod-us-east-1/network" in graph["live/shared-us-east-1/peering"]
    assert "live/shared-us-east-1/peering" in graph["live/prod-us-east-1/peering_accepter"]
    assert PROD in graph[SHARED]
    peering_reads = {
        read for path, found in graph.items() if path.endswith("/peering") for read in found
    }
    assert not any(path.endswith(("/peering", "/peering_accepter")) for path in peering_reads)


def test_a_peer_in_the_management_account_and_another_region(crossed: Path):
    estate = build_estate(inventory(crossed))
    requester = "live/shared-us-east-1/peering"
    doc = gates.parse_text(estate.files[f"{requester}/main.tf"])
    call = dict(gates.labelled(doc, "module"))[("peering",)]
    outputs = "${data.terraform_remote_state.%s.outputs.%s}"
    assert call["peer_vpc_ids"]["tools-hub"] == outputs % (
        "management_us_west_2_network",
        'vpc_ids["hub"]',
    )
    assert call["peer_owner_ids"]["tools-hub"] == outputs % (
        "organization",
        "management_account_id",
    )
    values = dict(gates.parse_text(estate.files[f"{requester}/terraform.tfvars"]))
    assert values["peerings"]["tools-hub"]["peer_region"] == "us-west-2"
    accepter = "live/management-us-west-2/peering_accepter"
    assert reads(estate)[accepter] == {"live/management-us-west-2/network", requester}
    accepted = dict(gates.parse_text(estate.files[f"{accepter}/terraform.tfvars"]))
    assert accepted["region"] == "us-west-2"
    assert {r["peering"] for r in accepted["routes"].values()} == {"tools-hub"}


def test_what_lz_has_not_applied_or_accepted_is_pending(crossed: Path):
    address = "vpc_peering:prod/us-east-1/prod-shared"
    route = "route:prod/us-east-1/prod/private/10.0.128.0/20"
    records = {  # requested, not accepted yet; one route made
        address: record(
            address, "vpc_peering", "pcx-0123456789abcdef0", "prod", status="pending-acceptance"
        ),
        route: record(route, "route", "rtb-0123456789abcdef0|10.0.128.0/20", "prod"),
    }
    estate = build_estate(inventory(crossed, records))
    assert _imports(estate, PROD) == {
        f'{CONNECTION}["prod-shared"]': "pcx-0123456789abcdef0",
        'module.peering.aws_route.this["prod/private/10.0.128.0/20"]': (
            "rtb-0123456789abcdef0_10.0.128.0/20"
        ),
    }
    pending = set(estate.pending)
    assert (SHARED, "peering acceptance prod-shared") in pending  # Terraform accepts it
    assert (PROD, "route:prod/us-east-1/prod/private/10.0.144.0/20") in pending
    assert (DEV, "vpc_peering:dev/us-east-1/dev-shared") in pending
    assert (PROD, address) not in pending
    assert _imports(estate, SHARED) == {}


def _imports(estate: Estate, stack: str) -> dict[str, str]:
    doc = gates.parse_text(estate.files[f"{stack}/imports.tf"])
    return {i["to"].strip("${}"): i["id"] for i in doc.get("import", [])}
