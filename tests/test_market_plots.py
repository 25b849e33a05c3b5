"""The market and sweep figures: what each draws, in the units its axis names."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from startup_report.report import market_plots  # noqa: E402
from startup_report.site import sweep_plots  # noqa: E402
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


_V = np.array([1_000.0, 10_000.0])
_LABELS = {  # figure -> (words the x label holds, the y label's (None: the y axis names categories), the title's)
    "cost_per_contact": (lambda: market_plots.cost_per_contact(_V, {"human": _V * 5}, (2_000, 0.4), "us"),
                         "(log scale)", "(USD, log scale)", "Cost of handling one contact"),
    "npv_with_without_exit": (lambda: market_plots.npv_with_without_exit(np.array([-1e6, 1e6]), np.array([0, 2e6])),
                              "(USD million", "(count)", "with and without the exit"),
    "funding_need": (lambda: market_plots.funding_need(np.array([0, 1e6]), 4e6), "(USD million)", "(count)", "money"),
    "channel_costs": (lambda: market_plots.channel_costs(pd.DataFrame(
        {"key": ["a"], "year": [2024], "value": ["3.1"], "used": [True]})), "(USD;", None, "Human cost per contact"),
    "data_moat": (lambda: market_plots.data_moat(pd.DataFrame(
        {"extra examples per intent": [10], "extra revenue per month (USD)": [1.0], "labelling cost (USD)": [1.0]})),
        "(log scale)", "USD thousand", "labels"),
}


@pytest.mark.parametrize("name", list(_LABELS))
def test_every_market_figure_names_its_axes_with_units_and_has_a_title(name):
    make, x_words, y_words, title_words = _LABELS[name]
    ax = make().axes[0]
    assert x_words in ax.get_xlabel()
    assert y_words is None or y_words in ax.get_ylabel()
    assert title_words in ax.get_title()


def test_channel_costs_draw_the_used_row_black_newest_first():
    table = pd.DataFrame({"key": ["new", "old"], "year": [2025, 2020], "value": ["3.0", "4.5"], "used": [False, True]})
    ax = market_plots.channel_costs(table).axes[0]
    assert [bar.get_width() for bar in ax.patches] == [3.0, 4.5]
    assert [bar.get_facecolor()[:3] for bar in ax.patches][1] == (0.0, 0.0, 0.0)
    assert ax.yaxis_inverted()
