"""Every example exports to a tree that passes the quality gates Terraform would apply.

Terraform cannot run here, so: every .tf file parses (python-hcl2); every
import names a resource of its root module; every resource type, argument
and block exists in the AWS provider's schema (hashicorp/aws 6.25.0, from
the cdktf bindings on PyPI); checkov finds nothing outside the allowlist;
files are in `terraform fmt` layout; the CI files are valid YAML and pass
the vendored GitHub workflow and GitLab CI schemas.
"""

from __future__ import annotations

import graphlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from landingzone.emulator import Emulator
from landingzone.export.fmt import format_hcl
from tests.export import gates
from tests.export.conftest import ALL_EXAMPLES, applied_copy, run_lz
from tests.export.provider_schema import load_schemas

pytestmark = pytest.mark.e2e

HERE = Path(__file__).parent
ALLOWLIST = HERE / "checkov-allowlist.txt"
TOOLS = Path(sys.executable).parent


@pytest.fixture(scope="module")
def trees(emulated: Emulator, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example applied, then exported with Terraform and GitHub CI (GitLab beside it)."""
    result = {}
    for name in ALL_EXAMPLES:
        emulated.reset()
        base = tmp_path_factory.mktemp(name)
        spec_dir = applied_copy(name, base)
        out = base / "repo"
        assert run_lz("export", "terraform", out, spec_dir) == 0
        assert run_lz("export", "ci", out, spec_dir, "--github") == 0
        assert run_lz("export", "ci", base / "gitlab", spec_dir, "--gitlab") == 0
        result[name] = out
    return result


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_file_parses_and_every_import_names_a_module_resource(name: str, trees):
    tree = trees[name]
    parsed = gates.parse_tree(tree)
    assert len(parsed) > 20
    for tfvars in tree.rglob("terraform.tfvars"):
        gates.parse(tfvars)
    stacks = gates.root_modules(tree)
    assert [s.relative_to(tree).as_posix() for s in stacks][:1] == ["bootstrap"]
    for stack in stacks:
        assert gates.import_problems(stack) == []
        assert gates.imports(stack), f"{stack} imports nothing"


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_stacks_read_each_other_without_a_cycle_and_only_stacks_that_exist(name: str, trees):
    """A stack can plan only once the stacks it reads are applied: that order must exist."""
    tree = trees[name]
    stacks = gates.root_modules(tree)
    keys = {gates.state_key(stack): stack.relative_to(tree).as_posix() for stack in stacks}
    reads = {keys[gates.state_key(stack)]: set(gates.reads(stack)) for stack in stacks}
    assert all(k in keys for read in reads.values() for k in read), "reads a stack not exported"
    graph = {stack: {keys[k] for k in read} for stack, read in reads.items()}
    order = list(graphlib.TopologicalSorter(graph).static_order())  # CycleError on a cycle
    assert sorted(order) == sorted(keys.values())
    assert any(graph.values()), "no stack reads another: the check would prove nothing"


@pytest.fixture(scope="module")
def schemas(trees):
    wanted = {
        t
        for tree in trees.values()
        for doc in gates.parse_tree(tree).values()
        for t in gates.used_types(doc)
    }
    return load_schemas(wanted - {("data", "terraform_remote_state")})


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_every_resource_type_and_argument_exists_in_the_provider_schema(name: str, trees, schemas):
    problems = [
        f"{path.relative_to(trees[name])}: {problem}"
        for path, doc in gates.parse_tree(trees[name]).items()
        for problem in gates.schema_problems(doc, schemas)
    ]
    assert problems == []


def test_the_schema_check_catches_a_wrong_argument_and_an_unknown_type(schemas):
    doc = gates.parse_text(
        'resource "aws_organizations_account" "a" {\n  emial = "x"\n  lifecycle {\n'
        "    prevent_destroy = true\n  }\n}\n"
        'resource "aws_organisations_account" "b" {}\n'
    )
    assert gates.schema_problems(doc, schemas) == [
        "aws_organizations_account.a: no argument emial",
        "resource type aws_organisations_account does not exist",
    ]


def test_the_schema_check_looks_inside_dynamic_blocks(schemas):
    doc = gates.parse_text(
        'resource "aws_budgets_budget" "a" {\n  dynamic "notification" {\n'
        "    for_each = []\n    content {\n      threshold = 1\n      treshold_type = 2\n"
        '    }\n  }\n  dynamic "notifications" {\n    for_each = []\n  }\n}\n'
    )
    assert gates.schema_problems(doc, schemas) == [
        "aws_budgets_budget.a.notification: no argument treshold_type",
        "aws_budgets_budget.a: no block notifications",
    ]


def _json_documents(text: str) -> list[dict]:
    """Concatenated JSON documents (objects or lists of them), flattened."""
    decoder = json.JSONDecoder()
    found: list[dict] = []
    position = 0
    while text[position:].strip():
        start = len(text) - len(text[position:].lstrip())
        document, position = decoder.raw_decode(text, start)
        found += document if isinstance(document, list) else [document]
    return found


def _allowlist() -> set[str]:
    ids = set()
    for line in ALLOWLIST.read_text().splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            ids.add(entry)
    return ids


def test_checkov_finds_nothing_outside_the_allowlist(trees):
    checkov = TOOLS.parent / "checkov" / "bin" / "checkov"
    assert checkov.exists(), f"checkov is not installed in {checkov.parent} (make install)"
    command = [str(checkov), "--quiet", "--compact", "--skip-download", "-o", "json"]
    command += ["--framework", "terraform", "github_actions"]
    for tree in trees.values():
        command += ["-d", str(tree)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    reports = _json_documents(run.stdout)  # one document per directory
    assert {r["check_type"] for r in reports} == {"terraform", "github_actions"}
    failed = {
        (check["check_id"], check["resource"])
        for report in reports
        for check in report["results"]["failed_checks"]
    }
    assert sorted({f for f in failed if f[0] not in _allowlist()}) == []
    assert all(r["summary"]["parsing_errors"] == 0 for r in reports)


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_files_are_in_terraform_fmt_layout(name: str, trees, tmp_path: Path):
    files = [*trees[name].rglob("*.tf"), *trees[name].rglob("*.tfvars")]
    for path in files:
        assert format_hcl(path.read_text()) == path.read_text(), path
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform binary: checked with lz's own formatter only")
    copy = tmp_path / "copy"
    shutil.copytree(trees[name], copy)
    run = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_ci_files_are_valid_yaml_and_pass_the_vendored_schemas(name: str, trees):
    workflows = sorted((trees[name] / ".github" / "workflows").glob("*.yml"))
    gitlab = trees[name].parent / "gitlab" / ".gitlab-ci.yml"
    assert len(workflows) == len(gates.root_modules(trees[name]))
    for path in [*workflows, gitlab]:
        assert isinstance(YAML(typ="safe").load(path.read_text()), dict)
    for schema, files in (("vendor.github-workflows", workflows), ("vendor.gitlab-ci", [gitlab])):
        run = subprocess.run(
            [str(TOOLS / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr


def test_ci_uses_oidc_only_and_protected_applies_wait_for_a_person(trees):
    tree = trees["coalition"]  # prod is protected, so is the organization stack (prod is in it)
    texts = [p.read_text() for p in (tree / ".github" / "workflows").glob("*.yml")]
    gitlab_text = (tree.parent / "gitlab" / ".gitlab-ci.yml").read_text()
    for text in [*texts, gitlab_text]:
        assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text
    load = YAML(typ="safe").load
    for text in texts:
        for job in load(text)["jobs"].values():
            assert job["permissions"] == {"contents": "read", "id-token": "write"}
    org_text = (
        tree / ".github/workflows/terraform-management-us-east-1-organization.yml"
    ).read_text()
    org = load(org_text)
    assert org["jobs"]["apply"]["environment"] == "management"
    reviewers = next(line for line in org_text.splitlines() if "required reviewers" in line)
    assert "management" in reviewers and "prod" in reviewers and "dev" not in reviewers
    gitlab = load(gitlab_text)
    assert gitlab["apply:management-us-east-1-organization"]["rules"][0]["when"] == "manual"
    assert "when" not in gitlab["apply:bootstrap"]["rules"][0]  # the shared account is not prod
    assert gitlab["plan:bootstrap"]["rules"][0]["changes"] == [
        "bootstrap/**/*",
        "modules/state_backend/**/*",
    ]


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_gitlab_plans_a_stack_only_after_the_applies_of_the_stacks_it_reads(name: str, trees):
    tree = trees[name]
    gitlab = YAML(typ="safe").load((tree.parent / "gitlab" / ".gitlab-ci.yml").read_text())
    stages = gitlab["stages"]
    stacks = gates.root_modules(tree)
    by_key = {gates.state_key(stack): stack for stack in stacks}

    def stage(job: str, stack: Path) -> int:
        path = stack.relative_to(tree).as_posix()
        [found] = [
            j
            for k, j in gitlab.items()
            if k.startswith(f"{job}:") and j.get("variables", {}).get("STACK_PATH") == path
        ]
        return stages.index(found["stage"])

    checked = 0
    for stack in stacks:
        assert stage("plan", stack) < stage("apply", stack)
        for key in gates.reads(stack):
            assert stage("apply", by_key[key]) < stage("plan", stack), (stack, key)
            checked += 1
    assert checked >= len(stacks) - 1  # every stack but the organization's reads one


def test_the_import_check_catches_an_address_no_module_defines(tmp_path: Path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text(
        'resource "aws_s3_bucket" "state" {\n  bucket = "b"\n}\n'
    )
    stack = tmp_path / "stack"
    stack.mkdir()
    (stack / "main.tf").write_text('module "m" {\n  source = "../m"\n}\n')
    (stack / "imports.tf").write_text(
        'import {\n  to = module.m.aws_s3_bucket.state\n  id = "b"\n}\n'
        'import {\n  to = module.m.aws_s3_bucket.other\n  id = "c"\n}\n'
        'import {\n  to = module.m.aws_s3_bucket.state["k"]\n  id = "d"\n}\n'
        'import {\n  to = module.n.aws_s3_bucket.state\n  id = "e"\n}\n'
    )
    assert [p.split(": ", 1)[1] for p in gates.import_problems(stack)] == [
        "module.m.aws_s3_bucket.other: module m has no aws_s3_bucket.other",
        'module.m.aws_s3_bucket.state["k"]: key and for_each disagree',
        "module.n.aws_s3_bucket.state: no module n",
    ]
