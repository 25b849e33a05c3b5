"""The README's picture of the site: the executive summary of the built report, captured in headless Chromium.

`make front` (after a default `make book`) rewrites docs/site.png, so the front door shows the site as it is.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from startup_report.engine.layout import find_root

PAGE = Path("_build/html/book/summary.html")
IMAGE = Path("docs/site.png")


def chromium() -> str:
    """The system Chromium (Debian's `chromium`), which Playwright drives without downloading a browser."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    raise SystemExit("screenshot: no Chromium found; install it with `apt-get install -y chromium`")


def capture(root: Path, width: int = 1280, height: int = 860) -> Path:
    page_file = root / PAGE
    if not page_file.exists():
        raise SystemExit(f"screenshot: {PAGE} is missing; build the site first with `make book`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        page.screenshot(path=root / IMAGE)
        browser.close()
    return root / IMAGE


if __name__ == "__main__":
    print(f"wrote {capture(find_root())}", file=sys.stderr)
