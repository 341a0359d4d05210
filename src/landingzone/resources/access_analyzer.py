"""An IAM Access Analyzer analyzer with the organization as its zone of trust.

`access_analyzer` lives in the security account, one per region where an
account of the spec runs (an analyzer sees only its own region's resources,
and IAM's global ones). AWS accepts an ORGANIZATION analyzer only in the
management account or a delegated administrator for
`access-analyzer.amazonaws.com`. Read cost: ListAnalyzers (with their tags)
per account and region. lz deletes only an analyzer it created.

`active_findings` reads what the analyzers found (ListFindingsV2, status
ACTIVE): `lz check --live` turns each into a failing check.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from landingzone.aws.calls import call, pages
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import Kind, ReadGroup, is_managed, located, register
from landingzone.resources.tagging import TagCalls, tag_map

SERVICE = "accessanalyzer"
ANALYZER_TAGS = TagCalls(
    "tag_resource", "untag_resource", "resourceArn", tags_param="tags", keys_param="tagKeys",
    tags_form=tag_map,
)  # fmt: skip


@register
class AccessAnalyzerKind(Kind):
    """An external-access analyzer of the organization, in one region."""

    name = "access_analyzer"
    service = SERVICE
    taggable = True
    replace_attrs = frozenset({"type"})  # AWS cannot change an analyzer's zone of trust

    def read(self, ctx: Context, group: ReadGroup) -> dict[str, Found]:
        client = ctx.client(SERVICE, group.account, group.region)
        analyzers = pages(
            client,
            "list_analyzers",
            "analyzers",
            account=group.account,
            region=group.region,
            resource="access analyzers",
        )
        by_name = {a["name"]: a for a in analyzers}
        wanted = {n.address: n.desired["name"] for n in group.nodes}
        wanted.update({r.address: r.id.rsplit("/", 1)[-1] for r in group.orphans})
        result: dict[str, Found] = {}
        for address, name in wanted.items():
            analyzer = by_name.get(name)
            if analyzer is not None:
                tags = dict(analyzer.get("tags") or {})
                result[address] = Found(
                    id=analyzer["arn"],
                    attrs={"name": name, "type": analyzer["type"], "tags": tags},
                    managed=is_managed(tags),
                )
        return result

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        client = ctx.client(SERVICE, node.account, node.region)
        arn = call(
            client.create_analyzer,
            analyzerName=desired["name"],
            type=desired["type"],
            tags=ctx.creation_tags(desired["tags"]),
            **located(node),
        )["arn"]
        return Found(id=arn, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        client = ctx.client(SERVICE, node.account, node.region)
        ANALYZER_TAGS.retag(client, found.id, changes, **located(node))
        return Found(id=found.id, attrs=dict(desired), managed=found.managed)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        client = ctx.client(SERVICE, record.account, record.region)
        call(
            client.delete_analyzer,
            analyzerName=record.id.rsplit("/", 1)[-1],
            **located(record),
        )


@dataclass(frozen=True)
class ExternalAccessFinding:
    """An active Access Analyzer finding: a resource reachable from outside the zone."""

    analyzer: str  # the analyzer's address
    region: str | None
    id: str
    resource: str
    resource_type: str
    owner: str

    def describe(self) -> str:
        """One line for people (`lz check --live` and its SARIF): what, whose, how to accept it."""
        return (
            f"{self.resource} ({self.resource_type}, account {self.owner}) is reachable from "
            f"outside the organization (IAM Access Analyzer finding {self.id}, {self.region}; "
            "archive it there if intended)"
        )

    def to_json(self) -> dict[str, Any]:
        """The finding as `lz check --json` prints it."""
        return {
            "analyzer": self.analyzer,
            "region": self.region,
            "id": self.id,
            "resource": self.resource,
            "resource_type": self.resource_type,
            "owner": self.owner,
        }


def active_findings(ctx: Context, nodes: Iterable[Node]) -> list[ExternalAccessFinding]:
    """The ACTIVE findings of the spec's analyzers that exist (ListAnalyzers, ListFindingsV2)."""
    found: list[ExternalAccessFinding] = []
    for node in nodes:
        if node.kind != AccessAnalyzerKind.name:
            continue
        group = ReadGroup(node.kind, node.account, node.region, nodes=[node])
        analyzer = AccessAnalyzerKind().read(ctx, group).get(node.address)
        if analyzer is None:
            continue
        client = ctx.client(SERVICE, node.account, node.region)
        findings = pages(
            client,
            "list_findings_v2",
            "findings",
            analyzerArn=analyzer.id,
            filter={"status": {"eq": ["ACTIVE"]}},
            **located(node),
        )
        found += [
            ExternalAccessFinding(
                node.address,
                node.region,
                f["id"],
                f["resource"],
                f["resourceType"],
                f["resourceOwnerAccount"],
            )
            for f in findings
        ]
    return found
