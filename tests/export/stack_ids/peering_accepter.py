"""What an accepter's peering_accepter stack imports: its acceptances and routes to them."""

from __future__ import annotations

from pathlib import Path

from tests.aws import Aws
from tests.export.stack_ids import stack_account
from tests.export.stack_ids.peering import ADDRESS_TAG, connections, route_id, tag


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """A connection this account accepted (keyed by the peering's name), or a route to it."""
    account, region = stack_account(stack, accounts)
    accepted = [
        c
        for c in connections(aws, accounts[account], region)
        if c["AccepterVpcInfo"]["OwnerId"] == accounts[account] and c["Status"]["Code"] == "active"
    ]
    if type_ == "aws_vpc_peering_connection_accepter":
        found = [
            c
            for c in accepted
            if (tag(c, ADDRESS_TAG) or "").startswith("vpc_peering:")
            and (tag(c, ADDRESS_TAG) or "").endswith(f"/{key}")
        ]
        assert len(found) == 1, (key, accepted)
        return str(found[0]["VpcPeeringConnectionId"])
    if type_ == "aws_route":
        ids = {c["VpcPeeringConnectionId"] for c in accepted}
        return route_id(aws, accounts, stack, key, ids)
    raise AssertionError(f"no check for {type_}")
