"""The whole report as one PDF, printed from the built site by headless Chromium (the system's, Playwright's driver).

`write_print_page` joins every page of the book, in the table of contents' order, into one HTML page at the
site's root: a cover (title, build date, commit, parameter profile), a table of contents, then each page's
article (the code cells, the per-page provenance line and download boxes left out; the links between pages
turned into links inside the document). `print_pdf` opens it over a localhost server, waits for MathJax and the
figures, and prints it to A4 with page numbers in the footer; the print style sheet (``assets/report.css``)
keeps tables within the page. The print page is removed afterwards: the site links only the PDF.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import urlparse

import yaml

from startup_report.site.provenance import Provenance

PDF_NAME = "startup-report.pdf"
PRINT_PAGE = "print.html"

PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
body { font-size: 10pt; }
.sr-print-page { break-before: page; }
.sr-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.sr-cover h1 { font-size: 26pt; line-height: 1.2; }
.sr-cover p { font-size: 11pt; color: #444; }
.sr-toc ul { font-size: 11pt; line-height: 1.6; list-style: none; padding-left: 1.2em; }
.sr-toc li.sr-part { font-weight: 600; margin-top: 0.6em; margin-left: -1.2em; }
.sr-toc a { color: inherit; text-decoration: none; }
.cell_input, .sr-provenance, .sr-downloads, a.headerlink, .toggle-details, button, .hide-input > summary,
details.hide > summary { display: none !important; }
img { max-width: 100% !important; height: auto; break-inside: avoid; }
figure, .cell_output { break-inside: avoid; }
pre { white-space: pre-wrap; word-break: break-word; font-size: 8pt; }
table { max-width: 100%; }
/* A long scenario name, dotted key or model name wraps rather than pushing its table past the page. */
table td, table th, table code, table code span.pre { overflow-wrap: anywhere; white-space: normal !important; }
h1, h2, h3 { break-after: avoid; }
"""

FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#555">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


def toc_pages(source: Path) -> list[tuple[str | None, str]]:
    """(part caption or None, page path without suffix) in the order of ``_toc.yml``."""
    toc = yaml.safe_load((source / "_toc.yml").read_text(encoding="utf-8"))
    pages: list[tuple[str | None, str]] = [(None, toc["root"])]
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            pages.append((part.get("caption"), chapter["file"]))
    return pages


def _slug(page: str) -> str:
    return "sr-" + re.sub(r"[^a-z0-9]+", "-", page.lower()).strip("-")


def _rewrite(article, page_dir: str, anchors: dict[str, str]) -> None:
    """Make the article's relative links and sources relative to the site's root; page links become anchors."""
    for tag in article.find_all(src=True):
        value = tag["src"]
        if not urlparse(value).scheme and not value.startswith(("/", "data:")):
            tag["src"] = posixpath.normpath(posixpath.join(page_dir, value))
    for tag in article.find_all("a", href=True):
        value = tag["href"]
        parsed = urlparse(value)
        if parsed.scheme or value.startswith(("#", "/", "mailto:")):
            continue
        target = posixpath.normpath(posixpath.join(page_dir, parsed.path))
        if target in anchors:
            tag["href"] = "#" + (parsed.fragment or anchors[target])
        else:
            tag["href"] = target + (f"#{parsed.fragment}" if parsed.fragment else "")


def write_print_page(site: Path, source: Path, title: str, provenance: Provenance) -> Path:
    """Join the site's pages into ``site/print.html`` (cover, contents, every page); return its path."""
    from bs4 import BeautifulSoup

    entries = [(part, page) for part, page in toc_pages(source) if (site / f"{page}.html").is_file()]
    anchors = {f"{page}.html": _slug(page) for _, page in entries}
    first = BeautifulSoup((site / f"{entries[0][1]}.html").read_text(encoding="utf-8"), "html.parser")
    head = first.head
    for tag in head.find_all(["link", "script"]):
        for attr in ("href", "src"):
            value = tag.get(attr)
            if value and not urlparse(value).scheme and not value.startswith("/"):
                tag[attr] = posixpath.normpath(posixpath.join(posixpath.dirname(entries[0][1]), value))
    bodies, contents, last_part = [], [], object()
    for part, page in entries:
        soup = BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup.body
        for drop in article.select(".cell_input, .sr-provenance, .sr-downloads, a.headerlink, script"):
            drop.decompose()
        _rewrite(article, posixpath.dirname(page), anchors)
        heading = article.find("h1")
        name = heading.get_text(" ", strip=True).rstrip("#").strip() if heading else page
        if part != last_part and part:
            contents.append(f'<li class="sr-part">{html.escape(part)}</li>')
        last_part = part
        anchor = anchors[f"{page}.html"]
        contents.append(f'<li><a href="#{anchor}">{html.escape(name)}</a></li>')
        bodies.append(f'<section class="sr-print-page" id="{anchor}">{article.decode_contents()}</section>')
    cover = (
        '<section class="sr-cover">'
        f"<h1>{html.escape(title)}</h1>"
        f"<p>Built {html.escape(provenance.built)}</p>"
        f"<p>Commit {html.escape(provenance.commit[:12])}{' with uncommitted changes' if provenance.dirty else ''}</p>"
        f"<p>Parameter profile: {html.escape(provenance.profile)}</p>"
        "</section>"
    )
    toc = f'<section class="sr-print-page sr-toc"><h1>Contents</h1><ul>{"".join(contents)}</ul></section>'
    document = (
        f'<!DOCTYPE html><html lang="en">{head.decode()}'
        f'<body><style>{PRINT_CSS}</style><main class="bd-article sr-print">{cover}{toc}{"".join(bodies)}</main>'
        "</body></html>"
    )
    path = site / PRINT_PAGE
    path.write_text(document, encoding="utf-8")
    return path


# The width of A4 less the margins, in CSS pixels: the print page is laid out at it, so that what overflows
# here overflows on paper.
PRINT_WIDTH = 688

WIDE_TABLES = """
() => Array.from(document.querySelectorAll("section.sr-print-page table")).filter(
  t => t.getBoundingClientRect().right > document.querySelector("main").getBoundingClientRect().right + 2
).map(t => (t.closest("section").id + ": " + (t.querySelector("th") || t).textContent.trim()).slice(0, 80))
"""


def print_pdf(site: Path, source: Path, title: str, provenance: Provenance, executable: str) -> list[str]:
    """Print the joined report to ``site/startup-report.pdf`` with Chromium; return the tables wider than the page."""
    from startup_report.site.pagecheck import browser, serve

    write_print_page(site, source, title, provenance)
    target = site / PDF_NAME
    try:
        with serve(site) as base, browser(executable) as instance:
            page = instance.new_page(viewport={"width": PRINT_WIDTH, "height": 1000})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                       else route.abort())
            page.goto(base + PRINT_PAGE, wait_until="load", timeout=120_000)
            page.evaluate(
                "async () => { if (window.MathJax && MathJax.startup && MathJax.startup.promise)"
                " { await MathJax.startup.promise; } }"
            )
            page.emulate_media(media="print")
            wide = page.evaluate(WIDE_TABLES)
            page.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                margin={"top": "16mm", "bottom": "18mm", "left": "14mm", "right": "14mm"},
            )
            page.close()
    finally:
        (site / PRINT_PAGE).unlink(missing_ok=True)
    return wide
