"""Each member account's own Terraform state bucket and lock table
(`state.isolation: per_account_bucket`, the Coalition text's layout).

Addresses: `terraform_state_bucket:ACCOUNT/BUCKET`,
`terraform_lock_table:ACCOUNT/TABLE` (names as the spec writes them, with
`{account_id}`). The bucket is secured like lz's own state bucket
(versioned, encrypted, public access blocked, TLS only) and its policy holds
the isolation statements of the roles given keys in it (graph/state_access.py:
the account's own deploy roles, and those of accounts that read its state
through `state.shared_reads`). The table is the account's Terraform lock
table (hash key LockID, on demand). Both live in the state region; lz never
deletes either.
"""

from __future__ import annotations

from typing import Any

from landingzone.graph.organization import is_protected
from landingzone.graph.state_access import state_statements
from landingzone.graph.state_keys import account_state_names, home_bucket_arn
from landingzone.graph.targets import Where, base_tags, referenced_accounts
from landingzone.nodes import MANAGEMENT, Node, account_address
from landingzone.resources.s3_bucket import bucket_desired
from landingzone.resources.state_backend import lock_table_desired
from landingzone.spec.schema import Spec

BUCKET_KIND = "terraform_state_bucket"
TABLE_KIND = "terraform_lock_table"


def terraform_state_nodes(spec: Spec, where: Where) -> list[Node]:
    """A bucket and a lock table in every member account, with `per_account_bucket`."""
    if spec.state.isolation != "per_account_bucket":
        return []
    tags = base_tags(spec)
    region = spec.state.region or spec.organization.home_region
    nodes: list[Node] = []
    for account, entry in sorted(spec.accounts.items()):
        bucket, table = account_state_names(spec, account)
        statements = state_statements(spec, home_bucket_arn(spec, account), account)
        # The accounts whose roles the policy names: the bucket waits for them.
        named = {account_address(a) for a in referenced_accounts(statements) if a != MANAGEMENT}
        common: dict[str, Any] = {
            "account": account,
            "region": region,
            "source": where("state", "isolation"),
            "protected": is_protected(account, entry),
        }
        nodes.append(
            Node(
                address=f"{BUCKET_KIND}:{account}/{bucket}",
                kind=BUCKET_KIND,
                name=bucket,
                desired=bucket_desired(bucket, tags, statements),
                depends_on=frozenset(named),
                **common,
            )
        )
        nodes.append(
            Node(
                address=f"{TABLE_KIND}:{account}/{table}",
                kind=TABLE_KIND,
                name=table,
                desired=lock_table_desired(table, tags),
                **common,
            )
        )
    return nodes
