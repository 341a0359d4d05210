"""`who-can` over a synthetic organization: 200 accounts with 20 roles each.

The organization: accounts in 20 OUs two levels deep under 4 top OUs, SCPs
at the root, three of the four top OUs and every fifth account (CloudTrail, region and
leave-organization guards). Per account, 20 roles: a GitHub deploy role
(its repository's main branch and its environment), 10 roles it can assume
(trust by role ARN), 4 roles trusting the account (delegation), 3 roles
assumed from the previous account's deploy role (cross-account chains that
run through the whole organization), 2 service roles; plus the access role
AWS Organizations creates. The records are what the graph gives
(`access/records.py`); the timing covers building the model, the
assumption graph and the `who-can` walk.

    PYTHONPATH=src python benchmarks/who_can.py [--accounts 200] [--roles 20]

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from typing import Any

from landingzone.access.assume import AssumeGraph
from landingzone.access.model import build_model
from landingzone.access.queries import who_can
from landingzone.access.records import Record

VERSION = "2012-10-17"
GITHUB = "token.actions.githubusercontent.com"


def _doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": list(statements)}


def _role(account: str, name: str, trust: dict[str, Any], inline: list[dict[str, Any]]) -> Record:
    return Record(
        f"role:{account}/{name}",
        "iam_role",
        account,
        {
            "name": name,
            "path": "/",
            "trust": trust,
            "managed_policies": [],
            "inline_policies": {"permissions": _doc(*inline)} if inline else {},
            "permissions_boundary": None,
            "tags": {"team": account},
        },
    )


def _scp(name: str, *statements: dict[str, Any]) -> Record:
    return Record(
        f"policy:{name}", "policy", "management", {"name": name, "document": _doc(*statements)}
    )


def organization(accounts: int, roles: int) -> list[Record]:
    """The records of the synthetic organization."""
    records = [
        Record("root", "root", "management", {"policies": ["deny-leave"]}),
        _scp(
            "deny-leave",
            {"Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
        ),
        _scp(
            "protect-trail",
            {
                "Effect": "Deny",
                "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
                "Resource": "*",
            },
        ),
        _scp(
            "regions",
            {
                "Effect": "Deny",
                "NotAction": ["iam:*", "sts:*", "organizations:*"],
                "Resource": "*",
                "Condition": {
                    "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}
                },
            },
        ),
    ]
    for top in range(4):
        records.append(
            Record(
                f"unit:t{top}",
                "unit",
                "management",
                {"path": f"t{top}", "policies": ["protect-trail"] if top < 3 else []},
            )
        )
        for sub in range(5):
            path = f"t{top}/u{sub}"
            records.append(
                Record(f"unit:{path}", "unit", "management", {"path": path, "policies": []})
            )
    for index in range(accounts):
        name = f"acct{index:03d}"
        unit = f"t{index % 4}/u{index % 5}"
        records.append(
            Record(
                f"account:{name}",
                "account",
                "management",
                {"name": name, "unit": unit, "policies": ["regions"] if index % 5 == 0 else []},
            )
        )
        records += _account_roles(index, name, accounts, roles)
    return records


def _account_roles(index: int, name: str, accounts: int, roles: int) -> list[Record]:
    previous = f"acct{(index - 1) % accounts:03d}"
    deploy = "arn:aws:iam::{account_id}:role/deploy"
    web = {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{{account_id}}:oidc-provider/{GITHUB}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"},
            "StringLike": {
                f"{GITHUB}:sub": [
                    f"repo:acme/{name}:ref:refs/heads/main",
                    f"repo:acme/{name}:environment:*",
                ]
            },
        },
    }
    assume = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": ["arn:aws:iam::{account_id}:role/*", "arn:aws:iam::*:role/chain-*"],
    }
    records = [
        Record(
            f"oidc_provider:{name}/{GITHUB}",
            "oidc_provider",
            name,
            {"url": f"https://{GITHUB}", "client_ids": ["sts.amazonaws.com"]},
        ),
        _role(
            name,
            "deploy",
            _doc(web),
            [assume, {"Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{name}-*"}],
        ),
    ]
    kinds = ["task"] * 10 + ["delegated"] * 4 + ["chain"] * 3 + ["service"] * 2
    for number, kind in enumerate(kinds[: roles - 1]):
        role_name = f"{kind}-{number}"
        if kind == "task":
            trust = _doc(
                {"Effect": "Allow", "Principal": {"AWS": deploy}, "Action": "sts:AssumeRole"}
            )
        elif kind == "delegated":
            trust = _doc(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::{account_id}:root"},
                    "Action": "sts:AssumeRole",
                }
            )
        elif kind == "chain":
            source = f"arn:aws:iam::{{account_id:{previous}}}:role/deploy"
            trust = _doc(
                {"Effect": "Allow", "Principal": {"AWS": source}, "Action": "sts:AssumeRole"}
            )
        else:
            trust = _doc(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            )
        inline = [
            {"Effect": "Allow", "Action": ["ec2:*", "cloudtrail:*"], "Resource": "*"},
            {
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": f"arn:aws:iam::{{account_id}}:role/{kind}-*",
            },
        ]
        records.append(_role(name, role_name, trust, inline))
    return records


def run(accounts: int, roles: int) -> dict[str, Any]:
    """Time model, graph and who-can; count what was found."""
    records = organization(accounts, roles)
    start = time.perf_counter()
    model = build_model(
        records,
        source="spec",
        management_id="111111111111",
        access_role="OrganizationAccountAccessRole",
    )
    built = time.perf_counter()
    graph = AssumeGraph(model)
    edges = sum(len(graph.into(role)) for role in model.roles)
    linked = time.perf_counter()
    target = model.ids.id_of("acct007")
    trail = who_can(
        model,
        graph,
        "cloudtrail:StopLogging",
        f"arn:aws:cloudtrail:us-east-1:{target}:trail/org",
        {},
    )
    instance = who_can(
        model, graph, "ec2:TerminateInstances", f"arn:aws:ec2:us-east-1:{target}:instance/i-1", {}
    )
    done = time.perf_counter()
    return {
        "benchmark": "who_can",
        "accounts": accounts,
        "roles": len(model.roles),
        "actors": len(model.actors),
        "edges": edges,
        "build_model_seconds": round(built - start, 2),
        "assumption_graph_seconds": round(linked - built, 2),
        "two_who_can_seconds": round(done - linked, 2),
        "total_seconds": round(done - start, 2),
        "who_can_stop_logging": len(trail),
        "who_can_terminate_instances": len(instance),
        "python": platform.python_version(),
    }


def main() -> None:
    """Parse arguments, run, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--roles", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps(run(args.accounts, args.roles), sort_keys=True))


if __name__ == "__main__":
    main()
