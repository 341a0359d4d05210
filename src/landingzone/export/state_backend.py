"""The state backend: lz's state bucket and lock table, in `bootstrap/`.

Exports the kinds `state_bucket` and `lock_table` into `modules/state_backend/`:
the S3 bucket with versioning, default encryption, a full public access
block and lz's policy (TLS only, and the statements of state isolation,
graph/state_access.py, as a template naming accounts through the
organization stack's `account_ids`), and the DynamoDB lock table (hash key LockID,
on-demand, encrypted). Every stack keeps its state in this bucket and locks
in this table, so the bootstrap stack keeps its own state there too: lz
created both, Terraform imports them.

With `state.isolation: per_account_bucket` the kinds `terraform_state_bucket`
and `terraform_lock_table` (each member account's own bucket and table) use
the same module, in `live/<account>-<region>/state_backend/`, whose state
is in the bucket it holds, like `bootstrap/`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from landingzone.export.hcl import BLANK, Block, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.lifecycle import ignore_changes
from landingzone.export.model import (
    BOOTSTRAP,
    Import,
    Module,
    Output,
    StackPart,
    StackRef,
    Variable,
)
from landingzone.export.organization import exported_tags
from landingzone.export.registry import Exporter, register
from landingzone.export.roles import account_id_inputs, template
from landingzone.graph import state_names
from landingzone.nodes import Node
from landingzone.resources.base import minified

BUCKET_RESOURCES = (
    "aws_s3_bucket.state",
    "aws_s3_bucket_versioning.state",
    "aws_s3_bucket_server_side_encryption_configuration.state",
    "aws_s3_bucket_public_access_block.state",
    "aws_s3_bucket_policy.state",
)
TABLE_RESOURCE = "aws_dynamodb_table.lock"
ACCOUNT_STACK = "state_backend"  # a member account's own bucket and table (per_account_bucket)
PUBLIC_ACCESS_BLOCK_NAMES = {  # lz's desired attribute (AWS's names) -> Terraform's
    "BlockPublicAcls": "block_public_acls",
    "IgnorePublicAcls": "ignore_public_acls",
    "BlockPublicPolicy": "block_public_policy",
    "RestrictPublicBuckets": "restrict_public_buckets",
}

VARIABLES = (
    Variable("bucket", "string", "The state bucket"),
    Variable("versioning", "string", "Versioning status of the bucket"),
    Variable("sse_algorithm", "string", "Default encryption of the bucket"),
    Variable(
        "public_access_block",
        "object({\nblock_public_acls = bool\nignore_public_acls = bool\n"
        "block_public_policy = bool\nrestrict_public_buckets = bool\n})",
        "The bucket's public access block",
    ),
    Variable(
        "bucket_policy",
        "string",
        "The bucket policy (JSON): denies requests without TLS; with state isolation, a "
        'template naming the deploy roles\' accounts (${account_ids["NAME"]})',
    ),
    Variable("account_ids", "map(string)", "Member account IDs by spec name"),
    Variable("management_account_id", "string", "The management account's ID"),
    Variable("lock_table", "string", "The DynamoDB lock table"),
    Variable("hash_key", "string", "The lock table's hash key"),
    Variable("billing_mode", "string", "The lock table's billing mode"),
    Variable("tags", "map(string)", "Tags of the bucket and the table"),
)

OUTPUTS = (
    Output("bucket", "aws_s3_bucket.state.id", "The state bucket"),
    Output("bucket_arn", "aws_s3_bucket.state.arn", "The state bucket's ARN"),
    Output("lock_table", "aws_dynamodb_table.lock.name", "The lock table"),
    Output("lock_table_arn", "aws_dynamodb_table.lock.arn", "The lock table's ARN"),
)


def bucket_settings(
    setting: Callable[..., Block],
    versioning: Any,
    sse_algorithm: Any,
    public_access_block: Mapping[str, Any],
    policy: Any,
) -> list[Block]:
    """A secured bucket's settings, as lz makes them: versioning, default encryption,
    the public access block (by Terraform's argument names) and the bucket policy.
    `setting(type_, *body)` makes one such resource for the caller's bucket."""
    return [
        setting(
            "aws_s3_bucket_versioning",
            BLANK,
            block("versioning_configuration", body=attrs(status=versioning)),
        ),
        setting(
            "aws_s3_bucket_server_side_encryption_configuration",
            BLANK,
            block(
                "rule",
                body=(
                    block(
                        "apply_server_side_encryption_by_default",
                        body=attrs(sse_algorithm=sse_algorithm),
                    ),
                ),
            ),
        ),
        setting("aws_s3_bucket_public_access_block", *attrs(**public_access_block)),
        setting("aws_s3_bucket_policy", *attrs(policy=policy)),
    ]


def _bucket_setting(resource: str, *body: Item) -> Block:
    return block(
        "resource", resource, "state", body=(*attrs(bucket=Raw("aws_s3_bucket.state.id")), *body)
    )


def _main() -> list[Item]:
    pab = "var.public_access_block"
    return [
        block(
            "resource",
            "aws_s3_bucket",
            "state",
            body=(
                *attrs(bucket=Raw("var.bucket"), tags=Raw("var.tags")),
                BLANK,
                block(
                    "lifecycle",
                    body=(
                        *attrs(prevent_destroy=True),
                        *ignore_changes(terraform_only=("force_destroy",)),
                    ),
                ),
            ),
        ),
        *bucket_settings(
            _bucket_setting,
            versioning=Raw("var.versioning"),
            sse_algorithm=Raw("var.sse_algorithm"),
            public_access_block={
                name: Raw(f"{pab}.{name}") for name in PUBLIC_ACCESS_BLOCK_NAMES.values()
            },
            policy=Raw(
                "templatestring(var.bucket_policy, { account_ids = merge(var.account_ids, "
                "{ management = var.management_account_id }) })"
            ),
        ),
        block(
            "resource",
            "aws_dynamodb_table",
            "lock",
            body=(
                *attrs(
                    name=Raw("var.lock_table"),
                    billing_mode=Raw("var.billing_mode"),
                    hash_key=Raw("var.hash_key"),
                    tags=Raw("var.tags"),
                ),
                BLANK,
                block("attribute", body=attrs(name=Raw("var.hash_key"), type="S")),
                block("server_side_encryption", body=attrs(enabled=True)),
                block("lifecycle", body=attrs(prevent_destroy=True)),
            ),
        ),
    ]


MODULE = Module(
    name="state_backend",
    description="Terraform's (and lz's) state bucket and lock table",
    variables=VARIABLES,
    main=_main(),
    outputs=OUTPUTS,
)


@register
class StateBackendExporter(Exporter):
    """The state bucket and lock table, in the state account: `bootstrap/`."""

    name = "state_backend"
    kinds = frozenset({"state_bucket", "lock_table"})

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        bucket = next(n for n in nodes if n.kind == "state_bucket")
        table = next(n for n in nodes if n.kind == "lock_table")
        _, _, region = state_names(inventory.spec)
        stack = StackRef(inventory.spec.state.account, region, BOOTSTRAP)
        return [backend_part(inventory, stack, bucket, table)]


@register
class AccountStateExporter(Exporter):
    """Each member account's own state bucket and lock table (`state.isolation:
    per_account_bucket`), in `live/<account>-<region>/state_backend/`: the same module,
    keeping its state in the bucket it holds, as `bootstrap/` does."""

    name = "account_state"
    kinds = frozenset({"terraform_state_bucket", "terraform_lock_table"})

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        parts = []
        for bucket in (n for n in nodes if n.kind == "terraform_state_bucket"):
            table = next(
                n for n in nodes if n.kind == "terraform_lock_table" and n.account == bucket.account
            )
            stack = StackRef(bucket.account, bucket.region or "", ACCOUNT_STACK)
            parts.append(backend_part(inventory, stack, bucket, table))
        return parts


def backend_part(inventory: Inventory, stack: StackRef, bucket: Node, table: Node) -> StackPart:
    """The module's call in `stack` for a state bucket and its lock table, with the
    imports of what lz created."""
    account = stack.account
    desired = inventory.fill(dict(bucket.desired), account)
    own_id = inventory.account_id(account) or "{account_id}"
    values = {
        "bucket": desired["name"],
        "versioning": desired["versioning"],
        "sse_algorithm": desired["encryption"],
        "public_access_block": {
            name: desired["public_access_block"][aws_name]
            for aws_name, name in PUBLIC_ACCESS_BLOCK_NAMES.items()
        },
        # The account's own ID is a literal here anyway (the backend names it);
        # the deploy roles' accounts are read from the organization stack.
        "bucket_policy": template(
            minified(bucket.desired["policy"]).replace("{account_id}", own_id)
        ),
        "lock_table": inventory.fill(table.desired["name"], account),
        "hash_key": table.desired["hash_key"],
        "billing_mode": table.desired["billing_mode"],
        "tags": exported_tags(desired["tags"]),
    }
    imports: list[Import] = []
    pending: list[str] = []
    bucket_record = inventory.record(bucket.address)
    if bucket_record is None:
        pending.append(bucket.address)
    else:
        imports.extend(Import(r, None, bucket_record.id, bucket.address) for r in BUCKET_RESOURCES)
    table_record = inventory.record(table.address)
    if table_record is None:
        pending.append(table.address)
    else:  # lz records the table's ARN; Terraform imports a table by name
        table_name = table_record.id.rpartition("/")[2]
        imports.append(Import(TABLE_RESOURCE, None, table_name, table.address))
    return StackPart(
        stack=stack,
        module=MODULE,
        values=values,
        remote=dict(account_id_inputs(inventory, "")),
        imports=imports,
        pending=pending,
        protected=bucket.protected or table.protected,
    )
