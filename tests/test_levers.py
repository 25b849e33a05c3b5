"""The few-shot levers table: means over seeds, the change against the baseline, and the chapter's sentence."""

import pandas as pd
import pytest

from startup_report.report import levers


def _frame() -> pd.DataFrame:
    rows = [(levers.BASELINE, s, a, 9.0) for s, a in ((1, 0.85), (2, 0.84), (3, 0.86))]
    rows += [("tuned", s, a, 300.0) for s, a in ((1, 0.88), (2, 0.87), (3, 0.89))]
    rows += [("noisy", s, a, 1.0) for s, a in ((1, 0.80), (2, 0.90), (3, 0.85))]
    frame = pd.DataFrame(rows, columns=["lever", "seed", "accuracy", "seconds"])
    return frame.assign(dataset="banking77", cpu="AMD EPYC", budget="10")


def test_summary_and_sentence(tmp_path):
    path = tmp_path / "levers.csv"
    _frame().to_csv(path, index=False)
    table = levers.summary(levers.load(path, "banking77"))
    assert table["lever"].tolist() == [levers.BASELINE, "tuned", "noisy"]
    tuned = table.set_index("lever").loc["tuned"]
    assert tuned["accuracy_mean"] == pytest.approx(0.88) and tuned["vs_baseline_points"] == pytest.approx(3.0)
    assert tuned["seeds"] == 3 and tuned["seconds"] == 300.0
    text = levers.sentence(table, "AMD EPYC")
    assert "the best of 3 levers on the test set (so an upper bound) is tuned: 88.0% (± 1.0% over 3 seeds, 300 s per " \
           "seed on AMD EPYC)" in text
    assert "+3.0 points on the baseline's 85.0%, more than the seed spread" in text
    assert levers.load(path, "clinc150").empty


def test_a_gain_within_the_spread_is_said_to_be_so():
    frame = _frame()
    frame = frame[frame["lever"] != "tuned"]
    frame.loc[frame["lever"] == "noisy", "accuracy"] = [0.83, 0.91, 0.86]  # mean 0.8667, sd 0.04
    text = levers.sentence(levers.summary(frame), "AMD EPYC")
    assert "upper bound) is noisy" in text and "within the seed spread" in text


def test_a_file_without_its_columns_is_rejected(tmp_path):
    path = tmp_path / "bad.csv"
    _frame().drop(columns=["cpu"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="cpu"):
        levers.load(path, "banking77")


def test_a_lever_measured_with_one_seed_gets_no_verdict():
    frame = _frame()
    frame = frame[(frame["lever"] != "tuned") | (frame["seed"] == 1)]
    text = levers.sentence(levers.summary(frame), "AMD EPYC")
    assert "upper bound) is tuned" in text and "one seed, so its spread is unknown" in text


def test_the_best_lever_is_set_against_the_best_published_cell_at_its_budget():
    published = pd.DataFrame({
        "budget": ["10", "10", "full"], "accuracy": [0.872, 0.8671, 0.9416], "model": ["CPFT", "DNNC", "ConvFiT"],
        "paper": ["Zhang et al. (2021b)", "Zhang et al. (2020)", "Vulić et al. (2021)"],
        "encoder": ["RoBERTa-base", "RoBERTa-base", "RoBERTa-base"],
    })  # fmt: skip
    table = levers.summary(_frame())  # best: tuned, 88.0% +- 1.0 over 3 seeds
    text = levers.against_published(table, published)
    assert "CPFT (Zhang et al. (2021b), RoBERTa-base) at 87.20%: our best lever, 88.00% (± 1.00% over 3 seeds), " \
           "is +0.80 points" in text
    assert "within our seed spread" in text
    behind = levers.summary(_frame().assign(accuracy=lambda f: f["accuracy"] - 0.05))
    assert "-4.20 points from it, below" in levers.against_published(behind, published)
    at_30 = levers.summary(_frame().assign(budget="30"))
    assert levers.against_published(at_30, published).startswith("No published result at the budgets")
    both = levers.summary(pd.concat([_frame(), _frame().assign(budget="30")]))
    assert "at 30" not in levers.against_published(both, published)  # a budget without a published cell: silent
    assert levers.against_published(table, None) == "No published result to set the levers against."


def test_each_budget_is_judged_against_its_own_baseline(tmp_path):
    at_30 = _frame().assign(budget=30, accuracy=lambda f: f["accuracy"] + 0.05)
    at_30.loc[at_30["lever"] == "tuned", "accuracy"] -= 0.04  # +3 at 10, -1 point at 30
    paths = []
    for budget, frame in (("10", _frame()), ("30", at_30)):
        paths.append(tmp_path / f"fewshot{budget}.csv")
        frame.to_csv(paths[-1], index=False)
    table = levers.summary(levers.load_all(paths, "banking77"))
    assert table["budget"].tolist() == ["10"] * 3 + ["30"] * 3
    points = table.set_index(["budget", "lever"])["vs_baseline_points"]
    assert points["10", "tuned"] == pytest.approx(3.0) and points["30", "tuned"] == pytest.approx(-1.0)
    text = levers.sentence(table, "AMD EPYC")
    assert text.startswith("At 10 examples per intent the best of 3 levers on the test set (so an upper bound) is tun")
    assert "At 30 examples per intent the best of 3 levers on the test set (so an upper bound) is frozen + logistic " \
           "regression (baseline): 90.0%" in text
    wide = levers.side_by_side(table).set_index("lever")
    assert list(wide.columns) == ["at_10", "at_30", "seconds"]
    assert wide.loc["tuned", "at_10"] == "88.0% ± 1.0 (+3.0)"
    assert wide.loc["tuned", "at_30"] == "89.0% ± 1.0 (\u22121.0)"
    assert wide.loc[levers.BASELINE, "at_30"] == "90.0% ± 1.0 (+0.0)" and wide.loc["tuned", "seconds"] == "300 / 300"


def test_one_seed_shows_no_spread_and_a_lever_missing_at_a_budget_shows_a_dash():
    frame = _frame()
    at_10 = frame[(frame["lever"] != "tuned") | (frame["seed"] == 1)]
    at_full = frame[frame["lever"] != "noisy"].assign(budget="full")
    wide = levers.side_by_side(levers.summary(pd.concat([at_10, at_full]))).set_index("lever")
    assert wide.loc["tuned", "at_10"] == "88.0% (+3.0)" and wide.loc["noisy", "at_10"] == "85.0% ± 5.0 (+0.0)"
    assert pd.isna(wide.loc["noisy", "at_full"]) and wide.loc["noisy", "seconds"] == "1 / —"


def test_the_full_split_is_named_as_such():
    published = pd.DataFrame({"budget": ["full"], "accuracy": [0.9416], "model": ["ConvFiT"],
                              "paper": ["Vulić et al. (2021)"], "encoder": ["BERT-base"]})  # fmt: skip
    table = levers.summary(_frame().assign(budget="full", accuracy=lambda f: f["accuracy"] + 0.06))
    assert levers.sentence(table, "AMD EPYC").startswith("On the full training split the best of 3 levers")
    text = levers.against_published(table, published)
    assert text.startswith("The best published result on the full training split is ConvFiT")
    assert "-0.16 points from it, within our seed spread" in text
