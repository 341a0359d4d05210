"""The security stacks: what lz applied for `security`, as Terraform with import blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from landingzone.emulator import Emulator
from tests.aws import Aws
from tests.e2e import security_spec as spec
from tests.export.conftest import run_lz

pytestmark = pytest.mark.e2e


def test_the_security_section_exports_with_an_import_for_everything_applied(
    emulated: Emulator, tmp_path: Path
):
    emulated.reset()
    directory = spec.write(tmp_path / "spec")
    assert run_lz("apply", directory, "--auto-approve", "--approve-protected") == 0
    out = tmp_path / "repo"
    assert run_lz("export", "terraform", out, directory) == 0
    aws = Aws(emulated, region=spec.HOME)
    ids = {name: account["Id"] for name, account in aws.accounts().items()}
    security, management = ids["security"], emulated.management_account_id

    organization = out / f"live/management-{spec.HOME}/security"
    imports = (organization / "imports.tf").read_text()
    for principal in spec.DELEGATED:
        resource = "aws_organizations_delegated_administrator.this"
        assert f'to = module.security_organization.{resource}["{principal}"]' in imports
        assert f'id = "{security}/{principal}"' in imports
    assert (
        'module.security_organization.aws_guardduty_organization_admin_account.this["this"]'
        in imports
    )
    trail = f"arn:aws:cloudtrail:{spec.HOME}:{management}:trail/{spec.ORG}-organization-trail"
    assert f'id = "{trail}"' in imports
    tfvars = (organization / "terraform.tfvars").read_text()
    assert "guardduty_admin" in tfvars and "true" in tfvars
    # The trail's key by the ARN AWS reports (the log archive stack's output), not the alias.
    calls = " ".join((organization / "main.tf").read_text().split())
    assert "log_kms_key_arn = data.terraform_remote_state.baseline.outputs.log_kms_key_arn" in calls
    assert "alias/" not in tfvars

    account = out / f"live/security-{spec.HOME}/security"
    imports = (account / "imports.tf").read_text()
    detector = aws.client("guardduty", security).list_detectors()["DetectorIds"][0]
    for name in ("dev", "logs", "prod"):
        assert f'module.security_account.aws_guardduty_member.this["{name}"]' in imports
        assert f'id = "{detector}:{ids[name]}"' in imports
    assert f'aws_config_configuration_aggregator.organization["{spec.ORG}-organization"]' in imports
    assert f'aws_cloudwatch_event_target.alerts["{spec.ORG}-guardduty-findings"]' in imports
    assert f'id = "{spec.ORG}-guardduty-findings/landingzone"' in imports
    # A confirmed e-mail subscription is imported by the ARN AWS lists for it.
    sns = aws.client("sns", security)
    (topic,) = [t["TopicArn"] for t in sns.list_topics()["Topics"]]
    (subscription,) = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert subscription["Endpoint"] == "secops@acme.example"
    key = f"{topic.rsplit(':', 1)[1]}/secops@acme.example"
    assert f'aws_sns_topic_subscription.alerts["{key}"]' in imports
    assert f'id = "{subscription["SubscriptionArn"]}"' in imports
    main = (out / "modules/security_account/main.tf").read_text()
    assert 'resource "aws_guardduty_organization_configuration" "this"' in main
    assert 'resource "aws_config_configuration_aggregator" "organization"' in main
    organization_main = (out / "modules/security_organization/main.tf").read_text()
    assert "is_organization_trail" in organization_main
    # The log archive's policies name the organization trail and let the security account read.
    archive = (out / f"live/logs-{spec.HOME}/baseline/terraform.tfvars").read_text()
    assert trail in archive
    assert 'log_readers = ["security"]' in " ".join(archive.split())
    # The other region: GuardDuty only (dev runs there).
    other = (out / f"live/security-{spec.OTHER}/security/imports.tf").read_text()
    assert 'aws_guardduty_member.this["dev"]' in other
