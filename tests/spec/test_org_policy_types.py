"""Policies of every Organizations type: grammar, size and attachments, each at its file:line.

Rules from the AWS Organizations User Guide: "RCP syntax", "Tag policy syntax",
"Backup policy syntax", "AI services opt-out policy syntax", "Declarative
policy syntax", and "Quotas and service limits" (maximum and minimum values).
"""

from __future__ import annotations

import json

import pytest

RCP = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "OnlyOrg",
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:*", "kms:*"],
            "Resource": "*",
            "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-abc123"}},
        }
    ],
}
TAG = {
    "tags": {
        "costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["100", "200"]},
            "enforced_for": {"@@assign": ["ec2:instance"]},
        }
    }
}
BACKUP = {
    "plans": {
        "daily": {
            "regions": {"@@assign": ["us-west-2"]},
            "rules": {
                "every_day": {
                    "schedule_expression": {"@@assign": "cron(0 5 ? * * *)"},
                    "target_backup_vault_name": {"@@assign": "Default"},
                }
            },
            "selections": {
                "tags": {"all": {"iam_role_arn": {"@@assign": "arn:aws:iam::$account:role/backup"}}}
            },
        }
    }
}
AI = {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}}
DECLARATIVE = {
    "ec2_attributes": {"image_block_public_access": {"state": {"@@assign": "block_new_sharing"}}}
}


def _spec(documents: dict[str, tuple[str, object]], attach: str) -> dict[str, str]:
    """A spec with one policy per type, each document on one line, attached to the root."""
    policies = "".join(
        f"  {name}:\n    type: {kind}\n    document: {json.dumps(document)}\n"
        for name, (kind, document) in documents.items()
    )
    return {
        "landingzone.yaml": (
            "import: [policies.yaml]\norganization:\n  name: acme\n  home_region: us-west-2\n"
            f"  policies: {attach}\nstate:\n  account: management\n"
        ),
        "policies.yaml": "policies:\n" + policies,
    }


ALL = {
    "perimeter": ("resource_control", RCP),
    "cost-tags": ("tag", TAG),
    "daily-backup": ("backup", BACKUP),
    "no-ai-training": ("aiservices_opt_out", AI),
    "no-public-amis": ("declarative_ec2", DECLARATIVE),
}


def test_every_policy_type_loads_and_attaches_with_scps(write_spec, load_ok):
    loaded = load_ok(write_spec(_spec(ALL, f"[{', '.join(ALL)}, RCPFullAWSAccess]")))
    assert {name: p.type for name, p in loaded.spec.policies.items()} == {
        name: kind for name, (kind, _) in ALL.items()
    }


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ({"Effect": "Allow"}, 'an RCP statement\'s Effect must be "Deny" (Allow is reserved'),
        ({"Principal": {"AWS": "111122223333"}}, 'an RCP statement needs "Principal": "*"'),
        ({"Action": ["s3:*", "ec2:RunInstances"]}, "ec2 does not support RCPs"),
        ({"NotAction": "s3:*"}, "RCPs do not support NotAction"),
    ],
)
def test_an_rcp_follows_the_rcp_grammar(write_spec, problems_of, statement, message):
    document = {**RCP, "Statement": [{**RCP["Statement"][0], **statement}]}
    problems = problems_of(write_spec(_spec({"perimeter": ("resource_control", document)}, "[]")))
    assert len(problems) == 1
    assert problems[0].startswith('policies.yaml:4: policy "perimeter": ')
    assert message in problems[0]


@pytest.mark.parametrize(
    ("kind", "document", "message"),
    [
        (
            "tag",
            {"tags": {"costcenter": {"tag_key": {"@@asign": "CostCenter"}}}},
            'unknown operator "@@asign" (did you mean "@@assign"?)',
        ),
        ("tag", {"tag": {}}, 'unknown key "tag": this policy type\'s document has "tags" only'),
        (
            "aiservices_opt_out",
            {"services": {"default": {"opt_out_policy": {"@@append": "optOut"}}}},
            'unknown operator "@@append"',
        ),
        (
            "aiservices_opt_out",
            {"services": {"default": {"opt_out_policy": {"@@assign": "out"}}}},
            'opt_out_policy must be "optIn" or "optOut", got "out"',
        ),
        (
            "backup",
            {"plans": {"daily": {"rule": {}}}},
            'unknown key "rule" (did you mean "rules"?)',
        ),
        (
            "declarative_ec2",
            {"ec2_attributes": {"image_public_access": {}}},
            'unknown EC2 attribute "image_public_access"',
        ),
        (
            "tag",
            {"tags": {"x": {"@@operators_allowed_for_child_policies": ["@@everything"]}}},
            "@@operators_allowed_for_child_policies takes @@all, @@none",
        ),
    ],
)
def test_management_policies_follow_their_grammar(write_spec, problems_of, kind, document, message):
    problems = problems_of(write_spec(_spec({"p": (kind, document)}, "[]")))
    assert all(p.startswith('policies.yaml:4: policy "p": ') for p in problems), problems
    assert any(message in p for p in problems), problems


def test_each_type_has_its_own_size_limit(write_spec, problems_of, load_ok):
    """AI services opt-out policies: 2,500 characters; tag policies: 10,000."""
    values = [f"v{n:04d}" for n in range(400)]  # ~3,200 characters
    big_ai = {"services": {"default": {"opt_out_policy": {"@@assign": "optOut"}}}, **{}}
    big_ai["services"].update(
        {f"s{n:03d}": {"opt_out_policy": {"@@assign": "optOut"}} for n in range(60)}
    )
    tag = {"tags": {"team": {"tag_key": {"@@assign": "Team"}, "tag_value": {"@@assign": values}}}}
    load_ok(write_spec(_spec({"tags": ("tag", tag)}, "[]")))
    problems = problems_of(write_spec(_spec({"ai": ("aiservices_opt_out", big_ai)}, "[]")))
    assert len(problems) == 1
    assert "over AWS's limit of 2500 for AI services opt-out policies" in problems[0]
    assert problems[0].startswith("policies.yaml:4:")


def test_attachments_per_target_count_per_type(write_spec, problems_of, load_ok):
    """Five RCPs per target counting RCPFullAWSAccess; ten tag policies per target."""
    rcps = {f"r{n}": ("resource_control", RCP) for n in range(1, 6)}
    tags = {f"t{n}": ("tag", TAG) for n in range(1, 11)}
    load_ok(
        write_spec(
            _spec(
                {**tags, **{k: rcps[k] for k in ("r1", "r2", "r3", "r4")}},
                f"[{', '.join(tags)}, r1, r2, r3, r4]",
            )
        )
    )
    problems = problems_of(write_spec(_spec(rcps, f"[{', '.join(rcps)}]")))
    assert problems == [
        "landingzone.yaml:5: organization: 6 resource control policies would be attached "
        "(5 listed plus RCPFullAWSAccess, which AWS keeps attached), over AWS's limit of 5 "
        "per target"
    ]


def test_rcp_full_aws_access_is_only_known_when_rcps_are_used(write_spec, problems_of):
    problems = problems_of(write_spec(_spec({"cost-tags": ("tag", TAG)}, "[RCPFullAWSAccess]")))
    assert 'policy "RCPFullAWSAccess" does not exist' in problems[0]
