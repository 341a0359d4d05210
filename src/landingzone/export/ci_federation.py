"""The IAM stack's CI federation: the OIDC identity providers CI deploy roles trust.

Exports the kind `oidc_provider` into `modules/ci_federation/`, called from
each account's IAM stack (`live/<account>-<home region>/iam/`, beside the
`roles` module, which holds the deploy roles themselves). Providers are keyed
by host (`token.actions.githubusercontent.com`, `gitlab.com`) and imported by
ARN. A provider lz created without thumbprints lets IAM fetch the issuer's
own; the module then leaves `thumbprint_list` unset, so Terraform does not
fight AWS over them.
"""

from __future__ import annotations

from collections.abc import Sequence

from landingzone.export.hcl import BLANK, Item, Raw, attrs, block
from landingzone.export.inventory import Inventory
from landingzone.export.model import Import, Module, Output, StackPart, Variable
from landingzone.export.organization import exported_tags
from landingzone.export.registry import Exporter, register
from landingzone.export.roles import by_account, iam_stack
from landingzone.nodes import Node

PROVIDER = "aws_iam_openid_connect_provider.this"

VARIABLES = (
    Variable(
        "oidc_providers",
        "map(object({\nurl = string\nclient_ids = list(string)\n"
        "thumbprints = list(string)\ntags = map(string)\n}))",
        "OIDC providers by host; no thumbprints: IAM fetches the issuer's own",
    ),
)

OUTPUTS = (
    Output(
        "oidc_provider_arns",
        "{ for host, provider in aws_iam_openid_connect_provider.this : host => provider.arn }",
        "OIDC provider ARNs by host",
    ),
)


def _main() -> list[Item]:
    return [
        block(
            "resource",
            "aws_iam_openid_connect_provider",
            "this",
            body=(
                *attrs(for_each=Raw("var.oidc_providers")),
                BLANK,
                *attrs(
                    url=Raw("each.value.url"),
                    client_id_list=Raw("each.value.client_ids"),
                    thumbprint_list=Raw(
                        "length(each.value.thumbprints) > 0 ? each.value.thumbprints : null"
                    ),
                    tags=Raw("each.value.tags"),
                ),
            ),
        )
    ]


MODULE = Module(
    name="ci_federation",
    description="OIDC identity providers that CI deploy roles trust",
    variables=VARIABLES,
    main=_main(),
    outputs=OUTPUTS,
)


def host(node: Node) -> str:
    """A provider's key: its URL without the scheme (its name in ARNs)."""
    return str(node.desired["url"]).removeprefix("https://")


@register
class CiFederationExporter(Exporter):
    """OIDC providers, in each account's IAM stack."""

    name = "ci_federation"
    kinds = frozenset({"oidc_provider"})

    def module(self) -> Module:
        return MODULE

    def parts(self, nodes: Sequence[Node], inventory: Inventory) -> list[StackPart]:
        parts = []
        for account, providers in by_account(nodes).items():
            imports: list[Import] = []
            pending: list[str] = []
            for node in providers:
                record = inventory.record(node.address)
                if record is None:
                    pending.append(node.address)
                else:  # lz records the provider's ARN, which is Terraform's import ID
                    imports.append(Import(PROVIDER, host(node), record.id, node.address))
            values = {
                "oidc_providers": {
                    host(n): {
                        "url": n.desired["url"],
                        "client_ids": list(n.desired["client_ids"]),
                        "thumbprints": list(n.desired["thumbprints"]),
                        "tags": exported_tags(n.desired["tags"]),
                    }
                    for n in providers
                }
            }
            parts.append(
                StackPart(
                    stack=iam_stack(inventory, account),
                    module=MODULE,
                    values=values,
                    imports=imports,
                    pending=pending,
                    protected=any(n.protected for n in providers),
                )
            )
        return parts
