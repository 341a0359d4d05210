"""Credentials, endpoints, assume-role into member accounts, retries and call counting.

Rules this module keeps:

- The `default` AWS profile is never used implicitly. Credentials come from,
  in order: `--profile`, explicit environment credentials (access keys, web
  identity or container credentials, as CI sets them), `AWS_PROFILE`, the
  spec's `organization.profile`. With none of these, lz stops with an error.
- `--endpoint-url` points every client elsewhere (the embedded AWS); without
  it, botocore's own endpoint configuration applies: `AWS_ENDPOINT_URL`, and
  `AWS_ENDPOINT_URL_<SERVICE>` for one service (the embedded AWS sets one for
  S3 Control). Nothing else differs between AWS and the emulator.
- Member accounts are reached by assuming `organization.access_role` from the
  management account; credentials are cached per account and refreshed
  before they expire. One botocore client per service and region serves every
  account: each call is signed with its account's credentials (`AccountClient`).
- Throttling is normal: botocore's standard retry mode plus a handler for the
  codes it does not retry (ConcurrentModificationException, ...), with
  exponential backoff and full jitter.
- Every HTTP request is counted per (account, service, operation), so plans
  and benchmarks can report their API cost.
"""

from __future__ import annotations

import os
import random
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    HTTPClientError,
    NoCredentialsError,
    ProfileNotFound,
)
from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.parsers import ResponseParserError

from landingzone.errors import AwsError, AwsUnreachable, CredentialsError

# Error codes botocore's standard mode does not retry but AWS documents as
# "try again": Organizations serializes writes per organization.
# What a call to AWS may raise besides lz's own errors: AWS's refusals, botocore's
# errors, and an answer botocore cannot parse (an HTML page: not AWS).
AWS_CALL_ERRORS = (ClientError, BotoCoreError, ResponseParserError)
EXTRA_RETRYABLE_CODES = frozenset(
    {
        "ConcurrentModificationException",
        "TooManyRequestsException",
        "OperationAbortedException",  # S3: a conflicting conditional operation
        "ServiceUnavailableException",
    }
)
MAX_ATTEMPTS = 10
# The first call (who am I?) gives up sooner: an endpoint that does not answer
# is reported in seconds, not after a minute of backoff.
FIRST_CONTACT_ATTEMPTS = 3
BASE_DELAY = 0.25
MAX_DELAY = 20.0

_ENV_CREDENTIAL_VARS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
)


def backoff_delay(attempt: int) -> float:
    """Full-jitter exponential backoff for the given (1-based) attempt."""
    return random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** (attempt - 1)))


@dataclass(frozen=True)
class CredentialSource:
    """Which credentials lz uses, and why (shown at the top of every plan)."""

    profile: str | None
    description: str


def choose_credentials(
    profile_flag: str | None, spec_profile: str | None, environ: dict[str, str] | None = None
) -> CredentialSource:
    """Pick the management account's credentials; never the `default` profile implicitly."""
    env = os.environ if environ is None else environ
    if profile_flag:
        return CredentialSource(profile_flag, f"profile {profile_flag} (--profile)")
    if any(env.get(var) for var in _ENV_CREDENTIAL_VARS):
        return CredentialSource(None, "credentials from the environment")
    if env.get("AWS_PROFILE"):
        return CredentialSource(env["AWS_PROFILE"], f"profile {env['AWS_PROFILE']} (AWS_PROFILE)")
    if spec_profile:
        return CredentialSource(spec_profile, f"profile {spec_profile} (organization.profile)")
    raise CredentialsError(
        "no AWS credentials named. Pass --profile NAME, set organization.profile in the "
        "spec, or export AWS_PROFILE or credentials (lz never uses the `default` profile "
        "implicitly). For the embedded AWS, run `lz sim` and paste the exports it prints."
    )


class CallCounter:
    """Thread-safe count of HTTP requests per (account, service, operation)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.calls: Counter[tuple[str, str, str]] = Counter()

    def add(self, account: str, service: str, operation: str) -> None:
        """Count one request."""
        with self._lock:
            self.calls[(account, service, operation)] += 1

    @property
    def total(self) -> int:
        """All requests counted so far."""
        with self._lock:
            return sum(self.calls.values())

    def by_operation(self) -> dict[str, int]:
        """Requests per `service:Operation`, all accounts together, sorted by name."""
        merged: Counter[str] = Counter()
        with self._lock:
            for (_, service, operation), n in self.calls.items():
                merged[f"{service}:{operation}"] += n
        return dict(sorted(merged.items()))


def _retry_handler(**kwargs: Any) -> float | None:
    """`needs-retry` hook: retry the codes botocore's standard mode leaves alone."""
    response = kwargs.get("response")
    attempts: int = kwargs["attempts"]
    if response is None or attempts >= MAX_ATTEMPTS:
        return None
    code = response[1].get("Error", {}).get("Code")
    if code in EXTRA_RETRYABLE_CODES:
        return backoff_delay(attempts)
    return None


class Sessions:
    """AWS clients for the management account and, by assume-role, every member account."""

    def __init__(
        self,
        *,
        credentials: CredentialSource,
        home_region: str,
        access_role: str,
        endpoint_url: str | None = None,
        counter: CallCounter | None = None,
        max_pool_connections: int = 128,
    ):
        self.credentials = credentials
        self.home_region = home_region
        self.access_role = access_role
        self.endpoint_url = endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
        self._endpoint_flag = endpoint_url  # None: botocore reads AWS_ENDPOINT_URL(_<SERVICE>)
        self.counter = counter or CallCounter()
        self._config = Config(
            retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
            max_pool_connections=max_pool_connections,
            connect_timeout=10,
            read_timeout=60,
            # One client serves every account (see `client`): no endpoint chosen by
            # the credentials' account ID (DynamoDB's account-based endpoints).
            account_id_endpoint_mode="disabled",
        )
        self._lock = threading.RLock()
        try:
            self._management = boto3.Session(profile_name=credentials.profile)
        except ProfileNotFound as exc:
            raise CredentialsError(
                f"{credentials.description}: no such profile in your AWS config "
                "(~/.aws/config, ~/.aws/credentials)"
            ) from exc
        self._member_credentials: dict[str, RefreshableCredentials] = {}
        self._assuming: dict[str, threading.Lock] = {}
        self._clients: dict[tuple[str, str], Any] = {}
        self._identity: dict[str, str] | None = None

    # -- identity ---------------------------------------------------------------

    def identity(self) -> dict[str, str]:
        """The management caller: {"Account": ..., "Arn": ..., "UserId": ...}."""
        if self._identity is None:
            retries = Config(retries={"mode": "standard", "max_attempts": FIRST_CONTACT_ATTEMPTS})
            sts = self._management.client(
                "sts",
                region_name=self.home_region,
                endpoint_url=self._endpoint_flag,
                config=self._config.merge(retries),
            )
            sts.meta.events.register("before-send", self._counting_hook("sts", "management"))
            try:
                ident = sts.get_caller_identity()
            except NoCredentialsError as exc:
                raise CredentialsError(
                    f"{self.credentials.description}: no credentials found ({exc})"
                ) from exc
            except (BotoConnectionError, HTTPClientError) as exc:  # nothing answered
                raise self._unreachable(exc) from None
            except AWS_CALL_ERRORS as exc:  # an answer, but not the one wanted
                raise aws_error(exc, resource="sts:GetCallerIdentity") from exc
            self._identity = {k: ident[k] for k in ("Account", "Arn", "UserId")}
        return self._identity

    def _unreachable(self, exc: BotoCoreError) -> AwsUnreachable:
        """One line: what could not be reached, at which endpoint, with which credentials."""
        url = exc.kwargs.get("endpoint_url") or "AWS's endpoint"
        if self._endpoint_flag:
            origin = " (--endpoint-url)"
        elif os.environ.get("AWS_ENDPOINT_URL"):
            origin = " (AWS_ENDPOINT_URL)"
        else:
            origin = ""
        reason = str(exc.kwargs.get("error") or exc).splitlines()[0]
        reason = re.sub(r"^\w+Connection\([^)]*\):\s*", "", reason)  # urllib3's prefix
        return AwsUnreachable(
            f"cannot reach AWS STS at {url}{origin} to check the caller, with "
            f"{self.credentials.description}: {reason}. Check the network, the proxy and the "
            "endpoint (--endpoint-url, AWS_ENDPOINT_URL; unset for AWS itself)"
        )

    @property
    def management_account_id(self) -> str:
        """The account whose credentials lz runs with."""
        return self.identity()["Account"]

    # -- clients ----------------------------------------------------------------

    def client(self, service: str, account_id: str | None, region: str | None = None) -> Any:
        """A client for `service` in `account_id` (None: management) and region.

        Every account's client of one service and region shares one botocore
        client (building one costs ~10 ms of CPU, and a baselined organization
        needs hundreds); the account's own credentials sign each of its calls,
        and each call is counted for its account."""
        region = region or self.home_region
        if account_id is None and service != "sts":
            account_id = self.management_account_id
        credentials = self._credentials_for(account_id)  # may assume a role
        binding = _Binding(account_id or "management", credentials)
        return AccountClient(self._shared_client(service, region), binding)

    def _shared_client(self, service: str, region: str) -> Any:
        """The one botocore client of `service` in `region`, made on first use."""
        key = (service, region)
        with self._lock:  # boto3 sessions are not thread-safe: make clients one at a time
            client = self._clients.get(key)
            if client is None:
                client = self._management.client(
                    service,
                    region_name=region,
                    endpoint_url=self._endpoint_flag,
                    config=self._config,
                )
                events = client.meta.events
                events.register_first(f"needs-retry.{_service_id(client)}", _retry_handler)
                events.register("before-call", _sign_as_bound_account)
                events.register("before-send", self._counting_hook(service))
                self._clients[key] = client
            return client

    def _counting_hook(self, service: str, account: str | None = None) -> Callable[..., None]:
        def hook(event_name: str = "", **_: Any) -> None:
            # event_name is "before-send.<service-id>.<Operation>"
            label = account or _required_binding().label
            self.counter.add(label, service, event_name.rsplit(".", 1)[-1])

        return hook

    def _credentials_for(self, account_id: str | None) -> Any:
        """None for the management account (its session's own credentials), else a
        member account's credentials by assume-role; accounts are assumed in parallel."""
        if account_id is None or (
            self._identity is not None and account_id == self._identity["Account"]
        ):
            return None
        with self._lock:
            credentials = self._member_credentials.get(account_id)
            account_lock = self._assuming.setdefault(account_id, threading.Lock())
        if credentials is not None:
            return credentials
        with account_lock:  # one AssumeRole per account, others in flight meanwhile
            with self._lock:
                credentials = self._member_credentials.get(account_id)
            if credentials is None:
                credentials = self._assume(account_id)
                with self._lock:
                    self._member_credentials[account_id] = credentials
        return credentials

    def _assume(self, account_id: str) -> RefreshableCredentials:
        role_arn = f"arn:aws:iam::{account_id}:role/{self.access_role}"
        sts = self.client("sts", None)

        def refresh() -> dict[str, str]:
            try:
                creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="landingzone")[
                    "Credentials"
                ]
            except ClientError as exc:
                raise aws_error(exc, account=account_id, resource=role_arn) from exc
            return {
                "access_key": creds["AccessKeyId"],
                "secret_key": creds["SecretAccessKey"],
                "token": creds["SessionToken"],
                "expiry_time": creds["Expiration"].isoformat(),
            }

        return RefreshableCredentials.create_from_metadata(
            metadata=refresh(), refresh_using=refresh, method="sts-assume-role"
        )


@dataclass(frozen=True)
class _Binding:
    """Whose call this is: the account label it is counted under, and the
    credentials that sign it (None: the management session's own)."""

    label: str
    credentials: Any


_bound: ContextVar[_Binding | None] = ContextVar("landingzone_account", default=None)


@contextmanager
def _acting_as(binding: _Binding) -> Iterator[None]:
    token = _bound.set(binding)
    try:
        yield
    finally:
        _bound.reset(token)


def _required_binding() -> _Binding:
    binding = _bound.get()
    if binding is None:  # a shared client called directly: refuse rather than guess
        raise RuntimeError("an AWS client was called outside AccountClient")
    return binding


def _sign_as_bound_account(context: dict[str, Any], **_: Any) -> None:
    """`before-call` hook: sign the request with the bound account's credentials.

    botocore signs with `context["signing"]["request_credentials"]` when a
    request carries them (botocore/signers.py, RequestSigner.sign)."""
    credentials = _required_binding().credentials
    if credentials is not None:
        context.setdefault("signing", {})["request_credentials"] = credentials


class AccountClient:
    """One account's view of a shared botocore client.

    Operations, paginators and waiters run with this account's credentials and
    are counted for it; anything else (`meta`, `exceptions`, `can_paginate`) is
    the shared client's."""

    def __init__(self, client: Any, binding: _Binding) -> None:
        self._client = client
        self._binding = binding

    @property
    def meta(self) -> Any:
        """The shared client's metadata (service model, region, events)."""
        return self._client.meta

    @property
    def exceptions(self) -> Any:
        """The service's modelled exception classes."""
        return self._client.exceptions

    def can_paginate(self, operation: str) -> bool:
        """Whether `operation` has a paginator."""
        return bool(self._client.can_paginate(operation))

    def get_paginator(self, operation: str) -> _BoundPaginator:
        """A paginator whose pages are fetched as this account."""
        return _BoundPaginator(self._client.get_paginator(operation), self._binding)

    def get_waiter(self, name: str) -> _BoundWaiter:
        """A waiter that polls as this account."""
        return _BoundWaiter(self._client.get_waiter(name), self._binding)

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)
        if not callable(method):
            return method

        def call_as_account(*args: Any, **kwargs: Any) -> Any:
            with _acting_as(self._binding):
                return method(*args, **kwargs)

        call_as_account.__name__ = name
        return call_as_account


class _BoundPaginator:
    def __init__(self, paginator: Any, binding: _Binding) -> None:
        self._paginator = paginator
        self._binding = binding

    def paginate(self, **kwargs: Any) -> Iterator[Any]:
        pages = iter(self._paginator.paginate(**kwargs))
        while True:
            with _acting_as(self._binding):  # each page is one call, made by next()
                page = next(pages, None)
            if page is None:
                return
            yield page


class _BoundWaiter:
    def __init__(self, waiter: Any, binding: _Binding) -> None:
        self._waiter = waiter
        self._binding = binding

    def wait(self, **kwargs: Any) -> None:
        with _acting_as(self._binding):
            self._waiter.wait(**kwargs)


def _service_id(client: Any) -> str:
    return str(client.meta.service_model.service_id.hyphenize())


def aws_error(
    exc: ClientError | BotoCoreError | ResponseParserError,
    *,
    account: str | None = None,
    region: str | None = None,
    resource: str | None = None,
) -> AwsError:
    """Turn a botocore error into an AwsError naming account, region, resource and code.

    An HTML page (an endpoint that is not AWS, or an error page) is never the
    message: it becomes its HTTP status and a sentence saying so."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        message, code = str(error.get("Message") or exc), error.get("Code")
        page = _html_summary(message, status)
        return AwsError(
            page or message,
            aws_code=None if page else code,
            account=account,
            region=region,
            resource=resource,
        )
    text = str(exc)
    return AwsError(_html_summary(text) or text, account=account, region=region, resource=resource)


_HTML = re.compile(r"<\s*(?:!doctype\s+html|html)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title>\s*([^<]{1,80}?)\s*</title>", re.IGNORECASE)


def _html_summary(text: str, status: int | None = None) -> str | None:
    """`HTTP 404 Not Found: ...` for a message that holds an HTML page, else None."""
    if not _HTML.search(text):
        return None
    title = _TITLE.search(text)
    head = title.group(1) if title else ""
    if status is not None and not head.startswith(str(status)):
        head = f"{status} {head}".strip()
    return (
        f"HTTP {head or 'error'}: the endpoint answered with an HTML page, not like AWS "
        "(check the endpoint URL, the region and any proxy)"
    )


def error_code(exc: BaseException) -> str | None:
    """AWS's error code of a ClientError (None for anything else)."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code")
        return str(code) if code else None
    return None
