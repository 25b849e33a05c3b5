"""The README's answer is written from a default build's hand-offs, and never from a smoke or custom build."""

import json

import pytest

from startup_report.devtools import front


def _build(root, param_files, outcome="success"):
    (root / "build").mkdir()
    run = {"outcome": outcome, "param_files": param_files, "overrides": [], "git_commit": "abcdef123456"}
    (root / "build/manifest.json").write_text(json.dumps({"run": run}))


@pytest.mark.parametrize(("files", "outcome"), [(["params/smoke.yaml"], "success"), ([], "interrupted")])
def test_a_smoke_or_unfinished_build_never_speaks_for_the_report(tmp_path, files, outcome):
    _build(tmp_path, files, outcome)
    with pytest.raises(SystemExit, match="default parameters"):
        front.answer(tmp_path)


def test_the_answer_block_is_replaced_and_the_rest_kept(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text(f"# Title\n{front.START}\nold\n{front.END}\nrest\n")
    monkeypatch.setattr(front, "answer", lambda root: "new answer")
    front.rewrite(tmp_path)
    assert (tmp_path / "README.md").read_text() == f"# Title\n{front.START}\nnew answer\n{front.END}\nrest\n"
