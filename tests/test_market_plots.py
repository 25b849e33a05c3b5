"""The market and sweep figures: what each draws, in the units its axis names."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from startup_report.report import market_plots, sweep_plots  # noqa: E402
from startup_report.sweep.compare import HEADLINES  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_cost_per_contact_is_each_routes_monthly_cost_over_its_volume():
    volumes = np.array([1_000.0, 10_000.0])
    ax = market_plots.cost_per_contact(volumes, {"human": np.array([5_000.0, 50_000.0])}, (2_000, 0.4), "us").axes[0]
    assert np.allclose(ax.get_lines()[0].get_ydata(), [5.0, 5.0])
    assert ax.get_xscale() == ax.get_yscale() == "log" and "USD" in ax.get_ylabel()


def test_data_moat_is_drawn_in_thousands_of_dollars():
    table = pd.DataFrame({"extra examples per intent": [10, 100], "extra revenue per month (USD)": [2_000, 8_000],
                          "labelling cost (USD)": [500, 5_000]})
    ax = market_plots.data_moat(table).axes[0]
    assert np.allclose(ax.get_lines()[0].get_ydata(), [2.0, 8.0]) and ax.get_ylabel() == "USD thousand"


def test_competitor_prices_keep_comparable_bases_and_mark_us():
    table = pd.DataFrame({"vendor": ["A", "us", "B"], "product": ["p", "router", "q"],
                          "basis": ["per resolution", "per resolution", "per seat"], "price": [0.99, 0.3, 50.0]})
    ax = market_plots.competitor_prices(table).axes[0]
    assert sorted(bar.get_width() for bar in ax.patches) == [0.3, 0.99]  # the per-seat price is not comparable
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A: p", "us: router"]


def test_sweep_headlines_are_in_millions_where_the_label_says_so():
    frame = pd.DataFrame({"scenario": ["bear", "bull"], **{c: [1.0, 2.0] for c in HEADLINES}})
    frame["npv_usd"] = [-3e6, 5e6]
    fig = sweep_plots.headlines_by_scenario(frame)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    npv = axes[list(HEADLINES).index("npv_usd")]
    assert npv.get_ylabel() == "NPV with exit (M USD)"
    assert sorted(bar.get_height() for bar in npv.patches) == [-3.0, 5.0]
    assert len(axes) == len(HEADLINES)


def test_sweep_rows_without_market_results_are_left_out():
    frame = pd.DataFrame({"price": [1.0, 2.0, 3.0], **{c: [1.0, 2.0, 3.0] for c in HEADLINES}})
    frame.loc[2, "npv_usd"] = np.nan  # that scenario failed before the market stage
    ax = sweep_plots.headlines_by_key(frame, "price").axes[0]
    assert list(ax.get_lines()[0].get_xdata()) == [1.0, 2.0]
