"""Every page says what built it (commit, date, parameter profile); chain pages offer their data with checksums."""

from startup_report.params.loading import load_params
from startup_report.site import downloads, provenance
from tests.conftest import ROOT


def test_the_profile_is_named_from_the_effective_parameters():
    default = load_params(ROOT).model_dump(mode="json")
    smoke = load_params(ROOT, [ROOT / "params" / "smoke.yaml"]).model_dump(mode="json")
    assert provenance.profile(ROOT, default) == "default"
    assert provenance.profile(ROOT, smoke) == "smoke"
    custom = load_params(ROOT, overrides=["seed=7"]).model_dump(mode="json")
    name = provenance.profile(ROOT, custom)
    assert name == f"custom (parameters {provenance.params_hash(custom)[:12]})"
    assert name != provenance.profile(ROOT, load_params(ROOT, overrides=["seed=8"]).model_dump(mode="json"))


def test_the_banner_names_commit_date_profile_and_links_the_pdf_or_says_how_to_get_it():
    smoke = provenance.Provenance("0123456789abcdef", True, "2026-12-07 11:00 UTC", "smoke")
    line = smoke.banner("../startup-report.pdf", "no PDF")
    assert "Built 2026-12-07 11:00 UTC from commit 0123456789ab with uncommitted changes" in line
    assert "smoke parameter profile" in line and "not the report" in line and "sr-not-report" in line
    assert '<a href="../startup-report.pdf">' in line
    report = provenance.Provenance("0123456789abcdef", False, "2026-12-07 11:00 UTC", "default")
    line = report.banner(None, "No PDF in this build: install Chromium")
    assert "not the report" not in line and "No PDF in this build: install Chromium" in line


def test_downloads_box_and_appendix_list_files_with_their_checksums():
    items = [
        downloads.Download("training", "results.csv", "data (CSV)", "a" * 64, 12_345),
        downloads.Download("training", "03-training.ipynb", "executed notebook", "b" * 64, 2_500_000),
    ]
    box = downloads.box(items)
    assert '<a href="../downloads/training/results.csv" download>results.csv</a> — data (CSV), 12 kB' in box
    assert "executed notebook, 2.5 MB" in box and 'href="../book/downloads.html"' in box
    page = downloads.page({"training": items, "math": []})
    assert "## training" in page and "## math" not in page
    assert f"`{'a' * 64}`" in page and f"`{'b' * 64}`" in page


def test_without_chromium_the_site_still_builds_and_every_page_says_how_to_get_the_pdf(tmp_path, monkeypatch):
    import shutil

    from startup_report.engine import manifest as mf
    from startup_report.engine.layout import Layout
    from startup_report.site import pagecheck, publish

    shutil.copytree(ROOT / "params", tmp_path / "params")
    mf.save(mf.Manifest(params=load_params(ROOT).model_dump(mode="json")), tmp_path / "build" / "manifest.json")
    site = tmp_path / "site"
    (site / "book").mkdir(parents=True)
    (site / "book" / "intro.html").write_text("<html><body><article><h1>Intro</h1></article></body></html>")
    (site / "index.html").write_text('<html><head><meta http-equiv="Refresh" content="0; url=book/intro.html" />')
    monkeypatch.setattr(pagecheck, "chromium", lambda: None)
    said = []
    publish.finish(Layout(tmp_path), tmp_path, site, echo=said.append)
    page = (site / "book" / "intro.html").read_text()
    assert "Chromium is not installed" in said[0]
    assert '<article><div class="sr-provenance">' in page and "default parameter profile" in page
    assert "No PDF in this build" in page and ".pdf" not in page
    assert "sr-provenance" not in (site / "index.html").read_text()  # the redirect stays a redirect
