"""An organization built by hand with plain boto3, as years of console clicks leave one.

Nested OUs, 20 member accounts with tags, SCPs attached at every level, a tag
policy, a Control-Tower-style guardrail SCP and role, a hand-made OIDC provider
and CI role, a VPC. Nothing here uses lz.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tests.aws import Aws

UNITS = ["Core", "Workloads", "Workloads/Prod", "Workloads/Dev", "Sandbox", "Security"]
GUARDRAIL = "aws-guardrails-AbCdEf"
DENY_LEAVE = "deny-leave"
REGIONS = "Region allow-list"
TAG_POLICY = "cost-center"
STACK_SET = "AWSControlTowerBP-BASELINE-ROLES"
WIDE_OPEN = "wide-open"
DEPLOY = "app-deploy"  # a CI role as lz would write it: imported into ci.deploy_roles
STACKSETS_ROLE = "stacksets-exec-0123456789abcdef"
STACKSETS_ADMIN = "AWSCloudFormationStackSetAdministrationRole"
INSTANCE_ROLE = "app-instance"  # trusted by EC2 in its own account: not cross-account
EC2 = {"Service": "ec2.amazonaws.com"}
CT_LOG_ARCHIVE, CT_AUDIT = "team-04", "team-09"  # directly under the root
CT_TRAIL = "aws-controltower-BaselineCloudTrail"
CT_RECORDER = "aws-controltower-BaselineConfigRecorder"
OWN_TRAIL = "audit-trail"  # a trail of the team's own: listed in the report, not imported
LZ_SHAPED_TRAIL = "org-trail"  # shaped as lz's, in a bucket whose policy is not lz's
LEGACY_ALIAS = "acme-legacy-billing"  # an alias without the account's name: its own


def _scp(sid: str, action: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Sid": sid, "Effect": "Deny", "Action": action, "Resource": "*"}],
        }
    )


@dataclass
class Handmade:
    """IDs of what was built."""

    root: str
    units: dict[str, str] = field(default_factory=dict)  # path -> id
    accounts: dict[str, str] = field(default_factory=dict)  # name -> id
    policies: dict[str, str] = field(default_factory=dict)  # name -> id


def build(aws: Aws, accounts: int = 20) -> Handmade:
    """Build the organization; returns the IDs of what was made."""
    org = aws.client("organizations")
    made = Handmade(root=aws.create_organization())
    org.enable_policy_type(RootId=made.root, PolicyType="SERVICE_CONTROL_POLICY")
    org.enable_policy_type(RootId=made.root, PolicyType="TAG_POLICY")
    for path in UNITS:
        parent, _, name = path.rpartition("/")
        made.units[path] = org.create_organizational_unit(
            ParentId=made.units[parent] if parent else made.root,
            Name=name,
            Tags=[{"Key": "Owner", "Value": "platform"}] if path == "Core" else [],
        )["OrganizationalUnit"]["Id"]
    leaves = ["Core", "Workloads/Prod", "Workloads/Dev", "Sandbox", ""]
    for index in range(accounts):
        name = "Log Archive" if index == 0 else f"team-{index:02d}"
        status = org.create_account(
            Email=f"aws+{index:02d}@handmade.example",
            AccountName=name,
            Tags=[{"Key": "Environment", "Value": ["prod", "dev", "shared"][index % 3]}],
        )["CreateAccountStatus"]
        account_id = status["AccountId"]
        made.accounts[name] = account_id
        unit = leaves[index % len(leaves)]
        if unit:
            org.move_account(
                AccountId=account_id,
                SourceParentId=made.root,
                DestinationParentId=made.units[unit],
            )
    for name, description, content, kind in (
        (
            DENY_LEAVE,
            "Accounts stay",
            _scp("Stay", "organizations:LeaveOrganization"),
            "SERVICE_CONTROL_POLICY",
        ),
        (REGIONS, "", _scp("NoEc2", "ec2:RunInstances"), "SERVICE_CONTROL_POLICY"),
        (
            GUARDRAIL,
            "Control Tower guardrail",
            _scp("GRCLOUDTRAIL", "cloudtrail:StopLogging"),
            "SERVICE_CONTROL_POLICY",
        ),
        (
            TAG_POLICY,
            "CostCenter on instances",
            json.dumps({"tags": {"costcenter": {"tag_key": {"@@assign": "CostCenter"}}}}),
            "TAG_POLICY",
        ),
    ):
        made.policies[name] = org.create_policy(
            Name=name, Description=description, Content=content, Type=kind
        )["Policy"]["PolicySummary"]["Id"]
    org.attach_policy(PolicyId=made.policies[DENY_LEAVE], TargetId=made.root)
    org.attach_policy(PolicyId=made.policies[REGIONS], TargetId=made.units["Sandbox"])
    org.attach_policy(PolicyId=made.policies[GUARDRAIL], TargetId=made.units["Core"])
    org.attach_policy(PolicyId=made.policies[TAG_POLICY], TargetId=made.units["Workloads"])
    org.attach_policy(PolicyId=made.policies[REGIONS], TargetId=made.accounts["team-01"])

    # Inside an account: a Control Tower role, a CI role trusting GitHub's OIDC, a VPC.
    member = made.accounts["team-01"]
    iam = aws.client("iam", member)
    iam.create_role(
        RoleName="AWSControlTowerExecution",
        AssumeRolePolicyDocument=_trust(
            {"AWS": f"arn:aws:iam::{aws.emulator.management_account_id}:root"}
        ),
    )
    management_id = aws.emulator.management_account_id
    aws.client("iam").create_role(
        RoleName=STACKSETS_ADMIN,
        AssumeRolePolicyDocument=_trust({"Service": "cloudformation.amazonaws.com"}),
    )
    iam.create_role(  # what a CloudFormation stack set leaves in each target account
        RoleName=STACKSETS_ROLE,
        AssumeRolePolicyDocument=_trust(
            {"AWS": f"arn:aws:iam::{management_id}:role/{STACKSETS_ADMIN}"}
        ),
    )
    iam.create_role(RoleName=INSTANCE_ROLE, AssumeRolePolicyDocument=_trust(EC2))
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    provider = iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
    )["OpenIDConnectProviderArn"]
    iam.create_role(
        RoleName="github-deploy", AssumeRolePolicyDocument=_trust({"Federated": provider})
    )  # trusted by every repository: lz refuses that shape, so it stays in the report
    github = "token.actions.githubusercontent.com"
    iam.create_role(
        RoleName=DEPLOY,
        AssumeRolePolicyDocument=_trust(
            {"Federated": provider},
            {
                "StringEquals": {
                    f"{github}:aud": "sts.amazonaws.com",
                    f"{github}:sub": "repo:acme/app:ref:refs/heads/main",
                }
            },
            action="sts:AssumeRoleWithWebIdentity",
        ),
    )
    iam.attach_role_policy(RoleName=DEPLOY, PolicyArn="arn:aws:iam::aws:policy/PowerUserAccess")
    aws.client("ec2", member).create_vpc(CidrBlock="10.20.0.0/16")
    # The same auditor role in a few accounts (one entry deployed to all of them), and a
    # role whose inline policy lz refuses (s3:* on *).
    management_root = f"arn:aws:iam::{aws.emulator.management_account_id}:root"
    for name in list(made.accounts)[1:4]:
        auditor = aws.client("iam", made.accounts[name])
        auditor.create_role(
            RoleName="auditor",
            Description="Read-only, from the management account with MFA",
            AssumeRolePolicyDocument=_trust(
                {"AWS": management_root}, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}
            ),
            MaxSessionDuration=7200,
            Tags=[{"Key": "Team", "Value": "security"}],
        )
        auditor.attach_role_policy(
            RoleName="auditor", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"
        )
    iam.create_role(RoleName=WIDE_OPEN, AssumeRolePolicyDocument=_trust({"AWS": management_root}))
    iam.put_role_policy(
        RoleName=WIDE_OPEN,
        PolicyName="everything",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            }
        ),
    )
    # Baseline settings: the Workloads accounts share a password policy, EBS encryption,
    # an alias `handmade-NAME` and a GuardDuty detector publishing every 15 minutes;
    # Log Archive blocks public access (but not ACLs on existing buckets), and has a
    # monthly budget named after it and an alias of its own.
    for index, (name, account_id) in enumerate(made.accounts.items()):
        if leaves[index % len(leaves)].startswith("Workloads"):
            aws.client("iam", account_id).update_account_password_policy(
                MinimumPasswordLength=14, RequireSymbols=True
            )
            aws.client("ec2", account_id).enable_ebs_encryption_by_default()
            aws.client("iam", account_id).create_account_alias(AccountAlias=f"handmade-{name}")
            aws.client("guardduty", account_id).create_detector(
                Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES"
            )
    log_archive = made.accounts["Log Archive"]
    aws.client("s3control", log_archive).put_public_access_block(
        AccountId=log_archive,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": False,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    aws.client("iam", log_archive).create_account_alias(AccountAlias=LEGACY_ALIAS)
    aws.client("budgets", log_archive).create_budget(
        AccountId=log_archive,
        Budget=_monthly("log-archive-monthly", "250.0"),
        NotificationsWithSubscribers=[
            {
                "Notification": {
                    "NotificationType": "ACTUAL",
                    "ComparisonOperator": "GREATER_THAN",
                    "Threshold": 80.0,
                    "ThresholdType": "PERCENTAGE",
                },
                "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "ops@handmade.example"}],
            }
        ],
    )
    management = aws.emulator.management_account_id
    aws.client("budgets").create_budget(  # the whole organization's bill
        AccountId=management, Budget=_monthly("organization", "10000")
    )
    # Control Tower's trail and recorder in the log archive, and a trail of the team's own.
    s3 = aws.client("s3", log_archive)
    s3.create_bucket(Bucket="handmade-trails")
    s3.put_bucket_policy(
        Bucket="handmade-trails",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": ["s3:GetBucketAcl", "s3:PutObject"],
                        "Resource": [
                            "arn:aws:s3:::handmade-trails",
                            "arn:aws:s3:::handmade-trails/*",
                        ],
                    }
                ],
            }
        ),
    )
    for trail in (CT_TRAIL, OWN_TRAIL):
        aws.client("cloudtrail", log_archive).create_trail(
            Name=trail, S3BucketName="handmade-trails", IsMultiRegionTrail=True
        )
    kms = aws.client("kms", log_archive)
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{log_archive}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
                "Resource": "*",
            },
        ],
    }
    key = kms.create_key(Description="trails", Policy=json.dumps(key_policy))["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/handmade-trails", TargetKeyId=key)
    aws.client("cloudtrail", log_archive).create_trail(
        Name=LZ_SHAPED_TRAIL,
        S3BucketName="handmade-trails",
        IsMultiRegionTrail=True,
        IncludeGlobalServiceEvents=True,
        EnableLogFileValidation=True,
        KmsKeyId=key,
    )
    aws.client("config", log_archive).put_configuration_recorder(
        ConfigurationRecorder={
            "name": CT_RECORDER,
            "roleARN": f"arn:aws:iam::{log_archive}:role/aws-controltower-ConfigRecorderRole",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    # Control Tower's landing zone: its Sandbox and (empty) Security OUs, and two accounts
    # under the root (when there are that many) as its log archive and audit accounts.
    manifest: dict[str, object] = {
        "governedRegions": ["us-east-1"],
        "organizationStructure": {"security": {"name": "Security"}, "sandbox": {"name": "Sandbox"}},
    }
    if CT_AUDIT in made.accounts:
        manifest["centralizedLogging"] = {"accountId": made.accounts[CT_LOG_ARCHIVE]}
        manifest["securityRoles"] = {"accountId": made.accounts[CT_AUDIT]}
    aws.client("controltower").create_landing_zone(version="3.3", manifest=manifest)
    aws.client("cloudformation").create_stack_set(
        StackSetName=STACK_SET,
        TemplateBody=json.dumps(
            {"Resources": {"Wait": {"Type": "AWS::CloudFormation::WaitConditionHandle"}}}
        ),
    )
    return made


def _monthly(name: str, amount: str) -> dict[str, object]:
    """A monthly cost budget in USD, as the console makes one."""
    return {
        "BudgetName": name,
        "BudgetLimit": {"Amount": amount, "Unit": "USD"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    }


def _trust(
    principal: dict[str, str],
    condition: dict[str, dict[str, str]] | None = None,
    action: str = "sts:AssumeRole",
) -> str:
    """A trust policy of one statement, as written in the console."""
    statement: dict[str, object] = {"Effect": "Allow", "Principal": principal, "Action": action}
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})
