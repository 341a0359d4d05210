"""Security groups lz makes for its own resources: the one of a network's interface
endpoints, which lets the VPC reach them over HTTPS.

Ingress rules are an attribute: a rule added or removed outside lz is drift
that apply reverts. Egress stays AWS's default (everything out).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landingzone.aws.calls import call
from landingzone.aws.context import Context
from landingzone.nodes import Change, Found, Node, ResourceRecord
from landingzone.resources.base import is_managed, register
from landingzone.resources.ec2_kind import Ec2Kind, ec2, where
from landingzone.resources.ec2_view import Ec2View, Item, known_id, tags_of

Rule = dict[str, Any]  # {"protocol": "tcp", "from": 443, "to": 443, "source": CIDR or group}


def rules_of(permissions: list[dict[str, Any]]) -> list[Rule]:
    """AWS's IpPermissions as one rule per source, sorted."""
    rules = []
    for permission in permissions:
        base = {
            "protocol": permission["IpProtocol"],
            "from": permission.get("FromPort"),
            "to": permission.get("ToPort"),
        }
        sources = [r["CidrIp"] for r in permission.get("IpRanges", [])]
        sources += [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])]
        sources += [p["GroupId"] for p in permission.get("UserIdGroupPairs", [])]
        sources += [p["PrefixListId"] for p in permission.get("PrefixListIds", [])]
        rules += [{**base, "source": source} for source in sources]
    return sorted(rules, key=lambda r: (r["protocol"], r["from"] or 0, r["source"]))


def _permission(rule: Rule) -> dict[str, Any]:
    """A rule as AWS's IpPermission, its source in the list its kind goes in."""
    source: str = rule["source"]
    if source.startswith("sg-"):
        sources: dict[str, Any] = {"UserIdGroupPairs": [{"GroupId": source}]}
    elif source.startswith("pl-"):
        sources = {"PrefixListIds": [{"PrefixListId": source}]}
    elif ":" in source:
        sources = {"Ipv6Ranges": [{"CidrIpv6": source}]}
    else:
        sources = {"IpRanges": [{"CidrIp": source}]}
    permission = {"IpProtocol": rule["protocol"], **sources}
    if rule["from"] is not None:
        permission.update(FromPort=rule["from"], ToPort=rule["to"])
    return permission


@register
class SecurityGroupKind(Ec2Kind):
    """A security group of a VPC, with the ingress rules lz declares."""

    name = "security_group"
    resource_type = "security-group"
    immutable_attrs = frozenset({"vpc", "name", "description"})

    def found(self, ctx: Context, here: Ec2View, item: Item, desired: Mapping[str, Any]) -> Found:
        tags = tags_of(item)
        attrs = {
            "vpc": here.address_of("vpc", item["VpcId"]) or item["VpcId"],
            "name": item["GroupName"],
            "description": item["Description"],
            "ingress": rules_of(item.get("IpPermissions", [])),
            "tags": tags,
        }
        return Found(
            id=item["GroupId"],
            attrs=attrs,
            refs=frozenset({item["VpcId"]}),
            managed=is_managed(tags),
        )

    def _ingress(
        self, ctx: Context, node: Node, group: str, add: list[Rule], remove: list[Rule]
    ) -> None:
        client = ec2(ctx, node)
        if remove:
            permissions = [_permission(r) for r in remove]
            call(
                client.revoke_security_group_ingress,
                GroupId=group,
                IpPermissions=permissions,
                **where(node),
            )
        if add:
            permissions = [_permission(r) for r in add]
            call(
                client.authorize_security_group_ingress,
                GroupId=group,
                IpPermissions=permissions,
                **where(node),
            )

    def create(self, ctx: Context, node: Node, desired: Mapping[str, Any]) -> Found:
        group = call(
            ec2(ctx, node).create_security_group,
            GroupName=desired["name"],
            Description=desired["description"],
            VpcId=known_id(ctx, desired["vpc"], node.address),
            TagSpecifications=self.tag_specifications(ctx, desired),
            **where(node),
        )["GroupId"]
        self._ingress(ctx, node, group, list(desired["ingress"]), [])
        return Found(id=group, attrs=dict(desired), managed=True)

    def update(
        self,
        ctx: Context,
        node: Node,
        desired: Mapping[str, Any],
        found: Found,
        changes: list[Change],
    ) -> Found:
        if any(c.attr == "ingress" for c in changes):
            have, want = found.attrs.get("ingress") or [], list(desired["ingress"])
            self._ingress(
                ctx,
                node,
                found.id,
                add=[r for r in want if r not in have],
                remove=[r for r in have if r not in want],
            )
        return super().update(ctx, node, desired, found, changes)

    def delete(self, ctx: Context, record: ResourceRecord) -> None:
        call(ec2(ctx, record).delete_security_group, GroupId=record.id, **where(record))
