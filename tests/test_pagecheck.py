"""The page check catches what a reader would see broken: NaN in a table, a formula MathJax cannot read, and more."""

import shutil

import pytest

from startup_report.site import pagecheck
from tests.conftest import ROOT

MATHJAX = ROOT / "build" / "vendor" / "node_modules" / "mathjax" / "es5"


def test_values_a_reader_should_never_see_are_found_in_text():
    assert pagecheck.read_text_problems("accuracy 0.91 NaN 0.3", "")[0].startswith("NaN shown as a value")
    assert pagecheck.read_text_problems("epsilon inf", "")[0].startswith("inf shown as a value")
    assert pagecheck.read_text_problems("", "out-of-scope None")[0].startswith("None shown as a value")
    assert pagecheck.read_text_problems("<__main__.Foo object at 0x7f3a2c>", "")[0].startswith("a Python repr")
    assert pagecheck.read_text_problems("Traceback (most recent call last):", "")[0].startswith("a traceback")
    assert pagecheck.read_text_problems("costs {glue:text}`own_cost` a month", "")[0].startswith("an unresolved")
    # words that only look alike, a Keras shape and None in prose are fine
    fine = "Financial infrastructure, nanny, None of the models; ε = ∞"
    assert pagecheck.read_text_problems(fine, "(None, 32) input shape, ( None , 64 )") == []
    assert pagecheck.read_text_problems("", "None of the 308 test messages is a copy") == []  # a glued sentence


def _page(body: str, mathjax: bool = False) -> str:
    script = '<script defer src="mathjax/tex-mml-chtml.js"></script>' if mathjax else ""
    head = f"<head><meta charset='utf-8'>{script}</head>"
    return f"<!DOCTYPE html><html>{head}<body><article>{body}</article></body></html>"


@pytest.mark.browser
def test_the_check_fails_a_page_with_nan_and_a_page_with_a_broken_formula(tmp_path):
    if pagecheck.chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); .ci/run installs it in CI")
    if not (MATHJAX / "tex-mml-chtml.js").is_file():
        pytest.skip("MathJax is not vendored: run `make vendor`")
    (tmp_path / "mathjax").mkdir()
    shutil.copy2(MATHJAX / "tex-mml-chtml.js", tmp_path / "mathjax" / "tex-mml-chtml.js")
    shutil.copytree(MATHJAX / "output" / "chtml" / "fonts", tmp_path / "mathjax" / "output" / "chtml" / "fonts")
    good = r"<p>A cost $c = m + (1 - r)\,h$ and</p>$$\frac{CF_s}{(1+\rho)^{s/12}}$$"
    good += "<table><tr><td>$3.74</td></tr></table>"
    (tmp_path / "good.html").write_text(_page(good + '<a href="nan.html">next</a>', mathjax=True))
    (tmp_path / "nan.html").write_text(_page("<table><tr><td>tfidf</td><td>NaN</td></tr></table>"))
    # the market chapter's bug: "\b" of "\big" written by Python as a backspace, "\f" of "\frac" as a form feed
    broken = "$$c = q\\,\x08ig[p_q\\big] + \x0crac{1}{2}$$ and $$x = \\frac{1}{$$"
    (tmp_path / "formula.html").write_text(_page(broken, mathjax=True))
    (tmp_path / "away.html").write_text(_page('<img src="https://example.com/logo.png"><a href="gone.html">x</a>'))

    report = pagecheck.check_site(tmp_path)

    assert sorted(report.pages) == ["away.html", "formula.html", "good.html", "nan.html"]
    by_page = {page: [p for p in report.problems if p.startswith(page + ":")] for page in report.pages}
    assert by_page["good.html"] == []
    assert any("NaN shown as a value" in p for p in by_page["nan.html"])
    assert any("math error" in p for p in by_page["formula.html"])
    assert any("request leaving the site: https://example.com/logo.png" in p for p in by_page["away.html"])
    assert any("broken link" in p and "gone.html" in p for p in by_page["away.html"])
    assert not report.ok


def test_no_page_source_holds_a_control_character():
    """A formula written from a non-raw Python string carries "\\b", "\\f", "\\r" or "\\t" as control characters
    (the market chapter's two formulas did): MathJax then shows "Math input error"."""
    import json
    import re

    control = re.compile(r"[\x00-\x09\x0b-\x1f]")
    found = []
    for path in sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("book/*.ipynb"), *ROOT.glob("book/*.md")]):
        texts = (
            ["".join(cell["source"]) for cell in json.loads(path.read_text())["cells"]]
            if path.suffix == ".ipynb"
            else [path.read_text()]
        )
        found += [f"{path.name}: {match.group()!r}" for text in texts for match in control.finditer(text)]
    assert found == []
