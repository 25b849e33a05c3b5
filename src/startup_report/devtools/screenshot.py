"""The README's picture of the site: the executive summary of the built report, captured in headless Chromium.

`make front` (after a default `make book`) rewrites docs/site.png, so the front door shows the site as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

from startup_report.engine.layout import find_root

PAGE = Path("_build/html/book/summary.html")
IMAGE = Path("docs/site.png")


def chromium() -> str:
    """The system Chromium (``pagecheck.chromium``), or a message saying how to install it."""
    from startup_report.site.pagecheck import chromium as found

    if path := found():
        return path
    raise SystemExit("screenshot: no Chromium found; install it with `apt-get install -y chromium`")


def capture(root: Path, width: int = 1280, height: int = 860) -> Path:
    page_file = root / PAGE
    if not page_file.exists():
        raise SystemExit(f"screenshot: {PAGE} is missing; build the site first with `make book`")
    from startup_report.site.pagecheck import browser

    with browser(chromium()) as instance:
        page = instance.new_page(viewport={"width": width, "height": height})
        page.goto(page_file.resolve().as_uri(), wait_until="load")
        page.screenshot(path=root / IMAGE)
    return root / IMAGE


if __name__ == "__main__":
    print(f"wrote {capture(find_root())}", file=sys.stderr)
