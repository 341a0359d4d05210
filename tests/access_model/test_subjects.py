"""Principal syntax for OIDC subjects, and witnesses of pattern overlaps."""

from __future__ import annotations

import pytest

from landingzone.access.errors import RequestError
from landingzone.access.globs import Glob, witness
from landingzone.access.oidc import GITHUB, GITLAB, label, members, parse_subject


@pytest.mark.parametrize(
    ("text", "host", "sub"),
    [
        ("github:acme/infra@refs/heads/main", GITHUB, "repo:acme/infra:ref:refs/heads/main"),
        ("github:acme/infra@environment:prod", GITHUB, "repo:acme/infra:environment:prod"),
        ("github:acme/infra@pull_request", GITHUB, "repo:acme/infra:pull_request"),
        ("github:acme/infra@*", GITHUB, "repo:acme/infra:*"),
        (
            "gitlab:acme/infra@refs/heads/main",
            GITLAB,
            "project_path:acme/infra:ref_type:branch:ref:main",
        ),
        ("gitlab:acme/infra@refs/tags/v1", GITLAB, "project_path:acme/infra:ref_type:tag:ref:v1"),
        ("oidc:auth.example.com:user-1", "auth.example.com", "user-1"),
    ],
)
def test_principal_syntax_round_trips(text: str, host: str, sub: str) -> None:
    pattern = parse_subject(text)
    assert (pattern.host, pattern.sub.text) == (host, sub)
    assert label(host, sub) == text


@pytest.mark.parametrize(
    "text", ["github:acme@refs/heads/main", "github:acme/infra", "gitlab:a/b@main", "oidc:host"]
)
def test_malformed_subjects_are_errors(text: str) -> None:
    with pytest.raises(RequestError):
        parse_subject(text)


def test_witness_finds_a_string_in_both_patterns_or_none() -> None:
    found = witness(Glob("repo:acme/*:ref:refs/heads/*"), Glob("repo:*:ref:refs/heads/feature/*"))
    assert found is not None
    assert Glob("repo:acme/*:ref:refs/heads/*").matches(found)
    assert Glob("repo:*:ref:refs/heads/feature/*").matches(found)
    assert witness(Glob("repo:acme/*"), Glob("repo:other/*")) is None
    assert witness(Glob("a*b", wild=False), Glob("a*b")) == "a*b"


def test_a_pattern_expands_to_well_formed_members_and_trust_overlaps() -> None:
    pattern = parse_subject("gitlab:acme/app@*")
    found = members(pattern, [Glob("project_path:acme/*:ref_type:branch:ref:release-*")])
    assert found[:2] == [
        "project_path:acme/app:ref_type:branch:ref:x",
        "project_path:acme/app:ref_type:tag:ref:x",
    ]
    assert any(
        member.startswith("project_path:acme/app:ref_type:branch:ref:release-") for member in found
    )
