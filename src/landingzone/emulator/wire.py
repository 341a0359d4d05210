"""AWS requests on the wire: who calls which operation, and AWS-shaped error answers.

Both use moto's own request routing and response serializers, so an injected
error is encoded exactly as the service's protocol wants it (JSON for
organizations and dynamodb, query XML for iam and sts, EC2 XML, REST-XML for s3
and route53, REST-JSON for ram).
"""

from __future__ import annotations

import functools
import io
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.model import OperationModel, ServiceModel
from moto.core.exceptions import ServiceException
from moto.core.request import Request, determine_request_protocol
from moto.core.routing import get_service_router
from moto.core.serialize import get_serializer_class
from moto.core.utils import get_service_model
from moto.iam.models import get_account_id_from
from werkzeug.exceptions import NotFound

from landingzone.emulator.controls import CallKey

# SigV4: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/organizations/aws4_request, ..."
S3_CONTROL_PATH = "/v20180820/"  # every S3 Control operation's path starts with it
_CREDENTIAL = re.compile(r"Credential=(?P<key>[^/]+)/[^/]+/(?P<region>[^/]+)/(?P<service>[^/]+)/")


class EmulatorError(ServiceException):
    """An AWS error the emulator answers with (moto resolves its shape from the service)."""


# moto warns when an error code is not in the service's model; AWS's common errors
# (Throttling, AccessDenied, ...) are not, and the emulator uses them on purpose.
warnings.filterwarnings(
    "ignore", message=r"Exception\(EmulatorError\) with code", category=UserWarning
)


@dataclass(frozen=True)
class AwsCall:
    """An AWS API request as the emulator sees it."""

    key: CallKey
    content_type: str
    operation_model: OperationModel | None


@functools.cache
def _service_model(service: str) -> ServiceModel | None:
    try:
        return get_service_model(service)
    except Exception:  # botocore raises several kinds for unknown names
        return None


def identify(environ: dict[str, Any]) -> AwsCall | None:
    """Identify a SigV4-signed AWS request; None for anything else.

    A form-encoded body (query protocols) is read here and put back, so the
    application behind sees the request unchanged.
    """
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    if match is None:
        return None
    service = _service(match["service"], environ.get("PATH_INFO", ""))
    account = environ.get("HTTP_X_MOTO_ACCOUNT_ID") or get_account_id_from(match["key"])
    content_type = environ.get("CONTENT_TYPE", "")
    operation = _operation(service, environ)
    key = CallKey(account, service, operation.name if operation else "")
    return AwsCall(key, content_type, operation)


# Signing names that are not botocore's service name.
_SERVICE_NAMES = {"access-analyzer": "accessanalyzer"}


def _service(signing_name: str, path: str) -> str:
    """botocore's service name: the signing name, except for S3 Control, which signs as
    s3, and services whose signing name differs (IAM Access Analyzer)."""
    if signing_name == "s3" and path.startswith(S3_CONTROL_PATH):
        return "s3control"
    return _SERVICE_NAMES.get(signing_name, signing_name)


def request_region(environ: dict[str, Any]) -> str | None:
    """The region a SigV4-signed request was signed for."""
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
    return match["region"] if match else None


def _operation(service: str, environ: dict[str, Any]) -> OperationModel | None:
    if _service_model(service) is None:
        return None
    probe = dict(environ)
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        probe["wsgi.input"] = io.BytesIO(body)
    else:
        probe["wsgi.input"] = io.BytesIO(b"")
        probe["CONTENT_LENGTH"] = "0"
    try:
        operation, _ = get_service_router(service).match(Request(probe))
    except (NotFound, NotImplementedError):
        return None
    return operation


def error_response(
    call: AwsCall, code: str, message: str, status: int | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of AWS error `code` for this call, in its protocol."""
    service_model = _service_model(call.key.service)
    assert service_model is not None and call.operation_model is not None
    protocol = determine_request_protocol(service_model, call.content_type)
    serializer = get_serializer_class(service_model.service_name, protocol)(
        operation_model=call.operation_model
    )
    serialized = serializer.serialize(EmulatorError(code, message))
    body = serialized["body"]
    return (
        status or serialized["status_code"],
        dict(serialized["headers"]),
        body.encode() if isinstance(body, str) else body,
    )


def not_emulated(operation: str) -> tuple[int, dict[str, str], bytes]:
    """The answer of a service served beside moto to an operation it does not serve."""
    body = json.dumps({"message": f"{operation or 'this operation'} is not emulated"})
    return 501, {"Content-Type": "application/json"}, body.encode()


def json_answer(call: AwsCall, compute: Callable[[], Any]) -> tuple[int, dict[str, str], bytes]:
    """`compute()`'s result as a JSON answer, or the AWS error it raised (EmulatorError)."""
    try:
        result = compute()
    except EmulatorError as exc:
        return error_response(call, exc.code, exc.message)
    return 200, {"Content-Type": "application/json"}, json.dumps(result).encode()
