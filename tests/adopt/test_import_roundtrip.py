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
        import shutil

        shutil.copytree(out, f"/tmp/adoptnet-{name}", dirs_exist_ok=True)
