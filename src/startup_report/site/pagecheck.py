"""Read every page of a built site as a reader sees it, in headless Chromium, and list what a reader would find broken.

The check fails a page on: a MathJax error ("Math input error" and the like), ``NaN``/``nan``/``inf`` shown as
a value anywhere in the text and ``None`` in a table, an output or a glued value, a Python repr (``<... object
at 0x...>``, ``dtype:``) or traceback, an unresolved glue key, a broken image, a link to a page or file that is
not in the site, a console error, a failed request, and any request leaving the site (the site must work
offline). Code a reader can unfold (cell inputs, code blocks, inline code) is not read: ``None`` is a fine
word in Python.

`startup-report book` runs it on the new site before swapping it into ``_build/html`` (a failing check fails
the build, as Sphinx's ``-W`` does on a warning) where Chromium is installed; the tests run it on the smoke
build. Chromium is the system's (``/usr/bin/chromium``), driven by the Playwright of the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# Shown anywhere a reader reads (prose, tables, outputs, glued values).
VALUE_PATTERNS = {
    "NaN shown as a value": re.compile(r"(?<![\w-])(?:NaN|nan)(?![\w-])"),
    "inf shown as a value": re.compile(r"(?<![\w-])-?inf(?![\w-])"),
    "a Python repr": re.compile(r"<[\w.]+ object at 0x[0-9a-fA-F]+>|\bdtype: \w+|<IPython\.core\.display"),
    "a traceback": re.compile(r"Traceback \(most recent call last\)"),
    "an unresolved glue key": re.compile(r"\{glue(?::\w+)?\}`?\w*|glue key not found", re.I),
}
# Only where a value is shown (table cells, cell outputs, glued values): None is an English word too.
# "(None, 32)" is a Keras shape (its batch dimension), not a missing value.
# "None of the 308 messages" is English, not a missing value.
CELL_PATTERNS = {"None shown as a value": re.compile(r"(?<![\w(-])None(?![\w-])(?!\s+of\b)")}

READ_PAGE = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  const article = document.querySelector("article") || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll(
    ".cell_input, div.highlight:not(.cell_output div.highlight), code, script, style, mjx-container, .MathJax, nav"
  ).forEach(e => e.remove());
  const words = node => {  // text nodes joined by spaces: adjacent cells must not run together
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    const parts = [];
    while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
    return parts.join(" ");
  };
  const values = [];
  copy.querySelectorAll("td, th, .cell_output, .pasted-text, .pasted-inline").forEach(e => values.push(words(e)));
  const mathErrors = Array.from(document.querySelectorAll("mjx-merror, [data-mjx-error], .MathJax_Error"))
    .map(e => e.getAttribute("data-mjx-error") || e.textContent);
  const images = Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src);
  const links = Array.from(document.querySelectorAll("a[href]")).map(a => a.href);
  return {text: words(copy), values: values.join("\\n"), mathErrors, images, links};
}
"""


@dataclass
class Report:
    """What the check found: the pages read, the problems (``page: what``) and its seconds."""

    pages: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems


def chromium() -> str | None:
    """The system's Chromium, or None where it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on a free localhost port for as long as the block runs; yields the base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep the build's output to what matters
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address) -> None:  # a tab closed mid-download is no error
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser(executable: str) -> Iterator:
    """A headless Chromium (the system's binary, Playwright's driver)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield instance
        finally:
            instance.close()


def site_pages(root: Path) -> list[str]:
    """Every HTML page of the site, relative to its root (the theme's files under _static are not pages)."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html") if "_static" not in p.parts)


def _redirect(html: str) -> str | None:
    if 'http-equiv="Refresh"' in html:
        return html.split("url=", 1)[1].split('"', 1)[0]
    return None


def _link_problem(root: Path, base: str, href: str) -> str | None:
    """A link to a file inside the site that does not exist (links to other sites are not followed)."""
    parsed = urlparse(href)
    if parsed.scheme not in ("http", "https") or parsed.netloc != urlparse(base).netloc or not parsed.path:
        return None
    target = root / unquote(parsed.path).lstrip("/")
    if parsed.path.endswith("/"):
        target = target / "index.html"
    return None if target.exists() else f"broken link {href}"


def read_text_problems(text: str, values: str) -> list[str]:
    """What in a page's reader text (and its value cells) reads as broken; the pure part of the check."""
    found = []
    for what, pattern in VALUE_PATTERNS.items():
        match = pattern.search(text)
        if match:
            found.append(f"{what}: …{_around(text, match)}…")
    values = re.sub(r"\(\s*None\s*,", "(batch,", values)  # a Keras shape's batch dimension, however spaced
    for what, pattern in CELL_PATTERNS.items():
        match = pattern.search(values)
        if match:
            found.append(f"{what}: …{_around(values, match)}…")
    return found


def _around(text: str, match: re.Match) -> str:
    return " ".join(text[max(0, match.start() - 40) : match.end() + 40].split())


TABS = 3  # pages read at once: Chromium's renderers overlap MathJax and layout across the cores


async def check_page(context, root: Path, base: str, rel: str) -> list[str]:
    """The problems of one page, read in a fresh tab of ``context`` (requests outside the site are refused)."""
    problems: list[str] = []
    page = await context.new_page()

    async def only_the_site(route) -> None:
        url = route.request.url
        if url.startswith((base, "data:", "blob:")):
            await route.continue_()
        else:
            problems.append(f"request leaving the site: {url}")
            await route.abort()

    await page.route("**/*", only_the_site)
    page.on("console", lambda msg: msg.type == "error" and problems.append(f"console error: {msg.text}"))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: req.url.startswith(base) and problems.append(
        f"request failed: {req.url} {req.failure}"))
    page.on("response", lambda res: res.status >= 400 and problems.append(f"HTTP {res.status}: {res.url}"))
    try:
        await page.goto(urljoin(base, rel), wait_until="load")
        seen = await page.evaluate(READ_PAGE)
    except Exception as exc:  # a page that cannot be read is a broken page
        await page.close()
        return [*problems, f"could not be read: {exc}"]
    await page.close()
    problems += [f"math error: {error.strip()[:120]}" for error in seen["mathErrors"]]
    problems += [f"broken image {src}" for src in seen["images"]]
    problems += [p for href in seen["links"] if (p := _link_problem(root, base, href))]
    problems += read_text_problems(seen["text"], seen["values"])
    return list(dict.fromkeys(problems))


async def _check_pages(root: Path, base: str, executable: str, pages: list[str]) -> list[list[str]]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        instance = await p.chromium.launch(executable_path=executable, args=ARGS)
        context = await instance.new_context(viewport={"width": 1280, "height": 900})
        gate = asyncio.Semaphore(TABS)

        async def one(rel: str) -> list[str]:
            async with gate:
                return await check_page(context, root, base, rel)

        found = await asyncio.gather(*(one(rel) for rel in pages))
        await context.close()
        await instance.close()
        return list(found)


def check_site(root: Path, executable: str | None = None, pages: list[str] | None = None) -> Report:
    """Read every page of the site at ``root`` (or only ``pages``) in Chromium; the problems a reader would see."""
    executable = executable or chromium()
    if executable is None:
        raise RuntimeError("Chromium is not installed (apt-get install chromium): the pages cannot be checked")
    start = time.perf_counter()
    report = Report()
    for rel in pages if pages is not None else site_pages(root):
        target = _redirect((root / rel).read_text(encoding="utf-8"))
        if target is None:
            report.pages.append(rel)
        elif not (root / Path(rel).parent / target).is_file():  # the root index.html only redirects
            report.problems.append(f"{rel}: redirects to missing {target}")
    with serve(root) as base:
        found = asyncio.run(_check_pages(root, base, executable, report.pages))
    for rel, problems in zip(report.pages, found, strict=True):
        report.problems += [f"{rel}: {problem}" for problem in problems]
    report.seconds = time.perf_counter() - start
    return report
