"""The files stages hand to each other: training's probabilities, read back intact (what each stage writes:
test_stage_outputs.py)."""

from types import SimpleNamespace

import numpy as np

from startup_report.data import artifacts


def test_probabilities_round_trip_per_model_and_split(tmp_path):
    rng = np.random.default_rng(0)
    runs = {
        "tfidf-logreg": SimpleNamespace(val_probs=rng.random((4, 3)), test_probs=rng.random((5, 3))),
        "a__b": SimpleNamespace(val_probs=rng.random((4, 3)), test_probs=rng.random((5, 3))),  # '__' in a name
    }
    loaded = artifacts.load_probabilities(artifacts.save_probabilities(tmp_path / "p.npz", runs))
    assert set(loaded) == {"tfidf-logreg", "a__b"}
    for name, run in runs.items():
        assert loaded[name]["test"].dtype == np.float32 and loaded[name]["test"].shape == (5, 3)
        np.testing.assert_allclose(loaded[name]["val"], run.val_probs, rtol=1e-6)
