"""Ensembles blended from stored probabilities: the weight is chosen on validation, the test set scored once."""

import numpy as np
import pytest

from startup_report.modeling import ensemble
from startup_report.modeling.runs import RunOutcome


def _outcome(model: str, val: np.ndarray, test: np.ndarray, budget: str = "10", seed: int = 1) -> RunOutcome:
    costs = {"train_seconds": 2.0, "ms_per_message": 1.0, "parameters": 10, "size_bytes": 40, "flops_per_message": 5.0}
    row = {"family": "x", "model": model, "budget": budget, "seed": seed, "train_examples": 20, "precision": "fp32"}
    row.update(costs)
    return RunOutcome(row, val.astype(np.float32), test.astype(np.float32))


# Member a is right on messages 0 and 1, member b on 1 and 2; only a blend gets all three right.
A = np.array([[0.9, 0.1, 0.0], [0.0, 0.6, 0.4], [0.55, 0.0, 0.45]])
B = np.array([[0.4, 0.6, 0.0], [0.0, 0.9, 0.1], [0.0, 0.0, 1.0]])
Y = np.array([0, 1, 2])


def test_the_weight_with_the_best_validation_accuracy_wins():
    w, acc = ensemble.choose_weight(A, B, Y)
    assert acc == 1.0
    assert 0.0 < w < 1.0  # neither member alone gets all three right
    assert ensemble.accuracy(Y, (w * A + (1 - w) * B).argmax(axis=1)) == 1.0
    assert ensemble.choose_weight(A, A, Y) == (0.0, 2 / 3)  # a tie keeps the smallest weight


def test_one_member_alone_when_it_is_best():
    perfect = np.eye(3)
    assert ensemble.choose_weight(perfect, np.roll(perfect, 1, axis=1), Y, weights=(0.0, 1.0)) == (1.0, 1.0)


def test_bad_members_are_rejected():
    with pytest.raises(ValueError, match="shape"):
        ensemble.choose_weight(A, B[:, :2], Y)
    with pytest.raises(ValueError, match="validation"):
        ensemble.choose_weight(A[:0], B[:0], Y[:0])
    with pytest.raises(ValueError, match="budget and seed"):
        a, b = _outcome("a", A, A), _outcome("b", B, B, seed=2)
        ensemble.ensemble_row(a, b, ensemble.blend(a, b, Y), Y, 3)


def test_rows_pair_members_at_the_same_budget_and_seed_and_add_their_costs():
    runs = [_outcome("a", A, A), _outcome("b", B, B), _outcome("b", B, B, seed=2), _outcome("a", A, A, budget="30")]
    rows = ensemble.ensemble_rows(runs, [("a", "b")], Y, Y, 3)
    assert len(rows) == 1  # a at seed 2 and b at budget 30 are missing
    row = rows[0]
    assert (row["family"], row["model"], row["budget"], row["seed"]) == ("ensemble", "a+b", "10", 1)
    assert row["accuracy"] == 1.0 and row["val_accuracy"] == 1.0
    assert (row["train_seconds"], row["parameters"], row["size_bytes"]) == (4.0, 20, 80)
    assert 0.0 < row["ensemble_weight"] < 1.0
    assert ensemble.ensemble_rows(runs, [("a", "missing")], Y, Y, 3) == []
