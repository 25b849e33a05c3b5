"""The what-if page of the smoke build in headless Chromium: every control to its ends and back, each answer the
one the build's grid file holds for that point, the report's own point the summary's numbers, nothing fetched."""

import json
import shutil

import pytest

from startup_report.market import handoff
from startup_report.report.findings import money

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def page(project):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium); .ci/run installs it in CI")
    from startup_report.site.pagecheck import browser

    with browser(CHROMIUM) as instance:
        tab = instance.new_page()
        tab.errors, tab.requests = [], []
        tab.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        tab.on("request", lambda r: not r.url.startswith("file:") and tab.requests.append(r.url))
        tab.goto((project / "_build/html/book/whatif.html").as_uri(), wait_until="load")
        yield tab


@pytest.fixture(scope="module")
def grid(project):
    return json.loads((project / "build/whatif/whatif.json").read_text())


def _at(data: dict, segment: int, idx: list[int]) -> int:
    flat = 0
    for k, q in enumerate(data["segments"][segment]["positions"]):
        flat = flat * len(q["shown"]) + idx[k]
    return flat


def _expect(page, grid, segment: int, idx: list[int]) -> None:
    name = grid["segments"][segment]["name"]
    at = _at(grid, segment, idx)
    for output in grid["outputs"]:
        assert page.text_content(f"#whatif-{output['id']}") == grid["values"][name][output["id"]][at], output["id"]


def test_every_control_to_its_ends_and_back_shows_that_points_answer(page, grid):
    defaults = [q["default_index"] for q in grid["segments"][grid["default_segment"]]["positions"]]
    _expect(page, grid, grid["default_segment"], defaults)
    seen = {page.text_content("#whatif-npv")}
    idx = list(defaults)
    for k, q in enumerate(grid["segments"][grid["default_segment"]]["positions"]):
        for end in (0, len(q["shown"]) - 1, q["default_index"]):
            page.fill(f"#whatif-c{k}", str(end))
            idx[k] = end
            _expect(page, grid, grid["default_segment"], idx)
            seen.add(page.text_content("#whatif-p-npv") + page.text_content("#whatif-npv"))
            if end != q["default_index"]:
                assert f"-p {q['param_key']}={q['param_values'][end]}" in page.text_content("#whatif-command")
    assert len(seen) > 2  # the answers moved
    assert page.text_content("#whatif-command") == "startup-report run"
    for s in range(len(grid["segments"])):
        if len(grid["segments"]) > 1:
            page.select_option("#whatif-segment", index=s)
        _expect(page, grid, s, [q["default_index"] for q in grid["segments"][s]["positions"]])
    assert page.errors == [] and page.requests == []


def test_at_the_reports_own_values_the_page_shows_the_summarys_numbers(project, page, grid):
    page.click("#whatif-reset")
    market = handoff.read(project / "build/market-analysis/market.json")
    assert page.text_content("#whatif-npv") == money(market.npv_base_usd)
    assert page.text_content("#whatif-npv-no-exit") == money(market.npv_base_no_exit_usd)
    assert page.text_content("#whatif-p-npv") == f"{market.p_npv_positive:.0%}"
    assert page.text_content("#whatif-p-npv-no-exit") == f"{market.p_npv_positive_no_exit:.0%}"
    assert page.text_content("#whatif-verdict") == market.verdict
    summary = (project / "_build/html/book/summary.html").read_text()
    assert 'id="whatif-mini-npv"' in summary and market.verdict.split(" (")[0] in summary


def test_on_the_break_even_frontier_the_odds_are_near_one_half(page, grid):
    names = [c["name"] for c in grid["controls"]]
    crossing = [(i, s) for i, s in enumerate(grid["segments"]) if grid["frontier"].get(s["name"])]
    if not crossing:
        pytest.skip("no plan's odds cross one half inside its ranges (the page says so)")
    for i, segment in crossing:
        point = grid["frontier"][segment["name"]]
        if len(grid["segments"]) > 1:
            page.select_option("#whatif-segment", index=i)  # the plan at its own values
        k = names.index(point["name"])
        shown = f"{point['value']:.0f}"
        page.fill(f"#whatif-c{k}", str(segment["positions"][k]["param_values"].index(shown)))
        p = float(page.text_content("#whatif-p-npv-no-exit").rstrip("%")) / 100
        assert abs(p - 0.5) <= 0.06, segment["name"]
    page.click("#whatif-reset")
