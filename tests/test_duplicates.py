"""The duplicate check as a robustness figure: which test messages copy training ones, and accuracy without them."""

import numpy as np
import pytest

from startup_report.report import duplicates


def test_copies_are_found_ignoring_case_and_spaces():
    mask = duplicates.duplicate_mask(["Card lost ", "new message", "where is it"], ["card lost", "Where is it"])
    assert mask.tolist() == [True, False, True]


def test_accuracy_without_the_copies_and_the_sentence():
    y = np.array([0, 1, 1, 0])
    probs = {"m": np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.7, 0.3]])}  # right, right, wrong, right
    mask = np.array([True, False, False, False])  # the first (right) answer is a copy
    table = duplicates.without_duplicates(probs, y, mask)
    assert table.loc[0, "accuracy_all"] == pytest.approx(0.75)
    assert table.loc[0, "accuracy_without_duplicates"] == pytest.approx(2 / 3)
    text = duplicates.sentence(table, 4, 1)
    assert text.startswith("1 of the 4 test messages") and "-8.33 points" in text
    assert duplicates.sentence(table, 4, 0) == "None of the 4 test messages is a copy of a training message."
