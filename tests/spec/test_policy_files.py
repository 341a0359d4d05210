"""Policies with `file:` read their JSON relative to the YAML file that set it."""

from __future__ import annotations

POLICY_JSON = (
    '{\n  "Version": "2012-10-17",\n'
    '  "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}\n}\n'
)


def test_the_file_is_read_into_document(write_spec, valid, load_ok):
    loaded = load_ok(write_spec({}, valid))
    policy = loaded.spec.policies["protect"]
    assert policy.file == "../policies/protect.json"
    assert policy.document is not None
    assert policy.document["Statement"] == [
        {
            "Effect": "Deny",
            "Action": ["cloudtrail:StopLogging", "guardduty:Delete*"],
            "Resource": "*",
        }
    ]
    assert loaded.root / "policies/protect.json" in loaded.files


def test_an_override_reads_relative_to_the_overriding_file(write_spec, valid, load_ok):
    # The root file (not catalog/policies.yaml) sets `file` now: its directory counts.
    root = write_spec(
        {
            "landingzone.yaml": valid["landingzone.yaml"]
            + "policies:\n  protect: {file: overrides/protect.json}\n",
            "overrides/protect.json": POLICY_JSON,
        },
        valid,
    )
    document = load_ok(root).spec.policies["protect"].document
    assert document is not None
    assert document["Statement"] == {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}


def test_a_missing_file_is_an_error_at_the_file_line(write_spec, valid, problems_of):
    root = write_spec({}, valid)
    (root / "policies/protect.json").unlink()
    assert problems_of(root) == [
        'catalog/policies.yaml:10: policy "protect": cannot read policies/protect.json: '
        "No such file or directory"
    ]


def test_invalid_json_is_an_error_at_the_json_line(write_spec, valid, problems_of):
    root = write_spec(
        {"policies/protect.json": '{\n  "Version": "2012-10-17",\n  "Statement": [,]\n}\n'}, valid
    )
    assert problems_of(root) == [
        'policies/protect.json:3: policy "protect": invalid JSON: Expecting value (column 17)'
    ]


def test_duplicate_keys_in_json_are_an_error(write_spec, valid, problems_of):
    root = write_spec(
        {"policies/protect.json": POLICY_JSON.replace('"Version"', '"Statement"')}, valid
    )
    assert problems_of(root) == [
        'policies/protect.json:3: duplicate key "Statement" (first at line 2)'
    ]


def test_the_file_must_hold_an_object(write_spec, valid, problems_of):
    root = write_spec({"policies/protect.json": "[]\n"}, valid)
    assert problems_of(root) == [
        'policies/protect.json:1: policy "protect": policies/protect.json must hold a JSON object'
    ]


def test_document_and_file_together_are_an_error(write_spec, valid, problems_of):
    root = write_spec(
        {
            "catalog/policies.yaml": valid["catalog/policies.yaml"]
            + "    document: {Version: '2012-10-17', Statement: []}\n"
        },
        valid,
    )
    assert problems_of(root) == [
        'catalog/policies.yaml:10: policy "protect": set `document` or `file`, not both '
        "(document at catalog/policies.yaml:11)"
    ]
