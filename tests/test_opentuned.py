"""Open intent on tuned embeddings in the evaluation chapter: the best rule per encoder and share, set against the
published line and the goal (DA-ADB), judged by the spread over draws."""

import pandas as pd
import pytest

from startup_report.evaluation import opentuned


def _rows(encoder: str, share: float, method: str, accuracy: float, f1: float, spread: float = 0.005) -> list[dict]:
    return [{"dataset": "banking77", "encoder": encoder, "known_share": share, "seed": 42 + i, "method": method,
             "od_accuracy": accuracy + d, "od_macro_f1": f1 + d, "cpu": "AMD EPYC"}
            for i, d in enumerate((-spread, 0.0, spread))]  # fmt: skip


def _frame() -> pd.DataFrame:
    tuned = opentuned.TUNED
    rows = _rows("frozen", 0.25, "max_probability", 0.70, 0.65) + _rows("frozen", 0.25, "knn_similarity", 0.80, 0.73)
    rows += _rows(tuned, 0.25, "knn_similarity", 0.83, 0.76) + _rows(tuned, 0.25, "centroid_distance", 0.75, 0.77)
    rows += _rows("frozen", 0.5, "knn_similarity", 0.75, 0.79) + _rows(tuned, 0.5, "knn_similarity", 0.815, 0.83)
    return pd.DataFrame(rows)


PUBLISHED = pd.DataFrame({
    "known_share": [0.25, 0.25, 0.5, 0.5], "method": ["DA-ADB", "KNNCL", "DA-ADB", "KNNCL"],
    "accuracy": [0.8119, 0.8614, 0.8151, 0.8276], "macro_f1": [0.7373, 0.7701, 0.8253, 0.8131],
})  # fmt: skip


def test_the_best_rule_of_each_encoder_is_picked_per_figure():
    row = opentuned.comparison(opentuned.summary(_frame()), PUBLISHED).set_index("known_share").loc[0.25]
    assert row["frozen_accuracy"] == pytest.approx(0.80) and row["frozen_accuracy_rule"] == "knn_similarity"
    assert row["tuned_accuracy"] == pytest.approx(0.83) and row["tuned_macro_f1"] == pytest.approx(0.77)
    assert row["tuned_macro_f1_rule"] == "centroid_distance"
    assert row["goal_accuracy"] == 0.8119 and row["best_accuracy_method"] == "KNNCL"


def test_the_goal_counts_a_share_only_when_both_figures_are_above_outside_the_spread():
    text = opentuned.tuned_sentence(opentuned.summary(_frame()), PUBLISHED)
    # 25 %: 83.0 / 77.0 against DA-ADB's 81.2 / 73.7, above on both; 50 %: 81.5 within 0.5 of 81.51.
    assert "outside its spread over draws, at 1 of the 2 shares measured (25%, 50% known)." in text
    assert "on SupCon-tuned embeddings" in text and "-3.1 points (below)" in text  # 83.0 against KNNCL's 86.1


def test_without_tuned_rows_the_sentence_says_so(tmp_path):
    frame = _frame()
    assert "not been measured" in opentuned.tuned_sentence(
        opentuned.summary(frame[frame["encoder"] == "frozen"]), PUBLISHED)


def test_a_file_without_its_columns_is_rejected(tmp_path):
    path = tmp_path / "open.csv"
    _frame().drop(columns=["od_macro_f1"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="od_macro_f1"):
        opentuned.load(path, "banking77")
    _frame().to_csv(path, index=False)
    assert len(opentuned.load(path, "banking77")) == 18 and opentuned.load(path, "clinc150").empty


def test_the_page_shows_accuracy_and_macro_f1_as_one_cell_per_encoder():
    page = opentuned.shown(opentuned.comparison(opentuned.summary(_frame()), PUBLISHED)).set_index("known")
    assert page.loc["25%", "tuned"] == "83.0 / 77.0" and page.loc["25%", "frozen"] == "80.0 / 73.0"
    assert page.loc["25%", "DA-ADB"] == "81.2 / 73.7" and page.loc["25%", "by"] == "KNNCL"
    assert page.loc["50%", "best"] == "82.8 / 82.5" and page.loc["50%", "by"] == "KNNCL / DA-ADB"


def test_each_share_is_judged_by_its_own_draws_and_one_draw_is_not_judged():
    frame = _frame()
    frame = frame[(frame["known_share"] == 0.25) | (frame["seed"] == 42)]  # 50 %: one draw only
    frame = pd.concat([frame, frame[frame["known_share"] == 0.5].assign(known_share=0.75)])
    published = pd.concat([PUBLISHED, PUBLISHED[PUBLISHED["known_share"] == 0.5].assign(known_share=0.75)])
    text = opentuned.tuned_sentence(opentuned.summary(frame), published)
    assert "at 25% known, 83.0% accuracy" in text and "-3.1 points (below)" in text  # 3 draws: judged
    assert "no verdict (one draw: its spread is unknown)" in text
    assert "at 1 of the 3 shares measured (25%, 50%, 75% known); not judged at 50%, 75% (one draw)." in text
