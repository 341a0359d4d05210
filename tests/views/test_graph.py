"""`lz graph`: what each view shows, in each format, for the repository's examples."""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from landingzone.graph.organization import is_protected
from landingzone.validate import load_spec
from tests.views.conftest import Run, example_dir, parse_mermaid

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot is not installed (apt-get install graphviz)"
)


@pytest.mark.parametrize("name", ["cloudposse", "coalition", "codewilling"])
def test_the_org_view_names_every_unit_and_account_with_the_policies_at_each_level(
    run: Run, name: str
) -> None:
    spec = load_spec(example_dir(name)).spec
    result = run("graph", "org", example_dir(name))
    assert result.code == 0, result.err
    chart = parse_mermaid(result.out)
    root = chart.find(f"Root: {spec.organization.name}")
    if spec.organization.policies:
        assert f"SCP: {', '.join(sorted(spec.organization.policies))}" in chart.label(root)
    units = {path for path in spec.units} | {p.rsplit("/", 1)[0] for p in spec.units if "/" in p}
    for path in units:
        box = chart.find(f"OU {path.rsplit('/', 1)[-1]}")
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        expected_parent = chart.find(f"OU {parent.rsplit('/', 1)[-1]}") if parent else root
        assert chart.parent(box) == expected_parent, path
        attached = spec.units[path].policies if path in spec.units else []
        for policy in attached:
            assert policy in chart.label(box), (path, policy)
    for account_name, account in spec.accounts.items():
        node = chart.find(account.name or account_name)
        where = chart.find(f"OU {account.unit.rsplit('/', 1)[-1]}") if account.unit else root
        assert chart.parent(node) == where, account_name
        for policy in account.policies:
            assert policy in chart.label(node)
        protected = node in chart.classes.get("protected", set())
        assert protected == is_protected(account_name, account), account_name
        assert "baseline: " in chart.label(node)


def test_the_org_view_says_which_baseline_each_account_gets(run: Run) -> None:
    chart = parse_mermaid(run("graph", "org", example_dir("cloudposse")).out)
    assert "baseline: sandbox" in chart.label(chart.find("plat-sandbox"))
    assert "baseline: standard" in chart.label(chart.find("plat-prod"))


def test_graph_with_only_a_directory_draws_the_org(run: Run) -> None:
    result = run("graph", example_dir("coalition"))
    assert result.code == 0, result.err
    assert "Root: coalition" in parse_mermaid(result.out).label("g0")


def test_the_network_view_shows_vpcs_peerings_and_gateway_segments(run: Run) -> None:
    chart = parse_mermaid(run("graph", "network", example_dir("cloudposse")).out)
    prod = chart.find("VPC plat-prod")
    assert chart.label(chart.parent(prod) or "") == "account plat-prod"
    assert "10.61.0.0/16" in chart.label(prod)
    workloads = chart.find("route table workloads")
    shared = chart.find("route table shared")
    assert chart.label(chart.parent(workloads) or "") == "transit gateway core"
    edges = {
        (chart.label(a).split("\n")[0], chart.label(b).split("\n")[0], label)
        for a, b, label in chart.edges
    }
    for network in ("plat-dev", "plat-prod", "plat-staging"):
        assert (f"VPC {network}", "route table workloads", "attached") in edges
        # the shared segment routes to the workloads, the workloads only to shared
        assert ("route table shared", f"VPC {network}", "routes to") in edges
        assert ("route table workloads", f"VPC {network}", "routes to") not in edges
    assert ("route table workloads", "VPC core-artifacts", "routes to") in edges
    assert shared and workloads

    peered = parse_mermaid(run("graph", "network", example_dir("coalition")).out)
    pairs = {
        (peered.label(a).split("\n")[0], peered.label(b).split("\n")[0], label)
        for a, b, label in peered.edges
    }
    assert ("VPC dev", "VPC shared", "peering dev-shared") in pairs
    assert ("VPC prod", "VPC shared", "peering prod-shared") in pairs


def test_the_access_view_draws_who_can_assume_each_role_and_by_which_statement(
    run: Run,
) -> None:
    chart = parse_mermaid(run("graph", "access", example_dir("coalition")).out)
    into = {
        chart.label(a).split("\n")[0]: label
        for a, b, label in chart.edges
        if chart.label(b).split("\n")[0] == "github-actions-prod"
    }
    assert set(into) == {
        "github:your-org/coalition-builder@environment:prod",
        "github:your-org/coalition-builder@refs/heads/main",
    }
    assert all(label.startswith("trust ") for label in into.values())
    role = chart.find("github-actions-prod")
    assert chart.label(chart.parent(role) or "").startswith("account prod")


def test_the_access_view_of_a_question_draws_the_role_hops_to_the_action(run: Run) -> None:
    result = run(
        "graph",
        "access",
        example_dir("coalition"),
        "--action",
        "ec2:AcceptVpcPeeringConnection",
        "--resource",
        "arn:aws:ec2:us-east-1:{account_id:shared}:vpc-peering-connection/pcx-1",
    )
    assert result.code == 0, result.err
    chart = parse_mermaid(result.out)
    question = chart.find(
        "who can ec2:AcceptVpcPeeringConnection on "
        "arn:aws:ec2:us-east-1:{account_id:shared}:vpc-peering-connection/pcx-1"
    )
    assert question in chart.classes["target"]
    hops = {
        (chart.label(a).split("\n")[0], chart.label(b).split("\n")[0]) for a, b, _ in chart.edges
    }
    # a dev pipeline assumes the dev deploy role, which assumes the peering accepter
    assert ("github:your-org/coalition-builder@environment:dev", "github-actions-dev") in hops
    assert ("github-actions-dev", "vpc-peering-accepter") in hops
    last = [
        label
        for a, b, label in chart.edges
        if b == question and chart.label(a).startswith("vpc-peering-accepter")
    ]
    assert last and last[0].startswith("allowed: identity-based policy")


def test_the_access_view_of_a_check_shows_why_it_is_denied(run: Run) -> None:
    name = "a deployment from a feature branch cannot assume the prod deploy role"
    chart = parse_mermaid(run("graph", "access", example_dir("coalition"), "--check", name).out)
    labels = [label for _, _, label in chart.edges]
    assert "sts:AssumeRoleWithWebIdentity denied: no allow in resource policy" in labels
    assert chart.classes["denied"]
    unknown = run("graph", "access", example_dir("coalition"), "--check", "nope")
    assert unknown.code == 1 and 'no check is named "nope"' in unknown.err


def test_question_options_belong_to_the_access_view(run: Run) -> None:
    result = run(
        "graph", "org", example_dir("coalition"), "--action", "s3:GetObject", "--resource", "*"
    )
    assert result.code == 1 and "lz graph access" in result.err
    assert run("graph", "nonsense", example_dir("coalition")).code == 64


@needs_dot
@pytest.mark.parametrize("view", ["org", "network", "access"])
def test_dot_is_valid_graphviz_and_draws_as_svg(run: Run, view: str, tmp_path: Path) -> None:
    text = run("graph", view, example_dir("cloudposse"), "--format", "dot").out
    canon = subprocess.run(["dot", "-Tcanon"], input=text, capture_output=True, text=True)
    assert canon.returncode == 0, canon.stderr
    out = tmp_path / f"{view}.svg"
    result = run("graph", view, example_dir("cloudposse"), "--format", "svg", "-o", out)
    assert result.code == 0, result.err
    svg = html.unescape(out.read_text())
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    if view == "org":
        for account in load_spec(example_dir("cloudposse")).spec.accounts:
            assert f">{account}</text>" in svg


def test_dot_nests_units_as_clusters(run: Run) -> None:
    text = run("graph", "org", example_dir("cloudposse"), "--format", "dot").out
    assert text.startswith('digraph "org" {')
    assert text.count("subgraph cluster_") == 1 + len(
        {p for p in load_spec(example_dir("cloudposse")).spec.units}
        | {"plat"}  # implied by plat/sandbox
    )
    assert text.count("{") == text.count("}")


def test_svg_without_graphviz_says_what_to_install(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    result = run("graph", "org", example_dir("coalition"), "--format", "svg")
    assert result.code == 1
    assert "Graphviz" in result.err and "apt-get install graphviz" in result.err
    assert "Traceback" not in result.err


MERMAID_MODULES = os.environ.get("LZ_MERMAID_MODULES")


@pytest.mark.skipif(
    not MERMAID_MODULES or shutil.which("node") is None,
    reason="Mermaid's own parser: set LZ_MERMAID_MODULES to a directory where "
    "`npm install mermaid@11 jsdom` ran (node needed)",
)
def test_every_view_of_every_example_parses_with_mermaids_parser(run: Run, tmp_path: Path) -> None:
    files = []
    for name in ("cloudposse", "coalition", "codewilling"):
        for view in ("org", "network", "access"):
            path = tmp_path / f"{name}-{view}.mmd"
            path.write_text(run("graph", view, example_dir(name)).out)
            files.append(str(path))
    check = "a deployment from a feature branch cannot assume the prod deploy role"
    (tmp_path / "check.mmd").write_text(
        run("graph", "access", example_dir("coalition"), "--check", check).out
    )
    files.append(str(tmp_path / "check.mmd"))
    script = Path(__file__).parent / "mermaid_parse.mjs"
    parsed = subprocess.run(
        ["node", str(script), str(MERMAID_MODULES), *files], capture_output=True, text=True
    )
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
