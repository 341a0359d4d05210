"""The transit gateway stacks: cloudposse's gateway, shared through RAM with the plat accounts.

The example is applied to the emulator and exported through the CLI: which
stacks hold what, that their remote state reads go one way, the members'
routes to the gateway, and the import IDs. Made-up inventories (no emulator)
cover what lz has not applied and an attachment in the owner's own account.
"""

from __future__ import annotations

import contextlib
import graphlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from landingzone.emulator import Emulator
from landingzone.export.inventory import Inventory
from landingzone.export.registry import exporters
from landingzone.export.terraform import Estate, build_estate
from landingzone.graph import build_graph
from landingzone.nodes import ResourceRecord
from landingzone.validate import load_spec
from tests.export import gates
from tests.export.conftest import ALL_EXAMPLES, EXAMPLES, applied_copy, run_lz

KINDS = {
    "transit_gateway",
    "ram_sharing",
    "resource_share",
    "transit_gateway_attachment",
    "transit_gateway_route_table",
    "route",
}
OWNER = "live/core-network-us-east-1"
MEMBERS = ("core-artifacts", "plat-dev", "plat-prod", "plat-staging")  # the attached networks
SHARING = "live/management-us-east-1/transit_gateway"
GATEWAY = f"{OWNER}/transit_gateway"
ROUTING = f"{OWNER}/transit_gateway_routing"


def attachment_stack(account: str) -> str:
    return f"live/{account}-us-east-1/transit_gateway_attachment"


def routes_stack(account: str) -> str:
    return f"live/{account}-us-east-1/transit_gateway_routes"


def tfvars(tree: Path, stack: str) -> dict[str, Any]:
    return dict(gates.parse(tree / stack / "terraform.tfvars"))


def imported(tree: Path, stack: str) -> dict[str, str]:
    """Import IDs by `module.M.TYPE.NAME["key"]`."""
    return dict(gates.imports(tree / stack))


def remote_reads(tree: Path) -> dict[str, set[str]]:
    """Each root module's path -> the paths of the stacks whose state it reads."""
    reads: dict[str, set[str]] = {}
    for stack in gates.root_modules(tree):
        found: set[str] = set()
        path = stack / "remote_state.tf"
        for _, body in gates.labelled(gates.parse(path) if path.exists() else {}, "data"):
            account_region, _, name = body["config"]["key"].removesuffix(".tfstate").rpartition("/")
            account, _, region = account_region.partition("/")
            found.add("bootstrap" if name == "bootstrap" else f"live/{account}-{region}/{name}")
        reads[stack.relative_to(tree).as_posix()] = found
    return reads


@pytest.fixture(scope="module")
def exported(
    emulated: Emulator, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Any]]:
    """cloudposse applied and exported: the tree and the `--json` report."""
    emulated.reset()
    base = tmp_path_factory.mktemp("cloudposse")
    spec_dir = applied_copy("cloudposse", base)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert run_lz("export", "terraform", base / "repo", spec_dir, "--json") == 0
    return base / "repo", json.loads(out.getvalue())


@pytest.mark.e2e
def test_the_gateway_its_attachments_and_its_routing_have_stacks_of_their_own(exported):
    tree, report = exported
    stacks = {s for s in report["stacks"] if "/transit_gateway" in s}
    members = {*map(attachment_stack, MEMBERS), *map(routes_stack, MEMBERS)}
    assert stacks == {SHARING, GATEWAY, ROUTING, *members}
    sharing = tfvars(tree, SHARING)  # the management account enables RAM sharing, only that
    assert sharing["ram_sharing"] == ["organization"]
    assert sharing["transit_gateways"] == sharing["resource_shares"] == {}
    owner = tfvars(tree, GATEWAY)
    gateway = owner["transit_gateways"]["core"]
    assert (gateway["asn"], gateway["auto_accept_shared_attachments"]) == (64512, "disable")
    assert gateway["default_route_table_association"] == "disable"
    assert gateway["default_route_table_propagation"] == "disable"
    share = owner["resource_shares"]["core"]
    assert share["gateway"] == "core" and share["allow_external_principals"] is False
    assert share["principals"] == [*MEMBERS[:3], "plat-sandbox", "plat-staging"]  # by name
    assert sorted(owner["route_tables"]) == ["core/shared", "core/workloads"]
    call = dict(gates.labelled(gates.parse(tree / GATEWAY / "main.tf"), "module"))
    assert call[("transit_gateway",)]["account_ids"]["plat-prod"] == (  # the organization's
        '${data.terraform_remote_state.organization.outputs.account_ids["plat-prod"]}'
    )
    for account in MEMBERS:
        values = tfvars(tree, attachment_stack(account))
        attachment = values["attachments"][f"core/{account}"]
        assert (attachment["gateway"], attachment["network"]) == ("core", account)
        assert attachment["shared"] is True  # core-network owns the gateway
        assert all(s.startswith(f"{account}/private/") for s in attachment["subnets"])
    routing = tfvars(tree, ROUTING)
    assert routing["accepters"] == [f"core/{a}" for a in MEMBERS]
    assert routing["associations"]["core/workloads/plat-dev"] == {
        "route_table": "core/workloads",
        "attachment": "core/plat-dev",
    }
    assert sorted(routing["propagations"]) == [
        "core/shared/plat-dev",
        "core/shared/plat-prod",
        "core/shared/plat-staging",
        "core/workloads/core-artifacts",
    ]


@pytest.mark.e2e
def test_remote_state_reads_go_one_way(exported):
    tree, _ = exported
    reads = remote_reads(tree)
    order = list(graphlib.TopologicalSorter(reads).static_order())  # CycleError on a cycle
    organization = "live/management-us-east-1/organization"
    assert reads[SHARING] == set()  # the management account's own stack
    assert reads[GATEWAY] == {organization, SHARING}
    for account in MEMBERS:
        network = f"live/{account}-us-east-1/network"
        assert reads[attachment_stack(account)] == {organization, network, GATEWAY}
    assert reads[ROUTING] == {organization, GATEWAY, *map(attachment_stack, MEMBERS)}
    for before, after in [(SHARING, GATEWAY), (GATEWAY, attachment_stack("plat-dev"))]:
        assert order.index(before) < order.index(after)
    assert order.index(ROUTING) > max(order.index(attachment_stack(a)) for a in MEMBERS)
    for account in MEMBERS:  # routes after the acceptance of their attachments
        network = f"live/{account}-us-east-1/network"
        assert reads[routes_stack(account)] == {organization, network, ROUTING}
        assert order.index(routes_stack(account)) > order.index(ROUTING)
    main = (tree / ROUTING / "main.tf").read_text()
    assert (
        "data.terraform_remote_state.plat_dev_us_east_1_transit_gateway_attachment"
        '.outputs.transit_gateway_attachment_ids["core/plat-dev"]'
    ) in main


@pytest.mark.e2e
def test_members_routes_to_the_gateway_wait_for_the_acceptance_in_a_stack_of_their_own(
    exported,
):
    tree, _ = exported
    routes = tfvars(tree, routes_stack("plat-prod"))["routes"]
    assert routes == {
        f"plat-prod/{tier}/10.78.0.0/16": {
            "route_table": f"plat-prod/{tier}",
            "destination": "10.78.0.0/16",  # core-artifacts
            "attachment": "core/plat-prod",
        }
        for tier in ("database", "private")
    }
    artifacts = tfvars(tree, routes_stack("core-artifacts"))["routes"]
    assert {r["destination"] for r in artifacts.values()} == {
        "10.187.0.0/16",
        "10.212.0.0/16",
        "10.61.0.0/16",
    }  # every stage it may reach
    network = tfvars(tree, "live/plat-prod-us-east-1/network")["routes"]
    assert network and not any("10.78.0.0/16" in key for key in network)  # not twice
    module = gates.parse(tree / "modules/transit_gateway_routes/main.tf")
    route = dict(gates.labelled(module, "resource"))[("aws_route", "this")]
    assert route["transit_gateway_id"] == "${var.gateway_ids[each.value.attachment]}"
    call = dict(gates.labelled(gates.parse(tree / routes_stack("plat-prod") / "main.tf"), "module"))
    assert call[("transit_gateway_routes",)]["gateway_ids"] == {  # from the owner's acceptance
        "core/plat-prod": "${data.terraform_remote_state.transit_gateway_routing"
        '.outputs.accepted_gateway_ids["core/plat-prod"]}'
    }
    assert "routes" not in tfvars(tree, attachment_stack("plat-prod"))


@pytest.mark.e2e
def test_everything_lz_made_is_imported_with_terraforms_ids(exported):
    tree, report = exported
    assert not [p for p in report["not_applied"] if "transit_gateway" in p["stack"]]
    sharing = imported(tree, SHARING)
    key = 'module.transit_gateway.aws_ram_sharing_with_organization.this["organization"]'
    assert re.fullmatch(r"\d{12}", sharing[key])  # the management account's ID
    owner = imported(tree, GATEWAY)
    prefix = "module.transit_gateway."
    gateway_id = owner[f'{prefix}aws_ec2_transit_gateway.this["core"]']
    share_arn = owner[f'{prefix}aws_ram_resource_share.this["core"]']
    assert gateway_id.startswith("tgw-") and share_arn.startswith("arn:aws:ram:us-east-1:")
    assert owner[f'{prefix}aws_ram_resource_association.this["core"]'] == (
        f"{share_arn},arn:aws:ec2:us-east-1:{share_arn.split(':')[4]}:transit-gateway/{gateway_id}"
    )
    principals = {k: v for k, v in owner.items() if "principal_association" in k}
    assert len(principals) == 5
    assert all(re.fullmatch(rf"{re.escape(share_arn)},\d{{12}}", v) for v in principals.values())
    tables = {
        k.split('"')[1]: v for k, v in owner.items() if "aws_ec2_transit_gateway_route_table." in k
    }
    assert sorted(tables) == ["core/shared", "core/workloads"]
    attachments = {}
    for account in MEMBERS:
        found = imported(tree, attachment_stack(account))
        resource = "module.transit_gateway_attachment.aws_ec2_transit_gateway_vpc_attachment"
        attachments[account] = found.pop(f'{resource}.this["core/{account}"]')
        assert attachments[account].startswith("tgw-attach-") and not found
        routes = imported(tree, routes_stack(account)).values()
        assert routes and all(re.fullmatch(r"rtb-\w+_10\.\d+\.0\.0/16", v) for v in routes)
    routing = imported(tree, ROUTING)
    prefix = "module.transit_gateway_routing."
    for account in MEMBERS:  # the member's attachment, accepted by the owner
        accepter = f'{prefix}aws_ec2_transit_gateway_vpc_attachment_accepter.this["core/{account}"]'
        assert routing[accepter] == attachments[account]
    association = f"{prefix}aws_ec2_transit_gateway_route_table_association.this"
    assert routing[f'{association}["core/workloads/plat-dev"]'] == (
        f"{tables['core/workloads']}_{attachments['plat-dev']}"
    )
    propagation = f"{prefix}aws_ec2_transit_gateway_route_table_propagation.this"
    assert routing[f'{propagation}["core/workloads/core-artifacts"]'] == (
        f"{tables['core/workloads']}_{attachments['core-artifacts']}"
    )
    assert len(routing) == 4 + 4 + 4  # acceptances, associations, propagations


@pytest.mark.e2e
def test_the_transit_gateway_kinds_are_exported(exported):
    _, report = exported
    assert not KINDS & set(report["not_exported_kinds"])


# -- without the emulator ------------------------------------------------------------

MANAGEMENT_ID = "999999999999"


def estate_of(spec_dir: Path, records: dict[str, ResourceRecord] | None = None) -> Estate:
    """The export of a spec whose accounts exist (made-up IDs) and `records`."""
    spec = load_spec(spec_dir).spec
    found = {
        f"account:{name}": ResourceRecord(
            f"account:{name}", "account", f"{100000000000 + i:012d}", "management", None, True
        )
        for i, name in enumerate(spec.accounts)
    }
    inventory = Inventory(
        spec=spec,
        nodes=build_graph(spec),
        records={**found, **(records or {})},
        management_account_id=MANAGEMENT_ID,
        repo="infrastructure",
    )
    return build_estate(inventory)


def test_what_lz_has_not_applied_is_pending_and_not_imported():
    estate = estate_of(EXAMPLES / "cloudposse")
    pending = set(estate.pending)
    assert (SHARING, "ram_sharing:organization") in pending
    assert (GATEWAY, "transit_gateway:core-network/us-east-1/core") in pending
    assert (GATEWAY, "resource share principal core/plat-dev") in pending
    assert (GATEWAY, "resource share association core") in pending
    stack = attachment_stack("plat-dev")
    assert (stack, "transit_gateway_attachment:plat-dev/us-east-1/core/plat-dev") in pending
    route = "route:plat-dev/us-east-1/plat-dev/private/10.78.0.0/16"
    assert (routes_stack("plat-dev"), route) in pending
    assert (ROUTING, "transit gateway attachment acceptance core/plat-dev") in pending
    assert (ROUTING, "transit gateway route table association core/workloads/plat-dev") in pending
    assert (ROUTING, "transit gateway route table propagation core/shared/plat-dev") in pending
    for root in estate.roots:
        if root.stack.stack.startswith("transit_gateway"):
            assert not [i for p in root.parts for i in p.imports], root.stack.path


def test_an_attachment_whose_owner_is_only_half_applied_is_imported_only_where_lz_did_it():
    table = "transit_gateway_route_table:core-network/us-east-1/core/workloads"
    attachment = "transit_gateway_attachment:plat-dev/us-east-1/core/plat-dev"
    records = {
        table: ResourceRecord(
            table,
            "transit_gateway_route_table",
            "tgw-rtb-1",
            "core-network",
            "us-east-1",
            True,
            {"associations": [], "propagations": []},  # lz has not associated plat-dev yet
        ),
        attachment: ResourceRecord(
            attachment,
            "transit_gateway_attachment",
            "tgw-attach-1",
            "plat-dev",
            "us-east-1",
            True,
            {"state": "pendingAcceptance"},
        ),
    }
    estate = estate_of(EXAMPLES / "cloudposse", records)
    routing = gates.parse_text(estate.files[f"{ROUTING}/imports.tf"])
    assert routing.get("import", []) == []  # neither accepted nor associated
    assert (ROUTING, "transit gateway attachment acceptance core/plat-dev") in estate.pending
    assert (GATEWAY, table) not in estate.pending
    stack = attachment_stack("plat-dev")
    member = gates.parse_text(estate.files[f"{stack}/imports.tf"])["import"]
    assert [i["id"] for i in member] == ["tgw-attach-1"]


def _owner_network(tmp_path: Path) -> Path:
    """cloudposse with a network in core-network, attached to its own gateway."""
    spec_dir = tmp_path / "cloudposse"
    shutil.copytree(EXAMPLES / "cloudposse", spec_dir)
    path = spec_dir / "catalog" / "network.yaml"
    text = path.read_text()
    for old, new in [
        (
            "\ntransit_gateways:",
            "  core-network:\n    account: core-network\n    pool: acme\n"
            "    tiers:\n      private: {}\n\ntransit_gateways:",
        ),
        (
            "      plat-dev: {}\n    route_tables:",
            "      plat-dev: {}\n      core-network: {}\n    route_tables:",
        ),
        (
            "      shared: [core-artifacts]\n",
            "      shared: [core-artifacts]\n      hub: [core-network]\n",
        ),
        (
            "      plat-dev: [core-artifacts]\n",
            "      plat-dev: [core-artifacts]\n      core-network: [core-artifacts]\n",
        ),
    ]:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text)
    return spec_dir


def test_an_attachment_in_the_owners_account_is_in_its_attachment_stack_and_not_accepted(
    tmp_path: Path,
):
    estate = estate_of(_owner_network(tmp_path))
    own = f"{OWNER}/transit_gateway_attachment"
    values = dict(gates.parse_text(estate.files[f"{own}/terraform.tfvars"]))
    assert values["attachments"]["core/core-network"]["shared"] is False
    own_routes = f"{OWNER}/transit_gateway_routes"
    routes = dict(gates.parse_text(estate.files[f"{own_routes}/terraform.tfvars"]))["routes"]
    assert routes["core-network/private/10.78.0.0/16"]["attachment"] == "core/core-network"
    call = dict(gates.labelled(gates.parse_text(estate.files[f"{own_routes}/main.tf"]), "module"))
    assert "transit_gateway_attachment.outputs.attachment_gateway_ids" in str(  # no acceptance
        call[("transit_gateway_routes",)]["gateway_ids"]["core/core-network"]
    )
    routing = dict(gates.parse_text(estate.files[f"{ROUTING}/terraform.tfvars"]))
    assert "core/core-network" not in routing["accepters"]  # nothing to accept
    assert routing["associations"]["core/hub/core-network"]["attachment"] == "core/core-network"
    reads = {r.stack.path: {s.path for s in r.reads} for r in estate.roots}
    assert own in reads[ROUTING] and ROUTING not in reads[own]
    graphlib.TopologicalSorter(reads).prepare()  # no cycle


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_route_has_exactly_one_exporter(name: str):
    spec = load_spec(EXAMPLES / name).spec
    routing = [e for e in exporters() if "route" in e.kinds]
    for node in build_graph(spec):
        if node.kind == "route":
            taken = [e.name for e in routing if e.handles(node)]
            target = node.desired["target"].split(":", 1)[0]
            expected = {"transit_gateway": "transit_gateway", "vpc_peering": "peering"}
            assert taken == [expected.get(target, "network")], (node.address, taken)
