"""What a security stack imports: the management account's (delegated administrators,
GuardDuty's and Security Hub's administrator, the organization trail), the security
account's (GuardDuty's and Security Hub's configuration and members, the alerts topic,
its e-mail subscriptions and rule, the finding and Config aggregators, the Access
Analyzer) and every account's Security Hub standards."""

from __future__ import annotations

from pathlib import Path

from tests.aws import Aws
from tests.export.stack_ids import stack_account

MANAGEMENT = "management-"


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """The ID plain boto3 finds in the stack's account and region for one import."""
    if stack.parent.name.startswith(MANAGEMENT):
        region = stack.parent.name.removeprefix(MANAGEMENT)
        return _management(aws, type_, key, region)
    account, region = stack_account(stack, accounts)
    account_id = accounts[account]
    if type_.startswith("aws_guardduty_"):
        guardduty = aws.client("guardduty", account_id, region)
        detector = str(guardduty.list_detectors()["DetectorIds"][0])
        if type_ == "aws_guardduty_organization_configuration":
            guardduty.describe_organization_configuration(DetectorId=detector)  # it exists
            return detector
        if type_ == "aws_guardduty_member":
            members = guardduty.list_members(DetectorId=detector)["Members"]
            found = [m["AccountId"] for m in members if m["AccountId"] == accounts[key]]
            assert found, (key, members)
            return f"{detector}:{found[0]}"
    if type_.startswith("aws_securityhub_"):
        member = accounts.get(key, "")
        return _securityhub(aws, type_, key, account_id, region, member)
    if type_ == "aws_accessanalyzer_analyzer":  # key: the analyzer's name
        found = aws.client("accessanalyzer", account_id, region).get_analyzer(analyzerName=key)
        return str(found["analyzer"]["name"])
    if type_ in ("aws_sns_topic", "aws_sns_topic_policy"):
        arn = f"arn:aws:sns:{region}:{account_id}:{key}"
        return str(
            aws.client("sns", account_id, region).get_topic_attributes(TopicArn=arn)["Attributes"][
                "TopicArn"
            ]
        )
    if type_ == "aws_sns_topic_subscription":  # key: <topic>/<address>
        topic, _, email = key.partition("/")
        arn = f"arn:aws:sns:{region}:{account_id}:{topic}"
        found = aws.client("sns", account_id, region).list_subscriptions_by_topic(TopicArn=arn)
        (subscription,) = [s for s in found["Subscriptions"] if s["Endpoint"] == email]
        return str(subscription["SubscriptionArn"])
    if type_ == "aws_cloudwatch_event_rule":
        return str(aws.client("events", account_id, region).describe_rule(Name=key)["Name"])
    if type_ == "aws_cloudwatch_event_target":
        targets = aws.client("events", account_id, region).list_targets_by_rule(Rule=key)
        (target,) = [t["Id"] for t in targets["Targets"] if t["Id"] == "landingzone"]
        return f"{key}/{target}"
    if type_ == "aws_config_configuration_aggregator":
        config = aws.client("config", account_id, region)
        found = config.describe_configuration_aggregators(ConfigurationAggregatorNames=[key])
        return str(found["ConfigurationAggregators"][0]["ConfigurationAggregatorName"])
    raise AssertionError(f"no check for {type_}")


def _management(aws: Aws, type_: str, key: str, region: str) -> str:
    if type_ == "aws_organizations_delegated_administrator":  # key: the service principal
        admins = aws.client("organizations").list_delegated_administrators(ServicePrincipal=key)
        (admin,) = admins["DelegatedAdministrators"]
        return f"{admin['Id']}/{key}"
    if type_ == "aws_guardduty_organization_admin_account":
        listed = aws.client("guardduty", region=region).list_organization_admin_accounts()
        (admin,) = listed["AdminAccounts"]
        return str(admin["AdminAccountId"])
    if type_ == "aws_securityhub_organization_admin_account":
        listed = aws.client("securityhub", region=region).list_organization_admin_accounts()
        (admin,) = listed["AdminAccounts"]
        return str(admin["AccountId"])
    if type_ == "aws_cloudtrail":  # key: the organization trail's name
        trails = aws.client("cloudtrail", region=region).describe_trails(
            trailNameList=[key], includeShadowTrails=False
        )["trailList"]
        (trail,) = [t for t in trails if t["IsOrganizationTrail"]]
        return str(trail["TrailARN"])
    raise AssertionError(f"no check for {type_}")


def _securityhub(
    aws: Aws, type_: str, key: str, account_id: str, region: str, member_id: str
) -> str:
    hub = aws.client("securityhub", account_id, region)
    if type_ == "aws_securityhub_organization_configuration":
        hub.describe_organization_configuration()  # it is the administrator
        return account_id
    if type_ == "aws_securityhub_member":  # key: the member account's name
        (member,) = hub.get_members(AccountIds=[member_id])["Members"]
        return str(member["AccountId"])
    if type_ == "aws_securityhub_standards_subscription":  # key: the standard's ID
        subscriptions = hub.get_enabled_standards()["StandardsSubscriptions"]
        (found,) = [s for s in subscriptions if s["StandardsArn"].endswith(f"/{key}")]
        return str(found["StandardsSubscriptionArn"])
    if type_ == "aws_securityhub_finding_aggregator":
        (found,) = hub.list_finding_aggregators()["FindingAggregators"]
        return str(found["FindingAggregatorArn"])
    raise AssertionError(f"no check for {type_}")
