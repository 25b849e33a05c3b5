"""The one JSON writer and the one folder swap: readers see the old content or the new, never a mix."""

import os

import pytest

from startup_report.engine import files


def test_json_is_written_in_one_stable_style_and_read_back(tmp_path):
    path = files.write_json(tmp_path / "deep" / "out.json", {"b": 1, "a": ["é", 2.5]})
    assert path.read_text(encoding="utf-8") == '{\n  "a": [\n    "é",\n    2.5\n  ],\n  "b": 1\n}\n'
    assert files.read_json(path) == {"a": ["é", 2.5], "b": 1}
    assert files.to_json({"b": 1, "a": 2}) == files.to_json({"a": 2, "b": 1})  # key order never changes a hash


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = files.write_text(tmp_path / "out.txt", "old")

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        files.write_text(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_replace_dir_swaps_a_folder_in_and_drops_the_old_one(tmp_path):
    final, new = tmp_path / "evaluation", tmp_path / ".staging"
    final.mkdir()
    (final / "metrics.json").write_text("old")
    (tmp_path / ".evaluation.old").mkdir()  # left by an interrupted swap
    new.mkdir()
    (new / "metrics.json").write_text("new")
    files.replace_dir(new, final)
    assert (final / "metrics.json").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evaluation"]


def test_replace_dir_creates_a_folder_that_did_not_exist(tmp_path):
    new = tmp_path / "new"
    new.mkdir()
    (new / "x").write_text("1")
    files.replace_dir(new, tmp_path / "final")
    assert (tmp_path / "final" / "x").read_text() == "1" and not new.exists()
