"""The state isolation checks `lz check` adds, offline: they hold on coalition, and they
fail where the bucket policy's statements are missing (they test the policy, not a
tautology)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from landingzone.graph import build_graph
from landingzone.nodes import Node
from landingzone.proofs.checks import run_checks
from landingzone.proofs.sources import offline_model
from landingzone.proofs.state_checks import state_checks
from landingzone.validate import load_spec

COALITION = Path(__file__).resolve().parents[2] / "examples" / "coalition"


def test_every_deploy_role_keeps_to_its_own_accounts_state():
    spec = load_spec(COALITION).spec
    checks = state_checks(spec)
    results = run_checks(offline_model(spec), checks)
    assert [r.check.name for r in results if not r.passed] == []
    names = {c.name for c in checks}
    assert "state: github-actions-prod (prod) cannot read or write other accounts' state" in names
    prod = next(c for c in checks if c.name.startswith("state: github-actions-prod (prod) cannot"))
    # dev's and the management account's keys; not shared's (shared_reads), not its own.
    assert sorted(prod.resources) == [
        "arn:aws:s3:::coalition-landingzone-state-{account_id:shared}/dev/us-east-1/network.tfstate",
        "arn:aws:s3:::coalition-landingzone-state-{account_id:shared}/management/us-east-1/network.tfstate",
    ]


def test_without_the_isolating_statements_the_checks_find_the_leaks():
    spec = load_spec(COALITION).spec
    nodes = [
        replace(
            node,
            desired={
                **node.desired,
                "policy": {
                    **node.desired["policy"],
                    "Statement": node.desired["policy"]["Statement"][:1],
                },
            },
        )
        if node.kind == "state_bucket"
        else node
        for node in build_graph(spec)
    ]
    results = run_checks(offline_model(spec, nodes), state_checks(spec))
    failed = {r.check.name for r in results if not r.passed}
    # The state account's role may use S3 by its own policy: only the Deny held it back.
    assert (
        "state: github-actions-shared (shared) cannot read or write other accounts' state" in failed
    )
    # Other accounts' roles need the bucket policy to reach even their own state.
    assert "state: github-actions-prod (prod) reads its account's state and writes it" in failed


def bucket_per_account(tmp_path: Path) -> Path:
    """coalition with one state bucket and lock table per account (the seed's layout)."""
    spec_dir = tmp_path / "coalition"
    shutil.copytree(COALITION, spec_dir)
    spec = spec_dir / "landingzone.yaml"
    text = spec.read_text()
    assert "  isolation: per_account\n" in text
    spec.write_text(text.replace("  isolation: per_account\n", "  isolation: per_account_bucket\n"))
    return spec_dir


def test_with_a_bucket_per_account_each_role_keeps_to_its_accounts_bucket(tmp_path: Path):
    spec = load_spec(bucket_per_account(tmp_path)).spec
    checks = state_checks(spec)
    results = run_checks(offline_model(spec), checks)
    assert [r.check.name for r in results if not r.passed] == []
    prod = next(c for c in checks if c.name.startswith("state: github-actions-prod (prod) cannot"))
    # dev's key in dev's own bucket; the management account's in lz's bucket.
    assert sorted(prod.resources) == [
        "arn:aws:s3:::coalition-landingzone-state-{account_id:shared}/management/us-east-1/network.tfstate",
        "arn:aws:s3:::coalition-terraform-state-{account_id:dev}/dev/us-east-1/network.tfstate",
    ]
    own = next(
        c for c in checks if c.name.startswith("state: github-actions-prod (prod) reads its")
    )
    assert own.resources == [
        "arn:aws:s3:::coalition-terraform-state-{account_id:prod}/prod/us-east-1/network.tfstate"
    ]


def test_without_the_shared_buckets_statements_other_accounts_cannot_read_it(tmp_path: Path):
    spec = load_spec(bucket_per_account(tmp_path)).spec

    def tls_only(node: Node) -> Node:
        policy = node.desired["policy"]
        desired = {**node.desired, "policy": {**policy, "Statement": policy["Statement"][:1]}}
        return replace(node, desired=desired)

    nodes = [
        tls_only(n) if n.kind == "terraform_state_bucket" and n.account == "shared" else n
        for n in build_graph(spec)
    ]
    results = run_checks(offline_model(spec, nodes), state_checks(spec))
    failed = {r.check.name for r in results if not r.passed}
    # Cross-account reads need the bucket policy; the shared account's own roles do not
    # (and without its guard, shared's deploy role could rewrite that policy).
    assert failed == {
        "state: github-actions-shared (shared) cannot change the state buckets' policies",
        "state: github-actions-prod (prod) reads the state of shared",
        "state: github-actions-dev (dev) reads the state of shared",
        "state: github-actions-plan (prod) reads the state of shared",
        "state: github-actions-plan (dev) reads the state of shared",
        "state: github-actions-management (management) reads the state of shared",
        "state: github-actions-plan (management) reads the state of shared",
    }


def test_without_the_policy_guard_the_state_accounts_role_could_rewrite_the_isolation():
    # coalition's profile lets github-actions-shared manage coalition-* buckets, the
    # state bucket among them: only the guard keeps it from replacing the bucket policy.
    spec = load_spec(COALITION).spec

    def unguarded(node: Node) -> Node:
        policy = node.desired["policy"]
        kept = [s for s in policy["Statement"] if s.get("Sid") != "StatePolicyGuard"]
        assert len(kept) == len(policy["Statement"]) - 1
        return replace(node, desired={**node.desired, "policy": {**policy, "Statement": kept}})

    nodes = [unguarded(n) if n.kind == "state_bucket" else n for n in build_graph(spec)]
    results = run_checks(offline_model(spec, nodes), state_checks(spec))
    failed = {r.check.name for r in results if not r.passed}
    assert failed == {
        "state: github-actions-shared (shared) cannot change the state buckets' policies"
    }
