"""After the Jupyter Book build and before the swap: the PDF, the provenance line on every page, the page check.

Where Chromium is installed the new site is printed to one PDF (``site/pdf.py``) and read page by page as a
reader sees it (``site/pagecheck.py``); a page a reader would find broken, or a table wider than the PDF's
page, fails the build (``BookError``) and the previous ``_build/html`` stays. Where Chromium is missing the
site is built all the same and every page says how to get the PDF.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from startup_report.engine import manifest as mf
from startup_report.engine.layout import Layout
from startup_report.site import pagecheck, pdf, provenance


class BookError(RuntimeError):
    """The book cannot be built; the message says what to run or fix."""


_ARTICLE = re.compile(r"(<article\b[^>]*>)")
_BODY = re.compile(r"(<body\b[^>]*>)")
NO_PDF = (
    "No PDF in this build: Chromium is not installed here (apt-get install chromium), "
    "then run <code>startup-report book</code> again."
)


def _add_banner(site: Path, facts: provenance.Provenance, with_pdf: bool) -> None:
    """The provenance line (and the PDF's link) at the top of every page."""
    for page in pagecheck.site_pages(site):
        path = site / page
        text = path.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in text:
            continue
        href = "../" * page.count("/") + pdf.PDF_NAME if with_pdf else None
        banner = facts.banner(href, NO_PDF)
        pattern = _ARTICLE if _ARTICLE.search(text) else _BODY
        match = pattern.search(text)
        if match:
            text = text[: match.end()] + banner + text[match.end() :]
        path.write_text(text, encoding="utf-8")


def finish(layout: Layout, source: Path, site: Path, echo=print) -> None:
    """PDF, provenance line and page check on a freshly built site (before it is swapped in).

    Raises BookError when a page reads broken; where Chromium is missing it says so and goes on.
    """
    import yaml

    facts = provenance.of(layout.root, mf.load(layout.manifest))
    executable = pagecheck.chromium()
    if executable is None:
        echo("Chromium is not installed: no PDF and no page check (apt-get install chromium, then build again).")
        _add_banner(site, facts, with_pdf=False)
        return
    title = yaml.safe_load((source / "_config.yml").read_text(encoding="utf-8")).get("title", "Report")
    start = time.perf_counter()
    try:
        wide = pdf.print_pdf(site, source, title, facts, executable)
    except Exception as exc:  # Chromium crashed or timed out: a build error, not a traceback
        raise BookError(f"Printing the PDF with {executable} failed; the previous site is untouched.\n{exc}") from exc
    echo(f"PDF printed in {time.perf_counter() - start:.1f} s: {pdf.PDF_NAME}")
    if wide:
        raise BookError("Tables wider than the PDF's page (set fewer columns or shorter headers):\n  "
                        + "\n  ".join(wide))
    _add_banner(site, facts, with_pdf=True)
    report = pagecheck.check_site(site, executable)
    record = {"pages": report.pages, "problems": report.problems, "seconds": round(report.seconds, 1)}
    (layout.build / "pagecheck.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    if not report.ok:
        shown = "\n".join(f"  {problem}" for problem in report.problems[:40])
        raise BookError(
            f"The page check found {len(report.problems)} problem(s) a reader would see; the previous site is "
            f"untouched (all of them: build/pagecheck.json).\n{shown}"
        )
    echo(f"page check: {len(report.pages)} pages read in Chromium in {report.seconds:.1f} s, no problems")
