"""`{org}` is filled at load; `{account}`, `{account_id}`, `{region}` later."""

from __future__ import annotations

import pytest

from landingzone.spec import PlaceholderError, fill_placeholders

ORG = "organization: {name: acme, home_region: us-west-2}\n"


def test_org_is_filled_at_load_and_the_others_are_kept(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + "state: {account: management, bucket: '{org}-state-{region}'}\n"
            + "accounts:\n"
            + "  dev: {email: dev@example.com, name: '{org}-dev', tags: {Key: '{account_id}'}}\n"
        }
    )
    loaded = load_ok(root)
    assert loaded.spec.accounts["dev"].name == "acme-dev"
    assert loaded.spec.accounts["dev"].tags == {"Key": "{account_id}"}
    assert loaded.spec.state.bucket == "acme-state-{region}"
    assert loaded.tree["state"]["bucket"] == "acme-state-{region}"
    # Defaults the spec does not write are filled too.
    assert loaded.spec.state.lock_table == "acme-landingzone-locks"


def test_an_unknown_placeholder_is_an_error_with_a_suggestion(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + "state: {account: management}\n"
            + "accounts:\n"
            + "  dev:\n"
            + "    email: aws+dev@example.com\n"
            + "    name: '{acount}-dev'\n"
            + "    tags: {Owner: '{owner}'}\n"
        }
    )
    assert problems_of(root) == [
        "landingzone.yaml:6: accounts.dev.name: unknown placeholder {acount} "
        "(did you mean {account}?)",
        "landingzone.yaml:7: accounts.dev.tags.Owner: unknown placeholder {owner} "
        "(placeholders: {org}, {account}, {account_id}, {region}; write {{ and }} "
        "for literal braces)",
    ]


def test_a_stray_brace_is_an_error(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + "state: {account: management}\nunits: {core: {tags: {A: 'x}'}}}\n"
        }
    )
    assert problems_of(root) == [
        'landingzone.yaml:3: units.core.tags.A: stray "}"; write "}}" for a literal brace'
    ]


def test_escaped_braces_and_iam_variables_pass_through(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + "state: {account: management}\n"
            + "policies:\n"
            + "  own-user:\n"
            + "    description: '{{org}}'\n"
            + "    document:\n"
            + "      Version: '2012-10-17'\n"
            + "      Statement:\n"
            + "        Effect: Deny\n"
            + "        NotAction: 'iam:*'\n"
            + "        NotResource: 'arn:aws:iam::*:user/${aws:username}'\n"
        }
    )
    loaded = load_ok(root)
    template = loaded.spec.policies["own-user"].description
    assert template == "{{org}}"  # still escaped: filled later
    assert fill_placeholders(template, org="acme") == "{org}"
    statement = loaded.spec.policies["own-user"].document["Statement"]  # type: ignore[index]
    assert statement["NotResource"] == "arn:aws:iam::*:user/${aws:username}"


def test_fill_placeholders_fills_every_placeholder():
    text = "{org}-{account}-{account_id}-{region} ${aws:username} ${{ github.ref }} {{x}}"
    assert (
        fill_placeholders(
            text, org="acme", account="dev", account_id="012345678901", region="eu-west-1"
        )
        == "acme-dev-012345678901-eu-west-1 ${aws:username} ${{ github.ref }} {x}"
    )


def test_fill_placeholders_refuses_a_placeholder_without_a_value():
    with pytest.raises(PlaceholderError, match=r"\{region\} has no value here"):
        fill_placeholders("{account}-{region}", org="acme", account="dev")


def test_fill_placeholders_refuses_unknown_placeholders():
    with pytest.raises(PlaceholderError, match=r"did you mean \{region\}"):
        fill_placeholders("{regoin}", org="acme", region="us-west-2")
