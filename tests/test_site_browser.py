"""The built site in a real headless Chromium: every page loads cleanly, links and images resolve, search works.

Skips, with the reason, only where Chromium is not installed; `.ci/run` installs it, so CI never skips.
"""

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
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


def test_every_page_loads_without_errors_and_links_resolve(site, browser):
    root, base = site
    pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if "_static" not in p.parts)
    assert "index.html" in pages and len(pages) >= 8
    problems = []
    for rel in pages:
        html = (root / rel).read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in html:  # the root index.html only redirects to the intro page
            target = html.split("url=", 1)[1].split('"', 1)[0]
            if not (root / Path(rel).parent / target).is_file():
                problems.append(f"{rel}: redirects to missing {target}")
            continue
        page = _open(browser, urljoin(base, rel))
        broken_images = page.eval_on_selector_all(
            "img", "imgs => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        for href in hrefs:
            parsed = urlparse(href)
            if parsed.netloc != urlparse(base).netloc or not parsed.path:
                continue
            target = root / unquote(parsed.path).lstrip("/")
            if parsed.path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{rel}: broken link {href}")
        problems += [f"{rel}: {error}" for error in page.errors]
        problems += [f"{rel}: broken image {src}" for src in broken_images]
        page.close()
    assert problems == []


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
