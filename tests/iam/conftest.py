"""A small landing zone with roles and CI federation, to break one rule at a time."""

from __future__ import annotations

import textwrap

import pytest

# The spec fixtures (write_spec, problems_of, load_ok) of the spec tests.
from tests.spec.conftest import load_ok, problems_of, write_spec  # noqa: F401

_FILES = {
    "landingzone.yaml": """\
        import:
          - roles.yaml
          - ci.yaml
        organization:
          name: acme
          home_region: us-east-1
          tags: {Repo: infra}
        units:
          core: {}
          workloads: {}
        accounts:
          shared:
            email: aws+shared@example.com
            unit: core
          prod:
            email: aws+prod@example.com
            unit: workloads
            tags: {Environment: prod}
          dev:
            email: aws+dev@example.com
            unit: workloads
            tags: {Environment: dev}
        state:
          account: shared
        """,
    "roles.yaml": """\
        roles:
          TerraformAdmin:
            deploy_to: {units: [workloads]}
            trust:
              - roles: ["shared:automation"]
            managed_policies: [AdministratorAccess]
          auditor:
            deploy_to: {accounts: [shared, prod, dev]}
            trust:
              - accounts: [shared]
                mfa: true
            inline_policies:
              read:
                Version: "2012-10-17"
                Statement:
                  - Effect: Allow
                    Action: ["s3:Get*", "s3:List*"]
                    Resource: "*"
        """,
    "ci.yaml": """\
        ci:
          providers:
            github:
              type: github
          profiles:
            app:
              prefix: acme
              iam: true
              read_services: [ec2]
              regional_services: [lambda]
              unscoped_services: [s3]
          deploy_roles:
            automation:
              provider: github
              deploy_to: {accounts: [shared]}
              subjects:
                - repo:acme/infra:ref:refs/heads/main
              assume_roles: ["prod:TerraformAdmin", "dev:TerraformAdmin"]
            deploy-prod:
              provider: github
              deploy_to: {accounts: [prod]}
              subjects:
                - repo:acme/app:environment:prod
              profile: app
        """,
}
IAM_FILES = {name: textwrap.dedent(text) for name, text in _FILES.items()}


@pytest.fixture
def iam_files() -> dict[str, str]:
    """The files of a valid landing zone with roles and CI federation."""
    return dict(IAM_FILES)


def edit(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    """`files` with the first `old` in file `name` replaced by `new`."""
    assert old in files[name], f"{old!r} is not in {name}"
    return {**files, name: files[name].replace(old, new, 1)}
