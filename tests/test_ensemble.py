"""Ensembles blended from stored probabilities: the weights are chosen on validation, the test set scored once."""

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


def test_the_grid_covers_the_simplex_in_order():
    pairs = list(ensemble.simplex(2))
    assert len(pairs) == 21 and pairs[0] == (0.0, 1.0) and pairs[-1] == (1.0, 0.0)
    trios = list(ensemble.simplex(3))
    assert len(trios) == 231 and all(sum(t) == pytest.approx(1.0) and min(t) >= 0 for t in trios)
    assert trios == sorted(trios)


def test_the_weights_with_the_best_validation_accuracy_win():
    (w, rest), acc = ensemble.choose_weights([A, B], Y)
    assert acc == 1.0
    assert 0.0 < w < 1.0 and w + rest == pytest.approx(1.0)  # neither member alone gets all three right
    assert ensemble.accuracy(Y, (w * A + rest * B).argmax(axis=1)) == 1.0
    assert ensemble.choose_weights([A, A], Y) == ((0.0, 1.0), 2 / 3)  # a tie keeps the smallest first weight


def test_a_third_member_is_weighted_where_it_helps_validation():
    # a is wrong on message 2, c right on it only; the middle member (a shifted) is wrong everywhere.
    C = np.array([[0.0, 0.5, 0.5], [0.3, 0.3, 0.4], [0.0, 0.0, 1.0]])
    weights, acc = ensemble.choose_weights([A, np.roll(A, 1, axis=1), C], Y)
    assert acc == 1.0 and len(weights) == 3 and sum(weights) == pytest.approx(1.0)
    assert weights[0] > 0 and weights[2] > 0 and weights[1] == 0.0  # the useless member gets no weight


def test_one_member_alone_when_it_is_best():
    perfect, wrong = np.eye(3), np.roll(np.eye(3), 1, axis=1)
    assert ensemble.choose_weights([wrong, perfect], Y) == ((0.0, 1.0), 1.0)


def test_bad_members_are_rejected():
    with pytest.raises(ValueError, match="shape"):
        ensemble.choose_weights([A, B[:, :2]], Y)
    with pytest.raises(ValueError, match="validation"):
        ensemble.choose_weights([A[:0], B[:0]], Y[:0])
    with pytest.raises(ValueError, match="budget and seed"):
        a, b = _outcome("a", A, A), _outcome("b", B, B, seed=2)
        ensemble.ensemble_row([a, b], ensemble.blend([a, b], Y), Y, 3)


def test_rows_group_members_at_the_same_budget_and_seed_and_add_their_costs():
    runs = [_outcome("a", A, A), _outcome("b", B, B), _outcome("b", B, B, seed=2), _outcome("a", A, A, budget="30")]
    runs.append(_outcome("c", B, B))
    rows = ensemble.ensemble_rows(runs, [("a", "b"), ("a", "b", "c")], Y, Y, 3)
    assert [row["model"] for row in rows] == ["a+b", "a+b+c"]  # a at budget 30 has no b; b at seed 2 no a
    pair, trio = rows
    assert (pair["family"], pair["budget"], pair["seed"]) == ("ensemble", "10", 1)
    assert pair["accuracy"] == 1.0 and pair["val_accuracy"] == 1.0
    assert (pair["train_seconds"], pair["parameters"], pair["size_bytes"]) == (4.0, 20, 80)
    assert (trio["train_seconds"], trio["parameters"]) == (6.0, 30)
    weights = [float(w) for w in pair["ensemble_weights"].split("+")]
    assert 0.0 < weights[0] < 1.0 and sum(weights) == pytest.approx(1.0)
    assert ensemble.ensemble_rows(runs, [("a", "missing")], Y, Y, 3) == []


def test_on_the_full_split_a_deterministic_model_run_once_stands_in_at_every_seed():
    # tfidf-logreg is deterministic: the grid trains it once on the full split, the fine-tuned model per seed.
    runs = [_outcome("minilm-finetuned", A, A, "full", s) for s in (42, 43, 44)]
    runs += [_outcome("tfidf-logreg", B, B, "full", 42), _outcome("minilm-keras-head", B, B, "full", 42)]
    rows = ensemble.ensemble_rows(runs, [("minilm-finetuned", "tfidf-logreg")], Y, Y, 3)
    assert [(row["seed"], row["budget"]) for row in rows] == [(42, "full"), (43, "full"), (44, "full")]
    assert all(row["train_seconds"] == 4.0 for row in rows)
    # A model that is not deterministic gets no stand-in, and neither does a few-shot budget.
    assert len(ensemble.ensemble_rows(runs, [("minilm-finetuned", "minilm-keras-head")], Y, Y, 3)) == 1
    few = [_outcome("minilm-finetuned", A, A, "10", 43), _outcome("tfidf-logreg", B, B, "10", 42)]
    assert ensemble.ensemble_rows(few, [("minilm-finetuned", "tfidf-logreg")], Y, Y, 3) == []
