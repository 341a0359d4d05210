"""The emulator has every Organizations policy type and checks content as AWS does.

AWS: CreatePolicy (https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html)
refuses content over its type's size (ConstraintViolationException, Reason
POLICY_CONTENT_LIMIT_EXCEEDED) or off its type's grammar
(MalformedPolicyDocumentException); EnablePolicyType knows DECLARATIVE_POLICY_EC2.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

DOCUMENTS = {
    "BACKUP_POLICY": {"plans": {"daily": {"regions": {"@@assign": ["us-west-2"]}}}},
    "DECLARATIVE_POLICY_EC2": {
        "ec2_attributes": {"serial_console_access": {"status": {"@@assign": "disabled"}}}
    },
}


@pytest.mark.parametrize("policy_type", sorted(DOCUMENTS))
def test_types_moto_lacks_are_enabled_created_attached_and_listed(
    org: Any, root: str, policy_type: str
) -> None:
    org.enable_policy_type(RootId=root, PolicyType=policy_type)
    created = org.create_policy(
        Name="p", Description="d", Type=policy_type, Content=json.dumps(DOCUMENTS[policy_type])
    )["Policy"]["PolicySummary"]
    assert created["Type"] == policy_type
    assert f"/{policy_type.lower()}/" in created["Arn"]
    org.attach_policy(PolicyId=created["Id"], TargetId=root)
    listed = org.list_policies_for_target(TargetId=root, Filter=policy_type)["Policies"]
    assert [p["Name"] for p in listed] == ["p"]


def _refused(org: Any, **kwargs: Any) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        org.create_policy(Name="p", Description="d", **kwargs)
    return dict(caught.value.response)


def test_content_over_the_type_size_is_refused(org: Any) -> None:
    services = {f"s{n:03d}": {"opt_out_policy": {"@@assign": "optOut"}} for n in range(80)}
    response = _refused(
        org, Type="AISERVICES_OPT_OUT_POLICY", Content=json.dumps({"services": services})
    )
    assert response["Error"]["Code"] == "ConstraintViolationException"
    assert response["Reason"] == "POLICY_CONTENT_LIMIT_EXCEEDED"


def test_an_rcp_that_allows_is_malformed(org: Any) -> None:
    rcp = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}],
    }
    response = _refused(org, Type="RESOURCE_CONTROL_POLICY", Content=json.dumps(rcp))
    assert response["Error"]["Code"] == "MalformedPolicyDocumentException"
    assert "Deny" in response["Error"]["Message"]


def test_content_that_is_not_json_is_malformed(org: Any) -> None:
    response = _refused(org, Type="TAG_POLICY", Content="{tags:")
    assert response["Error"]["Code"] == "MalformedPolicyDocumentException"
