"""S3 and DynamoDB behave as AWS does for lz's state bucket and lock table."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.aws import Aws

BUCKET = "lz-state-123456789012"
DENY_INSECURE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}


@pytest.fixture
def s3(aws: Aws) -> Any:
    client = aws.client("s3", region="eu-west-1")
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return client


def _code(call: Any, **kwargs: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


def test_new_buckets_are_encrypted_and_block_public_access(s3: Any) -> None:
    rules = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [
        {
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
            "BucketKeyEnabled": False,
        }
    ]
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block == dict.fromkeys(
        ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"],
        True,
    )
    s3.put_object(Bucket=BUCKET, Key="state.json", Body=b"{}")
    assert s3.head_object(Bucket=BUCKET, Key="state.json")["ServerSideEncryption"] == "AES256"


def test_encryption_is_set_and_deleted_back_to_sse_s3(s3: Any) -> None:
    kms = {
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"},
        "BucketKeyEnabled": True,
    }
    s3.put_bucket_encryption(Bucket=BUCKET, ServerSideEncryptionConfiguration={"Rules": [kms]})
    rules = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules == [kms]
    s3.delete_bucket_encryption(Bucket=BUCKET)
    rules = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}


def test_public_access_block_is_replaced_and_deleted(s3: Any) -> None:
    s3.put_public_access_block(
        Bucket=BUCKET,
        PublicAccessBlockConfiguration={"BlockPublicAcls": True, "BlockPublicPolicy": False},
    )
    block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
    assert block["BlockPublicPolicy"] is False and block["BlockPublicAcls"] is True
    s3.delete_public_access_block(Bucket=BUCKET)
    assert _code(s3.get_public_access_block, Bucket=BUCKET) == (
        "NoSuchPublicAccessBlockConfiguration"
    )


def test_bucket_policy_round_trip(s3: Any) -> None:
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(DENY_INSECURE))
    assert json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"]) == DENY_INSECURE
    s3.delete_bucket_policy(Bucket=BUCKET)
    assert _code(s3.get_bucket_policy, Bucket=BUCKET) == "NoSuchBucketPolicy"


def _policy(**changes: Any) -> str:
    """DENY_INSECURE's statement with `changes` (a None value removes the key)."""
    statement = {**DENY_INSECURE["Statement"][0], **changes}  # type: ignore[dict-item]
    return json.dumps(
        {"Version": "2012-10-17", "Statement": [{k: v for k, v in statement.items() if v}]}
    )


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        json.dumps({"Version": "2012-10-17"}),
        _policy(Principal=None),
        _policy(Resource="arn:aws:s3:::another-bucket/*"),
    ],
    ids=["not-json", "no-statement", "no-principal", "resource-of-another-bucket"],
)
def test_malformed_bucket_policies_are_refused(s3: Any, document: str) -> None:
    assert _code(s3.put_bucket_policy, Bucket=BUCKET, Policy=document) == "MalformedPolicy"


def test_a_public_policy_is_refused_while_public_policies_are_blocked(s3: Any) -> None:
    with pytest.raises(ClientError) as caught:
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    assert caught.value.response["Error"]["Code"] == "AccessDenied"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))


def test_versioning_keeps_every_version(s3: Any) -> None:
    assert "Status" not in s3.get_bucket_versioning(Bucket=BUCKET)
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"
    first = s3.put_object(Bucket=BUCKET, Key="state.json", Body=b"1")["VersionId"]
    s3.put_object(Bucket=BUCKET, Key="state.json", Body=b"2")
    versions = s3.list_object_versions(Bucket=BUCKET, Prefix="state.json")["Versions"]
    assert len(versions) == 2
    old = s3.get_object(Bucket=BUCKET, Key="state.json", VersionId=first)["Body"].read()
    assert old == b"1"


@pytest.fixture
def dynamodb(aws: Aws) -> Any:
    client = aws.client("dynamodb")
    client.create_table(
        TableName="lz-locks",
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


def test_on_demand_lock_table(dynamodb: Any) -> None:
    table = dynamodb.describe_table(TableName="lz-locks")["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["KeySchema"] == [{"AttributeName": "LockID", "KeyType": "HASH"}]
    assert (
        _code(
            dynamodb.create_table,
            TableName="lz-locks",
            AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
            BillingMode="PAY_PER_REQUEST",
        )
        == "ResourceInUseException"
    )


def test_conditional_writes_make_a_lock(dynamodb: Any) -> None:
    def acquire(who: str) -> None:
        dynamodb.put_item(
            TableName="lz-locks",
            Item={"LockID": {"S": "state"}, "Who": {"S": who}},
            ConditionExpression="attribute_not_exists(LockID)",
        )

    def release(who: str) -> None:
        dynamodb.delete_item(
            TableName="lz-locks",
            Key={"LockID": {"S": "state"}},
            ConditionExpression="Who = :who",
            ExpressionAttributeValues={":who": {"S": who}},
        )

    acquire("alice")
    with pytest.raises(ClientError) as caught:
        dynamodb.put_item(
            TableName="lz-locks",
            Item={"LockID": {"S": "state"}, "Who": {"S": "bob"}},
            ConditionExpression="attribute_not_exists(LockID)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert caught.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert caught.value.response["Item"]["Who"] == {"S": "alice"}
    assert _code(release, who="bob") == "ConditionalCheckFailedException"
    release("alice")
    acquire("bob")


def test_a_lease_is_renewed_by_its_holder_and_taken_over_only_as_it_was_seen(
    dynamodb: Any,
) -> None:
    def put(who: str, expires: str, condition: str, values: dict[str, Any]) -> None:
        dynamodb.put_item(
            TableName="lz-locks",
            Item={"LockID": {"S": "state"}, "ID": {"S": who}, "Expires": {"N": expires}},
            ConditionExpression=condition,
            **({"ExpressionAttributeValues": values} if values else {}),
        )

    def renew(who: str, expires: str) -> None:
        dynamodb.update_item(
            TableName="lz-locks",
            Key={"LockID": {"S": "state"}},
            UpdateExpression="SET Expires = :e",
            ConditionExpression="ID = :id",
            ExpressionAttributeValues={":id": {"S": who}, ":e": {"N": expires}},
        )

    put("alice", "100.5", "attribute_not_exists(LockID)", {})
    renew("alice", "160.25")
    assert _code(renew, who="bob", expires="999") == "ConditionalCheckFailedException"
    seen = {":old": {"S": "alice"}, ":old_expires": {"N": "100.5"}}  # before the renewal
    takeover = "ID = :old AND Expires = :old_expires"
    assert _code(put, who="bob", expires="200", condition=takeover, values=seen) == (
        "ConditionalCheckFailedException"
    )
    seen[":old_expires"] = {"N": "160.25"}
    put("bob", "200", takeover, seen)
    item = dynamodb.get_item(TableName="lz-locks", Key={"LockID": {"S": "state"}})["Item"]
    assert item["ID"] == {"S": "bob"}


def test_conditional_object_writes(s3: Any) -> None:
    first = s3.put_object(Bucket=BUCKET, Key="state.json", Body=b"1", IfNoneMatch="*")["ETag"]
    assert _code(s3.put_object, Bucket=BUCKET, Key="state.json", Body=b"x", IfNoneMatch="*") == (
        "PreconditionFailed"
    )
    second = s3.put_object(Bucket=BUCKET, Key="state.json", Body=b"2", IfMatch=first)["ETag"]
    assert _code(s3.put_object, Bucket=BUCKET, Key="state.json", Body=b"y", IfMatch=first) == (
        "PreconditionFailed"
    )
    assert s3.get_object(Bucket=BUCKET, Key="state.json")["ETag"] == second
    assert s3.get_object(Bucket=BUCKET, Key="state.json")["Body"].read() == b"2"
