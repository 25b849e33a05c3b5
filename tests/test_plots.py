"""The evaluation chapter's figures: one line per model or rule, what they draw, and axes that name units."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from startup_report.report import openworld_plots, plots  # noqa: E402


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
