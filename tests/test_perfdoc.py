"""docs/performance.md as `make bench` writes it: one table per run, newest on top, earlier runs kept."""

import datetime as dt

from startup_report.devtools import perfdoc


def test_each_run_adds_a_table_headed_by_cpu_commit_and_date_on_top(tmp_path, monkeypatch):
    monkeypatch.setattr(perfdoc, "commit", lambda root: "abc1234")
    first = [perfdoc.Figure("Chain", "cold chain (s)", "517.0", "target <= 900 s")]
    second = [perfdoc.Figure("Chain", "cold chain (s)", "789.0"), perfdoc.Figure("Chain", "no-change rerun (s)", "2.2")]
    perfdoc.write(tmp_path, first, "Intel Xeon, 2 cores", dt.date(2026, 11, 28))
    page = perfdoc.write(tmp_path, second, "AMD EPYC, 2 cores", dt.date(2026, 12, 7))
    text = page.read_text()
    assert text.startswith("# Performance")
    newer = text.index("## 2026-12-07 · AMD EPYC, 2 cores · commit abc1234")
    older = text.index("## 2026-11-28 · Intel Xeon, 2 cores · commit abc1234")
    assert newer < older  # newest first, the earlier run kept
    assert "| Chain | cold chain (s) | 517.0 | target <= 900 s |" in text
    assert "| Chain | no-change rerun (s) | 2.2 |  |" in text
    assert text.count(perfdoc.MARK) == 1


def test_a_page_written_by_hand_keeps_its_text_below_the_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(perfdoc, "commit", lambda root: "abc1234")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "performance.md").write_text("old notes\n")
    text = perfdoc.write(tmp_path, [perfdoc.Figure("g", "x", "1")], "CPU", dt.date(2026, 1, 1)).read_text()
    assert text.index("## 2026-01-01") < text.index("old notes")


def test_commit_outside_git_is_unknown(tmp_path):
    assert perfdoc.commit(tmp_path) == "unknown"
