"""What the loader refuses to read: too deep, too many alias copies, too big, not a
regular file, outside the spec directory. Each is a problem at file:line, never
a traceback or a hang."""

from __future__ import annotations

import json
import os
from pathlib import Path

from landingzone.spec.files import MAX_FILE_BYTES
from landingzone.spec.yamlsource import MAX_ALIAS_VALUES, MAX_DEPTH

ORG = "organization: {name: acme, home_region: us-west-2}\nstate: {account: management}\n"
OUTSIDE = (
    "is outside the spec directory; lz reads only files under it unless the root file allows "
    "another directory with `allow_paths:` (docs/spec.md#files-outside-the-spec-directory)"
)
TOO_DEEP = f"values nest more than {MAX_DEPTH} levels deep (lz's bound for spec files)"


def test_a_list_nested_5000_deep_is_refused_at_its_line(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + "units: " + "[" * 5000 + "]" * 5000 + "\n"})
    assert problems_of(root) == [f"landingzone.yaml:3: {TOO_DEEP}"]


def test_maps_nested_in_blocks_are_bounded_too(write_spec, problems_of):
    nested = "".join("  " * i + f"k{i}:\n" for i in range(200))
    root = write_spec({"landingzone.yaml": ORG + "units:\n" + "  " + nested.replace("\n", "\n  ")})
    assert problems_of(root) == [f"landingzone.yaml:{3 + MAX_DEPTH - 1}: {TOO_DEEP}"]


def test_aliases_that_nest_past_the_bound_are_refused(write_spec, problems_of):
    # Each anchor is 20 deep by itself; aliases stack them 100 deep.
    anchors = "".join(
        f"  a{i}: &a{i} " + "[" * 20 + (f"*a{i - 1}" if i else "x") + "]" * 20 + "\n"
        for i in range(5)
    )
    root = write_spec({"landingzone.yaml": ORG + "x-anchors:\n" + anchors})
    assert problems_of(root) == [f"landingzone.yaml:4: {TOO_DEEP}"]


def test_an_alias_bomb_is_refused_at_the_alias_that_crosses_the_bound(write_spec, problems_of):
    lines = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    root = write_spec({"landingzone.yaml": ORG + "units:\n" + "\n".join(lines) + "\n"})
    (problem,) = problems_of(root)
    assert problem.startswith("landingzone.yaml:")
    assert problem.endswith(
        f"aliases expand to more than {MAX_ALIAS_VALUES:,} values (lz's bound for one spec "
        "file; an alias of an alias of ... grows exponentially)"
    )


def test_merge_keys_that_copy_a_few_values_are_fine(write_spec, load_ok):
    accounts = "".join(
        f"  a{i}:\n    <<: *defaults\n    email: aws+a{i}@example.com\n" for i in range(300)
    )
    root = write_spec(
        {
            "landingzone.yaml": ORG
            + "units: {core: {}}\n"
            + "accounts:\n"
            + "  base: &defaults {email: aws+base@example.com, unit: core, tags: {Team: t}}\n"
            + accounts
        }
    )
    assert len(load_ok(root).spec.accounts) == 301


def test_a_file_over_the_size_bound_is_refused(write_spec, problems_of):
    padding = "# " + "x" * 100 + "\n"
    root = write_spec({"landingzone.yaml": ORG + padding * (MAX_FILE_BYTES // len(padding) + 1)})
    size = (root / "landingzone.yaml").stat().st_size
    assert problems_of(root) == [
        f"landingzone.yaml:1: landingzone.yaml is {size:,} bytes, over lz's bound of "
        f"{MAX_FILE_BYTES:,} bytes for one spec file (split it with `import:`)"
    ]


def test_a_policy_file_outside_the_spec_directory_is_refused(write_spec, problems_of, tmp_path):
    write_spec({"secret.json": '{"Version": "2012-10-17", "Statement": []}'})
    root = (
        write_spec({"spec/landingzone.yaml": ORG + "policies:\n  p: {file: ../secret.json}\n"})
        / "spec"
    )
    secret = tmp_path / "secret.json"
    assert problems_of(root) == [
        f'landingzone.yaml:4: policy "p": ../secret.json ({secret}) {OUTSIDE}'
    ]


def test_dev_zero_as_a_policy_file_is_refused_without_reading_it(write_spec, problems_of):
    root = write_spec(
        {"landingzone.yaml": "allow_paths: [/dev]\n" + ORG + "policies:\n  p: {file: /dev/zero}\n"}
    )
    (problem,) = problems_of(root)
    assert problem.startswith('landingzone.yaml:5: policy "p": ')
    assert problem.endswith("dev/zero is not a regular file")


def test_a_fifo_is_refused_without_waiting_for_a_writer(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + "policies:\n  p: {file: pipe.json}\n"})
    os.mkfifo(root / "pipe.json")
    assert problems_of(root) == ['landingzone.yaml:4: policy "p": pipe.json is not a regular file']


def test_a_symbolic_link_out_of_the_spec_directory_is_outside(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG + "policies:\n  p: {file: passwd.json}\n"})
    (root / "passwd.json").symlink_to("/etc/passwd")
    assert problems_of(root) == [
        f'landingzone.yaml:4: policy "p": passwd.json (/etc/passwd) {OUTSIDE}'
    ]


def test_imports_outside_the_spec_directory_are_refused(write_spec, problems_of, tmp_path):
    write_spec({"shared/tags.yaml": "organization: {tags: {Team: platform}}\n"})
    root = (
        write_spec(
            {
                "spec/landingzone.yaml": "import: [../shared/tags.yaml, /etc/*.conf, "
                '"/**/*.yaml"]\n' + ORG
            }
        )
        / "spec"
    )
    assert problems_of(root) == [
        f"landingzone.yaml:1: ../shared/tags.yaml ({tmp_path / 'shared/tags.yaml'}) {OUTSIDE}",
        f'landingzone.yaml:1: import "/**/*.yaml" {OUTSIDE}',
        f'landingzone.yaml:1: import "/etc/*.conf" {OUTSIDE}',
    ]


def test_allow_paths_in_the_root_file_opens_a_directory(write_spec, load_ok):
    write_spec(
        {
            "shared/tags.yaml": "organization: {tags: {Team: platform}}\n",
            "shared/policies/p.json": json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
                }
            ),
        }
    )
    root = (
        write_spec(
            {
                "spec/landingzone.yaml": "allow_paths: [../shared]\n"
                "import: [../shared/*.yaml]\n"
                + ORG
                + "policies:\n  p: {file: ../shared/policies/p.json}\n"
            }
        )
        / "spec"
    )
    loaded = load_ok(root)
    assert loaded.spec.organization.tags == {"Team": "platform"}
    assert loaded.spec.policies["p"].document is not None


def test_allow_paths_is_read_only_in_the_root_file(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [mixin.yaml]\nallow_paths: [missing]\n" + ORG,
            "mixin.yaml": "allow_paths: [/]\n",
        }
    )
    assert problems_of(root) == [
        'landingzone.yaml:2: allow_paths: "missing" is not a directory',
        "mixin.yaml:1: `allow_paths` is only read in the root file (whoever runs lz reviews "
        "that one)",
    ]


def test_a_policy_file_nested_5000_deep_is_refused_at_its_line(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": ORG + "policies:\n  p: {file: deep.json}\n",
            "deep.json": '{"Version": "2012-10-17", "Statement":\n'
            + "[" * 5000
            + "]" * 5000
            + "}\n",
        }
    )
    assert problems_of(root) == [f"deep.json:2: {TOO_DEEP}"]


def test_a_nul_byte_in_a_path_is_a_problem(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": 'import: ["a\\0b.yaml"]\n' + ORG})
    assert problems_of(root) == [
        "landingzone.yaml:1: an `import` entry must be a non-empty path (without NUL)"
    ]
    root = write_spec({"landingzone.yaml": ORG + 'policies:\n  p: {file: "a\\0.json"}\n'})
    assert problems_of(root) == [
        "landingzone.yaml:4: policies.p.file: the value holds the control character U+0000; "
        "AWS refuses control characters in names, tags and addresses, and lz in every string",
        "landingzone.yaml:4: policy \"p\": 'a\\x00.json': a path cannot hold a NUL byte",
    ]


def test_a_file_that_is_not_utf8_is_refused(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": ORG})
    Path(root / "landingzone.yaml").write_bytes(ORG.encode() + b"units: {\xff: {}}\n")
    assert problems_of(root) == [
        "landingzone.yaml:1: cannot read landingzone.yaml: not UTF-8 (invalid start byte at "
        f"byte {len(ORG) + 8})"
    ]
