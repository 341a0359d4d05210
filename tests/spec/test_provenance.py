"""Every resolved value remembers the file and line that set it."""

from __future__ import annotations

import json


def test_values_point_at_the_file_and_line_that_set_them(write_spec, valid, load_ok):
    loaded = load_ok(write_spec({}, valid))
    where = loaded.provenance.where
    assert str(where("accounts", "dev", "email")) == "catalog/accounts.yaml:8"
    assert str(where("accounts", "dev", "regions", 1)) == "catalog/accounts.yaml:10"
    assert str(where("units", "plat", "policies", 0)) == "catalog/units.yaml:5"
    assert str(where("organization", "name")) == "landingzone.yaml:4"


def test_policy_file_values_point_into_the_json_file(write_spec, valid, load_ok):
    loaded = load_ok(write_spec({}, valid))
    where = loaded.provenance.where
    assert str(where("policies", "protect", "document", "Statement", 0, "Action", 1)) == (
        "policies/protect.json:6"
    )
    assert str(where("policies", "protect", "file")) == "catalog/policies.yaml:10"


def test_a_value_without_a_record_falls_back_to_its_nearest_ancestor(write_spec, valid, load_ok):
    loaded = load_ok(write_spec({}, valid))
    # close_on_removal is a default: the account's own line answers for it.
    assert str(loaded.provenance.where("accounts", "dev", "close_on_removal")) == (
        "catalog/accounts.yaml:7"
    )
    assert str(loaded.provenance.where("no", "such", "path")) == "landingzone.yaml:1"


def test_items_cover_every_value_of_the_tree(write_spec, valid, load_ok):
    loaded = load_ok(write_spec({}, valid))
    recorded = {path for path, _ in loaded.provenance.items()}

    def paths(value, path=()):
        yield path
        children = value.items() if isinstance(value, dict) else enumerate(value)
        if isinstance(value, dict | list):
            for key, item in children:
                yield from paths(item, (*path, key))

    assert recorded == set(paths(loaded.tree))


def test_the_tree_is_plain_json(write_spec, valid, load_ok):
    loaded = load_ok(write_spec({}, valid))
    assert json.loads(json.dumps(loaded.tree)) == loaded.tree
    assert loaded.tree["policies"]["protect"]["document"]["Version"] == "2012-10-17"


def test_fingerprint_follows_content_not_formatting(write_spec, valid, load_ok):
    root = write_spec({}, valid)
    first = load_ok(root).fingerprint()
    accounts = root / "catalog/accounts.yaml"
    # Same content, another layout: comments, flow style, key order.
    accounts.write_text(
        "# reordered\naccounts:\n"
        "  dev: {unit: plat, email: aws+dev@example.com, regions: [us-west-2, eu-central-1],"
        " policies: [protect]}\n"
        "  shared: {email: aws+shared@example.com, unit: core, id: '012345678901',"
        " alias: acme-shared}\n"
    )
    assert load_ok(root).fingerprint() == first
    (root / "policies/protect.json").write_text(
        (root / "policies/protect.json").read_text().replace("StopLogging", "DeleteTrail")
    )
    assert load_ok(root).fingerprint() != first
