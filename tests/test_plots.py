"""The evaluation chapter's figures: one line per model or rule, what they draw, and axes that name units."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from startup_report.report import openworld_plots, plots, scaling_plot  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _units(ax):
    return "(fraction)" in ax.get_xlabel() and "(fraction)" in ax.get_ylabel()


def test_full_budget_sits_at_its_mean_examples_per_intent():
    assert plots.budget_axis("full", 129.9) == 129.9
    assert plots.budget_axis("10", 129.9) == 10.0


def test_risk_coverage_draws_each_model_and_the_target():
    share = np.linspace(0.01, 1, 5)
    fig = plots.risk_coverage({"frozen: a": (share, share[::-1]), "classical: b": (share, share)}, target=0.95)
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["frozen: a", "classical: b", "target precision 95%"]
    assert np.array_equal(ax.get_lines()[0].get_ydata(), share[::-1])
    assert _units(ax)


def test_reliability_diagram_names_each_ece_in_the_legend():
    table = pd.DataFrame({"confidence": [0.3, 0.9], "accuracy": [0.2, 0.95]})
    fig = plots.reliability_diagram({"before scaling": table, "after scaling": table}, {"before scaling": 0.123,
                                                                                        "after scaling": 0.045})
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["perfectly calibrated", "before scaling (ECE 0.123)", "after scaling (ECE 0.045)"]
    assert "(fraction)" in fig.axes[0].get_ylabel()


def test_confusion_heatmap_writes_every_count():
    matrix = pd.DataFrame([[5, 1], [2, 7]], index=["a", "b"], columns=["a", "b"])
    ax = plots.confusion_heatmap(matrix).axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "5", "7"]
    assert ax.get_xlabel() == "predicted intent" and ax.get_ylabel() == "true intent"


def test_serving_cost_is_on_a_log_scale_in_dollars():
    table = pd.DataFrame({"route": ["own: m", "API: x"], "usd_per_million_messages": [0.5, 400.0],
                          "kind": ["own model on a CPU", "LLM API (list price)"]})
    ax = plots.serving_cost(table).axes[0]
    assert ax.get_xscale() == "log" and "USD" in ax.get_xlabel()
    assert sorted(p.get_width() for p in ax.patches if p.get_width() > 0) == [0.5, 400.0]


def test_open_world_figures_have_one_panel_per_known_share():
    curve = {"open_f1": np.array([0.0, 0.5]), "known_accuracy": np.array([0.9, 0.6])}
    points = pd.DataFrame({"known_share": [0.25, 0.75], "method": ["max_probability"] * 2,
                           "open_f1": [0.4, 0.3], "known_accuracy": [0.7, 0.8]})
    fig = openworld_plots.tradeoff({(0.25, "max_probability"): curve, (0.75, "max_probability"): curve}, points)
    assert [ax.get_title() for ax in fig.axes] == ["25% of intents known", "75% of intents known"]
    assert "(fraction" in fig.axes[0].get_ylabel() and "(fraction)" in fig.axes[1].get_xlabel()
    share = np.linspace(0.01, 1, 3)
    worlds = {"closed world": (share, share), "open world": (share, share / 2)}
    fig = openworld_plots.automation({0.5: worlds, 0.25: worlds}, target=0.9)
    assert [ax.get_title() for ax in fig.axes] == ["25% of intents known", "50% of intents known"]
    assert [line.get_label() for line in fig.axes[0].get_lines()] == [
        "closed world", "open world", "target precision 90%"
    ]


_V = np.logspace(2, 5, 4)
_PLAN = pd.DataFrame({"month": [1, 2], "revenue": [1e4, 2e4], "cost_of_revenue": [1e3, 2e3], "opex": [5e4, 5e4],
                      "cash": [4e6, 3e6]})
_FAN = pd.DataFrame({"month": [1, 2], **{q: [1e6, 2e6] for q in ("q05", "q25", "q50", "q75", "q95")}})
_TORNADO = pd.DataFrame({"input": ["a", "b"], "npv_at_low": [-1e6, 2e6], "npv_at_high": [3e6, 4e6]})
_SUMMARY = pd.DataFrame({"family": ["classical"] * 2, "model": ["t"] * 2, "budget": ["10", "full"],
                         "accuracy_mean": [0.6, 0.8], "accuracy_sd": [0.01, 0.02]})
_LABELS = {  # figure -> (words the x label holds, the y label's, the title's); None: the y axis names categories
    "class_distribution": (lambda: plots.class_distribution(pd.DataFrame(
        {"label": ["a", "b"], "split": ["train", "test"], "count": [3, 1]})), "intent", "(count)", "Class balance"),
    "text_lengths": (lambda: plots.text_lengths({"train": pd.Series(["a b", "c"])}), "(words)", "(density)",
                     "length"),
    "risk_coverage": (lambda: plots.risk_coverage({"m": (_V / 1e5, _V / 1e5)}), "(fraction)", "(fraction)",
                      "Coverage"),
    "data_scaling": (lambda: scaling_plot.data_scaling(_SUMMARY, None, 130.0), "examples per intent (log scale",
                     "(fraction)", "label budget"),
    "break_even": (lambda: plots.break_even(_V, {"human": _V * 5}, 1e3), "(log scale)", "(USD, log scale)",
                   "cheapest"),
    "build_vs_buy": (lambda: plots.build_vs_buy(_V, {"rent": _V}), "(parameters, log scale)", "(USD, log scale)",
                     "Build"),
    "plan_lines": (lambda: plots.plan_lines(_PLAN), "month", "USD thousand per month", "plan"),
    "cash_fan": (lambda: plots.cash_fan(_FAN), "month", "(USD million)", "Cash"),
    "tornado": (lambda: plots.tornado(_TORNADO), "(USD million)", None, "NPV"),
}


@pytest.mark.parametrize("name", list(_LABELS))
def test_every_figure_names_its_axes_with_units_and_has_a_title(name):
    make, x_words, y_words, title_words = _LABELS[name]
    fig = make()
    ax = fig.axes[0]
    assert x_words in ax.get_xlabel()
    assert y_words is None or y_words in ax.get_ylabel()
    title = ax.get_title() + (fig._suptitle.get_text() if fig._suptitle else "")
    assert title_words in title


def test_labelled_sets_labels_title_legend_and_leaves_an_unnamed_y_axis_alone():
    from startup_report.report.axes import labelled

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4], label="line")
    ax.set_ylabel("kept")
    assert labelled(fig, ax, "x (unit)", None, "T", {"fontsize": 8}) is fig
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("x (unit)", "kept", "T")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["line"]
    labelled(fig, ax, "x", "y (unit)", "T")
    assert ax.get_ylabel() == "y (unit)"


def test_log_axes_read_as_plain_amounts_not_powers_of_ten():
    from startup_report.report.axes import plain_number

    assert [plain_number(x) for x in (0.01, 3, 1000, 30000, 2.5e6, 1e9, 7e12)] == [
        "0.01", "3", "1k", "30k", "2.5M", "1B", "7T",
    ]  # fmt: skip
    fig = plots.break_even(np.array([100.0, 1e4, 1e6]), {"own model": np.array([50.0, 500.0, 5e4])})
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "10k" in labels and "1M" in labels
    assert not any("$" in t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels())  # no mathtext
