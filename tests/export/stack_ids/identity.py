"""What an identity stack imports: IAM Identity Center's groups, permission sets with their
policies, and account assignments (the administering account's), and the registration of
that account as delegated administrator (the management account's)."""

from __future__ import annotations

from pathlib import Path

from tests.aws import Aws
from tests.export.stack_ids import stack_account

MANAGEMENT = "management-"


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """The ID plain boto3 finds in the stack's account and region for one import."""
    if stack.parent.name.startswith(MANAGEMENT):
        assert type_ == "aws_organizations_delegated_administrator", type_
        org = aws.client("organizations")
        [admin] = org.list_delegated_administrators(ServicePrincipal=key)["DelegatedAdministrators"]
        return f"{admin['Id']}/{key}"
    account, region = stack_account(stack, accounts)
    account_id = accounts[account]
    sso = aws.client("sso-admin", account_id, region)
    [instance] = sso.list_instances()["Instances"]
    arn, store = instance["InstanceArn"], instance["IdentityStoreId"]
    sets = {}
    for set_arn in sso.list_permission_sets(InstanceArn=arn)["PermissionSets"]:
        described = sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=set_arn)
        sets[described["PermissionSet"]["Name"]] = set_arn
    if type_ == "aws_identitystore_group":
        group = aws.client("identitystore", account_id, region).get_group_id(
            IdentityStoreId=store,
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": "DisplayName", "AttributeValue": key}
            },
        )
        return f"{store}/{group['GroupId']}"
    name, _, rest = key.partition("/")
    if type_ in (
        "aws_ssoadmin_permission_set",
        "aws_ssoadmin_permission_set_inline_policy",
        "aws_ssoadmin_permissions_boundary_attachment",
    ):
        if type_.endswith("inline_policy"):
            inline = sso.get_inline_policy_for_permission_set(
                InstanceArn=arn, PermissionSetArn=sets[name]
            )
            assert inline["InlinePolicy"]
        return f"{sets[name]},{arn}"
    if type_ == "aws_ssoadmin_managed_policy_attachment":
        attached = sso.list_managed_policies_in_permission_set(
            InstanceArn=arn, PermissionSetArn=sets[name]
        )["AttachedManagedPolicies"]
        assert rest in {p["Arn"] for p in attached}, (key, attached)
        return f"{rest},{sets[name]},{arn}"
    if type_ == "aws_ssoadmin_account_assignment":
        target, set_name, holder = key.split("/", 2)
        kind, _, principal = holder.partition(":")
        held = sso.list_account_assignments(
            InstanceArn=arn, AccountId=accounts[target], PermissionSetArn=sets[set_name]
        )["AccountAssignments"]
        store_client = aws.client("identitystore", account_id, region)
        group = store_client.get_group_id(
            IdentityStoreId=store,
            AlternateIdentifier={
                "UniqueAttribute": {"AttributePath": "DisplayName", "AttributeValue": principal}
            },
        )["GroupId"]
        assert kind == "group" and group in {h["PrincipalId"] for h in held}, (key, held)
        return f"{group},GROUP,{accounts[target]},AWS_ACCOUNT,{sets[set_name]},{arn}"
    raise AssertionError(f"no check for {type_}")
