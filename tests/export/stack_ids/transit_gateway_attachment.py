"""What a transit_gateway_attachment stack imports: a member's attachments."""

from __future__ import annotations

from pathlib import Path

from tests.aws import Aws
from tests.export.stack_ids.transit_gateway import place, tagged_id


def expected_id(aws: Aws, accounts: dict[str, str], type_: str, key: str, stack: Path) -> str:
    """Attachments are the VPC's account's, in its region."""
    account, region, account_id = place(stack, accounts)
    if type_ == "aws_ec2_transit_gateway_vpc_attachment":
        return tagged_id(aws, account, account_id, region, type_, key)
    raise AssertionError(f"no check for {type_}")
