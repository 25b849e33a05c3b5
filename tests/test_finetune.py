"""Fine-tuned MiniLM family on a tiny BANKING77 slice: interface, determinism across threads, and real learning.

Kept fast (well under a minute on 2 CPU cores): 5 intents x 8 messages, a handful of optimiser steps,
one torch thread (two threads slow down badly when another process shares the cores).
"""

import math

import numpy as np
import pandas as pd
import pytest

from startup_report.modeling.finetune import FineTunedEncoder

N_CLASSES = 5
PER_CLASS = 8


@pytest.fixture(scope="module")
def tiny(request) -> tuple[list[str], np.ndarray]:
    root = request.config.rootpath
    df = pd.read_csv(root / "data/raw/banking77/train.csv")
    intents = sorted(df["category"].unique())[:N_CLASSES]
    rows = pd.concat([df[df["category"] == c].head(PER_CLASS) for c in intents])
    labels = rows["category"].map({c: i for i, c in enumerate(intents)}).to_numpy()
    return rows["text"].tolist(), labels


def _model(**kwargs) -> FineTunedEncoder:
    settings = {"batch_size": 8, "max_epochs": 100, "threads": 1, "log_every": 0}
    settings.update(kwargs)
    return FineTunedEncoder(N_CLASSES, **settings)


def _fit(model: FineTunedEncoder, tiny, seed: int = 0) -> FineTunedEncoder:
    texts, labels = tiny
    model.fit(texts, labels, texts, labels, seed=seed)
    return model


@pytest.fixture(scope="module")
def trained(tiny) -> FineTunedEncoder:
    return _fit(_model(max_steps=15, learning_rate=1e-4, head_learning_rate=1e-2), tiny)


def test_predict_proba_shape_and_rows_sum_to_one(trained, tiny):
    texts, _ = tiny
    probs = trained.predict_proba(texts + ["where is my new card?"])
    assert probs.shape == (len(texts) + 1, N_CLASSES)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert (probs >= 0).all()
    assert trained.predict_proba([]).shape == (0, N_CLASSES)


def test_training_learns_beyond_the_untrained_head(trained, tiny):
    texts, labels = tiny
    untrained = _fit(_model(max_steps=0), tiny)  # pretrained encoder, random head, no step taken
    assert untrained.steps == 0
    before = (untrained.predict_proba(texts).argmax(axis=1) == labels).mean()
    after = (trained.predict_proba(texts).argmax(axis=1) == labels).mean()
    assert after >= 0.8
    assert after >= before + 0.3
    assert trained.steps == 15 and trained.stopped_by == "max_steps"
    assert trained.epochs_completed == pytest.approx(15 / 5)
    assert trained.history and trained.best_val_accuracy == pytest.approx(after)


def test_same_seed_gives_identical_probabilities(tiny):
    texts, _ = tiny
    first = _fit(_model(max_steps=4), tiny, seed=7).predict_proba(texts)
    second = _fit(_model(max_steps=4), tiny, seed=7).predict_proba(texts)
    np.testing.assert_array_equal(first, second)


SECOND_PROCESS = f"""
import sys
import numpy as np
import pandas as pd
from startup_report.modeling.finetune import FineTunedEncoder
df = pd.read_csv(sys.argv[1])
intents = sorted(df["category"].unique())[:{N_CLASSES}]
rows = pd.concat([df[df["category"] == c].head({PER_CLASS}) for c in intents])
labels = rows["category"].map({{c: i for i, c in enumerate(intents)}}).to_numpy()
texts = rows["text"].tolist()
model = FineTunedEncoder({N_CLASSES}, batch_size=8, max_epochs=100, threads=2, log_every=0, max_steps=4)
model.fit(texts, labels, texts, labels, seed=7)
np.save(sys.argv[2], model.predict_proba(texts))
"""


def test_a_second_process_trains_bit_for_bit_the_same_model(tiny, tmp_path, request):
    """One answer per parameter set: the grid's settings (fp32, 2 threads) fitted here twice and once in a
    fresh interpreter give identical probabilities, not merely close ones."""
    import subprocess
    import sys

    texts, _ = tiny
    here = [_fit(_model(max_steps=4, threads=2), tiny, seed=7).predict_proba(texts) for _ in range(2)]
    out = tmp_path / "probs.npy"
    train = request.config.rootpath / "data/raw/banking77/train.csv"
    subprocess.run([sys.executable, "-c", SECOND_PROCESS, str(train), str(out)], check=True, timeout=300)
    np.testing.assert_array_equal(here[0], here[1])
    np.testing.assert_array_equal(here[0], np.load(out))


def test_one_and_two_threads_train_the_same_model_up_to_float_noise(tiny):
    """Machine independence: the thread count only reorders float sums. Tolerance: 1e-3 on probabilities
    after 6 steps (measured differences are about 1e-6); the predicted intents must be identical."""
    texts, _ = tiny
    one = _fit(_model(max_steps=6, threads=1), tiny, seed=3).predict_proba(texts)
    two = _fit(_model(max_steps=6, threads=2), tiny, seed=3).predict_proba(texts)
    np.testing.assert_allclose(one, two, atol=1e-3)
    assert (one.argmax(axis=1) == two.argmax(axis=1)).all()


def test_epoch_limit_and_cost_accounting(tiny):
    model = _fit(_model(max_epochs=1), tiny)
    assert model.stopped_by == "epochs" and model.steps == 5 and model.epochs_completed == 1.0
    assert [h["step"] for h in model.history] == [5]
    n = model.n_parameters()
    assert n == _model().n_parameters()  # config-based count before fit matches the loaded weights
    assert 22_000_000 < n < 23_000_000
    assert model.size_bytes() == 4 * n
    assert math.isfinite(model.flops_per_message()) and model.flops_per_message() > 1e8


@pytest.mark.parametrize("longest_first", [False, True])
def test_inference_batches_are_length_sorted_and_cover_every_message_once(longest_first):
    from startup_report.modeling import minilm

    ids = [[101, 5, 102], [101, 102], [101, 7, 8, 9, 102], [101, 6, 102], [101, 4, 4, 102]]
    batches = list(minilm.length_sorted_batches(ids, 2, pad=0, longest_first=longest_first))
    rows = np.concatenate([r for r, _, _ in batches])
    assert sorted(rows.tolist()) == list(range(5)) and [len(r) for r, _, _ in batches] == [2, 2, 1]
    lengths = [len(ids[i]) for i in rows]
    assert lengths == sorted(lengths, reverse=longest_first)
    assert rows[:2].tolist() == ([2, 4] if longest_first else [1, 0])  # stable among equal lengths
    for r, input_ids, mask in batches:  # padded to the batch's longest, the mask marks the real tokens
        assert input_ids.shape == mask.shape == (len(r), max(len(ids[i]) for i in r))
        assert mask.sum(dim=1).tolist() == [len(ids[i]) for i in r]
