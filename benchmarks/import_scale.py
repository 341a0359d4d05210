"""`lz import` of a large organization built by hand: calls and time.

    python benchmarks/import_scale.py [--accounts 100] [--units 20] [--policies 10]
                                      [--include roles,ci,network,baselines] [--latency-ms 0]
                                      [--vpcs 0] [--out FILE]

Builds, with plain boto3 on a fresh emulator (not with lz), an organization of
ACCOUNTS accounts in UNITS OUs two levels deep, POLICIES SCPs attached across
the root, the OUs and a third of the accounts, and tags on every account;
with --vpcs N, N member accounts each get a VPC laid out as lz lays out a
network (a public tier with an internet gateway and a private tier, two zones,
a route table per tier), for `--include network` to write and adopt.
Then: the first import (read, write, create the state backend, record
everything), an import again of the unchanged organization (no file
touched), and a plan of the written spec (no changes). Prints one JSON
document with the wall time and the API calls of each phase (counted by the
emulator, per operation), and writes it to benchmarks/results/ unless --out -.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.aws import Aws

from benchmarks.org_scale import RESULTS, machine
from landingzone.adopt.run import run_import
from landingzone.emulator import Emulator
from landingzone.engine import workflow
from landingzone.validate import load_spec


def _client(emulator: Emulator, service: str, account_id: str | None = None) -> Any:
    """A plain boto3 client of the management account, or of a member account (assumed)."""
    return Aws(emulator).client(service, account_id)


def _vpc(emulator: Emulator, account_id: str, index: int) -> None:
    """A VPC as lz lays out a network: public (with an internet gateway) and private tiers
    in zones a and b, a route table per tier."""
    ec2 = _client(emulator, "ec2", account_id)
    vpc = ec2.create_vpc(CidrBlock=f"10.{index % 250}.0.0/16")["Vpc"]["VpcId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    for slot, tier in enumerate(("public", "private")):
        table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        for zone, letter in enumerate("ab"):
            subnet = ec2.create_subnet(
                VpcId=vpc,
                CidrBlock=f"10.{index % 250}.{(slot * 4 + zone) * 16}.0/20",
                AvailabilityZone=f"us-east-1{letter}",
            )["Subnet"]["SubnetId"]
            ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
        if tier == "public":
            ec2.create_route(
                RouteTableId=table, DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway
            )


def build(emulator: Emulator, accounts: int, units: int, policies: int, vpcs: int = 0) -> None:
    """The organization, by hand: OUs, accounts with tags, SCPs and their attachments, and
    `vpcs` member accounts with a VPC each."""
    org = _client(emulator, "organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    org.enable_policy_type(RootId=root, PolicyType="SERVICE_CONTROL_POLICY")
    top = max(1, units // 5)
    unit_ids: list[str] = []
    for index in range(units):
        parent = root if index < top else unit_ids[index % top]
        name = f"ou{index}" if index < top else f"team{index}"
        unit_ids.append(
            org.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]
        )
    account_ids = []
    for index in range(accounts):
        status = org.create_account(
            Email=f"aws+{index}@bench.example",
            AccountName=f"acct{index:03d}",
            Tags=[{"Key": "Environment", "Value": ["dev", "prod", "test"][index % 3]}],
        )["CreateAccountStatus"]
        account_ids.append(status["AccountId"])
        org.move_account(
            AccountId=status["AccountId"],
            SourceParentId=root,
            DestinationParentId=unit_ids[index % units],
        )
    for index in range(policies):
        document = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": f"service{index}:Delete*", "Resource": "*"}],
        }
        policy = org.create_policy(
            Name=f"scp{index:02d}",
            Description=f"guard rail {index}",
            Content=json.dumps(document),
            Type="SERVICE_CONTROL_POLICY",
        )["Policy"]["PolicySummary"]["Id"]
        targets = [root] if index == 0 else unit_ids[index::policies] + account_ids[index::30]
        for target in targets:
            org.attach_policy(PolicyId=policy, TargetId=target)
    for index, account_id in enumerate(account_ids[:vpcs]):
        _vpc(emulator, account_id, index)


def calls(emulator: Emulator) -> dict[str, Any]:
    """The emulator's call counts since the last clear, by operation, then cleared."""
    by_operation: Counter[str] = Counter()
    for entry in emulator.request_counts():
        by_operation[f"{entry['service']}:{entry['operation']}"] += entry["count"]
    emulator.clear_request_counts()
    return {"total": sum(by_operation.values()), "by_operation": dict(sorted(by_operation.items()))}


def run(
    accounts: int, units: int, policies: int, include: str, latency_ms: float, vpcs: int = 0
) -> dict[str, Any]:
    """Build, import twice, plan; returns the measurements."""
    layers = [layer for layer in include.split(",") if layer]
    with Emulator(latency_ms=latency_ms) as emulator, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(emulator.env())
        build(emulator, accounts, units, policies, vpcs)
        out = Path(tmp) / "imported"
        phases: dict[str, Any] = {}
        emulator.clear_request_counts()
        for phase in ("first_import", "import_again"):
            started = time.monotonic()
            result = run_import(
                out,
                name="bench",
                home_region="us-east-1",
                profile=None,
                endpoint_url=None,
                include=layers,
            )
            phases[phase] = {
                "seconds": round(time.monotonic() - started, 2),
                "files_written": len(result.files.created) + len(result.files.changed),
                "recorded_in_state": result.state.adopted if result.state else 0,
                "calls": calls(emulator),
            }
        loaded = load_spec(out)
        started = time.monotonic()
        ws = workflow.open_workspace(loaded.spec, loaded.root, loaded.fingerprint())
        plan = workflow.make_plan(ws)
        phases["plan_of_the_import"] = {
            "seconds": round(time.monotonic() - started, 2),
            "operations": len(plan.operations),
            "calls": calls(emulator),
        }
    return {
        "benchmark": "import_scale",
        **machine(),
        "size": {"accounts": accounts + 1, "units": units, "policies": policies, "vpcs": vpcs},
        "include": layers,
        "latency_ms": latency_ms,
        **phases,
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--policies", type=int, default=10)
    parser.add_argument("--include", default="", help="layers beyond org, comma-separated")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--vpcs", type=int, default=0, help="member accounts with a VPC")
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    result = run(args.accounts, args.units, args.policies, args.include, args.latency_ms, args.vpcs)
    text = json.dumps(result, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        suffix = ("_" + args.include.replace(",", "_")) if args.include else ""
        suffix += f"_{args.latency_ms:g}ms" if args.latency_ms else ""
        suffix += f"_{args.vpcs}vpcs" if args.vpcs else ""
        out = Path(args.out) if args.out else RESULTS / f"import_scale_{args.accounts}{suffix}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
