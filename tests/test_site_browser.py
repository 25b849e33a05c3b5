"""The built site as a reader gets it: the page check's verdict, tables, provenance, downloads, the PDF, search.

Skips, with the reason, only where Chromium is not installed; `.ci/run` installs it, so CI never skips.
"""

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from html import unescape
from urllib.parse import urljoin

import pytest

from startup_report.site import pagecheck
from tests.conftest import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def site(project):
    """Serve the smoke build's site on a free localhost port."""
    root = project / "_build" / "html"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium); .ci/run installs it in CI")
    from startup_report.site.pagecheck import browser as chromium_browser

    with chromium_browser(CHROMIUM) as instance:
        yield instance
        instance.close()


def _open(browser, url: str, width: int = 1280):
    """A fresh page with its console errors and failed requests recorded."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.errors = []
    page.on("console", lambda msg: msg.type == "error" and page.errors.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: page.errors.append(f"request failed: {req.url} {req.failure}"))
    page.on("response", lambda res: res.status >= 400 and page.errors.append(f"HTTP {res.status}: {res.url}"))
    page.goto(url, wait_until="load")
    return page


def test_the_book_read_every_page_as_a_reader_and_found_nothing_broken(project):
    """`startup-report book` ran the page check (site/pagecheck.py) on the smoke build before swapping it in."""
    record = json.loads((project / "build" / "pagecheck.json").read_text())
    root = project / "_build" / "html"
    assert record["problems"] == []
    assert len(record["pages"]) >= 20 and "notebooks/05-market-analysis.html" in record["pages"]
    assert set(record["pages"]) == {p for p in pagecheck.site_pages(root) if "Refresh" not in (root / p).read_text()}


def test_no_table_starts_with_a_bare_row_number_column(site):
    """A first column without a header whose cells count 0, 1, 2 ... is a DataFrame's index shown raw."""
    root, _ = site
    bare = []

    def text(cell: str) -> str:
        return re.sub(r"<[^>]+>", "", cell).strip()

    for rel in pagecheck.site_pages(root):
        html = (root / rel).read_text(encoding="utf-8")
        for number, table in enumerate(re.findall(r"<table\b.*?</table>", html, re.S)):
            head = re.search(r"<thead>.*?<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)
            body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
            if body is None or (head is not None and text(head.group(1))):
                continue  # a named first column (such as "step") is data, not an index
            rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
            first = [text((re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) or [""])[0]) for row in rows]
            if len(first) >= 2 and first == [str(i) for i in range(len(first))]:
                bare.append(f"{rel}: table {number}")
    assert bare == []


def test_every_page_names_its_build_and_links_the_pdf(site):
    root, _ = site
    pdf_path = root / "startup-report.pdf"
    assert pdf_path.stat().st_size > 100_000
    for rel in ("book/intro.html", "notebooks/03-training.html", "book/downloads.html"):
        html = (root / rel).read_text(encoding="utf-8")
        line = html.split('class="sr-provenance', 1)[1].split("</div>", 1)[0]
        assert "smoke parameter profile" in line and "from commit" in line
        assert '../startup-report.pdf"' in line


def test_every_chain_page_links_its_data_and_notebook_with_checksums(project, site):
    from startup_report.chain import ALL
    from startup_report.engine import manifest as mf

    root, _ = site
    manifest = mf.load(project / "build" / "manifest.json")
    appendix = (root / "book" / "downloads.html").read_text(encoding="utf-8")
    for stage in ALL:
        page = root / stage.folder / stage.notebook.replace(".ipynb", ".html")
        box = page.read_text(encoding="utf-8").split('class="sr-downloads"', 1)[1].split("</div>", 1)[0]
        links = re.findall(r'href="\.\./(downloads/[^"]+)"', box)
        assert f"downloads/{stage.name}/{stage.notebook}" in links
        assert len(links) == len(set(links)), f"{stage.name}: a file listed twice in its downloads box"
        for link in links:
            assert (root / link).is_file(), link
        for output in manifest.stages[stage.name].outputs:
            if output.path.endswith(".csv"):
                name = output.path.rsplit("/", 1)[1]
                assert f"downloads/{stage.name}/{name}" in links
                assert output.sha256 in appendix
                assert mf.sha256_file(root / "downloads" / stage.name / name) == output.sha256
    assert "results.csv" in appendix and "market.json" in appendix


def test_the_pdf_holds_the_executive_summary_verdict_with_the_pages_numbers(site):
    root, _ = site
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    text = " ".join(subprocess.run([pdftotext, "-layout", str(root / "startup-report.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    html = (root / "book" / "summary.html").read_text(encoding="utf-8")
    page = " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())
    verdict = re.search(r"On these inputs the business is (.+?)\. The verdict", page).group(1).strip()
    assert f"On these inputs the business is {verdict}" in text
    values = re.search(r"The base plan.s NPV is (.+?) on operating cash flows and (.+?) with a", page)
    for number in values.groups():
        assert number.strip() in text, number
    assert "Contents" in text and "Parameter profile: smoke" in text
    assert re.search(r"\b2 / \d+\b", text)  # page numbers in the footer


def test_search_finds_a_term_from_a_chapter(site, browser):
    _, base = site
    page = _open(browser, urljoin(base, "search.html?q=calibration"))
    page.wait_for_selector("#search-results ul.search li", timeout=20_000)
    titles = page.inner_text("#search-results")
    assert "Evaluation" in titles
    page.close()


def test_screenshots_of_front_page_and_a_chapter(site, browser):
    _, base = site
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, rel, width in (
        ("front-page", "book/intro.html", 1280),
        ("evaluation", "notebooks/04-evaluation.html", 1280),
        ("front-page-phone", "book/intro.html", 390),
    ):
        page = _open(browser, urljoin(base, rel), width=width)
        page.wait_for_load_state("networkidle")
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        assert path.stat().st_size > 10_000
        if width < 500:  # readable at phone width: nothing wider than the screen
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"page is {overflow}px wider than a phone screen"
        page.close()


def test_figures_lead_to_their_notebook(site):
    root, _ = site
    page = (root / "notebooks" / "03-training.html").read_text()
    # The caption names the notebook and the page offers the .ipynb download of that notebook.
    assert "made by" in page and "03-training.ipynb" in page
    assert (root / "_sources" / "notebooks" / "03-training.ipynb").is_file()
