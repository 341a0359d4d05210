"""IAM Access Analyzer, which moto 5.2.5 lacks entirely: a minimal service of its own.

Served beside moto (`EmulatorApp` hands it the requests signed for
`access-analyzer`), in AWS's REST-JSON shapes, per account and region. As in
AWS (https://docs.aws.amazon.com/IAM/latest/UserGuide/what-is-access-analyzer.html):

- CreateAnalyzer with `type` ACCOUNT or ORGANIZATION (the external access
  analyzers; the unused-access types are `ValidationException` here). An
  ORGANIZATION analyzer only in the management account or a delegated
  administrator for `access-analyzer.amazonaws.com`, with trusted access on
  ("Only the management account or a delegated administrator can create an
  analyzer with the organization as the zone of trust":
  `AccessDeniedException`); a name in use is `ConflictException`. Status
  ACTIVE at once. GetAnalyzer, ListAnalyzers (`type` filter), DeleteAnalyzer
  (`ResourceNotFoundException` for an unknown name).
- TagResource, UntagResource, ListTagsForResource on an analyzer's ARN.
- ListFindings and ListFindingsV2: findings computed at each call from what
  the emulator holds (`external_access.py`: role trust policies, and bucket
  policies of the analyzer's region, granting the public or accounts outside
  the zone of trust: the organization, or the account). A finding's ID is
  stable for its analyzer, resource and principal; a finding whose grant is
  gone is RESOLVED. `filter` on `status` (`eq`) is honoured; other filters
  and sorting are not. UpdateFindings archives (ARCHIVED) or reactivates
  (ACTIVE) findings by ID.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote

from moto.core.request import Request
from moto.core.routing import get_service_router

from landingzone.emulator.constants import PARTITION
from landingzone.emulator.external_access import ExternalAccess, external_access
from landingzone.emulator.organization_view import OrganizationView
from landingzone.emulator.wire import (
    AwsCall,
    EmulatorError,
    json_answer,
    not_emulated,
    request_region,
)

SERVICE = "accessanalyzer"
PRINCIPAL = "access-analyzer.amazonaws.com"
TYPES = ("ACCOUNT", "ORGANIZATION")
Answer = tuple[int, dict[str, str], bytes]


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Analyzer:
    """One analyzer of an account and region."""

    arn: str
    name: str
    type: str
    created_at: str
    tags: dict[str, str]
    statuses: dict[str, str] = field(default_factory=dict)  # finding ID -> status set by hand
    seen: dict[str, dict[str, Any]] = field(default_factory=dict)  # finding ID -> last summary

    def summary(self) -> dict[str, Any]:
        """GetAnalyzer's `analyzer` and ListAnalyzers' entries."""
        return {
            "arn": self.arn,
            "name": self.name,
            "type": self.type,
            "createdAt": self.created_at,
            "status": "ACTIVE",
            "tags": self.tags,
        }


# (account ID, region) -> analyzer name -> analyzer; cleared on reset.
_ANALYZERS: dict[tuple[str, str], dict[str, Analyzer]] = {}


def reset() -> None:
    """Forget every analyzer (after moto's reset)."""
    _ANALYZERS.clear()


class AccessAnalyzer:
    """The requests of one caller (account and region)."""

    def __init__(self, account_id: str, region: str):
        self.account_id = account_id
        self.region = region
        self.analyzers = _ANALYZERS.setdefault((account_id, region), {})

    def _named(self, name: str) -> Analyzer:
        analyzer = self.analyzers.get(name)
        if analyzer is None:
            raise _not_found(f"Analyzer {name} not found")
        return analyzer

    def _by_arn(self, arn: str) -> Analyzer:
        for analyzer in self.analyzers.values():
            if analyzer.arn == arn:
                return analyzer
        raise _not_found(f"Analyzer {arn} not found")

    def create_analyzer(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        name, type_ = body.get("analyzerName", ""), body.get("type", "")
        if type_ not in TYPES:
            raise EmulatorError(
                "ValidationException", f"Analyzer type {type_} is not supported by the emulator"
            )
        if type_ == "ORGANIZATION":
            view = OrganizationView.of(self.account_id)
            allowed = view is not None and (
                self.account_id == view.management_account_id
                or view.delegates(self.account_id, PRINCIPAL)
            )
            if view is None or not allowed or not view.trusts(PRINCIPAL):
                raise EmulatorError(
                    "AccessDeniedException",
                    "Only the management account or a delegated administrator of the "
                    "organization can create an analyzer with the organization as the zone of "
                    "trust, with trusted access for access-analyzer.amazonaws.com enabled",
                )
        if name in self.analyzers:
            raise EmulatorError("ConflictException", f"Analyzer {name} already exists")
        arn = f"arn:{PARTITION}:access-analyzer:{self.region}:{self.account_id}:analyzer/{name}"
        self.analyzers[name] = Analyzer(arn, name, type_, _now(), dict(body.get("tags") or {}))
        return {"arn": arn}

    def get_analyzer(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        return {"analyzer": self._named(params["analyzerName"]).summary()}

    def list_analyzers(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        wanted = params.get("type")
        return {
            "analyzers": [a.summary() for a in self.analyzers.values() if wanted in (None, a.type)]
        }

    def delete_analyzer(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        del self.analyzers[self._named(params["analyzerName"]).name]
        return {}

    def tag_resource(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        self._by_arn(params["resourceArn"]).tags.update(body.get("tags") or {})
        return {}

    def untag_resource(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        analyzer = self._by_arn(params["resourceArn"])
        for key in params.get("tagKeys", "").split(",") if params.get("tagKeys") else []:
            analyzer.tags.pop(key, None)
        return {}

    def list_tags_for_resource(self, body: dict[str, Any], params: dict[str, str]) -> Any:
        return {"tags": self._by_arn(params["resourceArn"]).tags}

    def _findings(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        analyzer = self._by_arn(body.get("analyzerArn", ""))
        view = OrganizationView.of(self.account_id)
        if analyzer.type == "ORGANIZATION" and view is not None:
            zone, organization_id = view.account_ids(), view.organization_id
        else:
            zone, organization_id = {self.account_id}, None
        current = {}
        for access in external_access(zone, zone, self.region, organization_id):
            finding_id = str(
                uuid.uuid5(
                    uuid.NAMESPACE_URL, f"{analyzer.arn}|{access.resource}|{access.principal}"
                )
            )
            current[finding_id] = _summary(finding_id, access)
        for finding_id, summary in current.items():
            summary["status"] = analyzer.statuses.get(finding_id, "ACTIVE")
        for finding_id, summary in analyzer.seen.items():
            if finding_id not in current:
                current[finding_id] = {**summary, "status": "RESOLVED", "updatedAt": _now()}
        analyzer.seen = {k: v for k, v in current.items() if v["status"] != "RESOLVED"}
        wanted = ((body.get("filter") or {}).get("status") or {}).get("eq")
        return [f for f in current.values() if not wanted or f["status"] in wanted]

    def list_findings(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        return {"findings": self._findings(body)}

    def list_findings_v2(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        keys = ("analyzedAt", "createdAt", "id", "resource", "resourceType")
        return {
            "findings": [
                {
                    **{k: f[k] for k in keys},
                    "resourceOwnerAccount": f["resourceOwnerAccount"],
                    "status": f["status"],
                    "updatedAt": f["updatedAt"],
                    "findingType": "ExternalAccess",
                }
                for f in self._findings(body)
            ]
        }

    def update_findings(self, body: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        analyzer = self._by_arn(body.get("analyzerArn", ""))
        status = body.get("status")
        if status not in ("ACTIVE", "ARCHIVED"):
            raise EmulatorError("ValidationException", "status must be ACTIVE or ARCHIVED")
        for finding_id in body.get("ids") or []:
            analyzer.statuses[finding_id] = status
        return {}


def _summary(finding_id: str, access: ExternalAccess) -> dict[str, Any]:
    now = _now()
    return {
        "id": finding_id,
        "principal": access.principal,
        "action": access.actions,
        "resource": access.resource,
        "isPublic": access.public,
        "resourceType": access.resource_type,
        "condition": access.condition,
        "createdAt": now,
        "analyzedAt": now,
        "updatedAt": now,
        "status": "ACTIVE",
        "resourceOwnerAccount": access.owner,
    }


def _not_found(message: str) -> EmulatorError:
    return EmulatorError("ResourceNotFoundException", message)


_OPERATIONS: dict[str, Callable[[AccessAnalyzer, dict[str, Any], dict[str, str]], Any]] = {
    "CreateAnalyzer": AccessAnalyzer.create_analyzer,
    "GetAnalyzer": AccessAnalyzer.get_analyzer,
    "ListAnalyzers": AccessAnalyzer.list_analyzers,
    "DeleteAnalyzer": AccessAnalyzer.delete_analyzer,
    "TagResource": AccessAnalyzer.tag_resource,
    "UntagResource": AccessAnalyzer.untag_resource,
    "ListTagsForResource": AccessAnalyzer.list_tags_for_resource,
    "ListFindings": AccessAnalyzer.list_findings,
    "ListFindingsV2": AccessAnalyzer.list_findings_v2,
    "UpdateFindings": AccessAnalyzer.update_findings,
}


def answer(call: AwsCall, environ: dict[str, Any]) -> Answer:
    """Status, headers and body of an Access Analyzer request."""
    operation = call.operation_model.name if call.operation_model else ""
    handler = _OPERATIONS.get(operation)
    if handler is None or call.operation_model is None:
        return not_emulated(operation)
    raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    probe = {**environ, "wsgi.input": io.BytesIO(b""), "CONTENT_LENGTH": "0"}
    _, uri = get_service_router(SERVICE).match(Request(probe))
    params = {k: unquote(v) for k, v in uri.items()}
    query = parse_qs(environ.get("QUERY_STRING", ""))
    params.update({k: ",".join(v) for k, v in query.items()})
    service = AccessAnalyzer(call.key.account, request_region(environ) or "us-east-1")
    return json_answer(call, lambda: handler(service, json.loads(raw or b"{}"), params))
