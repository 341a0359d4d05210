"""Cross-account references: `{account_id:NAME}` is filled once the account exists."""

from __future__ import annotations

from landingzone.aws.context import Context, Settings
from landingzone.aws.session import CredentialSource, Sessions
from landingzone.engine.plan import resolve
from landingzone.graph import build_graph
from landingzone.graph.targets import account_id_ref, referenced_accounts
from landingzone.spec.schema import Spec


def context_with(ids: dict[str, str]) -> Context:
    sessions = Sessions(
        credentials=CredentialSource(None, "test"), home_region="us-east-1", access_role="r"
    )
    ctx = Context(sessions=sessions, settings=Settings("acme", "us-east-1", "r"))
    for name, account_id in ids.items():
        ctx.set_id(f"account:{name}", account_id)
    return ctx


def test_known_accounts_are_filled_and_unknown_ones_stay_for_apply():
    ctx = context_with({"shared": "111122223333"})
    trust = {
        "Principal": {"AWS": [f"arn:aws:iam::{account_id_ref('shared')}:root"]},
        "Resource": f"arn:aws:s3:::state-{account_id_ref('dev')}/*",
        "Own": "bucket-{account_id}",
    }
    resolved = resolve(trust, ctx, "shared")
    assert resolved["Principal"]["AWS"] == ["arn:aws:iam::111122223333:root"]
    assert resolved["Resource"] == "arn:aws:s3:::state-{account_id:dev}/*"
    assert resolved["Own"] == "bucket-111122223333"


def test_referenced_accounts_are_found_anywhere_in_a_value():
    value = {
        "a": [f"x{account_id_ref('prod')}y", {"b": account_id_ref("dev")}],
        "c": "{account_id}",
    }
    assert referenced_accounts(value) == {"prod", "dev"}


def test_nodes_depend_on_their_account():
    spec = Spec.model_validate(
        {
            "organization": {"name": "acme", "home_region": "us-east-1"},
            "accounts": {"shared": {"email": "s@acme.example"}},
            "state": {"account": "shared"},
        }
    )
    bucket = next(n for n in build_graph(spec) if n.kind == "state_bucket")
    assert "account:shared" in bucket.depends_on
