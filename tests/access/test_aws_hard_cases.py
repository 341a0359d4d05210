"""The hard cases of AWS's evaluation logic, each written from the AWS page it cites."""

from __future__ import annotations

from typing import Any

from landingzone.access import simulate

from .corpus import (
    ADMIN,
    ALLOWED,
    DENY_ALL,
    EXPLICIT,
    IMPLICIT,
    OBJECT,
    ROLE,
    SESSION,
    SLR,
    USER,
    A,
    B,
    allow,
    deny,
    grant,
    policy,
    request,
    scps,
)

IAM_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
BUCKET = "arn:aws:s3:::public-site/index.html"
OTHER_USER = f"arn:aws:iam::{A}:user/someone-else"
ROOT = f"arn:aws:iam::{A}:root"
ROLE_ARN_WITH_PATH = f"arn:aws:iam::{A}:role/deploy"
ALIAS = f"arn:aws:kms:us-east-1:{A}:alias/app"
KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
B_USER = f"arn:aws:iam::{B}:user/bob"
B_OBJECT = "arn:aws:s3:::b-bucket/data.csv"


def decide(**fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = simulate(request(**fields))
    return result


# -- sts:GetCallerIdentity ----------------------------------------------------


def test_get_caller_identity_is_allowed_even_under_explicit_denies() -> None:
    """STS API Reference, GetCallerIdentity
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html):
    "No permissions are required to perform this operation. If an administrator
    attaches a policy to your identity that explicitly denies access to the
    sts:GetCallerIdentity action, you can still perform this operation."
    """
    result = decide(
        action="sts:GetCallerIdentity",
        resource="*",
        identity_policies=[policy(deny("sts:GetCallerIdentity"))],
        service_control_policies=scps(ou=[DENY_ALL]),
    )
    assert result["decision"] == ALLOWED
    assert "needs no permission" in result["explanation"]


def test_get_caller_identity_needs_no_policy_at_all() -> None:
    """Same page: a user with no policy can still call it."""
    assert decide(principal=USER, action="sts:GetCallerIdentity", resource="*")["decision"] == (
        ALLOWED
    )


def test_get_caller_identity_is_not_answered_to_anonymous_callers() -> None:
    """Same page: the operation returns details about the IAM credentials used to
    call it; an unsigned request has none, so nothing allows it."""
    result = decide(principal="anonymous", action="sts:GetCallerIdentity", resource="*")
    assert result["decision"] == IMPLICIT


# -- anonymous requests -------------------------------------------------------


def test_a_public_bucket_policy_allows_anonymous_requests() -> None:
    """IAM User Guide, Principal element, "All principals"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous):
    `"Principal": "*"` and `"Principal": {"AWS": "*"}` are equivalent and, in a
    resource-based policy, allow anonymous (unauthenticated) users."""
    for principal in ("*", {"AWS": "*"}):
        result = decide(
            principal="anonymous",
            resource=BUCKET,
            resource_policy=policy(grant(principal, "s3:GetObject", "arn:aws:s3:::public-site/*")),
        )
        assert result["decision"] == ALLOWED, result["explanation"]


def test_a_bucket_policy_naming_an_account_does_not_allow_anonymous_requests() -> None:
    """Same page: an anonymous caller is no account's principal; only `*` names it."""
    result = decide(
        principal="anonymous",
        resource=BUCKET,
        resource_policy=policy(grant({"AWS": A}, "s3:GetObject", "arn:aws:s3:::public-site/*")),
    )
    assert result["decision"] == IMPLICIT
    assert result["missing_allow_at"]["step"] == "resource_policy"


def test_allow_with_not_principal_reaches_anonymous_callers() -> None:
    """IAM User Guide, NotPrincipal element
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html):
    with "Effect": "Allow", NotPrincipal grants the statement to every principal
    but those listed, "you might grant access to anonymous users"."""
    statement = {
        "Effect": "Allow",
        "NotPrincipal": {"AWS": USER},
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::public-site/*",
    }
    result = decide(principal="anonymous", resource=BUCKET, resource_policy=policy(statement))
    assert result["decision"] == ALLOWED


def test_scps_do_not_apply_to_anonymous_requests() -> None:
    """IAM User Guide, Policy evaluation logic (SCPs apply to principals of the
    account they are attached to): an anonymous caller belongs to no account."""
    result = decide(
        principal="anonymous",
        resource=BUCKET,
        resource_policy=policy(grant("*", "s3:GetObject", "arn:aws:s3:::public-site/*")),
        service_control_policies=scps(ou=[DENY_ALL]),
    )
    assert result["decision"] == ALLOWED
    assert any("anonymous" in note for note in result["notes"])


def test_anonymous_callers_have_no_identity_policies() -> None:
    result = simulate([request(principal="anonymous", identity_policies=ADMIN)])
    assert "identity_policies cannot apply" in result[0]["error"]["message"]


# -- NotPrincipal ---------------------------------------------------------------

NOT_PRINCIPAL_PAGE = IAM_PAGE + "reference_policies_elements_notprincipal.html"


def _deny_all_but(*principals: str) -> dict[str, Any]:
    """A bucket policy: allow the account, deny everyone not listed."""
    return policy(
        grant({"AWS": A}, "s3:*", "arn:aws:s3:::state-bucket/*"),
        {
            "Sid": "OnlyListed",
            "Effect": "Deny",
            "NotPrincipal": {"AWS": list(principals)},
            "Action": "s3:*",
            "Resource": "arn:aws:s3:::state-bucket/*",
        },
    )


def test_not_principal_listing_only_the_role_still_denies_its_sessions() -> None:
    """NotPrincipal page: to exempt a role session, the policy must list the
    assumed-role session ARN, the role ARN and the account; a statement that
    lists only the role still denies its sessions."""
    result = decide(principal=SESSION, identity_policies=ADMIN, resource_policy=_deny_all_but(ROLE))
    assert result["decision"] == EXPLICIT
    assert result["decided_by"]["statement"] == "OnlyListed"


def test_not_principal_in_an_array_with_session_role_and_account_exempts_the_session() -> None:
    """NotPrincipal page, example for an assumed-role session (session, role, account)."""
    result = decide(
        principal=SESSION,
        identity_policies=ADMIN,
        resource_policy=_deny_all_but(SESSION, ROLE, ROOT),
    )
    assert result["decision"] == ALLOWED


def test_not_principal_naming_only_the_user_itself_still_denies_it() -> None:
    """NotPrincipal page: a user is exempt only when its account is listed too
    (AWS may check the account as well as the user)."""
    result = decide(principal=USER, identity_policies=ADMIN, resource_policy=_deny_all_but(USER))
    assert result["decision"] == EXPLICIT


def test_not_principal_with_the_user_and_its_account_exempts_only_that_user() -> None:
    """NotPrincipal page, example listing the user's ARN and its account."""
    listed = _deny_all_but(USER, ROOT)
    assert decide(principal=USER, identity_policies=ADMIN, resource_policy=listed)["decision"] == (
        ALLOWED
    )
    other = decide(principal=OTHER_USER, identity_policies=ADMIN, resource_policy=listed)
    assert other["decision"] == EXPLICIT


def test_not_principal_naming_the_account_root_exempts_only_the_root_user() -> None:
    """NotPrincipal page: the account ARN (`:root`) names the account's root user;
    the account's users and roles are still denied unless listed themselves."""
    listed = _deny_all_but(ROOT)
    assert decide(principal=ROOT, resource_policy=listed)["decision"] == ALLOWED
    user = decide(principal=USER, identity_policies=ADMIN, resource_policy=listed)
    assert user["decision"] == EXPLICIT


def test_deny_with_not_principal_always_denies_a_principal_with_a_boundary() -> None:
    """NotPrincipal page and "Permissions boundaries for IAM entities"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html):
    "The NotPrincipal element with Deny will always deny any IAM principal that
    has a permissions boundary policy attached, regardless of the values
    specified in the NotPrincipal element."""
    result = decide(
        principal=SESSION,
        identity_policies=ADMIN,
        permission_boundaries=ADMIN,
        resource_policy=_deny_all_but(SESSION, ROLE, ROOT),
    )
    assert result["decision"] == EXPLICIT
    assert result["decided_by"]["statement"] == "OnlyListed"


# -- reserved, AWS-managed identities ------------------------------------------


def test_no_policy_allows_changing_a_service_linked_role() -> None:
    """IAM User Guide, "Using service-linked roles"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html):
    the service defines the role's permissions and trust; they cannot be edited,
    and the role is deleted through the service, not with iam:DeleteRole."""
    for action in ("iam:PutRolePolicy", "iam:DeleteRole", "iam:AttachRolePolicy"):
        result = decide(action=action, resource=SLR, identity_policies=ADMIN)
        assert result["decision"] == IMPLICIT, action
        assert result["missing_allow_at"]["step"] == "reserved_by_aws"
    root = decide(principal=ROOT, action="iam:UpdateAssumeRolePolicy", resource=SLR)
    assert root["decision"] == IMPLICIT


def test_a_service_linked_role_description_can_be_edited() -> None:
    """Same page: "you can edit the description of a service-linked role"."""
    result = decide(action="iam:UpdateRoleDescription", resource=SLR, identity_policies=ADMIN)
    assert result["decision"] == ALLOWED


def test_no_policy_allows_changing_an_aws_managed_policy() -> None:
    """IAM User Guide, "Managed policies and inline policies", AWS managed policies
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies):
    "You cannot change the permissions defined in AWS managed policies"."""
    managed = "arn:aws:iam::aws:policy/AdministratorAccess"
    for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy"):
        result = decide(action=action, resource=managed, identity_policies=ADMIN)
        assert result["decision"] == IMPLICIT, action
    own = decide(
        action="iam:CreatePolicyVersion",
        resource=f"arn:aws:iam::{A}:policy/team",
        identity_policies=ADMIN,
    )
    assert own["decision"] == ALLOWED


def test_an_explicit_deny_still_decides_before_the_reservation() -> None:
    result = decide(
        action="iam:PutRolePolicy",
        resource=SLR,
        identity_policies=[policy(deny("iam:*", Sid="NoIam"))],
    )
    assert result["decision"] == EXPLICIT


# -- KMS aliases -----------------------------------------------------------------

ALIAS_PAGE = "https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html"
KEY_POLICY_FOR_ROLE = policy(grant({"AWS": ROLE}, "kms:CreateAlias", "*", Sid="RoleOnKey"))


def test_create_alias_needs_the_alias_and_the_key_allowed() -> None:
    """AWS KMS Developer Guide, "Controlling access to aliases" (ALIAS_PAGE):
    kms:CreateAlias needs permission on the alias (an IAM policy: aliases have
    no key policy) and on the KMS key (the key policy, or an IAM policy the key
    policy allows)."""
    result = decide(
        action="kms:CreateAlias",
        resource=[ALIAS, KEY],
        identity_policies=[policy(allow("kms:CreateAlias", f"arn:aws:kms:*:{A}:alias/*"))],
        resource_policy=KEY_POLICY_FOR_ROLE,
    )
    assert result["decision"] == ALLOWED, result["explanation"]


def test_create_alias_without_permission_on_the_alias_is_denied() -> None:
    """ALIAS_PAGE: the key policy does not cover the alias; an IAM policy must."""
    result = decide(
        action="kms:CreateAlias", resource=[ALIAS, KEY], resource_policy=KEY_POLICY_FOR_ROLE
    )
    assert result["decision"] == IMPLICIT
    assert ALIAS in result["explanation"]


def test_create_alias_without_the_key_policy_is_denied() -> None:
    """ALIAS_PAGE: the key policy must allow kms:CreateAlias on the key."""
    result = decide(
        action="kms:CreateAlias",
        resource=[ALIAS, KEY],
        identity_policies=ADMIN,
        resource_policy=policy(grant({"AWS": ROLE}, "kms:Decrypt", "*")),
    )
    assert result["decision"] == IMPLICIT
    assert result["missing_allow_at"]["step"] == "resource_policy"
    assert KEY in result["explanation"]


def test_an_alias_alone_is_authorised_by_iam_policies_and_noted() -> None:
    """ALIAS_PAGE: an alias has no key policy; given alone, lz notes the key is missing."""
    result = decide(action="kms:DeleteAlias", resource=ALIAS, identity_policies=ADMIN)
    assert result["decision"] == ALLOWED
    assert any("also authorises on the alias's key" in note for note in result["notes"])


# -- requests on "*" and wildcards -----------------------------------------------------

RESOURCE_PAGE = IAM_PAGE + "reference_policies_elements_resource.html"


def test_an_action_on_star_needs_resource_star_in_the_policy() -> None:
    """IAM User Guide, Resource element (RESOURCE_PAGE): an action without
    resource-level permissions is authorised on "*", so only a statement with
    `"Resource": "*"` can allow it; statements naming ARNs do not match."""
    named = decide(
        action="s3:ListAllMyBuckets",
        resource="*",
        identity_policies=[policy(allow("s3:*", "arn:aws:s3:::*"))],
    )
    assert named["decision"] == IMPLICIT
    star = decide(action="s3:ListAllMyBuckets", resource="*", identity_policies=ADMIN)
    assert star["decision"] == ALLOWED


def test_not_resource_naming_arns_covers_a_request_on_star() -> None:
    """RESOURCE_PAGE and the NotResource page: NotResource matches everything not listed,
    so a request on "*" is covered (it is none of the listed ARNs)."""
    statement = {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}
    result = decide(
        action="s3:ListAllMyBuckets", resource="*", identity_policies=[policy(statement)]
    )
    assert result["decision"] == ALLOWED


def test_wildcards_in_a_request_are_literal_characters() -> None:
    """RESOURCE_PAGE: wildcards are a policy feature; a request names one resource,
    so a `*` in it is a character that only a wildcard (or the same `*`) matches."""
    request_arn = "arn:aws:s3:::state-bucket/*"
    narrower = decide(
        resource=request_arn,
        identity_policies=[policy(allow("s3:GetObject", "arn:aws:s3:::state-bucket/prod*"))],
    )
    assert narrower["decision"] == IMPLICIT
    wider = decide(
        resource=request_arn,
        identity_policies=[policy(allow("s3:GetObject", "arn:aws:s3:::state-*/*"))],
    )
    assert wider["decision"] == ALLOWED


# -- session policies and permissions boundaries with resource policies ------------------

SESSION_PAGE = IAM_PAGE + "access_policies.html#policies_session"
CROSS_PAGE = IAM_PAGE + "reference_policies_evaluation-logic-cross-account.html"


def test_cross_account_a_grant_to_the_session_is_limited_by_its_session_policy() -> None:
    """SESSION_PAGE with CROSS_PAGE: across accounts the caller's side must allow
    too, and the session's permissions are the intersection of its identity
    policies and its session policy; a bucket policy naming the session does not
    lift the session policy's implicit deny."""
    result = decide(
        action="s3:PutObject",
        principal=SESSION,
        resource=B_OBJECT,
        resource_account=B,
        identity_policies=ADMIN,
        session_policy=policy(allow("s3:GetObject")),
        resource_policy=policy(grant({"AWS": SESSION}, "s3:PutObject", "arn:aws:s3:::b-bucket/*")),
    )
    assert result["decision"] == IMPLICIT
    assert result["missing_allow_at"]["step"] == "session_policy"


def test_same_account_a_grant_to_the_role_is_limited_by_the_session_policy() -> None:
    """SESSION_PAGE: a resource-based policy naming the role's ARN adds its
    permissions before the session is created, so the session policy limits them."""
    result = decide(
        action="s3:PutObject",
        principal=SESSION,
        session_policy=policy(allow("s3:GetObject")),
        resource_policy=policy(grant({"AWS": ROLE}, "s3:PutObject", "arn:aws:s3:::state-bucket/*")),
    )
    assert result["decision"] == IMPLICIT
    assert result["missing_allow_at"]["step"] == "session_policy"


BOUNDARY_PAGE = IAM_PAGE + "access_policies_boundaries.html"
READ_ONLY_BOUNDARY = [policy(allow("s3:GetObject"))]


def _bucket_granting(principal: str, resource: str = "arn:aws:s3:::state-bucket/*") -> Any:
    return policy(grant({"AWS": principal}, "s3:PutObject", resource))


def test_boundary_does_not_limit_a_same_account_grant_to_the_user() -> None:
    """BOUNDARY_PAGE, resource-based policies: within the account, a grant to the
    IAM user's ARN is not limited by an implicit deny in its boundary."""
    result = decide(
        action="s3:PutObject",
        principal=USER,
        permission_boundaries=READ_ONLY_BOUNDARY,
        resource_policy=_bucket_granting(USER),
    )
    assert result["decision"] == ALLOWED


def test_boundary_limits_a_same_account_grant_to_the_role() -> None:
    """BOUNDARY_PAGE: a grant to the role's ARN is limited by the role's boundary."""
    result = decide(
        action="s3:PutObject",
        principal=SESSION,
        permission_boundaries=READ_ONLY_BOUNDARY,
        resource_policy=_bucket_granting(ROLE_ARN_WITH_PATH),
    )
    assert result["decision"] == IMPLICIT
    assert result["missing_allow_at"]["step"] == "permission_boundaries"


def test_boundary_does_not_limit_a_same_account_grant_to_the_session() -> None:
    """BOUNDARY_PAGE: a grant to the role session's ARN is not limited by the boundary."""
    result = decide(
        action="s3:PutObject",
        principal=SESSION,
        permission_boundaries=READ_ONLY_BOUNDARY,
        resource_policy=_bucket_granting(SESSION),
    )
    assert result["decision"] == ALLOWED


def test_boundary_limits_a_grant_from_another_account_even_to_the_user() -> None:
    """BOUNDARY_PAGE with CROSS_PAGE: across accounts the caller's identity
    policies and boundary must allow as well, whoever the bucket policy names."""
    result = decide(
        action="s3:PutObject",
        principal=B_USER,
        resource=OBJECT,
        resource_account=A,
        identity_policies=ADMIN,
        permission_boundaries=READ_ONLY_BOUNDARY,
        resource_policy=_bucket_granting(B_USER),
    )
    assert result["decision"] == IMPLICIT
    assert result["missing_allow_at"]["step"] == "permission_boundaries"


# -- shapes AWS would refuse to store ------------------------------------------------------


def test_a_principal_in_an_identity_policy_is_evaluated_with_a_warning() -> None:
    """IAM User Guide, Principal element: "You cannot use the Principal element in
    an identity-based policy". lz still evaluates it: the statement applies only
    to the principals it names, and the answer carries a warning."""
    identity = policy(allow("s3:GetObject", Principal={"AWS": ROLE}))
    result = decide(identity_policies=[identity])
    assert result["decision"] == ALLOWED
    assert "Principal is not allowed in an identity-based policy" in result["warnings"][0]
    other = decide(principal=USER, identity_policies=[identity])
    assert other["decision"] == IMPLICIT


def test_a_bare_arn_string_as_principal_reads_as_an_aws_principal() -> None:
    """Principal element page: principals are given as `{"AWS": ARN}`; only `"*"`
    may stand alone. A bare ARN is evaluated as `{"AWS": ARN}`, with a warning."""
    result = decide(
        action="s3:PutObject",
        principal=USER,
        resource_policy=policy(grant(USER, "s3:PutObject", "arn:aws:s3:::state-bucket/*")),
    )
    assert result["decision"] == ALLOWED
    assert f"evaluated as {{\"AWS\": '{USER}'}}" in result["warnings"][0]


def test_an_action_without_a_name_matches_nothing_with_a_warning() -> None:
    """IAM User Guide, Action element: an action is `service:action`. `s3:` names none."""
    result = decide(identity_policies=[policy(allow(["s3:"]))])
    assert result["decision"] == IMPLICIT
    assert "no action after the colon" in result["warnings"][0]


def test_a_resource_policy_statement_without_principal_allows_and_denies_nothing() -> None:
    """Principal element page: "You must use the Principal element in resource-based
    policies". Such a statement names nobody: it neither allows nor denies."""
    allowing = decide(resource_policy=policy(allow("s3:GetObject")))
    assert allowing["decision"] == IMPLICIT
    assert "needs exactly one of Principal or NotPrincipal" in allowing["warnings"][0]
    denying = decide(identity_policies=ADMIN, resource_policy=policy(deny("s3:*")))
    assert denying["decision"] == ALLOWED


def test_a_batch_evaluates_every_request_with_errors_in_place() -> None:
    results = simulate(
        [
            request(identity_policies=ADMIN),
            request(identity_policies=[{"Statement": [{"Effect": "Permit"}]}]),
            request(action="s3:*"),
        ]
    )
    assert results[0]["decision"] == ALLOWED
    assert results[1]["error"]["code"] == "policy_invalid"
    assert results[2]["error"]["message"].startswith("request[2]: action 's3:*'")
