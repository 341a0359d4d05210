"""The writer: only changed files are written, files it wrote before are cleaned up."""

from __future__ import annotations

from pathlib import Path

from landingzone.export.writer import write_tree


def test_rewrites_changed_files_only_and_removes_its_own_stale_files(tmp_path: Path):
    first = write_tree(tmp_path, {"a/one.tf": "1\n", "b/c/two.tf": "2\n"}, "terraform")
    assert first.created == ["a/one.tf", "b/c/two.tf"]
    (tmp_path / "b" / "mine.txt").write_text("not lz's")
    mtime = (tmp_path / "a" / "one.tf").stat().st_mtime_ns

    second = write_tree(tmp_path, {"a/one.tf": "1\n", "b/three.tf": "3\n"}, "terraform")
    assert (second.created, second.unchanged, second.removed) == (
        ["b/three.tf"],
        ["a/one.tf"],
        ["b/c/two.tf"],
    )
    assert (tmp_path / "a" / "one.tf").stat().st_mtime_ns == mtime
    assert not (tmp_path / "b" / "c").exists()  # emptied, pruned
    assert (tmp_path / "b" / "mine.txt").read_text() == "not lz's"


def test_products_keep_their_own_files(tmp_path: Path):
    write_tree(tmp_path, {"main.tf": "x\n"}, "terraform")
    write_tree(tmp_path, {".gitlab-ci.yml": "y\n"}, "ci")
    report = write_tree(tmp_path, {".github/workflows/a.yml": "z\n"}, "ci")
    assert report.removed == [".gitlab-ci.yml"]
    assert (tmp_path / "main.tf").exists()
