"""The `identity_center` section's rules: each broken once, reported at its file:line."""

from __future__ import annotations

import botocore

IDENTITY = "catalog/identity.yaml"


def _with(valid: dict[str, str], text: str) -> dict[str, str]:
    return {**valid, IDENTITY: text}


def test_an_identity_center_section_loads(write_spec, valid, load_ok):
    text = """\
        identity_center:
          account: shared
          groups:
            admins: {}
            okta-auditors: {external: true}
          permission_sets:
            Admin:
              managed_policies: [AdministratorAccess]
              session_duration: PT8H
              permissions_boundary: {customer_managed_policy: {name: boundary}}
          assignments:
            - {group: admins, permission_set: Admin, to: {units: [plat]}}
            - {group: okta-auditors, permission_set: Admin, to: {accounts: [shared]}}
        """
    spec = load_ok(write_spec(_with(valid, text))).spec
    assert spec.identity_center is not None
    assert spec.identity_center.account == "shared"


def test_permission_set_rules_name_file_line_and_the_aws_limit(write_spec, valid, problems_of):
    statement = (
        '{Effect: Allow, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/' + "x" * 33000 + '"}'
    )
    text = f"""\
        identity_center:
          permission_sets:
            Admin:
              managed_policies: [AdministratorAcess]
              session_duration: PT13H
            Big:
              inline_policy:
                Version: "2012-10-17"
                Statement:
                  - {statement}
        """
    problems = problems_of(write_spec(_with(valid, text)))
    assert problems == [
        f'{IDENTITY}:4: permission set "Admin": AWS has no managed policy "AdministratorAcess" '
        '(did you mean "AdministratorAccess"?)',
        f'{IDENTITY}:5: permission set "Admin": session_duration "PT13H" must be an ISO 8601 '
        "duration from PT1H to PT12H (AWS allows 1 to 12 hours)",
        f'{IDENTITY}:7: permission set "Big": inline_policy is 33,110 characters; AWS allows '
        "32,768 (PutInlinePolicyToPermissionSet)",
    ]


def test_assignments_name_what_exists(write_spec, valid, problems_of):
    text = """\
        identity_center:
          account: identity
          region: us-east-9
          groups:
            admins: {}
          permission_sets:
            Admin: {managed_policies: [AdministratorAccess]}
          assignments:
            - group: admin
              permission_set: Admn
              to: {accounts: [prod], units: [plat/sandbx]}
        """
    problems = problems_of(write_spec(_with(valid, text)))
    assert problems == [
        f'{IDENTITY}:2: identity_center.account: account "identity" does not exist '
        '(accounts: dev, shared; or "management")',
        f'{IDENTITY}:3: identity_center.region: "us-east-9" is not a region of partition aws '
        '(did you mean "us-east-2"?); lz knows the regions botocore '
        f"{botocore.__version__} lists: a region newer than it needs a newer botocore",
        f'{IDENTITY}:9: assignment of admin: group "admin" is not in identity_center.groups '
        '(did you mean "admins"? groups: admins); declare it, or add it with external: true '
        "if your identity provider creates it",
        f'{IDENTITY}:10: assignment of admin: permission set "Admn" is not in '
        'identity_center.permission_sets (did you mean "Admin"? permission sets: Admin)',
        f'{IDENTITY}:11: assignment of admin: account "prod" does not exist '
        '(accounts: dev, shared; or "management")',
        f'{IDENTITY}:11: assignment of admin: unit "plat/sandbx" does not exist '
        '(did you mean "plat/sandbox"? units: core, plat, plat/sandbox)',
    ]


def test_aws_limits_apply_to_permission_sets(write_spec, valid, problems_of):
    text = """\
        identity_center:
          permission_sets:
            Admin:
              managed_policies: [AdministratorAccess, AdministratorAccess]
              tags: {"aws:team": platform}
        """
    problems = problems_of(write_spec(_with(valid, text)))
    assert problems == [
        f"{IDENTITY}:4: identity_center.permission_sets.Admin.managed_policies[1]: "
        f'"AdministratorAccess" is listed twice (first at {IDENTITY}:4); list each once',
        f'{IDENTITY}:5: identity_center.permission_sets.Admin: tag key "aws:team": the prefix '
        '"aws:" is reserved for AWS (AWS tagging rules, '
        "docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html)",
    ]


def test_an_inline_policy_comes_from_a_json_file(write_spec, valid, load_ok, problems_of):
    text = """\
        identity_center:
          permission_sets:
            Developer:
              inline_policy_file: ../policies/developer.json
        """
    document = '{"Version": "2012-10-17",\n "Statement": [{"Effect": "Deny", "Action": "s3:*"}]}'
    files = {**_with(valid, text), "policies/developer.json": document}
    problems = problems_of(write_spec(files))
    assert problems == [
        'policies/developer.json:1: permission set "Developer": inline_policy (statement #0): '
        "a statement needs Resource or NotResource"
    ]
    fixed = document.replace('"s3:*"', '"s3:*", "Resource": "*"')
    spec = load_ok(write_spec({**files, "policies/developer.json": fixed})).spec
    assert spec.identity_center is not None
    inline = spec.identity_center.permission_sets["Developer"].inline_policy
    assert inline is not None and inline["Statement"] == [
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}
    ]


def test_one_delegated_administrator_for_identity_center(write_spec, valid, problems_of):
    text = """\
        security:
          account: shared
          delegated_services: [sso]
        identity_center:
          account: dev
        """
    assert problems_of(write_spec(_with(valid, text))) == [
        f'{IDENTITY}:5: identity_center.account is "dev" but security.delegated_services '
        'delegates Identity Center to "shared": AWS has one delegated administrator per service'
    ]
