"""Behaviour controls over HTTP: configuration, injected AWS errors, request counters."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from botocore.exceptions import ClientError

from landingzone.emulator import Emulator
from tests.aws import Aws

# The emulator answers with AWS's common errors (Throttling, AccessDenied) that the
# services' models do not list; moto warns about those on purpose-built errors.
pytestmark = pytest.mark.filterwarnings("ignore:Exception\\(EmulatorError\\):UserWarning")


def _http(emulator: Emulator, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(emulator.endpoint + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _error(call: Any, **kwargs: Any) -> ClientError:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value


def test_config_is_read_changed_and_restored_over_http(emulator: Emulator) -> None:
    status, config = _http(emulator, "GET", "/_lz/emulator/config")
    assert status == 200
    assert config["account_creation"] == {"polls": 0, "seconds": 0.0, "max_in_progress": 5}
    assert config["refusals"] is True and config["faults"] == []

    status, config = _http(
        emulator, "POST", "/_lz/emulator/config", {"account_creation": {"polls": 3}}
    )
    assert status == 200
    assert config["account_creation"] == {"polls": 3, "seconds": 0.0, "max_in_progress": 5}

    status, config = _http(emulator, "DELETE", "/_lz/emulator/config")
    assert config["account_creation"]["polls"] == 0


def test_invalid_configuration_is_refused_with_the_reason(emulator: Emulator) -> None:
    status, answer = _http(emulator, "POST", "/_lz/emulator/config", {"acount_creation": {}})
    assert status == 400 and "acount_creation" in answer["error"]
    with pytest.raises(ValueError, match="rate"):
        emulator.configure(faults=[{"service": "sts", "error": "Throttling", "rate": 2}])
    assert emulator.config()["faults"] == []


def test_reset_restores_the_default_configuration(emulator: Emulator) -> None:
    emulator.configure(refusals=False, seed=7)
    emulator.reset()
    assert emulator.config()["refusals"] is True
    assert emulator.config()["seed"] == 0


def test_describe_endpoint_gives_the_management_environment(emulator: Emulator) -> None:
    _, answer = _http(emulator, "GET", "/_lz/emulator")
    assert answer["management_account_id"] == "123456789012"
    assert answer["environment"] == emulator.env()
    assert _http(emulator, "GET", "/_lz/emulator/nothing")[0] == 404


def test_a_fault_for_the_next_calls_in_json_protocol(aws: Aws) -> None:
    aws.create_organization()
    aws.emulator.configure(
        faults=[
            {
                "service": "organizations",
                "operation": "CreateAccount",
                "error": "TooManyRequestsException",
                "count": 2,
            }
        ]
    )
    org = aws.client("organizations")
    for _ in range(2):
        error = _error(org.create_account, Email="a@example.com", AccountName="a")
        assert error.response["Error"]["Code"] == "TooManyRequestsException"
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    org.list_roots()  # other operations are untouched
    org.create_account(Email="a@example.com", AccountName="a")
    assert len(org.list_accounts()["Accounts"]) == 2


@pytest.mark.parametrize(
    ("service", "operation", "call", "code"),
    [
        ("iam", "ListRoles", lambda c: c.list_roles(), "Throttling"),
        ("sts", "GetCallerIdentity", lambda c: c.get_caller_identity(), "Throttling"),
        ("ec2", "DescribeVpcs", lambda c: c.describe_vpcs(), "RequestLimitExceeded"),
        ("s3", "ListBuckets", lambda c: c.list_buckets(), "SlowDown"),
        ("dynamodb", "ListTables", lambda c: c.list_tables(), "ThrottlingException"),
        (
            "ram",
            "GetResourceShares",
            lambda c: c.get_resource_shares(resourceOwner="SELF"),
            "ThrottlingException",
        ),
        ("route53", "ListHostedZones", lambda c: c.list_hosted_zones(), "ThrottlingException"),
    ],
)
def test_faults_are_encoded_in_each_protocol(
    aws: Aws, service: str, operation: str, call: Any, code: str
) -> None:
    aws.emulator.configure(
        faults=[{"service": service, "operation": operation, "error": code, "count": 1}]
    )
    client = aws.client(service)
    error = _error(call, c=client)
    assert error.response["Error"]["Code"] == code
    assert "Injected by the emulator" in error.response["Error"]["Message"]
    call(client)


def test_a_fault_with_an_explicit_status_and_message(aws: Aws) -> None:
    aws.emulator.configure(
        faults=[
            {
                "service": "s3",
                "error": "SlowDown",
                "message": "Please reduce your request rate.",
                "status": 503,
            }
        ]
    )
    error = _error(aws.client("s3").list_buckets)
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert error.response["Error"]["Message"] == "Please reduce your request rate."


def _outcomes(aws: Aws, calls: int) -> list[bool]:
    sts = aws.client("sts")
    outcomes = []
    for _ in range(calls):
        try:
            sts.get_caller_identity()
            outcomes.append(True)
        except ClientError:
            outcomes.append(False)
    return outcomes


def test_a_fault_rate_is_deterministic_with_a_seed(aws: Aws) -> None:
    fault = {"service": "sts", "error": "Throttling", "rate": 0.5}
    aws.emulator.configure(faults=[fault], seed=42)
    first = _outcomes(aws, 40)
    aws.emulator.configure(faults=[fault], seed=42)
    assert _outcomes(aws, 40) == first
    assert 5 < first.count(False) < 35


def test_a_fault_for_one_account_only(aws: Aws) -> None:
    aws.create_organization()
    member = aws.create_account("dev")
    member_sts = aws.client("sts", account=member)
    aws.emulator.configure(faults=[{"service": "sts", "error": "Throttling", "account": member}])
    aws.client("sts").get_caller_identity()
    assert _error(member_sts.get_caller_identity).response["Error"]["Code"] == "Throttling"


def test_requests_are_counted_per_account_service_and_operation(aws: Aws) -> None:
    aws.create_organization()
    member = aws.create_account("dev")
    aws.emulator.clear_request_counts()
    aws.emulator.configure(
        faults=[{"service": "organizations", "operation": "ListRoots", "error": "X", "count": 1}]
    )
    org = aws.client("organizations")
    _error(org.list_roots)
    org.list_roots()
    aws.client("ec2", account=member).describe_vpcs()
    counts = {
        (c["account"], c["service"], c["operation"]): (c["count"], c["faults"])
        for c in aws.emulator.request_counts()
    }
    assert counts == {
        ("123456789012", "organizations", "ListRoots"): (2, 1),
        ("123456789012", "sts", "AssumeRole"): (1, 0),
        (member, "ec2", "DescribeVpcs"): (1, 0),
    }
    aws.emulator.clear_request_counts()
    assert aws.emulator.request_counts() == []
