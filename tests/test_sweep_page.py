"""The comparison page from scenario folders: the table, one figure per swept key with its sentence, links, toc."""

import json
from pathlib import Path

import nbformat
import yaml

from startup_report.chain import STAGES
from startup_report.engine.layout import Layout
from startup_report.site.sweeps import add_to_book, write_page
from startup_report.sweep import spec
from startup_report.sweep.execute import Outcome
from tests.conftest import ROOT


def _scenario(layout: Layout, discount: float, contacts: int) -> None:
    """A scenario's hand-off files, with NPV rising with volume and falling with the discount."""
    build = layout.build
    (build / "evaluation").mkdir(parents=True)
    (build / "market-analysis").mkdir(parents=True)
    (build / "evaluation/metrics.json").write_text(json.dumps({"accuracy": 0.9, "automation_rate": 0.8}))
    npv = contacts * 100.0 * (1 - discount) - 2e6
    market = {
        "own_usd_per_contact": 2.0 + discount,
        "npv_base_usd": npv,
        "npv_base_no_exit_usd": npv - 1e6,
        "p_npv_positive": 0.5 + discount / 10,
        "funding_need_base_usd": 1e7,
        "verdict": f"verdict | {npv:.0f}",
    }
    (build / "market-analysis/market.json").write_text(json.dumps(market))
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(f"# Market\n\nNPV {npv}")]
    nbformat.write(notebook, build / "market-analysis" / STAGES[-1].notebook)


def test_a_grid_page_has_the_table_figures_sentences_and_links(tmp_path):
    sweep_file = spec.SweepFile(
        name="pv", grid={"market.price_discount": [0.0, 0.4], "market.monthly_contacts": [20000, 60000]}
    )
    sweep = spec.load(ROOT, sweep_file)
    layout = Layout(tmp_path)
    outcomes = {}
    for scenario in sweep.scenarios:
        if scenario.name == "price_discount-0.4_monthly_contacts-60000":
            outcomes[scenario.name] = Outcome(scenario.name, "failed", error="ValueError: `boom`\nmore")
            continue
        m = scenario.params.market
        _scenario(layout.scenario(scenario.name), m.price_discount, m.monthly_contacts)
        outcomes[scenario.name] = Outcome(scenario.name, "ok", ran=["market-analysis"])
    page = write_page(layout, sweep, outcomes, STAGES).read_text()

    assert page.count("](pv/figure-") == 2  # one figure per swept key
    assert (tmp_path / "build/sweeps/pv/figure-1.png").stat().st_size > 10_000
    # The best NPV of the three finished scenarios: no discount, 60,000 contacts (4.00 M USD).
    assert "to 4.00 M USD (market.price_discount = 0.0)" in page
    assert "test accuracy (share) and automation (share of messages) stay at 90.0% and 80.0%" in page
    assert "verdict / 4000000" in page  # a pipe in a verdict cannot break the table
    assert "- `price_discount-0.4_monthly_contacts-60000`: `ValueError: 'boom' more`" in page
    links = [line for line in page.splitlines() if 'href="../../sweeps/pv/05-market-analysis-' in line]
    assert len(links) == 3
    record = json.loads((tmp_path / "build/sweeps/pv/sweep.json").read_text())
    assert [row["npv_usd"] is None for row in record["table"]] == [False, False, False, True]

    target = tmp_path / "book-src"
    (target / "book").mkdir(parents=True)
    (target / "_toc.yml").write_text((ROOT / "_toc.yml").read_text())
    assert add_to_book(layout, target) == ["pv"]
    toc = yaml.safe_load((target / "_toc.yml").read_text())
    captions = [part["caption"] for part in toc["parts"]]
    assert captions[-2:] == ["Scenario sweeps", "Appendix"]
    assert (target / "book/sweeps/pv.md").is_file() and (target / "book/sweeps/pv/figure-0.png").is_file()
    html = list((target / "_vendor/sweeps/pv").glob("05-market-analysis-*.html"))
    assert len(html) == 3 and "NPV" in html[0].read_text()


def test_named_scenarios_get_one_figure_per_scenario(tmp_path):
    sweep = spec.load(ROOT, spec.read(ROOT / "params/sweeps/scenarios.yaml"))
    layout = Layout(tmp_path)
    for i, scenario in enumerate(sweep.scenarios):
        _scenario(layout.scenario(scenario.name), scenario.params.market.price_discount, 20000 * (i + 1))
    outcomes = {s.name: Outcome(s.name, "reused") for s in sweep.scenarios}
    page = write_page(layout, sweep, outcomes, STAGES).read_text()
    assert "## Headline figures per scenario" in page and page.count("](scenarios/figure-") == 1
    assert "(scenario = bull)" in page and "0 ran, 3 reused earlier results, 0 failed" in page
    assert Path(tmp_path / "build/sweeps/scenarios/figure-0.png").is_file()
