"""Which intents get confused and which wrong answers a customer would see, counted by hand."""

import numpy as np
import pandas as pd

from startup_report.evaluation import confusion

LABELS = np.array(["card_lost", "refund", "top_up"])
TEXTS = pd.Series(["a", "b", "c", "d", "e", "f"])
Y_TRUE = np.array([0, 0, 0, 1, 2, 2])
Y_PRED = np.array([1, 1, 0, 1, 0, 2])


def test_confused_pairs_are_counted_with_their_first_example():
    pairs = confusion.confused_pairs(TEXTS, Y_TRUE, Y_PRED, LABELS)
    assert pairs.to_dict(orient="records") == [
        {"true": "card_lost", "predicted": "refund", "count": 2, "example": "a"},
        {"true": "top_up", "predicted": "card_lost", "count": 1, "example": "e"},
    ]
    assert len(confusion.confused_pairs(TEXTS, Y_TRUE, Y_PRED, LABELS, top=1)) == 1


def test_worst_confusion_keeps_the_chosen_intents_in_their_order():
    matrix = confusion.worst_confusion(Y_TRUE, Y_PRED, LABELS, ["top_up", "card_lost"])
    assert matrix.index.tolist() == matrix.columns.tolist() == ["top_up", "card_lost"]
    assert matrix.loc["top_up", "card_lost"] == 1 and matrix.loc["card_lost", "card_lost"] == 1
    assert matrix.loc["top_up", "top_up"] == 1 and matrix.loc["card_lost", "top_up"] == 0


def test_confident_mistakes_are_wrong_answers_above_the_threshold_most_confident_first():
    probs = np.array([[0.2, 0.8, 0.0], [0.4, 0.6, 0.0], [0.9, 0.1, 0.0],
                      [0.0, 1.0, 0.0], [0.95, 0.0, 0.05], [0.0, 0.0, 1.0]])  # fmt: skip
    mistakes = confusion.confident_mistakes(TEXTS, Y_TRUE, probs, LABELS, threshold=0.7)
    # Wrong: a (0.8), b (0.6, below the threshold: handed to a human), e (0.95).
    assert mistakes["message"].tolist() == ["e", "a"]
    assert mistakes.loc[0, ["true intent", "answered as"]].tolist() == ["top_up", "card_lost"]
    assert mistakes["confidence"].tolist() == [0.95, 0.8]


def test_concentration_counts_the_share_of_errors_in_the_top_pairs():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2])
    y_pred = np.array([1, 1, 1, 1, 0, 2, 0, 2])  # errors: (0,1) x3, (1,0) x1, (2,0) x1
    assert confusion.concentration(y_true, y_pred, top=1) == (
        "the 1 most frequent of 3 confused pairs hold 60% of its 5 test errors"
    )
    assert "hold 100%" in confusion.concentration(y_true, y_pred, top=5)
    assert confusion.concentration(y_true, y_true) == "the model made no test errors"
