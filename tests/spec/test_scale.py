"""A 100-account spec in many files loads well under a second."""

from __future__ import annotations

import json
import time

UNITS = [f"u{i}" for i in range(10)] + [f"u{i}/sub{j}" for i in range(10) for j in range(3)]


def _big_spec(write_spec):
    files = {
        "landingzone.yaml": "import: [units.yaml, policies/*.yaml, accounts/*.yaml]\n"
        "organization: {name: acme, home_region: us-west-2, policies: [p0]}\n"
        "state: {account: a0}\n",
        "units.yaml": "units:\n"
        + "".join(f"  {u}:\n    policies: [p{i % 10}]\n" for i, u in enumerate(UNITS)),
    }
    for p in range(10):
        statements = [
            {"Sid": f"S{k}", "Effect": "Deny", "Action": [f"svc{k}:Delete*"], "Resource": "*"}
            for k in range(8)
        ]
        document = {"Version": "2012-10-17", "Statement": statements}
        files[f"policies/p{p}.json"] = json.dumps(document, indent=2)
        files[f"policies/p{p}.yaml"] = f"policies:\n  p{p}: {{file: p{p}.json}}\n"
    for f in range(20):
        files[f"accounts/f{f:02d}.yaml"] = "accounts:\n" + "".join(
            f"  a{a}:\n    email: aws+a{a}@example.com\n    unit: {UNITS[a % len(UNITS)]}\n"
            f"    id: '{a:012d}'\n    alias: acme-a{a}\n    regions: [us-west-2, eu-central-1]\n"
            f"    tags: {{Environment: dev, Owner: team{a % 7}}}\n    policies: [p{a % 10}]\n"
            for a in range(f * 5, f * 5 + 5)
        )
    return write_spec(files)


def test_a_100_account_spec_loads_well_under_a_second(write_spec, load_ok):
    root = _big_spec(write_spec)
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        loaded = load_ok(root)
        timings.append(time.perf_counter() - started)
    assert len(loaded.spec.accounts) == 100
    assert len(loaded.files) == 42
    assert min(timings) < 1.0, f"best of 3 loads took {min(timings):.2f} s"
