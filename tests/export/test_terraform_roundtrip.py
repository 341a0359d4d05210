"""The export, run by Terraform itself against the emulator.

Apply an example with lz, export it for hashicorp/aws 5.x with the emulator's
endpoint override, and in the order the export lists: `terraform init` from
the provider mirror, `terraform plan` (only imports: nothing to add, change or
destroy), `terraform apply` of those imports. Then `lz plan` shows no change:
the two tools agree. A unit renamed with `moved_from` is a move for Terraform
too.

`make test` runs all three examples, bounded: stacks that do not read each
other are planned at once (`JOBS` Terraform processes), and cloudposse runs
one stack of each shape and the stacks they read (25 of its 54 stacks;
`terraform_cli.one_of_each_shape`: every resource type a stack imports, in
every combination a stack imports it, imported at least once). `LZ_TERRAFORM_ALL=1`
runs every stack of every example, and the endpoint toggle;
`benchmarks/terraform_roundtrip.py` records the times.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.export.conftest import ALL_EXAMPLES, applied_copy, run_lz
from tests.export.terraform_cli import (
    Terraform,
    available,
    one_of_each_shape,
    round_trip,
    with_reads,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.terraform,
    pytest.mark.skipif(available() is not None, reason=f"Terraform cannot run: {available()}"),
]

BOUNDED = ("cloudposse",)  # without LZ_TERRAFORM_ALL: one stack of each shape
JOBS = 3  # Terraform processes at once: they mostly wait on the emulator
RENAMED = "workloads"
NEW_NAME = "applications"


def export(
    spec_dir: Path, out: Path, emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> list[str]:
    """`lz export terraform` for provider 5.x and the emulator; the stacks in apply order."""
    capsys.readouterr()
    code = run_lz(
        "export", "terraform", out, spec_dir,
        "--provider-major", "5", "--endpoint-override", emulator.endpoint, "--json",
    )  # fmt: skip
    assert code == 0
    return list(json.loads(capsys.readouterr().out)["stacks"])


def account_tags(aws: Aws) -> dict[str, dict[str, str]]:
    """Every account's tags, by account name (plain boto3)."""
    org = aws.client("organizations")
    return {
        name: {t["Key"]: t["Value"] for t in org.list_tags_for_resource(ResourceId=a["Id"])["Tags"]}
        for name, a in aws.accounts().items()
    }


@pytest.mark.parametrize("example", ALL_EXAMPLES)
def test_first_plan_of_every_stack_is_only_imports(
    example: str,
    emulated: Emulator,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulated.reset()
    spec_dir = applied_copy(example, tmp_path)
    aws = Aws(emulated)
    before = account_tags(aws)
    out = tmp_path / "out"
    stacks = export(spec_dir, out, emulated, capsys)
    if example in BOUNDED and not os.environ.get("LZ_TERRAFORM_ALL"):
        stacks = one_of_each_shape(out, stacks)

    result = round_trip(Terraform(tmp_path / "tf", os.environ), out, stacks, jobs=JOBS)

    assert result.clean == len(stacks), result.report()
    assert result.applied == stacks, result.report()
    # Terraform kept lz's tags (CreatedBy and ManagedBy=landingzone included)...
    after = account_tags(aws)
    assert after == before
    created = [tags for tags in after.values() if tags.get("ManagedBy") == "landingzone"]
    assert created and all("CreatedBy" in tags for tags in created)
    # ...and lz sees nothing to change after Terraform's imports: the tools agree.
    assert run_lz("plan", spec_dir, "--detailed-exitcode") == 0


def test_renamed_unit_is_a_move_that_keeps_its_policies(
    emulated: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emulated.reset()
    spec_dir = applied_copy("codewilling", tmp_path)
    out = tmp_path / "out"
    terraform = Terraform(tmp_path / "tf", os.environ)
    organization = next(
        s for s in export(spec_dir, out, emulated, capsys) if s.endswith("/organization")
    )
    first = round_trip(terraform, out, [organization])
    assert first.applied == [organization], first.report()

    spec_file = spec_dir / "landingzone.yaml"
    text = spec_file.read_text()
    text = text.replace(f"  {RENAMED}:\n", f"  {NEW_NAME}:\n    moved_from: [{RENAMED}]\n")
    spec_file.write_text(text.replace(f"unit: {RENAMED}", f"unit: {NEW_NAME}"))
    assert run_lz("apply", spec_dir, "--auto-approve", "--approve-protected") == 0
    aws = Aws(emulated)
    unit = aws.unit_id(NEW_NAME)
    policies = aws.client("organizations").list_policies_for_target(
        TargetId=unit, Filter="SERVICE_CONTROL_POLICY"
    )["Policies"]
    assert "protect-security-services" in [p["Name"] for p in policies]
    export(spec_dir, out, emulated, capsys)
    assert "moved {" in (out / organization / "moved.tf").read_text()

    second = round_trip(terraform, out, [organization])

    plan = second.plans[0]
    assert (plan.add, plan.destroy) == (0, 0), second.report()
    assert plan.moves == 2, second.report()  # the unit and its policy attachment
    assert second.applied == [organization], second.report()
    # Nothing was detached: the renamed unit keeps its ID, its SCP and its accounts.
    assert aws.unit_id(NEW_NAME) == unit
    after = aws.client("organizations").list_policies_for_target(
        TargetId=unit, Filter="SERVICE_CONTROL_POLICY"
    )["Policies"]
    assert after == policies
    assert run_lz("plan", spec_dir, "--detailed-exitcode") == 0


def test_the_endpoint_toggle_switches_the_endpoints_off_and_on(
    emulated: Emulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the workflow_dispatch toggle of a network stack runs (export/github.py):
    a plan with `-var endpoints_off=["dev"]` deletes dev's VPC endpoints and nothing
    else; the files as exported bring them back."""
    if not os.environ.get("LZ_TERRAFORM_ALL"):
        pytest.skip("slow: LZ_TERRAFORM_ALL=1 runs every example")
    emulated.reset()
    spec_dir = applied_copy("coalition", tmp_path)
    out = tmp_path / "out"
    terraform = Terraform(tmp_path / "tf", os.environ)
    stacks = export(spec_dir, out, emulated, capsys)
    network = "live/dev-us-east-1/network"
    needed = with_reads(out, [network], stacks)  # the organization stack, then the network
    imported = round_trip(terraform, out, needed)
    assert imported.applied == needed, imported.report()
    (out / network / "imports.tf").unlink()  # imported: the migration path's next step
    aws = Aws(emulated)
    ec2 = aws.client("ec2", aws.accounts()["dev"]["Id"])

    def endpoints() -> int:
        found = ec2.describe_vpc_endpoints()["VpcEndpoints"]
        return sum(e["State"].lower() not in ("deleted", "deleting") for e in found)

    before = endpoints()
    assert before == 5  # s3, ecr.api, ecr.dkr, logs, secretsmanager
    terraform.run(
        out / network, "apply", "-input=false", "-auto-approve", '-var=endpoints_off=["dev"]'
    )
    assert endpoints() == 0
    plan = terraform.plan(out, network)
    assert (plan.add, plan.change, plan.destroy) == (5, 0, 0), plan.summary()
    terraform.apply(out, network)
    assert endpoints() == before
