"""Round trip: apply an example, import the organization into a fresh directory, plan: no changes.

codewilling has nested guard rails and tags on everything; policy-types has
one policy of every Organizations type. The examples with networks are imported
with `--include network` in their home region: codewilling's private zone,
coalition's endpoints and peerings, cloudposse's shared transit gateway.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from landingzone.validate import load_spec

pytestmark = pytest.mark.e2e

# The examples with networks, and their home region (networks are read in the home region).
NETWORKED = {"codewilling": "us-west-2", "coalition": "us-east-1", "cloudposse": "us-east-1"}


@pytest.mark.parametrize("name", ["codewilling", "policy-types", "coalition", "cloudposse"])
def test_an_applied_example_imports_with_no_changes(name: str, lz, example, tmp_path: Path):
    spec_dir = example(name)
    applied = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err

    out = tmp_path / "imported"
    region = NETWORKED.get(name, "us-west-2")
    more = ["--include", "network"] if name in NETWORKED else []
    imported = lz("import", out, "--name", "imported", "--region", region, *more)
    assert imported.code == 0, imported.err
    assert lz("validate", out).code == 0
    planned = lz("plan", out, "--detailed-exitcode")
    assert planned.code == 0, planned.err

    original, copy = load_spec(spec_dir).spec, load_spec(out).spec
    assert {a.email for a in copy.accounts.values()} == {
        a.email for a in original.accounts.values()
    }
    assert set(copy.units) == set(original.units)
    assert {(n, p.type) for n, p in copy.policies.items()} == {
        (n, p.type) for n, p in original.policies.items()
    }
    assert copy.organization.policies == sorted(original.organization.policies)
    if name in NETWORKED:
        assert set(copy.networks) == set(original.networks)
        assert set(copy.peerings) == set(original.peerings)
        assert set(copy.dns) == set(original.dns)
        assert set(copy.transit_gateways) == set(original.transit_gateways)


def _import_baselines(lz, spec_dir: Path, out: Path, region: str) -> str:
    """Apply the example, import it with its baselines, plan: no changes; the profiles."""
    applied = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    imported = lz("import", out, "--region", region, "--include", "baselines")
    assert imported.code == 0, imported.err
    planned = lz("plan", out, "--detailed-exitcode")
    assert planned.code == 0, planned.err
    return (out / "catalog/baselines.yaml").read_text()


def test_an_applied_baseline_imports_with_no_changes(lz, example, tmp_path: Path):
    """cloudposse's baselines (alias `{org}-{account}`, GuardDuty, budgets, the management
    account's budget) come back as profiles; the first plan shows no changes."""
    profiles = _import_baselines(lz, example("cloudposse"), tmp_path / "imported", "us-east-1")
    standard = profiles.split("    imported-1:\n")[1].split("    imported-2:")[0]
    assert "      alias: acme-{account}\n" in standard
    assert "      guardduty:\n        finding_publishing_frequency: FIFTEEN_MINUTES\n" in standard
    assert "      ebs_encryption: {}\n" in standard
    assert "        monthly:\n" in standard and "          limit_usd: 500\n" in standard
    assert "  management:\n    profile: imported-3\n" in profiles  # the organization's budget


def test_trails_and_recorders_in_lzs_log_archive_import_with_it(lz, example, tmp_path: Path):
    """codewilling's per-account trails and Config recorders (with managed rules) deliver
    into lz's log archive: it, the trails and the recorders come back as lz's."""
    profiles = _import_baselines(lz, example("codewilling"), tmp_path / "imported", "us-west-2")
    assert (
        "  log_archive:\n    account: shared-services\n    bucket: codewilling-logs-{account_id}\n"
        "    kms_key: codewilling-logs\n"
    ) in profiles
    assert "      cloudtrail:\n        name: codewilling-trail\n" in profiles
    assert "      config:\n        rules:\n          - restricted-ssh\n" in profiles
