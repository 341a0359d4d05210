"""Reading spec files: imports, globs, layering, side-by-side conflicts, cycles."""

from __future__ import annotations

# The two required sections; files below prepend their `import:` to it.
ORG = "organization: {name: acme, home_region: us-west-2}\nstate: {account: management}\n"


def test_importer_merges_last_and_overrides_what_it_imports(write_spec, load_ok):
    root = write_spec(
        {
            "base.yaml": """\
                organization:
                  name: acme
                  home_region: eu-west-1
                  tags: {Repo: infra, Team: platform}
                  regions: [eu-west-1, us-east-1]
                state:
                  account: management
                """,
            "landingzone.yaml": """\
                import: [base.yaml]
                organization:
                  home_region: us-west-2
                  tags: {Team: cloud}
                  regions: [us-west-2]
                """,
        }
    )
    loaded = load_ok(root)
    organization = loaded.spec.organization
    assert organization.home_region == "us-west-2"  # scalar: the importer wins
    assert organization.tags == {"Repo": "infra", "Team": "cloud"}  # maps merge by key
    assert organization.regions == ["us-west-2"]  # lists are replaced whole
    assert str(loaded.provenance.where("organization", "home_region")) == "landingzone.yaml:3"
    assert str(loaded.provenance.where("organization", "tags", "Repo")) == "base.yaml:4"


def test_glob_imports_are_sorted_and_merged_before_the_importer(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": "import: [catalog/*.yaml]\n" + ORG,
            "catalog/b.yaml": "accounts: {b: {email: b@example.com}}\n",
            "catalog/a.yaml": "accounts: {a: {email: a@example.com}}\n",
            "catalog/notes.txt": "not yaml: [\n",
        }
    )
    loaded = load_ok(root)
    assert [p.relative_to(root).as_posix() for p in loaded.files] == [
        "catalog/a.yaml",
        "catalog/b.yaml",
        "landingzone.yaml",
    ]
    assert list(loaded.spec.accounts) == ["a", "b"]


def test_recursive_glob_and_parent_relative_imports(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": "import: [teams/index.yaml]\n" + ORG,
            "teams/index.yaml": "import: ['../accounts/**/*.yaml']\n",
            "accounts/web/prod.yaml": "accounts: {web-prod: {email: prod@example.com}}\n",
            "accounts/data/dev.yaml": "accounts: {data-dev: {email: dev@example.com}}\n",
        }
    )
    assert sorted(load_ok(root).spec.accounts) == ["data-dev", "web-prod"]


def test_an_import_matching_no_file_is_an_error_at_its_line(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": "import:\n  - mixins/*.yaml\n  - missing.yaml\n" + ORG})
    assert problems_of(root) == [
        'landingzone.yaml:2: import "mixins/*.yaml" matches no file',
        'landingzone.yaml:3: import "missing.yaml" matches no file',
    ]


def test_import_must_be_a_list_of_paths(write_spec, problems_of):
    root = write_spec({"landingzone.yaml": "import: base.yaml\n" + ORG})
    assert problems_of(root) == ["landingzone.yaml:1: `import` must be a list of paths"]


def test_a_file_imported_twice_is_loaded_once(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "import: [common.yaml]\naccounts: {a: {email: a@example.com}}\n",
            "b.yaml": "import: [common.yaml]\naccounts: {b: {email: b@example.com}}\n",
            "common.yaml": "organization: {tags: {Repo: infra}}\n",
        }
    )
    loaded = load_ok(root)
    names = [p.name for p in loaded.files]
    assert names == ["common.yaml", "a.yaml", "b.yaml", "landingzone.yaml"]
    assert loaded.spec.organization.tags == {"Repo": "infra"}


def test_a_diamond_where_one_side_overrides_the_shared_file_is_no_conflict(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "import: [common.yaml]\norganization: {tags: {Team: a}}\n",
            "b.yaml": "import: [common.yaml]\n",
            "common.yaml": "organization: {tags: {Team: common}}\n",
        }
    )
    assert load_ok(root).spec.organization.tags == {"Team": "a"}


def test_an_import_cycle_is_printed_at_the_import_that_closes_it(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml]\n" + ORG,
            "a.yaml": "import: [b.yaml]\n",
            "b.yaml": "accounts: {}\nimport:\n  - a.yaml\n",
        }
    )
    assert problems_of(root) == ["b.yaml:3: import cycle: a.yaml -> b.yaml -> a.yaml"]


def test_side_by_side_files_setting_one_leaf_differently_conflict(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "accounts:\n  dev:\n    email: dev@example.com\n",
            "b.yaml": "# by mistake\naccounts:\n  dev:\n    email: dev2@example.com\n",
        }
    )
    [problem] = problems_of(root)
    assert problem.startswith(
        'b.yaml:4: accounts.dev.email: "dev2@example.com" conflicts with '
        '"dev@example.com" set at a.yaml:3'
    )


def test_side_by_side_is_transitive(write_spec, problems_of):
    # c.yaml comes in through b.yaml; neither it nor b imports a.yaml.
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "organization: {access_role: RoleA}\n",
            "b.yaml": "import: [c.yaml]\n",
            "c.yaml": "organization: {access_role: RoleC}\n",
        }
    )
    [problem] = problems_of(root)
    assert problem.startswith("c.yaml:1: organization.access_role:")
    assert "a.yaml:1" in problem


def test_side_by_side_files_may_agree(write_spec, load_ok):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "organization: {tags: {Repo: infra}}\n",
            "b.yaml": "organization: {tags: {Repo: infra, Team: cloud}}\n",
        }
    )
    assert load_ok(root).spec.organization.tags == {"Repo": "infra", "Team": "cloud"}


def test_a_map_against_a_scalar_from_side_by_side_files_conflicts(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "units:\n  core:\n    tags: {Tier: core}\n",
            "b.yaml": "units:\n  core: none\n",
        }
    )
    [problem] = problems_of(root)
    assert problem.startswith('b.yaml:2: units.core: "none" conflicts with a map set at a.yaml:')


def test_true_and_one_are_different_values(write_spec, problems_of):
    root = write_spec(
        {
            "landingzone.yaml": "import: [a.yaml, b.yaml]\n" + ORG,
            "a.yaml": "accounts: {dev: {email: d@example.com, protected: true}}\n",
            "b.yaml": "accounts: {dev: {protected: 1}}\n",
        }
    )
    assert any("accounts.dev.protected: 1 conflicts with true" in p for p in problems_of(root))


def test_a_directory_without_a_root_file_is_an_error(tmp_path, problems_of):
    assert problems_of(tmp_path) == [f"no landingzone.yaml in {tmp_path}"]


def test_a_root_file_may_be_given_directly(write_spec, load_ok):
    root = write_spec({"prod.yaml": ORG})
    assert load_ok(root / "prod.yaml").root == root.resolve()
