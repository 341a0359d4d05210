"""The dns stacks: the private zone in its owner's dns stack, associations with another
account's zone in the VPC's account's dns_associations stack.

codewilling's zone shared.cwiq.io belongs to shared-services (created with its VPC
`shared`) and is associated with dev's VPC. Built from the spec with a made-up
inventory, then, end to end, applied to the emulator and exported through the CLI.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from landingzone.export.terraform import Estate, build_estate
from tests.aws import Aws
from tests.export import gates
from tests.export.conftest import applied_copy, run_lz
from tests.export.test_iam_export import EXAMPLES, _imports, inventory, record, tfvars

OWNER = "live/shared-services-us-west-2/dns"
DEV = "live/dev-us-west-2/dns_associations"
ZONE = "shared.cwiq.io"
DEV_ASSOCIATION = f"hosted_zone_association:dev/us-west-2/dev/{ZONE}"
ZONE_ADDRESS = f"hosted_zone:shared-services/{ZONE}"


def remote_states(estate: Estate, stack: str) -> dict[str, str]:
    """The state key each terraform_remote_state of a stack reads, by label."""
    doc = gates.parse_text(estate.files[f"{stack}/remote_state.tf"])
    return {labels[1]: body["config"]["key"] for labels, body in gates.labelled(doc, "data")}


def module_inputs(estate: Estate, stack: str) -> dict[str, object]:
    doc = gates.parse_text(estate.files[f"{stack}/main.tf"])
    return dict(next(body for _, body in gates.labelled(doc, "module")))


def test_the_zone_is_its_owners_and_the_association_reads_its_id_from_the_owners_stack():
    estate = build_estate(inventory(EXAMPLES / "codewilling"))
    stacks = {r.stack.path: r for r in estate.roots}
    assert stacks[OWNER].modules == ["dns"]
    assert stacks[DEV].modules == ["dns_associations"]
    # dev's association: the zone's ID from the owner's stack, dev's VPC from its own network
    assert remote_states(estate, DEV) == {
        "dns": "shared-services/us-west-2/dns.tfstate",
        "network": "dev/us-west-2/network.tfstate",
        "organization": "management/us-west-2/organization.tfstate",
    }
    dev = module_inputs(estate, DEV)
    assert dev["zone_ids"] == {
        ZONE: f'${{data.terraform_remote_state.dns.outputs.zone_ids["{ZONE}"]}}'
    }
    assert dev["vpc_ids"] == {
        "dev": '${data.terraform_remote_state.network.outputs.vpc_ids["dev"]}'
    }
    assert tfvars(estate, DEV)["associations"] == {
        f"dev/{ZONE}": {"zone": ZONE, "network": "dev", "region": "us-west-2"}
    }
    # the owner reads network stacks only (no cycle); its VPC is the zone's vpc block
    assert {s.stack for s in stacks[OWNER].reads} == {"network", "organization"}
    owner = tfvars(estate, OWNER)
    assert owner["zones"][ZONE]["network"] == "shared"
    assert owner["zones"][ZONE]["comment"].startswith("Private records of the shared tools")
    assert owner["associations"] == {}
    assert "ManagedBy" not in owner["zones"][ZONE]["tags"]  # the provider's default tags
    outputs = gates.parse_text(estate.files[f"{OWNER}/outputs.tf"])
    assert [labels for labels, _ in gates.labelled(outputs, "output")] == [("zone_ids",)]
    main = estate.files["modules/dns/main.tf"]
    assert "ignore_changes = [vpc, force_destroy]" in main  # associations: resources of their own
    assert "var.zone_ids" in estate.files["modules/dns_associations/main.tf"]


def test_imports_use_terraforms_ids_and_an_authorization_exists_only_until_associated():
    records = {
        ZONE_ADDRESS: record(ZONE_ADDRESS, "hosted_zone", "Z0SHARED", "shared-services"),
        DEV_ASSOCIATION: record(
            DEV_ASSOCIATION, "hosted_zone_association", "Z0SHARED|vpc-0d", "dev"
        ),
    }
    estate = build_estate(inventory(EXAMPLES / "codewilling", records))
    assert _imports(estate, OWNER) == {f'module.dns.aws_route53_zone.this["{ZONE}"]': "Z0SHARED"}
    assert _imports(estate, DEV) == {
        f'module.dns_associations.aws_route53_zone_association.this["dev/{ZONE}"]': (
            "Z0SHARED:vpc-0d"
        )
    }
    assert tfvars(estate, OWNER)["authorizations"] == {}  # lz removed it once associated
    assert [p for p in estate.pending if "/dns" in p[0]] == []

    fresh = build_estate(inventory(EXAMPLES / "codewilling"))
    assert tfvars(fresh, OWNER)["authorizations"] == {
        f"dev/{ZONE}": {"zone": ZONE, "network": "dev", "region": "us-west-2"}
    }
    assert set(fresh.pending) >= {
        (OWNER, ZONE_ADDRESS),
        (OWNER, f"association authorization dev/{ZONE}"),
        (DEV, DEV_ASSOCIATION),
    }
    owner_vpcs = module_inputs(fresh, OWNER)["vpc_ids"]
    assert set(owner_vpcs) == {"shared", "dev"}  # dev's VPC ID from dev's network stack
    assert remote_states(fresh, OWNER)["dev_us_west_2_network"] == "dev/us-west-2/network.tfstate"


def codewilling_with(tmp_path: Path, *changes: tuple[str, str, str]) -> Path:
    """A copy of codewilling edited: (file, old, new) text replacements."""
    spec_dir = tmp_path / "codewilling"
    shutil.copytree(EXAMPLES / "codewilling", spec_dir)
    for name, old, new in changes:
        path = spec_dir / name
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new, 1))
    return spec_dir


NETWORKS = "catalog/network.yaml"


TOOLS = """networks:
  tools:
    account: shared-services
    region: us-east-1
    cidr: 10.2.0.0/16
    tiers:
      private: {}
"""


def test_the_owners_vpc_in_another_region_is_associated_in_the_owners_stack(tmp_path: Path):
    spec_dir = codewilling_with(
        tmp_path,
        (
            "landingzone.yaml",
            "unit: shared\n",
            "unit: shared\n    regions: [us-west-2, us-east-1]\n",
        ),
        (NETWORKS, "networks:\n", TOOLS),
        (NETWORKS, "networks: [shared, dev]", "networks: [shared, dev, tools]"),
    )
    address = f"hosted_zone_association:shared-services/us-east-1/tools/{ZONE}"
    records = {
        ZONE_ADDRESS: record(ZONE_ADDRESS, "hosted_zone", "Z0SHARED", "shared-services"),
        address: record(address, "hosted_zone_association", "Z0SHARED|vpc-0t", "shared-services"),
    }
    estate = build_estate(inventory(spec_dir, records))
    assert "live/shared-services-us-east-1/dns/main.tf" not in estate.files
    key = f'module.dns.aws_route53_zone_association.this["tools/{ZONE}"]'
    assert _imports(estate, OWNER)[key] == "Z0SHARED:vpc-0t:us-east-1"  # not the provider's
    assert tfvars(estate, OWNER)["associations"][f"tools/{ZONE}"]["region"] == "us-east-1"
    states = remote_states(estate, OWNER)
    assert (
        states["shared_services_us_east_1_network"] == "shared-services/us-east-1/network.tfstate"
    )


def test_two_accounts_may_each_associate_a_vpc_with_the_zone_the_other_owns(tmp_path: Path):
    other = "dns:\n  dev.cwiq.io:\n    account: dev\n    networks: [dev, shared]\n"
    spec_dir = codewilling_with(tmp_path, (NETWORKS, "dns:\n", other))
    estate = build_estate(inventory(spec_dir))
    shared = "live/shared-services-us-west-2/dns_associations"
    assert remote_states(estate, shared)["dns"] == "dev/us-west-2/dns.tfstate"
    assert remote_states(estate, DEV)["dns"] == "shared-services/us-west-2/dns.tfstate"
    for owner in (OWNER, "live/dev-us-west-2/dns"):  # zones read network stacks only
        stack = next(r for r in estate.roots if r.stack.path == owner)
        assert {s.stack for s in stack.reads} == {"network", "organization"}


@pytest.mark.e2e
def test_the_exported_dns_stacks_import_what_lz_built(emulated: Emulator, tmp_path: Path):
    emulated.reset()
    spec_dir = applied_copy("codewilling", tmp_path)
    out = tmp_path / "repo"
    assert run_lz("export", "terraform", out, spec_dir) == 0
    aws = Aws(emulated, region="us-west-2")
    accounts = {name: account["Id"] for name, account in aws.accounts().items()}
    route53 = aws.client("route53", accounts["shared-services"])
    zone_id = route53.list_hosted_zones()["HostedZones"][0]["Id"].rsplit("/", 1)[-1]
    # lz deleted the authorization after associating, so there is none to import
    listed = route53.list_vpc_association_authorizations(HostedZoneId=zone_id)
    assert listed["VPCs"] == []
    owner = dict(gates.imports(out / OWNER))
    assert owner == {f'module.dns.aws_route53_zone.this["{ZONE}"]': zone_id}
    dev_vpc = aws.client("ec2", accounts["dev"], "us-west-2").describe_vpcs(
        Filters=[{"Name": "tag:lz:address", "Values": ["vpc:dev/us-west-2/dev"]}]
    )["Vpcs"][0]["VpcId"]
    dev = dict(gates.imports(out / DEV))
    assert dev == {
        f'module.dns_associations.aws_route53_zone_association.this["dev/{ZONE}"]': (
            f"{zone_id}:{dev_vpc}"
        )
    }
    assert "Not applied" not in (out / OWNER / "imports.tf").read_text()
