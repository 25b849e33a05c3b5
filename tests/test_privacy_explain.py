"""Explanations: occlusion and nearest neighbours on a model whose answers can be worked out by hand."""

import numpy as np
import pandas as pd
import pytest

from startup_report.privacy import explain

LABELS = ["card_arrival", "lost_or_stolen_card", "top_up_failed"]


def keyword_model(texts):
    """p(lost) = share of the words 'lost'/'stolen', p(top_up) = share of 'top', the rest card_arrival."""
    rows = []
    for text in texts:
        words = text.split() or [""]
        lost = sum(w in ("lost", "stolen") for w in words) / len(words)
        top = sum(w == "top" for w in words) / len(words)
        rows.append([1 - lost - top, lost, top])
    return np.array(rows)


def test_occlusion_by_hand():
    frame = explain.occlusion(keyword_model, "my card was stolen", [1])
    # full message: p(lost) = 1/4; without "stolen": 0; without any other word: 1/3
    assert frame["word"].tolist() == ["my", "card", "was", "stolen"]
    assert frame["p_1"].tolist() == pytest.approx([1 / 3, 1 / 3, 1 / 3, 0.0])
    assert frame["change_1"].tolist() == pytest.approx([1 / 4 - 1 / 3] * 3 + [1 / 4])


def test_nearest_by_hand():
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8], [0.8, 0.6]])
    y = np.array([0, 0, 1, 0])
    found = explain.nearest(np.array([1.0, 0.0]), x, y, ["a", "b", "c", "d"], intent=0, k=2)
    assert found["text"].tolist() == ["a", "d"] and found["similarity"].tolist() == pytest.approx([1.0, 0.8])


def test_explain_names_the_top_two_intents_and_the_pushing_word():
    x = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]])
    y = np.array([0, 1, 2])
    item = explain.explain(keyword_model, np.array([0.0, 1.0]), "lost card lost", "card_arrival", LABELS, x, y,
                           ["card came", "lost my card", "top up"], k=1)  # fmt: skip
    assert item.predicted == "lost_or_stolen_card" and item.runner_up == "card_arrival"
    assert item.p_predicted == pytest.approx(2 / 3) and item.p_runner_up == pytest.approx(1 / 3)
    assert item.neighbours["role"].tolist() == ["predicted", "runner-up"]
    assert item.neighbours["text"].tolist() == ["lost my card", "card came"]
    row = item.as_row()
    assert row["word that pushed most"] == "lost" and row["its push"] == pytest.approx(2 / 3 - 1 / 2)
    # removing "card" raises p(lost) to 1, so the true intent's probability falls by 1/3 - 0
    assert item.words.set_index("word")["change_true"]["card"] == pytest.approx(1 / 3)


def test_explain_a_correct_answer_does_not_collide_columns():
    x = np.eye(3)
    item = explain.explain(keyword_model, np.array([0.0, 1.0, 0.0]), "stolen", "lost_or_stolen_card", LABELS, x,
                           np.array([0, 1, 2]), ["a", "b", "c"], k=1)  # fmt: skip
    assert item.predicted == item.true_intent
    assert item.words["change_predicted"].tolist() == item.words["change_true"].tolist()


def test_confident_mistakes_keeps_only_wrong_answers_most_confident_first():
    predictions = pd.DataFrame({
        "text": ["a", "b", "c", "d"], "label": ["x", "y", "x", "y"], "predicted": ["y", "y", "z", "x"],
        "confidence": [0.7, 0.99, 0.9, 0.8],
    })  # fmt: skip
    assert explain.confident_mistakes(predictions, 2)["text"].tolist() == ["c", "d"]


def test_nothing_to_explain_gives_an_empty_table_and_a_figure_that_says_so():
    """A model with no wrong test predictions (seen on a small dataset) must not break the chapter."""
    from startup_report.report import privacy_plots

    assert explain.neighbours_table([]).empty
    fig = privacy_plots.occlusion_bars([])
    assert "No wrong predictions" in fig.axes[0].texts[0].get_text()
