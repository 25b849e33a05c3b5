import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from startup_report.evaluation import metrics


def test_accuracy_and_macro_f1_match_scikit_learn():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(accuracy_score(y_true, y_pred))
    assert metrics.macro_f1(y_true, y_pred) == pytest.approx(f1_score(y_true, y_pred, average="macro"))


def test_coverage_and_precision_at_a_threshold_by_hand():
    confidence = np.array([0.95, 0.9, 0.8, 0.6, 0.3])
    correct = np.array([True, True, False, True, False])
    assert metrics.coverage_at(confidence, 0.8) == pytest.approx(3 / 5)
    assert metrics.precision_at(confidence, correct, 0.8) == pytest.approx(2 / 3)
    assert metrics.precision_at(confidence, correct, 0.99) == 1.0


def test_threshold_is_the_lowest_that_reaches_the_target():
    confidence = np.array([0.95, 0.9, 0.8, 0.6, 0.3])
    correct = np.array([True, True, False, True, False])
    # Answering the top two gives precision 1.0; adding the third drops it to 2/3, the fourth gives 3/4.
    assert metrics.threshold_for_precision(confidence, correct, 0.75) == pytest.approx(0.6)
    assert metrics.threshold_for_precision(confidence, correct, 0.9) == pytest.approx(0.9)
    nothing = metrics.threshold_for_precision(confidence, np.zeros(5, bool), 0.5)
    assert metrics.coverage_at(confidence, nothing) == 0.0


def test_ties_are_answered_together():
    confidence = np.array([0.9, 0.9, 0.5])
    correct = np.array([True, False, True])
    assert metrics.threshold_for_precision(confidence, correct, 0.6) == pytest.approx(0.5)
    assert metrics.threshold_for_precision(confidence, correct, 0.7) > 0.9


def test_risk_coverage_curve_ends_at_overall_accuracy():
    confidence = np.array([0.9, 0.8, 0.7, 0.6])
    correct = np.array([True, False, True, True])
    coverage, precision = metrics.risk_coverage_curve(confidence, correct)
    assert coverage[-1] == 1.0 and precision[-1] == pytest.approx(0.75)
    assert precision[0] == 1.0


def test_bootstrap_intervals_contain_the_estimate_and_are_reproducible():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 4, 400)
    y_pred = np.where(rng.random(400) < 0.8, y_true, rng.integers(0, 4, 400))
    ci = metrics.bootstrap_ci(y_true, y_pred, 4, samples=300, seed=3)
    assert ci["accuracy"][0] < metrics.accuracy(y_true, y_pred) < ci["accuracy"][1]
    assert ci["macro_f1"][0] < metrics.macro_f1(y_true, y_pred) < ci["macro_f1"][1]
    assert ci == metrics.bootstrap_ci(y_true, y_pred, 4, samples=300, seed=3)
    conf = rng.random(400)
    auto = metrics.bootstrap_automation(conf, y_true == y_pred, 0.5, samples=300, seed=3)
    assert auto["coverage"][0] < metrics.coverage_at(conf, 0.5) < auto["coverage"][1]


def test_expected_calibration_error_by_hand():
    from startup_report.evaluation.calibration import expected_calibration_error, fit_temperature

    # Two bins (0-0.5, 0.5-1): [0.2, 0.4] with 1 of 2 right -> |0.5 - 0.3| = 0.2; [0.9, 0.9] both right -> 0.1.
    confidence = np.array([0.2, 0.4, 0.9, 0.9])
    correct = np.array([True, False, True, True])
    assert expected_calibration_error(confidence, correct, bins=2) == pytest.approx(0.5 * 0.2 + 0.5 * 0.1)
    # Over-confident probabilities get a temperature above 1.
    probs = np.array([[0.99, 0.01], [0.99, 0.01], [0.01, 0.99], [0.99, 0.01]])
    assert fit_temperature(probs, np.array([0, 1, 1, 0])) > 1.0
