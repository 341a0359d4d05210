"""Identities and policies AWS owns: no customer policy can change them.

Written from AWS's documentation:

- "Using service-linked roles" (IAM User Guide,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html):
  the permissions and trust of a service-linked role (`role/aws-service-role/...`)
  are defined by the service and cannot be edited; the role is deleted through
  the service (`iam:DeleteServiceLinkedRole`), not with `iam:DeleteRole`. IAM
  refuses such calls with `UnmodifiableEntity`; only the description may be edited.
- "AWS managed policies" (IAM User Guide,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies):
  "You cannot change the permissions defined in AWS managed policies"
  (`arn:aws:iam::aws:policy/...`): no new version, no default version, no delete.

So these requests are implicitly denied whatever the policies say.
"""

from __future__ import annotations

from landingzone.access.principal import SERVICE_LINKED_ROLE_PATH

SERVICE_LINKED_ROLE_ACTIONS = frozenset(
    {
        "iam:deleterole",
        "iam:putrolepolicy",
        "iam:deleterolepolicy",
        "iam:attachrolepolicy",
        "iam:detachrolepolicy",
        "iam:updateassumerolepolicy",
        "iam:putrolepermissionsboundary",
        "iam:deleterolepermissionsboundary",
    }
)
AWS_MANAGED_POLICY_ACTIONS = frozenset(
    {
        "iam:createpolicyversion",
        "iam:deletepolicyversion",
        "iam:setdefaultpolicyversion",
        "iam:deletepolicy",
        "iam:tagpolicy",
        "iam:untagpolicy",
    }
)


def reserved_by_aws(action: str, resource: str) -> str | None:
    """Why AWS refuses `action` (lower-case `service:name`) on `resource`, or None."""
    if action not in SERVICE_LINKED_ROLE_ACTIONS and action not in AWS_MANAGED_POLICY_ACTIONS:
        return None
    parts = resource.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam":
        return None
    account, path = parts[4], parts[5]
    if action in SERVICE_LINKED_ROLE_ACTIONS and path.startswith(
        f"role/{SERVICE_LINKED_ROLE_PATH}"
    ):
        return (
            f"{resource} is a service-linked role: its service owns its policies and trust, "
            "no customer policy can allow changing them (IAM answers UnmodifiableEntity; "
            "delete it with iam:DeleteServiceLinkedRole)"
        )
    if action in AWS_MANAGED_POLICY_ACTIONS and account == "aws" and path.startswith("policy/"):
        return (
            f"{resource} is an AWS managed policy: AWS owns it and no customer policy can "
            "allow changing or deleting it"
        )
    return None
