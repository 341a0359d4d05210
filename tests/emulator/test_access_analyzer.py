"""IAM Access Analyzer, which moto lacks: analyzers, tags, and external-access findings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

REGION = "us-east-1"
OUTSIDER = "111122223333"
PRINCIPAL = "access-analyzer.amazonaws.com"


def _refused(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def _trust(principal: Any, condition: dict[str, Any] | None = None) -> str:
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRole",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def accounts(aws: Aws) -> dict[str, str]:
    aws.create_organization()
    return {name: aws.create_account(name) for name in ("security", "dev")}


def _delegate(aws: Aws, account_id: str) -> None:
    org = aws.client("organizations")
    org.enable_aws_service_access(ServicePrincipal=PRINCIPAL)
    org.register_delegated_administrator(AccountId=account_id, ServicePrincipal=PRINCIPAL)


def test_an_organization_analyzer_needs_the_management_account_or_a_delegated_admin(
    aws: Aws, accounts: dict[str, str]
) -> None:
    analyzer = aws.client("accessanalyzer", accounts["security"], REGION)
    refused = _refused(analyzer.create_analyzer, analyzerName="org", type="ORGANIZATION")
    assert refused == "AccessDeniedException"
    _delegate(aws, accounts["security"])
    arn = analyzer.create_analyzer(analyzerName="org", type="ORGANIZATION", tags={"a": "1"})["arn"]
    assert arn == f"arn:aws:access-analyzer:{REGION}:{accounts['security']}:analyzer/org"
    got = analyzer.get_analyzer(analyzerName="org")["analyzer"]
    assert (got["type"], got["status"], got["tags"]) == ("ORGANIZATION", "ACTIVE", {"a": "1"})
    again = _refused(analyzer.create_analyzer, analyzerName="org", type="ORGANIZATION")
    assert again == "ConflictException"
    analyzer.tag_resource(resourceArn=arn, tags={"b": "2"})
    analyzer.untag_resource(resourceArn=arn, tagKeys=["a"])
    assert analyzer.list_tags_for_resource(resourceArn=arn)["tags"] == {"b": "2"}
    assert [a["name"] for a in analyzer.list_analyzers(type="ORGANIZATION")["analyzers"]] == ["org"]
    assert analyzer.list_analyzers(type="ACCOUNT")["analyzers"] == []
    # Regional: nothing in another region.
    other = aws.client("accessanalyzer", accounts["security"], "eu-west-1")
    assert other.list_analyzers()["analyzers"] == []
    analyzer.delete_analyzer(analyzerName="org")
    assert _refused(analyzer.get_analyzer, analyzerName="org") == "ResourceNotFoundException"


def test_findings_name_grants_outside_the_organization(aws: Aws, accounts: dict[str, str]) -> None:
    security, dev = accounts["security"], accounts["dev"]
    _delegate(aws, security)
    iam = aws.client("iam", dev)
    organization_id = aws.client("organizations").describe_organization()["Organization"]["Id"]
    iam.create_role(RoleName="inside", AssumeRolePolicyDocument=_trust({"AWS": security}))
    iam.create_role(
        RoleName="service", AssumeRolePolicyDocument=_trust({"Service": "ec2.amazonaws.com"})
    )
    iam.create_role(
        RoleName="vendor",
        AssumeRolePolicyDocument=_trust(
            {"AWS": f"arn:aws:iam::{OUTSIDER}:root"}, {"StringEquals": {"sts:ExternalId": "x"}}
        ),
    )
    iam.create_role(
        RoleName="org-only",
        AssumeRolePolicyDocument=_trust(
            {"AWS": "*"}, {"StringEquals": {"aws:PrincipalOrgID": organization_id}}
        ),
    )
    s3 = aws.client("s3", dev, REGION)
    s3.create_bucket(Bucket="public-site")
    off = dict.fromkeys(
        ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"), False
    )
    s3.put_public_access_block(Bucket="public-site", PublicAccessBlockConfiguration=off)
    s3.put_bucket_policy(
        Bucket="public-site",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::public-site/*",
                    }
                ],
            }
        ),
    )
    analyzer = aws.client("accessanalyzer", security, REGION)
    arn = analyzer.create_analyzer(analyzerName="org", type="ORGANIZATION")["arn"]
    findings = analyzer.list_findings(analyzerArn=arn)["findings"]
    found = {(f["resource"], f["isPublic"], f["status"]) for f in findings}
    assert found == {
        (f"arn:aws:iam::{dev}:role/vendor", False, "ACTIVE"),
        ("arn:aws:s3:::public-site", True, "ACTIVE"),
    }
    vendor = next(f for f in findings if f["resource"].endswith("role/vendor"))
    assert vendor["principal"] == {"AWS": f"arn:aws:iam::{OUTSIDER}:root"}
    assert vendor["condition"] == {"StringEquals:sts:ExternalId": "x"}
    assert vendor["resourceOwnerAccount"] == dev
    v2 = analyzer.list_findings_v2(analyzerArn=arn)["findings"]
    assert {f["id"] for f in v2} == {f["id"] for f in findings}
    assert {f["findingType"] for f in v2} == {"ExternalAccess"}

    # Archived by hand, it leaves the active list; fixed, it is RESOLVED.
    analyzer.update_findings(analyzerArn=arn, ids=[vendor["id"]], status="ARCHIVED")
    active = analyzer.list_findings(analyzerArn=arn, filter={"status": {"eq": ["ACTIVE"]}})
    assert [f["resource"] for f in active["findings"]] == ["arn:aws:s3:::public-site"]
    s3.delete_bucket_policy(Bucket="public-site")
    statuses = {
        f["resource"]: f["status"] for f in analyzer.list_findings(analyzerArn=arn)["findings"]
    }
    assert statuses["arn:aws:s3:::public-site"] == "RESOLVED"

    # An account analyzer's zone is the account: a grant to the security account counts.
    own = aws.client("accessanalyzer", dev, REGION)
    account_arn = own.create_analyzer(analyzerName="mine", type="ACCOUNT")["arn"]
    resources = {f["resource"] for f in own.list_findings(analyzerArn=account_arn)["findings"]}
    assert f"arn:aws:iam::{dev}:role/inside" in resources
