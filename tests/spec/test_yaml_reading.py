"""How one YAML file is read: YAML 1.2, line numbers, duplicate keys, syntax errors."""

from __future__ import annotations

ORG = "organization: {name: acme, home_region: us-west-2}\nstate: {account: management}\n"


def test_yaml_1_2_keeps_no_and_on_as_strings(write_spec, load_ok):
    root = write_spec(
        {"landingzone.yaml": ORG + "units:\n  core: {tags: {Backup: no, Audit: on}}\n"}
    )
    assert load_ok(root).spec.units["core"].tags == {"Backup": "no", "Audit": "on"}


def test_duplicate_keys_name_both_lines(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + "accounts:\n"
            + "  dev:\n"
            + "    email: a@example.com\n"
            + "  dev:\n"
            + "    email: b@example.com\n"
        }
    )
    assert problems_of(root) == ['landingzone.yaml:6: duplicate key "dev" (first at line 4)']


def test_every_file_with_duplicate_keys_is_reported(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml]\n" + ORG + "state: {}\n",
            "a.yaml": "units: {core: {}, core: {}}\n",
        }
    )
    assert problems_of(root) == [
        'a.yaml:1: duplicate key "core" (first at line 1)',
        'landingzone.yaml:4: duplicate key "state" (first at line 3)',
    ]


def test_a_syntax_error_is_a_problem_at_its_line(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "accounts:\n  dev:\n    email: [a@example.com\n  qa: {}\n",
            "b.yaml": "units:\n  core:\n tags: {}\n",
        }
    )
    problems = problems_of(root)
    assert [p.split(": ")[0] for p in problems] == ["a.yaml:4", "b.yaml:3"]
    assert all("invalid YAML" in p for p in problems)


def test_custom_tags_are_rejected(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + "units:\n  core: !Ref other\n"})
    assert problems_of(root) == [
        'landingzone.yaml:4: unsupported YAML tag "!Ref" (lz reads plain YAML)'
    ]


def test_a_file_must_be_a_map(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": "- organization\n- state\n"})
    assert problems_of(root) == ["landingzone.yaml:1: a spec file must be a map of sections"]


def test_anchors_and_merge_keys_work_and_explicit_keys_win(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + "units: {core: {}, plat: {}}\n"
            + "accounts:\n"
            + "  dev: &workload\n"
            + "    email: dev@example.com\n"
            + "    unit: plat\n"
            + "    tags: {Tier: workload}\n"
            + "  qa:\n"
            + "    <<: *workload\n"
            + "    email: qa@example.com\n"
        }
    )
    loaded = load_ok(root)
    qa = loaded.spec.accounts["qa"]
    assert (qa.email, qa.unit, qa.tags) == ("qa@example.com", "plat", {"Tier": "workload"})
    # A merged value points at the anchor that wrote it.
    assert str(loaded.provenance.where("accounts", "qa", "unit")) == "landingzone.yaml:7"
