"""Open world: known intents drawn by seed, rejection rules, and metrics that never reward an unknown intent."""

import numpy as np
import pandas as pd
import pytest

from startup_report.evaluation import openexperiment, openworld
from startup_report.evaluation.openworld import OPEN
from startup_report.params import EvaluationParams


def test_known_intents_are_fixed_by_seed_and_sized_by_share():
    a, b = openworld.choose_known(77, 0.25, seed=42), openworld.choose_known(77, 0.25, seed=42)
    assert np.array_equal(a, b) and len(a) == 19 and len(set(a)) == 19
    assert not np.array_equal(a, openworld.choose_known(77, 0.25, seed=43))
    assert len(openworld.choose_known(77, 0.75, seed=1)) == 58
    # Six intents at 25 %: at least two known (a classifier needs two), at most all but one (an open class).
    assert len(openworld.choose_known(6, 0.25, seed=0)) == 2
    assert len(openworld.choose_known(6, 0.99, seed=0)) == 5


def test_open_class_f1_by_hand():
    # Known intents 0 and 1; messages of intent 5 are unknown (open).
    truth = openworld.open_truth(np.array([0, 0, 1, 5, 5, 5]), known=np.array([0, 1]))
    assert truth.tolist() == [0, 0, 1, OPEN, OPEN, OPEN]
    decided = np.array([0, OPEN, 1, OPEN, OPEN, 1])
    figures = openworld.open_metrics(truth, decided, known=np.array([0, 1]))
    # Open: tp = 2 (rows 4, 5), predicted open 3 (rows 2, 4, 5), true open 3 -> F1 = 2*2 / (3 + 3) = 2/3.
    assert figures["open_f1"] == pytest.approx(2 / 3)
    # Intent 0: tp 1, predicted 1, true 2 -> 2/3; intent 1: tp 1, predicted 2, true 1 -> 2/3.
    assert figures["known_macro_f1"] == pytest.approx(2 / 3)
    assert figures["macro_f1"] == pytest.approx(2 / 3)
    assert figures["accuracy"] == pytest.approx(4 / 6)
    assert figures["known_accuracy"] == pytest.approx(2 / 3)  # the rejected known message counts as wrong
    # Answered: rows 1, 3, 6; right: rows 1 and 3; one of three unknown messages answered.
    assert figures["automation_rate"] == pytest.approx(3 / 6)
    assert figures["automation_precision"] == pytest.approx(2 / 3)
    assert figures["unknown_automated"] == pytest.approx(1 / 3)


def _blobs(labels: np.ndarray, rng: np.random.Generator, dim: int = 8) -> np.ndarray:
    """Unit vectors near one axis per label: easy to classify, every label as confident as any other."""
    x = np.eye(dim)[labels] + 0.05 * rng.standard_normal((len(labels), dim))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _data(n_labels: int = 6, per_label: int = 30, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = {name: np.repeat(np.arange(n_labels), per_label) for name in ("train", "validation", "test")}
    return {name: _blobs(labels, rng) for name, labels in y.items()}, y


def test_a_held_out_intent_is_never_counted_as_automated_correct():
    x, y = _data()
    # Known intents are not 0..K-1, so an index-space prediction of an unknown message's own id would match.
    known = np.array([2, 4, 5])
    # Unknown messages embedded right on a known intent's centre: confidently accepted, as bad as it gets.
    unknown_test = ~np.isin(y["test"], known)
    x["test"][unknown_test] = _blobs(np.full(unknown_test.sum(), 4), np.random.default_rng(1))
    for method, outcome in openworld.evaluate_split(x, y, known, 0.95, c=10.0, seed=0).items():
        right = openworld.automated_correct(outcome.y_true_open, outcome.decided)
        unknown = outcome.y_true_open == OPEN
        assert unknown.sum() == unknown_test.sum()
        assert outcome.decided[unknown].size and (outcome.decided[unknown] != OPEN).any(), method  # answered...
        assert not right[unknown].any(), method  # ...and never right
        answered = outcome.decided != OPEN
        assert outcome.figures["automation_precision"] == pytest.approx(right[answered].mean())
        assert outcome.figures["automation_precision"] < outcome.figures["closed_automation_precision"]
        assert set(np.unique(outcome.predicted)) <= set(known)


@pytest.mark.parametrize("method", ["centroid_distance", "knn_similarity", "class_boundary"])
def test_unknown_messages_far_from_every_centre_are_rejected_by_the_distance_rules(method):
    x, y = _data(n_labels=8)
    known = np.array([0, 1, 2, 3, 4])
    outcome = openworld.evaluate_split(x, y, known, 0.95, c=10.0, seed=0, methods=(method,))
    figures = outcome[method].figures
    assert figures["open_f1"] > 0.9 and figures["unknown_automated"] < 0.1
    assert figures["automation_precision"] > 0.9 and figures["closed_automation_rate"] > 0.8
    # The literature's kind of threshold, chosen on known validation messages only, finds the open class too.
    assert figures["od_open_f1"] > 0.9 and figures["od_known_macro_f1"] > 0.85


def test_the_open_detection_threshold_keeps_95_percent_of_known_validation_messages():
    rng = np.random.default_rng(3)
    val_score = rng.uniform(size=1000)
    truth = np.array([0, 1, OPEN, OPEN])
    figures = openworld.open_detection(truth, np.array([0, 1, 0, 1]), np.array([0.9, 0.5, 0.01, 0.02]), val_score,
                                       known=np.array([0, 1]))  # fmt: skip
    assert (val_score >= figures["od_threshold"]).mean() == pytest.approx(0.95, abs=0.002)
    assert figures["od_accuracy"] == 1.0 and figures["od_open_f1"] == 1.0  # both unknowns fall under it


def _experiment(out_of_scope=None):
    x, y = _data(n_labels=8, per_label=20)
    config = EvaluationParams(openworld_known_shares=[0.25, 0.75], openworld_seeds=2, bootstrap_samples=50)
    return openexperiment.run(x, y, 8, config, c=10.0, seed=7, out_of_scope=out_of_scope), config


def test_experiment_grid_summary_and_handoff_agree():
    world, config = _experiment()
    assert world.source == openexperiment.HELD_OUT
    n_methods = len(openworld.ALL_METHODS)
    assert len(world.table) == 2 * 2 * n_methods and set(world.table["seed"]) == {7, 8}
    summary = openexperiment.summary(world.table)
    assert len(summary) == 2 * n_methods and (summary["automation_rate_sd"] >= 0).all()
    handed = openexperiment.handoff(world, 0.75, "max_probability")
    rows = world.table[(world.table["known_share"] == 0.75) & (world.table["method"] == "max_probability")]
    assert handed.seeds == 2 and handed.automation_rate == pytest.approx(rows["automation_rate"].mean())
    labels = np.array([f"intent_{i}" for i in range(8)])
    predictions = openexperiment.handoff_predictions(world, labels, 0.75, "max_probability")
    assert len(predictions) == 2 * 160 and predictions["automated"].mean() == pytest.approx(handed.automation_rate)
    assert not (predictions["open"] & predictions["correct"]).any()
    text = openexperiment.sentences(summary, handed, config.target_precision, world.seconds)
    assert f"{handed.automation_rate:.1%}" in text["openworld_automation_text"]


def test_a_real_out_of_scope_label_replaces_held_out_intents():
    world, _ = _experiment(out_of_scope=3)
    assert world.source == openexperiment.OUT_OF_SCOPE
    assert set(world.table["n_known"]) == {7} and set(world.table["seed"]) == {7}
    assert set(world.table["n_unknown"]) == {20}
    handed = openexperiment.handoff(world, 0.75, "centroid_distance")  # the share parameter does not apply
    assert handed.source == "out-of-scope label" and handed.known_share == pytest.approx(7 / 8)


def test_published_rows_sit_beside_ours():
    world, _ = _experiment()
    published = pd.DataFrame(
        {"method": ["ADB", "ADB"], "known_share": [0.25, 0.5], "accuracy": [0.79, 0.79], "macro_f1": [0.72, 0.81],
         "open_f1": [0.85, 0.78], "known_macro_f1": [0.71, 0.81]}
    )
    table = openexperiment.against_literature(openexperiment.summary(world.table), published)
    assert set(table["known_share"]) == {0.25, 0.75}  # the 50 % row has no counterpart of ours
    assert (table["method"] == "ADB").sum() == 1


def test_handoff_parameters_must_be_measured():
    with pytest.raises(ValueError, match="openworld_handoff_share"):
        EvaluationParams(openworld_known_shares=[0.25, 0.5])
    with pytest.raises(ValueError, match="openworld_handoff_method"):
        EvaluationParams(openworld_methods=["centroid_distance"])
    with pytest.raises(ValueError, match="between 0 and 1"):
        EvaluationParams(openworld_known_shares=[0.75, 1.0])


def test_an_unknown_out_of_scope_label_is_rejected_before_any_stage_runs(root):
    from startup_report.chain import STAGE_BY_NAME
    from startup_report.engine.stage import InputError
    from startup_report.evaluation.preflight import check_out_of_scope_label
    from startup_report.params import Params

    assert check_out_of_scope_label in STAGE_BY_NAME["evaluation"].preflight
    check_out_of_scope_label(Params(), root)  # null: nothing to check
    check_out_of_scope_label(Params(evaluation={"out_of_scope_label": "card_arrival"}), root)
    with pytest.raises(InputError, match=r"evaluation.out_of_scope_label: 'oos' is not a label .*'activate_my_card'"):
        check_out_of_scope_label(Params(evaluation={"out_of_scope_label": "oos"}), root)


def test_the_figures_draw_only_the_first_draw_of_known_intents():
    world, _ = _experiment()
    curves = openexperiment.first_draw_curves(world)
    assert set(curves) == {(s, m) for s in (0.25, 0.75) for m in openworld.ALL_METHODS}
    assert curves[(0.25, "max_probability")] is world.outcomes[(0.25, 7, "max_probability")].curve
    automation = openexperiment.first_draw_automation(world, "centroid_distance")
    assert set(automation) == {0.25, 0.75}
    share, precision = automation[0.75]["open world"]
    expected = openworld.precision_curves(world.outcomes[(0.75, 7, "centroid_distance")])["open world"]
    assert np.array_equal(share, expected[0]) and np.array_equal(precision, expected[1])


def test_the_gap_to_the_best_published_method_is_measured_at_the_literature_threshold():
    summary = pd.DataFrame(
        {"known_share": [0.25, 0.25], "method": ["a", "b"], "od_accuracy": [0.70, 0.74], "od_macro_f1": [0.66, 0.60],
         "od_accuracy_sd": [0.01, 0.02], "od_macro_f1_sd": [0.01, 0.01]}
    )  # fmt: skip
    published = pd.DataFrame(
        {"method": ["ADB", "DA-ADB"], "known_share": [0.25, 0.25], "accuracy": [0.79, 0.81], "macro_f1": [0.72, 0.74]}
    )
    gaps = openexperiment.gap_to_best(summary, published)
    row = gaps.iloc[0]
    assert row["our_accuracy_rule"] == "b" and row["our_macro_f1_rule"] == "a"
    assert row["published_accuracy_method"] == "DA-ADB"
    assert row["accuracy_gap_points"] == pytest.approx(-7.0) and row["macro_f1_gap_points"] == pytest.approx(-8.0)
    text = openexperiment.gap_sentence(gaps, draws=5)
    assert "at 25% known, 74.0% accuracy and 66.0% macro-F1 against 81.0% (DA-ADB)" in text
    assert "-7.0 points (below) and -8.0 points (below)" in text
    assert openexperiment.gap_sentence(gaps.iloc[0:0]).startswith("No published open-world result")
