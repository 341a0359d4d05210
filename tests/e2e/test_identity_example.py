"""The cloudposse example's people (catalog/identity.yaml) applied, checked from core-identity.

"The identity account is where to add users and delegate access to the other
accounts": core-identity administers IAM Identity Center; its groups get
permission sets whose roles appear in the member accounts.
"""

from __future__ import annotations

from typing import Any

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws

pytestmark = pytest.mark.e2e


def _sets_in(aws: Aws, account: str) -> list[str]:
    """The permission sets provisioned to an account, from its reserved roles' names."""
    roles = aws.client("iam", account).list_roles(PathPrefix="/aws-reserved/sso.amazonaws.com/")
    return sorted(r["RoleName"].split("_")[1] for r in roles["Roles"])


def test_core_identity_gives_groups_their_permission_sets(lz: Any, example, emulator: Emulator):
    spec_dir = example("cloudposse")
    applied = lz("apply", spec_dir, "--auto-approve", "--approve-protected")
    assert applied.code == 0, applied.err
    aws = Aws(emulator)
    management = emulator.management_account_id
    ids = {n: a["Id"] for n, a in aws.accounts().items() if a["Id"] != management}
    identity = ids["core-identity"]

    org = aws.client("organizations")
    admins = org.list_delegated_administrators(ServicePrincipal="sso.amazonaws.com")
    assert [a["Id"] for a in admins["DelegatedAdministrators"]] == [identity]

    sso = aws.client("sso-admin", identity)
    [instance] = sso.list_instances()["Instances"]
    groups = aws.client("identitystore", identity).list_groups(
        IdentityStoreId=instance["IdentityStoreId"]
    )["Groups"]
    assert {g["DisplayName"] for g in groups} == {"identity-admins", "auditors", "developers"}

    assert _sets_in(aws, identity) == ["AdministratorAccess", "ReadOnlyAccess"]
    assert _sets_in(aws, ids["plat-dev"]) == ["Developer", "ReadOnlyAccess"]
    assert _sets_in(aws, ids["plat-sandbox"]) == ["Developer", "ReadOnlyAccess"]
    assert _sets_in(aws, ids["plat-prod"]) == ["ReadOnlyAccess"]
    assert _sets_in(aws, ids["core-audit"]) == ["ReadOnlyAccess"]

    iam = aws.client("iam", ids["plat-dev"])
    [developer] = [
        r["RoleName"]
        for r in iam.list_roles(PathPrefix="/aws-reserved/")["Roles"]
        if "_Developer_" in r["RoleName"]
    ]
    attached = iam.list_attached_role_policies(RoleName=developer)["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["PowerUserAccess"]
    inline = iam.get_role_policy(RoleName=developer, PolicyName="AwsSSOInlinePolicy")
    assert inline["PolicyDocument"]["Statement"][0]["Sid"] == "NoTrailTampering"

    replan = lz("plan", spec_dir, "--detailed-exitcode")
    assert replan.code == 0, replan.out
