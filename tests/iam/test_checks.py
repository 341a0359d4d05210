"""The rules of roles and CI federation: each broken once, each at its file:line."""

from __future__ import annotations

import pytest

from tests.iam.conftest import edit

GITHUB = "token.actions.githubusercontent.com"


def test_the_base_spec_is_valid(write_spec, iam_files, load_ok):
    loaded = load_ok(write_spec(iam_files))
    assert sorted(loaded.spec.roles) == ["TerraformAdmin", "auditor"]
    assert sorted(loaded.spec.ci.deploy_roles) == ["automation", "deploy-prod"]


# --- OIDC trust: aud and sub -----------------------------------------------------------


def test_a_deploy_role_without_subjects_is_refused(write_spec, iam_files, problems_of):
    files = edit(
        iam_files,
        "ci.yaml",
        "      subjects:\n        - repo:acme/app:environment:prod\n",
        "      subjects: []\n",
    )
    assert problems_of(write_spec(files)) == [
        f'ci.yaml:22: deploy role "deploy-prod": the trust has no "{GITHUB}:sub" condition: '
        "any repository's CI jobs could assume the role (list subjects)"
    ]


def test_a_provider_without_audiences_leaves_its_roles_without_aud(
    write_spec, iam_files, problems_of
):
    files = edit(
        iam_files, "ci.yaml", "      type: github\n", "      type: github\n      audiences: []\n"
    )
    problems = problems_of(write_spec(files))
    assert problems == [
        f'ci.yaml:17: deploy role "automation": the trust has no "{GITHUB}:aud" condition: '
        "tokens issued for any audience would be accepted (the provider needs audiences)",
        f'ci.yaml:23: deploy role "deploy-prod": the trust has no "{GITHUB}:aud" condition: '
        "tokens issued for any audience would be accepted (the provider needs audiences)",
    ]


# --- subjects: wildcards that let anyone in -------------------------------------------


@pytest.mark.parametrize(
    ("subject", "problem"),
    [
        ("repo:acme/*:ref:refs/heads/main", "the wildcard lets any repository in"),
        ("repo:*", "the wildcard lets any repository in"),
        ("repo:acme/app:*", "the wildcard lets any branch, tag, environment or event in"),
        ("repo:acme/app:ref:refs/heads/*", "the wildcard lets any branch in"),
        ("repo:acme/app:ref:refs/heads/*main", "the wildcard lets any branch in"),
        ("repo:acme/app:environment:*", "the wildcard lets any environment in"),
        ("repo:acme/app:ref:*", "the wildcard lets any ref in"),
        ("repo:acme/app:ref:refs/tags/*", "the wildcard lets any tag in"),
        ("acme/app:environment:prod", 'a GitHub subject is "repo:ORG/REPO:"'),
        ("repo:acme:environment:prod", 'a GitHub subject is "repo:ORG/REPO:"'),
    ],
)
def test_github_subjects_that_let_too_much_in_are_refused(
    write_spec, iam_files, problems_of, subject, problem
):
    files = edit(iam_files, "ci.yaml", "repo:acme/app:environment:prod", subject)
    [found] = problems_of(write_spec(files))
    assert found.startswith(f'ci.yaml:23: deploy role "deploy-prod": subject "{subject}": ')
    assert problem in found


@pytest.mark.parametrize(
    "subject",
    [
        "repo:acme/app:pull_request",
        "repo:acme/app:ref:refs/heads/release-*",
        "repo:acme/app:ref:refs/tags/v*",
        "repo:acme/app:environment:prod-?",
    ],
)
def test_narrow_github_subjects_are_fine(write_spec, iam_files, load_ok, subject):
    load_ok(write_spec(edit(iam_files, "ci.yaml", "repo:acme/app:environment:prod", subject)))


def _gitlab(files: dict[str, str], subject: str) -> dict[str, str]:
    files = edit(files, "ci.yaml", "      type: github\n", "      type: gitlab\n")
    files = edit(
        files,
        "ci.yaml",
        "repo:acme/infra:ref:refs/heads/main",
        "project_path:acme/infra:ref_type:branch:ref:main",
    )
    return edit(files, "ci.yaml", "repo:acme/app:environment:prod", subject)


@pytest.mark.parametrize(
    ("subject", "problem"),
    [
        ("project_path:acme/*:ref_type:branch:ref:main", "the wildcard lets any project in"),
        ("project_path:acme/app:ref_type:branch:ref:*", "the wildcard lets any branch in"),
        ("project_path:acme/app:ref_type:*:ref:main", "the wildcard lets any ref type"),
        ("project_path:acme/app:*", 'a GitLab subject is "project_path:GROUP/PROJECT:'),
        ("repo:acme/app:environment:prod", 'a GitLab subject is "project_path:GROUP/PROJECT:'),
    ],
)
def test_gitlab_subjects_that_let_too_much_in_are_refused(
    write_spec, iam_files, problems_of, subject, problem
):
    [found] = problems_of(write_spec(_gitlab(iam_files, subject)))
    assert found.startswith(f'ci.yaml:23: deploy role "deploy-prod": subject "{subject}": ')
    assert problem in found


def test_a_gitlab_main_branch_subject_is_fine(write_spec, iam_files, load_ok):
    load_ok(write_spec(_gitlab(iam_files, "project_path:acme/app:ref_type:branch:ref:main")))


# --- trusted by everyone ---------------------------------------------------------------


def test_a_role_trusted_by_any_account_is_refused(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "accounts: [shared]", 'accounts: ["*"]')
    assert problems_of(write_spec(files)) == [
        'roles.yaml:10: role "auditor": the role would be trusted by "*": any AWS principal '
        "could assume it; name accounts"
    ]


def test_a_role_reference_with_a_wildcard_is_refused(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", '"shared:automation"', '"arn:aws:iam::*:role/x"')
    assert problems_of(write_spec(files)) == [
        'roles.yaml:5: role "TerraformAdmin": role "arn:aws:iam::*:role/x" has a wildcard: it '
        "would name any role; name roles exactly"
    ]


# --- mutating actions on every resource -----------------------------------------------


def test_an_inline_policy_changing_anything_on_any_resource_is_refused(
    write_spec, iam_files, problems_of
):
    files = edit(iam_files, "roles.yaml", '["s3:Get*", "s3:List*"]', '["s3:Get*", "s3:Put*"]')
    assert problems_of(write_spec(files)) == [
        'roles.yaml:13: role "auditor": read: statement #0: s3:Put* on Resource "*" may change '
        "any resource; scope it to ARNs"
    ]


@pytest.mark.parametrize(
    ("action", "shown"),
    [('"*"', "*"), ('"s3:*"', "s3:*"), ('"s3:G*"', "s3:G*"), ('"*:Get*"', "*:Get*")],
)
def test_wildcard_actions_count_as_changing(write_spec, iam_files, problems_of, action, shown):
    files = edit(iam_files, "roles.yaml", '["s3:Get*", "s3:List*"]', action)
    [problem] = problems_of(write_spec(files))
    assert problem.startswith(f'roles.yaml:13: role "auditor": read: statement #0: {shown} on ')


def test_not_action_on_any_resource_is_refused(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "Action: ", "NotAction: ")
    assert problems_of(write_spec(files)) == [
        'roles.yaml:13: role "auditor": read: statement #0: NotAction with Resource "*" allows '
        "changes to anything"
    ]


@pytest.mark.parametrize("service", ["lambda", "cloudformation", "ce"])
def test_unscoped_services_are_only_those_with_accountless_arns(
    write_spec, iam_files, problems_of, service
):
    files = edit(
        iam_files, "ci.yaml", "unscoped_services: [s3]", f"unscoped_services: [s3, {service}]"
    )
    assert problems_of(write_spec(files)) == [
        f'ci.yaml:11: profile "app": unscoped_services "{service}": its ARNs name an account: '
        "scope it with regional_services or global_services (unscoped_services may only list "
        "services with resources whose ARNs carry no account, such as s3, route53 and apigateway)"
    ]


def test_an_action_aws_authorizes_only_on_any_resource_may_be_granted_there_by_name(
    write_spec, iam_files, problems_of, load_ok
):
    # route53:CreateHostedZone has no resource types: "*" is as narrow as it gets. A
    # pattern reaching it (route53:Create*) also reaches scopable actions: refused.
    named = edit(iam_files, "roles.yaml", '"s3:Get*", "s3:List*"', '"route53:CreateHostedZone"')
    load_ok(write_spec(named))
    pattern = edit(iam_files, "roles.yaml", '"s3:Get*", "s3:List*"', '"route53:Create*"')
    [problem] = problems_of(write_spec(pattern))
    assert 'route53:Create* on Resource "*" may change any resource' in problem


@pytest.mark.parametrize("field", ["regional_services", "global_services", "unscoped_services"])
def test_a_profile_never_grants_iam_or_sts_wholesale(write_spec, iam_files, problems_of, field):
    files = edit(
        iam_files, "ci.yaml", "      iam: true\n", f"      iam: true\n      {field}: [iam]\n"
    )
    files = (
        edit(files, "ci.yaml", f"      {field}: [lambda]\n", "")
        if field == "regional_services"
        else files
    )
    files = (
        edit(files, "ci.yaml", "      unscoped_services: [s3]\n", "")
        if field == "unscoped_services"
        else files
    )
    [problem] = problems_of(write_spec(files))
    assert problem.startswith(f'ci.yaml:9: profile "app": {field} "iam": a profile never grants')


def test_a_deploy_role_named_with_its_profile_prefix_is_refused(write_spec, iam_files, problems_of):
    files = edit(
        iam_files, "ci.yaml", "    deploy-prod:\n", "    deploy-prod:\n      name: acme-deploy\n"
    )
    assert problems_of(write_spec(files)) == [
        'ci.yaml:19: deploy role "deploy-prod": "acme-deploy" starts with its profile\'s prefix '
        '"acme-": the role could rewrite its own trust and permissions'
    ]


# --- IAM limits ------------------------------------------------------------------------


def test_the_trust_policy_size_is_a_quota(write_spec, iam_files, problems_of, load_ok):
    quota = "  tags: {Repo: infra}\n  quotas: {trust_policy_characters: 140}\n"
    files = edit(iam_files, "landingzone.yaml", "  tags: {Repo: infra}\n", quota)
    problems = problems_of(write_spec(files))
    assert (
        'roles.yaml:4: role "TerraformAdmin": the trust policy is 147 characters, over the quota '
        "of 140 (organization.quotas.trust_policy_characters)"
    ) in problems
    # Account IDs count as the 12 digits they become, not as their placeholders.
    assert len(problems) == 4  # TerraformAdmin, auditor, and both deploy roles


def test_inline_policies_of_a_role_fit_in_10240_characters(write_spec, iam_files, problems_of):
    actions = ", ".join(f'"s3:GetObjectVersion{i:04}"' for i in range(420))
    files = edit(iam_files, "roles.yaml", '["s3:Get*", "s3:List*"]', f"[{actions}]")
    [problem] = problems_of(write_spec(files))
    assert problem.startswith('roles.yaml:7: role "auditor": its inline policies take 1')
    assert "over AWS's limit of 10240 per role" in problem


def test_managed_policies_per_role_is_a_quota(write_spec, iam_files, problems_of):
    policies = ", ".join(f"Policy{i}" for i in range(11))
    files = edit(iam_files, "roles.yaml", "[AdministratorAccess]", f"[{policies}]")
    assert problems_of(write_spec(files)) == [
        'roles.yaml:6: role "TerraformAdmin": 11 managed policies, over the quota of 10 per role '
        "(organization.quotas.managed_policies_per_role)"
    ]


def test_role_names_fit_iam(write_spec, iam_files, problems_of):
    name = "a" * 65
    files = edit(iam_files, "roles.yaml", "  auditor:\n", f"  auditor:\n    name: {name}\n")
    assert problems_of(write_spec(files)) == [
        f'roles.yaml:7: role "auditor": name "{name}": a role name is 1 to 64 characters of '
        "letters, digits and +=,.@_-"
    ]


@pytest.mark.parametrize("path", ["ci", "/ci", "ci/", "/c i/", "//x"])
def test_paths_start_and_end_with_a_slash(write_spec, iam_files, problems_of, path):
    files = edit(iam_files, "roles.yaml", "  auditor:\n", f'  auditor:\n    path: "{path}"\n')
    [problem] = problems_of(write_spec(files))
    assert problem.startswith(f'roles.yaml:8: role "auditor": path "{path}": a path starts')


def test_max_session_duration_is_one_to_twelve_hours(write_spec, iam_files, problems_of):
    files = edit(
        iam_files, "roles.yaml", "  auditor:\n", "  auditor:\n    max_session_duration: 900\n"
    )
    [problem] = problems_of(write_spec(files))
    assert problem.startswith("roles.yaml:8: roles.auditor.max_session_duration: ")
    assert "3600" in problem


# --- names that must exist -------------------------------------------------------------


def test_deploy_to_names_existing_accounts(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "[shared, prod, dev]", "[shared, prd, dev]")
    assert problems_of(write_spec(files)) == [
        'roles.yaml:8: role "auditor": account "prd" does not exist (did you mean "prod"? '
        'accounts: dev, prod, shared; or "management")'
    ]


def test_deploy_to_names_existing_units(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "[workloads]", "[workload]")
    assert problems_of(write_spec(files)) == [
        'roles.yaml:3: role "TerraformAdmin": unit "workload" does not exist (did you mean '
        '"workloads"? units: core, workloads)'
    ]


def test_deploy_to_that_selects_nothing_is_refused(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "{units: [workloads]}", "{tags: {Environment: qa}}")
    assert problems_of(write_spec(files)) == [
        'roles.yaml:3: role "TerraformAdmin": deploy_to selects no account'
    ]


def test_trusted_roles_must_be_deployed_in_their_account(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", '"shared:automation"', '"shared:automaton"')
    assert problems_of(write_spec(files)) == [
        'roles.yaml:5: role "TerraformAdmin": role "automaton" is not deployed in account '
        '"shared" (did you mean "automation"? roles in shared: auditor, automation)'
    ]


def test_the_access_role_and_role_arns_can_be_trusted(write_spec, iam_files, load_ok):
    trusted = '"shared:OrganizationAccountAccessRole", "arn:aws:iam::210987654321:role/ops/x"'
    load_ok(write_spec(edit(iam_files, "roles.yaml", '"shared:automation"', trusted)))


def test_assume_roles_name_existing_roles(write_spec, iam_files, problems_of):
    files = edit(iam_files, "ci.yaml", '"dev:TerraformAdmin"', '"qa:TerraformAdmin"')
    assert problems_of(write_spec(files)) == [
        'ci.yaml:18: deploy role "automation": account "qa" does not exist (accounts: dev, '
        'prod, shared; or "management")'
    ]


def test_deploy_roles_name_existing_providers_and_profiles(write_spec, iam_files, problems_of):
    files = edit(iam_files, "ci.yaml", "      profile: app\n", "      profile: ap\n")
    files = edit(files, "ci.yaml", "      provider: github\n", "      provider: githb\n")
    assert problems_of(write_spec(files)) == [
        'ci.yaml:14: deploy role "automation": provider "githb" does not exist (did you mean '
        '"github"? providers: github)',
        'ci.yaml:24: deploy role "deploy-prod": profile "ap" does not exist (did you mean '
        '"app"? profiles: app)',
    ]


# --- other rules -----------------------------------------------------------------------


def test_a_role_name_is_used_once_per_account_ignoring_case(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "  auditor:\n", "  auditor:\n    name: terraformadmin\n")
    problems = problems_of(write_spec(files))
    assert problems == [
        'roles.yaml:7: role "auditor": role "terraformadmin" in account "dev" is also declared '
        "by roles.TerraformAdmin (roles.yaml:2; role names are unique per account, ignoring case)",
        'roles.yaml:7: role "auditor": role "terraformadmin" in account "prod" is also declared '
        "by roles.TerraformAdmin (roles.yaml:2; role names are unique per account, ignoring case)",
    ]


def test_the_access_role_is_not_lzs_to_manage(write_spec, iam_files, problems_of):
    files = edit(
        iam_files,
        "roles.yaml",
        "  auditor:\n",
        "  auditor:\n    name: OrganizationAccountAccessRole\n",
    )
    assert problems_of(write_spec(files)) == [
        'roles.yaml:7: role "auditor": "OrganizationAccountAccessRole" is '
        "organization.access_role, the role lz reaches member accounts through; lz does not "
        "manage it"
    ]


def test_generated_policy_names_are_reserved(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "      read:\n", "      lz-read:\n")
    assert problems_of(write_spec(files)) == [
        'roles.yaml:13: role "auditor": inline policy names starting with "lz-" are lz\'s '
        "(assume_roles, profiles)"
    ]


def test_inline_policies_are_valid_iam_policies(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "Effect: Allow", "Effect: Alow")
    [problem] = problems_of(write_spec(files))
    assert problem.startswith(
        'roles.yaml:13: role "auditor": inline policy "read" (statement #0): '
    )


def test_services_present_no_mfa(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "accounts: [shared]", "services: [ec2.amazonaws.com]")
    assert problems_of(write_spec(files)) == [
        'roles.yaml:10: role "auditor": services present no MFA and no external ID; give them a '
        "trust entry of their own"
    ]


def test_region_placeholders_mean_nothing_in_iam(write_spec, iam_files, problems_of):
    files = edit(
        iam_files, "roles.yaml", "  auditor:\n", '  auditor:\n    description: "in {region}"\n'
    )
    assert problems_of(write_spec(files)) == [
        "roles.yaml:8: roles.auditor.description: {region} has no value here"
    ]


def test_roles_that_trust_each_other_in_a_circle_are_refused(write_spec, iam_files, problems_of):
    files = edit(iam_files, "ci.yaml", "", "")
    files = edit(
        files,
        "roles.yaml",
        "      - accounts: [shared]\n        mfa: true\n",
        '      - roles: ["dev:TerraformAdmin"]\n',
    )
    files = edit(files, "roles.yaml", '"shared:automation"', '"dev:auditor"')
    assert problems_of(write_spec(files)) == [
        'roles.yaml:4: role "TerraformAdmin": its trust names roles that trust it in turn (a '
        "cycle): AWS needs a trusted role to exist first; break the circle",
        'roles.yaml:9: role "auditor": its trust names roles that trust it in turn (a cycle): '
        "AWS needs a trusted role to exist first; break the circle",
    ]


def test_every_problem_is_reported_once_in_one_run(write_spec, iam_files, problems_of):
    files = edit(iam_files, "roles.yaml", "accounts: [shared]", 'accounts: ["*"]')
    files = edit(files, "ci.yaml", "repo:acme/app:environment:prod", "repo:acme/*")
    problems = problems_of(write_spec(files))
    assert [p.split(": ")[0] for p in problems] == ["ci.yaml:23", "roles.yaml:10"]


# --- shapes of names and values ------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "roles.yaml",
            '"shared:automation"',
            '"arn:aws:iam::123:role/x"',
            'roles.yaml:5: role "TerraformAdmin": "arn:aws:iam::123:role/x" is not a role ARN '
            "(arn:aws:iam::123456789012:role/NAME)",
        ),
        (
            "roles.yaml",
            '"shared:automation"',
            '"automation"',
            'roles.yaml:5: role "TerraformAdmin": "automation" is not ACCOUNT:ROLE or a role ARN',
        ),
        (
            "roles.yaml",
            "      - accounts: [shared]\n        mfa: true\n",
            "      - mfa: true\n",
            'roles.yaml:10: role "auditor": a trust entry names accounts, roles or services',
        ),
        (
            "roles.yaml",
            "    trust:\n      - accounts: [shared]\n        mfa: true\n",
            "    trust: []\n",
            'roles.yaml:9: role "auditor": trust names nobody',
        ),
        (
            "roles.yaml",
            "        mfa: true\n",
            "        external_id: x\n",
            'roles.yaml:11: role "auditor": an external ID is 2 to 1224 characters of letters, '
            "digits and +=,.@:/-_",
        ),
        (
            "roles.yaml",
            "accounts: [shared]\n        mfa: true",
            "services: [ec2]",
            'roles.yaml:10: role "auditor": "ec2" is not a service principal (ec2.amazonaws.com)',
        ),
        (
            "roles.yaml",
            "[AdministratorAccess]",
            '["arn:aws:iam::aws:role/Admin"]',
            'roles.yaml:6: role "TerraformAdmin": "arn:aws:iam::aws:role/Admin" is neither a '
            "policy ARN nor the name of an AWS managed policy",
        ),
        (
            "roles.yaml",
            "      read:\n",
            "      read all:\n",
            'roles.yaml:13: role "auditor": inline policy name "read all" is not valid in IAM',
        ),
        (
            "roles.yaml",
            "  auditor:\n",
            f"  auditor:\n    description: {'d' * 1001}\n",
            'roles.yaml:8: role "auditor": the description is over 1000 characters',
        ),
        (
            "ci.yaml",
            "      type: github\n",
            "      type: github\n      url: http://token.actions.githubusercontent.com\n",
            'ci.yaml:5: provider "github": the URL is "https://" and a host (and path), at most '
            "255 characters",
        ),
        (
            "ci.yaml",
            "      type: github\n",
            "      type: github\n      thumbprints: [abc]\n",
            'ci.yaml:5: provider "github": at most 5 thumbprints of 40 hex digits',
        ),
        (
            "ci.yaml",
            "      type: github\n",
            f"      type: github\n      audiences: [{'a' * 256}]\n",
            'ci.yaml:5: provider "github": at most 100 audiences of 1 to 255 characters',
        ),
        (
            "ci.yaml",
            "      type: github\n",
            "      type: github\n      deploy_to: {accounts: [stage]}\n",
            'ci.yaml:5: provider "github": account "stage" does not exist (accounts: dev, '
            'prod, shared; or "management")',
        ),
        (
            "ci.yaml",
            "prefix: acme",
            "prefix: acme corp",
            'ci.yaml:7: profile "app": a prefix is 1 to 32 characters of letters, digits and '
            "+=,.@_-",
        ),
        (
            "ci.yaml",
            "read_services: [ec2]",
            "read_services: [EC2]",
            'ci.yaml:9: profile "app": read_services "EC2": not an IAM service prefix (ec2, '
            "lambda, s3, ...)",
        ),
    ],
)
def test_names_and_values_have_the_shapes_iam_takes(
    write_spec, iam_files, problems_of, file, old, new, expected
):
    assert problems_of(write_spec(edit(iam_files, file, old, new))) == [expected]


def test_one_provider_url_per_account(write_spec, iam_files, problems_of):
    files = edit(
        iam_files,
        "ci.yaml",
        "  profiles:\n",
        "    github2:\n      type: github\n      deploy_to: {accounts: [prod]}\n  profiles:\n",
    )
    assert problems_of(write_spec(files)) == [
        'ci.yaml:5: provider "github2": account "prod" already has the provider '
        f'"{GITHUB}" from ci.providers.github'
    ]


def test_an_invalid_role_is_left_out_and_the_rest_still_checked(write_spec, iam_files, problems_of):
    files = edit(
        iam_files, "roles.yaml", "    managed_policies: [Admin", "    managed_policie: [Admin"
    )
    files = edit(files, "roles.yaml", "accounts: [shared]", 'accounts: ["*"]')
    assert problems_of(write_spec(files)) == [
        'roles.yaml:6: unknown key "managed_policie" in roles.TerraformAdmin (did you mean '
        '"managed_policies"?)',
        'roles.yaml:10: role "auditor": the role would be trusted by "*": any AWS principal '
        "could assume it; name accounts",
    ]
