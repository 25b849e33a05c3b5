"""The frozen-encoder families, on a stand-in encoder (the real one is tested in test_encoder.py)."""

import pickle
import zlib

import numpy as np

from startup_report.modeling.encoder import DIM
from startup_report.modeling.frozen import FrozenLogReg
from startup_report.modeling.frozenhead import FrozenKerasHead


class WordHashEncoder:
    """Each text -> the normalised sum of one fixed random vector per word: cheap, deterministic, separable."""

    def encode(self, texts):
        rows = []
        for text in texts:
            vector = np.zeros(DIM)
            for word in text.split():
                vector += np.random.default_rng(zlib.crc32(word.encode())).normal(size=DIM)
            rows.append(vector / max(np.linalg.norm(vector), 1e-9))
        return np.array(rows, dtype=np.float32)

    def n_parameters(self) -> int:
        return 1000

    def size_bytes(self) -> int:
        return 4000

    def flops_per_message(self) -> float:
        return 5e5


TEXTS = [f"card {w} arrived late" for w in "abcdef"] + [f"refund {w} please now" for w in "abcdef"]
LABELS = np.array([0] * 6 + [2] * 6)  # class 1 of 3 has no training example


def test_logistic_regression_head_gives_every_class_a_column_and_counts_its_weights():
    model = FrozenLogReg(WordHashEncoder(), n_classes=3, c=10.0)
    model.fit(TEXTS, LABELS, TEXTS, LABELS, seed=0)
    probs = model.predict_proba(["card x arrived late", "refund y please now"])
    assert probs.shape == (2, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert (probs[:, 1] == 0).all()  # never seen in training: probability zero, not a shifted column
    assert probs.argmax(axis=1).tolist() == [0, 2]
    head = DIM * 1 + 1  # two classes seen: sklearn keeps one weight vector and one intercept
    assert model.head_parameters() == head
    assert model.n_parameters() == 1000 + head
    assert model.flops_per_message() == 5e5 + 2.0 * head


def test_pickling_leaves_the_encoder_out():
    model = FrozenLogReg(WordHashEncoder(), n_classes=3)
    model.fit(TEXTS, LABELS, TEXTS, LABELS, seed=0)
    restored = pickle.loads(pickle.dumps(model))
    assert restored.encoder is None and model.encoder is not None  # persist.load_model re-attaches it
    restored.encoder = WordHashEncoder()
    np.testing.assert_array_equal(restored.predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_loading_attaches_the_encoder_given_else_one_without_a_cache(tmp_path):
    """The explanations pass the cached encoder, so their word-occluded messages are embedded once per machine."""
    from startup_report.modeling import persist

    model = FrozenLogReg(WordHashEncoder(), n_classes=3)
    model.fit(TEXTS, LABELS, TEXTS, LABELS, seed=0)
    path = persist.save_model(model, tmp_path / "frozen.pkl")
    given = WordHashEncoder()
    loaded = persist.load_model(path, given)
    assert loaded.encoder is given
    np.testing.assert_array_equal(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))
    assert persist.load_model(path).encoder.cache is None  # serving: every message is new text


def test_keras_head_trains_the_same_for_the_same_seed():
    def train(seed):
        model = FrozenKerasHead(WordHashEncoder(), n_classes=3, epochs=3, batch_size=4, patience=2)
        model.fit(TEXTS, LABELS, TEXTS, LABELS, seed=seed)
        return model

    first, again = train(1), train(1)
    np.testing.assert_array_equal(first.predict_proba(TEXTS), again.predict_proba(TEXTS))
    assert first.predict_proba(TEXTS).shape == (12, 3)
    assert first.head_parameters() == DIM * 3 + 3
