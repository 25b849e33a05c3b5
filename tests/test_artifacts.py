"""The files stages hand to each other: what data-prep writes, training's probabilities, read back intact."""

from types import SimpleNamespace

import numpy as np
import pandas as pd

from startup_report.data import artifacts
from startup_report.data.dataset import Splits
from startup_report.engine import files


def _splits() -> Splits:
    frame = pd.DataFrame({"text": ["hi there", "bye now"], "label": ["greet", "leave"]})
    return Splits(train=frame, validation=frame.head(1), test=frame.tail(1), labels=["greet", "leave"],
                  duplicates_found=0, duplicates_removed=0, dataset="toy")


def test_data_prep_outputs_are_every_declared_file_and_read_back(tmp_path):
    written = artifacts.save_splits(_splits(), tmp_path / "data-prep")
    assert [p.name for p in written] == [
        "train.parquet", "validation.parquet", "test.parquet", "labels.json", "data_card.json"
    ]
    pd.testing.assert_frame_equal(artifacts.load_split(tmp_path / "data-prep", "test"), _splits().test.reset_index(
        drop=True))
    assert files.read_json(tmp_path / "data-prep" / "labels.json") == ["greet", "leave"]
    card = files.read_json(tmp_path / "data-prep" / "data_card.json")
    assert card["dataset"] == "toy" and card["counts"] == {"train": 2, "validation": 1, "test": 1}


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
