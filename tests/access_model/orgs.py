"""Organizations for access-model tests: specs, and IAM nodes per the IAM section's contract.

The IAM section is built elsewhere; until it lands, tests build its nodes
(`iam_role`, `oidc_provider`) directly, exactly as the contract says the
graph (and a live refresh) will give them.
"""

from __future__ import annotations

from typing import Any

from landingzone.access.model import AccessModel
from landingzone.graph import build_graph
from landingzone.nodes import Node
from landingzone.proofs.sources import offline_model
from landingzone.spec.schema import Spec

GITHUB = "token.actions.githubusercontent.com"
GITLAB = "gitlab.com"
VERSION = "2012-10-17"


def spec(
    accounts: dict[str, str | None],
    *,
    units: dict[str, list[str]] | None = None,
    policies: dict[str, list[dict[str, Any]]] | None = None,
    root_policies: list[str] | None = None,
    account_policies: dict[str, list[str]] | None = None,
) -> Spec:
    """A spec: accounts by name -> unit, units -> SCP names, SCPs by name -> statements."""
    return Spec.model_validate(
        {
            "organization": {
                "name": "acme",
                "home_region": "us-east-1",
                "policies": root_policies or [],
            },
            "units": {path: {"policies": names} for path, names in (units or {}).items()},
            "accounts": {
                name: {
                    "email": f"aws+{name}@acme.example",
                    "unit": unit,
                    "policies": (account_policies or {}).get(name, []),
                }
                for name, unit in accounts.items()
            },
            "policies": {
                name: {"document": {"Version": VERSION, "Statement": statements}}
                for name, statements in (policies or {}).items()
            },
            "state": {"account": "management"},
        }
    )


def role(
    account: str,
    name: str,
    trust: list[dict[str, Any]],
    *,
    inline: list[dict[str, Any]] | None = None,
    managed: list[str] | None = None,
    boundary: str | None = None,
    tags: dict[str, str] | None = None,
) -> Node:
    """An `iam_role` node (address `role:ACCOUNT/NAME`)."""
    return Node(
        address=f"role:{account}/{name}",
        kind="iam_role",
        name=name,
        account=account,
        desired={
            "name": name,
            "path": "/",
            "description": "",
            "trust": {"Version": VERSION, "Statement": trust},
            "managed_policies": managed or [],
            "inline_policies": {"permissions": {"Version": VERSION, "Statement": inline}}
            if inline
            else {},
            "permissions_boundary": boundary,
            "max_session_duration": 3600,
            "tags": tags or {},
        },
    )


def provider(account: str, host: str, client_ids: list[str]) -> Node:
    """An `oidc_provider` node."""
    return Node(
        address=f"oidc_provider:{account}/{host}",
        kind="oidc_provider",
        name=host,
        account=account,
        desired={
            "url": f"https://{host}",
            "client_ids": client_ids,
            "thumbprints": ["0" * 40],
            "tags": {},
        },
    )


def bucket(account: str, name: str, statements: list[dict[str, Any]]) -> Node:
    """A `bucket` node with a bucket policy."""
    return Node(
        address=f"bucket:{account}/{name}",
        kind="bucket",
        name=name,
        account=account,
        desired={"name": name, "policy": {"Version": VERSION, "Statement": statements}},
    )


def web_identity_trust(host: str, operator: str, subjects: list[str], aud: str) -> dict[str, Any]:
    """A trust statement for OIDC subjects of `host` (the provider in the role's account)."""
    return {
        "Effect": "Allow",
        "Principal": {"Federated": f"arn:aws:iam::{{account_id}}:oidc-provider/{host}"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {"StringEquals": {f"{host}:aud": aud}, operator: {f"{host}:sub": subjects}},
    }


def allow(actions: str | list[str], resources: str | list[str]) -> dict[str, Any]:
    """An identity-policy allow statement."""
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


def model(the_spec: Spec, *nodes: Node) -> AccessModel:
    """The offline model of a spec plus IAM nodes."""
    return offline_model(the_spec, [*build_graph(the_spec), *nodes])


# -- the seeds' organizations ---------------------------------------------------------

CLOUDTRAIL_GUARD = [
    {
        "Sid": "ProtectCloudTrail",
        "Effect": "Deny",
        "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"],
        "Resource": "*",
    }
]


def coalition(
    prod_subjects: list[str] | None = None, *, operator: str = "StringEquals"
) -> AccessModel:
    """Seed 001: GitHub deploy roles per environment, a peering accepter in shared."""
    the_spec = spec(
        {"shared": "shared", "prod": "workloads", "dev": "workloads"},
        units={"shared": [], "workloads": ["deny-disable-audit"]},
        policies={"deny-disable-audit": CLOUDTRAIL_GUARD},
    )
    accepter = "arn:aws:iam::{account_id:shared}:role/vpc-peering-accepter"
    repo = "repo:coalition/coalition-builder"
    subjects = {
        "shared": [f"{repo}:environment:shared", f"{repo}:ref:refs/heads/main"],
        "prod": prod_subjects or [f"{repo}:environment:prod", f"{repo}:ref:refs/heads/main"],
        "dev": [
            f"{repo}:environment:dev",
            f"{repo}:ref:refs/heads/development",
            f"{repo}:pull_request",
        ],
    }
    nodes = [provider(env, GITHUB, ["sts.amazonaws.com"]) for env in subjects]
    for env, subs in subjects.items():
        statements = [allow("ec2:*", "arn:aws:ec2:*:{account_id}:*")]
        if env != "shared":
            statements.append(allow("sts:AssumeRole", accepter))
        op = operator if env == "prod" else "StringEquals"
        nodes.append(
            role(
                env,
                f"github-actions-{env}",
                [web_identity_trust(GITHUB, op, subs, "sts.amazonaws.com")],
                inline=statements,
            )
        )
    deployers = [
        "arn:aws:iam::{account_id:prod}:role/github-actions-prod",
        "arn:aws:iam::{account_id:dev}:role/github-actions-dev",
    ]
    nodes.append(
        role(
            "shared",
            "vpc-peering-accepter",
            [{"Effect": "Allow", "Principal": {"AWS": deployers}, "Action": "sts:AssumeRole"}],
            inline=[allow("ec2:AcceptVpcPeeringConnection", "*")],
        )
    )
    return model(the_spec, *nodes)


STATE_BUCKET = "rutagon-terraform-state"


def rutagon(
    *,
    trust_subject: str = "project_path:rutagon/infrastructure:ref_type:branch:ref:main",
    trust_operator: str = "StringEquals",
    state_prefix: str = "workloads/house-escort/prod/",
    with_scp: bool = True,
) -> AccessModel:
    """Seed 003: GitLab deploy roles, state in the management account, CloudTrail SCP."""
    the_spec = spec(
        {"house-escort-prod": "workloads", "ak-home-prod": "workloads", "infrastructure": "infra"},
        units={"workloads": ["security-baseline"] if with_scp else [], "infra": []},
        policies={"security-baseline": CLOUDTRAIL_GUARD},
    )
    state = f"arn:aws:s3:::{STATE_BUCKET}/{state_prefix}*"
    deploy = "arn:aws:iam::{account_id:house-escort-prod}:role/gitlab-deploy-role"
    nodes = [
        provider("house-escort-prod", GITLAB, ["https://gitlab.com"]),
        provider("infrastructure", GITLAB, ["https://gitlab.com"]),
        role(
            "house-escort-prod",
            "gitlab-deploy-role",
            [
                web_identity_trust(
                    GITLAB,
                    "StringEquals",
                    ["project_path:rutagon/house-escort:ref_type:branch:ref:main"],
                    "https://gitlab.com",
                )
            ],
            inline=[
                allow(["s3:GetObject", "s3:PutObject"], state),
                allow("ec2:*", "arn:aws:ec2:*:{account_id}:*"),
            ],
        ),
        role(
            "infrastructure",
            "gitlab-deploy-role",
            [web_identity_trust(GITLAB, trust_operator, [trust_subject], "https://gitlab.com")],
            managed=["arn:aws:iam::aws:policy/AdministratorAccess"],
        ),
        bucket(
            "management",
            STATE_BUCKET,
            [
                {
                    "Sid": "HouseEscortState",
                    "Effect": "Allow",
                    "Principal": {"AWS": deploy},
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Resource": state,
                }
            ],
        ),
    ]
    return model(the_spec, *nodes)
