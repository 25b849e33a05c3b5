"""The book's generated pages and build-time settings, from a manifest written by hand."""

import pytest
import yaml

from startup_report.engine import manifest as mf
from startup_report.site import book


def _run(**changes):
    fields = dict(
        started="2026-11-27T06:00:00+00:00", finished="2026-11-27T06:07:00+00:00", outcome="success",
        command=["startup-report", "run"], param_files=["params/smoke.yaml"], overrides=["seed=7"],
        python="3.11.9", platform="Linux-x86_64", keras_backend="jax", git_commit="abc123", git_dirty=True,
        packages={"pandas": "2.2.3", "keras": "3.6.0"},
    )
    return mf.RunRecord(**{**fields, **changes})


def _stage():
    return mf.StageRecord(
        name="evaluation", notebook="notebooks/04-evaluation.ipynb", executed_notebook=None, params={"seed": 7},
        inputs=[mf.FileRecord(path="data/market/compute.csv", sha256="a" * 64)],
        outputs=[mf.FileRecord(path="build/evaluation/metrics.json", sha256="b" * 64)],
        notebook_sha256="c" * 64, started="2026-11-27T06:01:00+00:00", duration_s=12.5, outcome="ran", reason="x",
    )


def test_the_reproduce_page_gives_the_exact_commands_parameters_and_hashes():
    manifest = mf.Manifest(run=_run(), params={"seed": 7}, stages={"evaluation": _stage()})
    page = book.reproduce_page(manifest)
    assert "git checkout abc123\nstartup-report run --params params/smoke.yaml -p seed=7\n" in page
    assert "with uncommitted changes" in page
    assert "seed: 7" in page
    assert "| evaluation | `notebooks/04-evaluation.ipynb` | ran | 12.5 |" in page
    assert f"| `data/market/compute.csv` | input | `{'a' * 16}…` |" in page
    assert "| keras | 3.6.0 |\n| pandas | 2.2.3 |" in page  # sorted


def test_no_reproduce_page_without_a_run():
    with pytest.raises(book.BookError, match="startup-report run"):
        book.reproduce_page(mf.Manifest())


def test_the_tools_page_shows_the_recorded_versions():
    page = book.tools_page(mf.Manifest(run=_run()))
    assert "| keras | 3.6.0 |" in page and "| torch | not installed |" in page


def test_duplicate_inline_scripts_are_dropped_keeping_the_first(tmp_path):
    page = tmp_path / "a.html"
    page.write_text("<script>const X = 1;</script><p>hi</p><script>const X = 1;</script><script>other</script>")
    book._drop_duplicate_inline_scripts(tmp_path)
    assert page.read_text() == "<script>const X = 1;</script><p>hi</p><script>other</script>"


def test_build_time_settings_point_at_bundled_mathjax_and_the_repository(tmp_path, monkeypatch):
    (tmp_path / "_config.yml").write_text("title: T\nsphinx:\n  config: {}\n")
    (tmp_path / "_vendor").mkdir()
    monkeypatch.setenv("REPORT_REPOSITORY_URL", "https://example.org/repo")
    book._configure(tmp_path, mathjax=True)
    config = yaml.safe_load((tmp_path / "_config.yml").read_text())
    assert config["sphinx"]["config"]["mathjax_path"] == "../mathjax/tex-mml-chtml.js"
    assert config["sphinx"]["config"]["html_extra_path"] == ["_vendor"]
    assert config["repository"]["url"] == "https://example.org/repo" and config["html"]["use_repository_button"]
    monkeypatch.delenv("REPORT_REPOSITORY_URL")
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / "_vendor").rmdir()
    book._configure(tmp_path, mathjax=False)
    assert yaml.safe_load((tmp_path / "_config.yml").read_text()) == {"title": "T", "sphinx": {"config": {}}}
