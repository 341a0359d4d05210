"""Security section at scale: apply and no-change plan of 100 accounts with `security`.

    python benchmarks/security_scale.py [--accounts 100] [--out FILE]

The organization of `org_scale.py --baselines` (GuardDuty and Config in
every account; no per-account trail) with a `security` section:
`acct000` administers GuardDuty (auto-enable, every other account a member,
findings alerts), Security Hub (every other account a member, two standards
in every account, a finding aggregator), the organization's IAM Access
Analyzer and Config aggregator, and one organization trail records every
account into the log archive (`shared`). The management account has its
own baseline with the organization's budget.
Applies it to a fresh emulator, then runs a no-change plan; prints and
writes the measurements (benchmarks/results/security_scale_N.json).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from landingzone.spec.schema import Spec

sys.path.insert(0, str(Path(__file__).parent))
from org_scale import RESULTS, apply_and_replan, machine, make_spec

SECURITY: dict[str, Any] = {
    "account": "acct000",
    "guardduty": {"auto_enable": "ALL", "alerts": {"emails": ["secops@bench.example"]}},
    "securityhub": {
        "standards": ["aws-foundational-security-best-practices", "cis-aws-foundations-benchmark"]
    },
    "access_analyzer": {},
    "config_aggregator": {},
    "organization_trail": {},
}
MANAGEMENT: dict[str, Any] = {
    "profile": "management",
    "overrides": {"budgets": {"organization": {"limit_usd": 100000}}},
}
MANAGEMENT_PROFILE: dict[str, Any] = {
    "s3_public_access_block": {},
    "budgets": {"organization": {"alerts": [{"percent": 80, "emails": ["fin@bench.example"]}]}},
}


def security_spec(accounts: int) -> dict[str, Any]:
    """`org_scale`'s spec with baselines, the per-account trails replaced by `security`."""
    spec = copy.deepcopy(make_spec(accounts, 20, 10, baselines=True))
    del spec["baselines"]["profiles"]["standard"]["cloudtrail"]
    spec["security"] = SECURITY
    spec["baselines"]["profiles"]["management"] = MANAGEMENT_PROFILE
    spec["baselines"]["management"] = MANAGEMENT
    return spec


def run(accounts: int) -> dict[str, Any]:
    """Apply then re-plan; returns the measurements."""
    apply_phase, plan_phase = apply_and_replan(Spec.model_validate(security_spec(accounts)))
    return {
        "benchmark": "security_scale",
        **machine(),
        "size": {"accounts": accounts + 1, "security": SECURITY, "management": MANAGEMENT},
        "apply": apply_phase,
        "no_change_plan": plan_phase,
    }


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--out", default=None, help="result file (default: results/...; - none)")
    args = parser.parse_args(argv)
    result = run(args.accounts)
    text = json.dumps(result, indent=2, sort_keys=True)
    print(text)
    if args.out != "-":
        out = Path(args.out) if args.out else RESULTS / f"security_scale_{args.accounts}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text + "\n")
        print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
