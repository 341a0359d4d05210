"""One run reports every problem, not just the first."""

from __future__ import annotations


def test_conflicts_schema_placeholder_policy_and_semantic_problems_come_together(
    write_spec, valid, problems_of
):
    root = write_spec(
        {
            "catalog/more.yaml": (
                "accounts:\n"
                "  dev:\n"
                "    email: other@example.com\n"  # conflicts with catalog/accounts.yaml
                "  qa:\n"
                "    email: qa@example.com\n"
                "    unit: core\n"
                "    emial: qa@example.com\n"  # unknown key: qa is left out of the checks
                "  ops:\n"
                "    email: AWS+shared@example.com\n"  # duplicate e-mail
                "    unit: platform\n"  # no such unit
                "    name: '{acount}-ops'\n"  # unknown placeholder
                "policies:\n"
                "  gone: {file: gone.json}\n"  # missing policy file
            ),
        },
        valid,
    )
    problems = problems_of(root)
    assert [p.split(": ")[0] for p in problems] == [
        "catalog/more.yaml:3",
        "catalog/more.yaml:7",
        "catalog/more.yaml:9",
        "catalog/more.yaml:10",
        "catalog/more.yaml:11",
        "catalog/more.yaml:13",
    ]
    assert "conflicts with" in problems[0]
    assert 'unknown key "emial"' in problems[1]
    assert "already used" in problems[2]
    assert 'unit "platform" does not exist' in problems[3]
    assert "{acount}" in problems[4]
    assert "cannot read catalog/gone.json" in problems[5]


def test_references_to_an_invalid_entry_are_not_reported_again(write_spec, valid, problems_of):
    files = {
        **valid,
        "catalog/more.yaml": "accounts:\n  tools: {email: tools@example.com, id: 42}\n",
    }
    files["landingzone.yaml"] = files["landingzone.yaml"].replace(
        "account: shared", "account: tools"
    )
    assert problems_of(write_spec(files)) == [
        "catalog/more.yaml:2: accounts.tools.id: expected a quoted string of 12 digits, "
        "got the number 42 (put it in quotes)"
    ]


def test_files_that_cannot_be_read_are_all_reported_before_anything_else(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml, c.yaml]\norganization: {}\n",
            "a.yaml": "units: {core: {}, core: {}}\n",
            "b.yaml": "accounts: [\n",
        }
    )
    problems = problems_of(root)
    assert [p.split(": ")[0] for p in problems] == ["a.yaml:1", "b.yaml:2", "landingzone.yaml:1"]
    # Not reported: the empty organization, since the spec is incomplete anyway.
    assert not any("organization" in p for p in problems)
