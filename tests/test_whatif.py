"""The what-if grid and its widget: every grid point evaluated once, the page at the report's own values, and a
real browser that moves each control to its ends and back and reads the precomputed answer of that point."""

import shutil

import numpy as np
import pytest

from startup_report.market import whatif
from startup_report.site import whatif_widget as ww


def _control(name: str, values: list[float], default_index: int, key: str) -> whatif.Control:
    return whatif.Control(
        name=name,
        label=name.replace("_", " "),
        unit="",
        values=tuple(values),
        default_index=default_index,
        param_key=key,
        param_values=tuple(f"{v:g}" for v in values),
        shown=tuple(f"{v:,.0f}" for v in values),
    )


def test_positions_span_the_range_with_the_default_on_the_grid():
    values, at = whatif.positions(50_000, 300_000, 150_000, 5)
    assert len(values) == 5 and values[at] == 150_000
    assert values[0] == 50_000 and values[-1] == 300_000 and values == sorted(values)
    values, at = whatif.positions(0.5, 1.5, 2.0, 4)  # a default outside the range widens it
    assert values[-1] == 2.0 and values[at] == 2.0
    with pytest.raises(ValueError, match="resolution"):
        whatif.positions(0, 1, 0.5, 1)


def test_flat_index_matches_the_row_order_of_points():
    controls = [_control("a", [1, 2, 3], 0, "a"), _control("b", [10, 20], 1, "b"), _control("c", [5, 6, 7, 8], 2, "c")]
    grid = whatif.points(controls)
    assert len(grid) == 24
    for row, indices in enumerate(grid):
        assert whatif.flat_index(controls, indices) == row


def test_evaluate_grid_calls_the_model_in_chunks_and_keeps_the_order():
    controls = [_control("x", [1, 2, 3], 1, "m.x"), _control("y", [10, 20, 30, 40], 0, "m.y")]
    calls = []

    def model(segment, changes):
        calls.append(len(changes["x"]))
        return {
            "sum": changes["x"] + changes["y"] + (100 if segment == "b" else 0),
            "text": [f"{segment}"] * len(changes["x"]),
        }

    grid = whatif.evaluate_grid(model, ["a", "b"], controls, chunk=5)
    assert calls == [5, 5, 2, 5, 5, 2]
    at = whatif.flat_index(controls, [2, 3])
    assert grid["a"]["sum"][at] == 43 and grid["b"]["sum"][at] == 143 and grid["b"]["text"][at] == "b"


def test_a_model_returning_too_few_values_is_an_error():
    controls = [_control("x", [1, 2], 0, "m.x")]
    with pytest.raises(ValueError, match="what-if output bad"):
        whatif.evaluate_grid(lambda s, c: {"bad": [1.0]}, ["a"], controls)


def synthetic(prefix: str = "whatif"):
    """A two-segment grid whose answers name their own point, so a browser test can check every lookup."""
    controls = [
        _control("size", [5e3, 2e4, 8e4], 1, "market.monthly_contacts"),
        _control("cac", [5e4, 1.5e5, 3e5], 1, "market.cac_usd"),
    ]

    def model(segment, changes):
        n = len(changes["size"])
        text = [f"{segment}:{s:.0f}:{c:.0f}" for s, c in zip(changes["size"], changes["cac"], strict=True)]
        p = np.clip(changes["size"] / 8e4 - changes["cac"] / 6e5 + 0.5, 0, 1)
        return {"npv": text, "p-npv": [f"{v:.2f}" for v in p], "verdict": [f"verdict {t}" for t in text], "p": p[:n]}

    grid = whatif.evaluate_grid(model, ["banks", "fintechs"], controls)
    values = {s: {k: v for k, v in out.items() if k != "p"} for s, out in grid.items()}
    chart = {"x": 0, "y": 1, "p": {s: out["p"] for s, out in grid.items()}, "threshold": 0.5, "label": "P(NPV > 0)"}
    outputs = [ww.Output("npv", "NPV"), ww.Output("p-npv", "P(NPV > 0)"), ww.Output("verdict", "Verdict")]
    segments = [("banks", "Banks", controls), ("fintechs", "Fintechs", controls)]
    data = ww.payload(prefix, segments, 0, outputs, values, chart, "market.segment")
    return data, grid, controls


def test_the_page_reads_right_without_its_script_at_the_reports_values():
    data, grid, controls = synthetic()
    page = ww.render(data)
    at = whatif.flat_index(controls, [1, 1])
    assert f'id="whatif-npv">{grid["banks"]["npv"][at]}<' in page
    assert 'id="whatif-verdict" aria-live="polite">verdict banks:20000:150000<' in page
    assert 'src="http' not in page and "<script>" in page  # inline: nothing fetched
    assert page.count('type="range"') == 2 and 'id="whatif-segment"' in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium)")
def test_a_reader_moves_every_control_and_reads_that_points_answer(tmp_path):
    from startup_report.site.pagecheck import browser as chromium_browser

    data, grid, controls = synthetic()
    page_file = tmp_path / "whatif.html"
    page_file.write_text(f"<!doctype html><html><body>{ww.render(data)}</body></html>")
    with chromium_browser(CHROMIUM) as browser:
        page = browser.new_page()
        errors, requests = [], []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("request", lambda r: not r.url.startswith("file:") and requests.append(r.url))
        page.goto(page_file.as_uri())

        def expect(segment: str, idx: list[int]) -> None:
            at = whatif.flat_index(controls, idx)
            assert page.text_content("#whatif-npv") == grid[segment]["npv"][at]
            assert page.text_content("#whatif-p-npv") == grid[segment]["p-npv"][at]
            assert page.text_content("#whatif-verdict") == f"verdict {grid[segment]['npv'][at]}"

        expect("banks", [1, 1])
        idx = [1, 1]
        for k, control in enumerate(controls):
            for end in (0, len(control.values) - 1, control.default_index):
                page.fill(f"#whatif-c{k}", str(end))
                idx[k] = end
                expect("banks", idx)
        page.fill("#whatif-c0", "2")
        page.fill("#whatif-c1", "0")
        assert page.text_content("#whatif-command") == (
            "startup-report run -p market.monthly_contacts=80000 -p market.cac_usd=50000"
        )
        page.select_option("#whatif-segment", "fintechs")  # another plan: its own values, the controls reset
        expect("fintechs", [1, 1])
        assert page.text_content("#whatif-command") == "startup-report run -p market.segment=fintechs"
        page.fill("#whatif-c1", "2")
        expect("fintechs", [1, 2])
        assert page.locator("#whatif-chart rect").count() == 9 and page.locator("#whatif-chart circle").count() == 1
        page.click("#whatif-reset")
        expect("banks", [1, 1])
        assert page.text_content("#whatif-command") == "startup-report run"
    assert not errors and not requests
