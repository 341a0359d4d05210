"""Diff rules of the IAM kinds that no end-to-end test reaches."""

from __future__ import annotations

from landingzone.nodes import Found
from landingzone.resources.base import kind

PROVIDER = {
    "url": "https://gitlab.com",
    "client_ids": ["https://gitlab.com"],
    "thumbprints": [],
    "tags": {"ManagedBy": "landingzone"},
}


def test_thumbprints_iam_fetched_itself_are_no_difference():
    found = Found(id="arn", attrs={**PROVIDER, "thumbprints": ["b3dd" + "0" * 36]})
    assert kind("oidc_provider").diff(PROVIDER, found, None) == []


def test_thumbprints_the_spec_lists_are_kept():
    desired = {**PROVIDER, "thumbprints": ["a" * 40]}
    found = Found(id="arn", attrs={**PROVIDER, "thumbprints": ["b" * 40]})
    [change] = kind("oidc_provider").diff(desired, found, None)
    assert (change.attr, change.before, change.after) == ("thumbprints", ["b" * 40], ["a" * 40])


def test_inline_policies_compare_as_documents():
    document = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}],
    }
    written = {
        "Statement": {"Resource": "*", "Action": "s3:GetObject", "Effect": "Allow"},
        "Version": "2012-10-17",
    }
    role = kind("iam_role")
    assert role.same("inline_policies", {"p": document}, {"p": written})
    assert not role.same("inline_policies", {"p": document}, {"p": written, "q": written})
